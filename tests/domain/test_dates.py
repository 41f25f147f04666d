"""Ages, birthdays and month steps (domain.dates), including 29 February births."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from careleaver_app.domain.dates import add_months, age_on, anniversary, birthday

DAY = timedelta(days=1)
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))
LEAP_DOB = date(2008, 2, 29)


# --- anniversary and birthday ---------------------------------------------------------------


def test_anniversary_of_an_ordinary_date_keeps_day_and_month() -> None:
    assert anniversary(date(2008, 6, 15), 16) == date(2024, 6, 15)


def test_anniversary_of_29_february_in_a_common_year_is_1_march() -> None:
    assert anniversary(LEAP_DOB, 1) == date(2009, 3, 1)
    assert anniversary(LEAP_DOB, 17) == date(2025, 3, 1)


def test_anniversary_of_29_february_in_a_leap_year_is_29_february() -> None:
    assert anniversary(LEAP_DOB, 4) == date(2012, 2, 29)
    assert anniversary(LEAP_DOB, 16) == date(2024, 2, 29)


def test_anniversary_of_28_february_stays_28_february_in_a_leap_year() -> None:
    assert anniversary(date(2007, 2, 28), 1) == date(2008, 2, 28)


def test_birthday_zero_is_the_date_of_birth() -> None:
    assert birthday(LEAP_DOB, 0) == LEAP_DOB


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (14, date(2022, 3, 1)),
        (16, date(2024, 2, 29)),
        (18, date(2026, 3, 1)),
        (21, date(2029, 3, 1)),
        (25, date(2033, 3, 1)),
    ],
)
def test_milestone_birthdays_of_a_29_february_birth(age: int, expected: date) -> None:
    """The statutory milestones of someone born on 29 Feb fall on 1 Mar in common years."""
    assert birthday(LEAP_DOB, age) == expected


# --- age_on --------------------------------------------------------------------------------


def test_age_on_the_date_of_birth_is_zero() -> None:
    assert age_on(date(2008, 6, 15), date(2008, 6, 15)) == 0


def test_age_increases_on_the_birthday_not_the_day_before() -> None:
    dob = date(2008, 6, 15)
    assert age_on(dob, date(2024, 6, 14)) == 15
    assert age_on(dob, date(2024, 6, 15)) == 16


def test_age_on_a_date_before_birth_is_refused() -> None:
    with pytest.raises(ValueError, match="before the date of birth"):
        age_on(date(2008, 6, 15), date(2008, 6, 14))


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2025, 2, 28), 16),  # common year: 28 Feb is still before the birthday
        (date(2025, 3, 1), 17),  # common year: the age is attained on 1 March
        (date(2028, 2, 28), 19),  # leap year: 28 Feb is the day before the birthday
        (date(2028, 2, 29), 20),  # leap year: the age is attained on 29 February
        (date(2028, 3, 1), 20),
    ],
)
def test_age_of_a_29_february_birth_around_the_end_of_february(on: date, expected: int) -> None:
    assert age_on(LEAP_DOB, on) == expected


def test_age_of_a_1_march_birth_is_not_confused_with_29_february() -> None:
    assert age_on(date(2008, 3, 1), date(2024, 2, 29)) == 15
    assert age_on(date(2008, 3, 1), date(2024, 3, 1)) == 16


# --- add_months ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 8, 31), 6, date(2026, 2, 28)),  # clamped to the end of a common February
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # clamped to the end of a leap February
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 8, 15), 6, date(2026, 2, 15)),  # same day number when it exists
        (date(2025, 12, 31), 1, date(2026, 1, 31)),  # year rollover
        (date(2025, 11, 30), 3, date(2026, 2, 28)),  # rollover and clamp together
        (date(2025, 7, 10), 18, date(2027, 1, 10)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),  # backwards, clamped
        (date(2025, 1, 15), -1, date(2024, 12, 15)),  # backwards over the year end
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # unlike a birthday, stays in February
        (date(2025, 5, 20), 0, date(2025, 5, 20)),
    ],
)
def test_add_months_keeps_the_day_number_clamped_to_the_month_end(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


# --- properties ----------------------------------------------------------------------------


@given(dob=dates, first=dates, second=dates)
def test_age_never_decreases_as_the_date_moves_on(dob: date, first: date, second: date) -> None:
    earlier, later = sorted((first, second))
    assume(earlier >= dob)
    assert age_on(dob, earlier) <= age_on(dob, later)


@given(dob=dates, age=st.integers(min_value=1, max_value=50))
def test_age_goes_up_by_exactly_one_on_each_birthday(dob: date, age: int) -> None:
    day = birthday(dob, age)
    assert age_on(dob, day) == age
    assert age_on(dob, day - DAY) == age - 1


@given(dob=dates, on=dates)
def test_age_changes_only_on_a_birthday(dob: date, on: date) -> None:
    """From one day to the next the age stays the same or, on a birthday, goes up by one."""
    assume(on >= dob)
    today, tomorrow = age_on(dob, on), age_on(dob, on + DAY)
    assert tomorrow - today in (0, 1)
    assert (tomorrow == today + 1) == (birthday(dob, tomorrow) == on + DAY)


@given(start=dates, months=st.integers(min_value=-120, max_value=120))
def test_add_months_lands_in_the_right_month_on_a_day_no_later_than_the_source_day(
    start: date, months: int
) -> None:
    result = add_months(start, months)
    total = start.year * 12 + start.month - 1 + months
    assert (result.year, result.month) == (total // 12, total % 12 + 1)
    assert result.day <= start.day
    last_day = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(start.day, last_day)


@given(start=dates, months=st.integers(min_value=-120, max_value=120))
def test_add_months_is_reversible_for_days_every_month_has(start: date, months: int) -> None:
    assume(start.day <= 28)
    assert add_months(add_months(start, months), -months) == start
