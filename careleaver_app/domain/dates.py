"""Calendar arithmetic the statutory rules need: ages, birthdays and month steps.

A person born on 29 February attains each age on 1 March in a common year: in English law a
person attains an age at the start of the anniversary of their birth (Family Law Reform Act 1969
s9), and a common year has no 29 February, so the anniversary has not come until 1 March.
"""

from __future__ import annotations

import calendar
from datetime import date


def anniversary(start: date, years: int) -> date:
    """The date `years` after `start`; 29 February moves to 1 March in a common year."""
    year = start.year + years
    if start.month == 2 and start.day == 29 and not calendar.isleap(year):
        return date(year, 3, 1)
    return start.replace(year=year)


def birthday(date_of_birth: date, age: int) -> date:
    """The date on which someone born on `date_of_birth` attains `age`."""
    return anniversary(date_of_birth, age)


def age_on(date_of_birth: date, on: date) -> int:
    """Age in whole years on `on` (negative before birth is not allowed)."""
    if on < date_of_birth:
        raise ValueError("the date is before the date of birth")
    age = on.year - date_of_birth.year
    if birthday(date_of_birth, age) > on:
        age -= 1
    return age


def add_months(start: date, months: int) -> date:
    """Same day number `months` later, clamped to the month's last day (31 Aug + 6 = 28/29 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)
