"""Care leaver category on a date, computed from the care history (DESIGN 3.1).

A care period runs from its start date up to, not including, its end date: the end date is the
day care ended, so the young person is no longer looked after on it. Time looked after is counted
in nights (end minus start), so a period of exactly 13 weeks is 91 nights and counts in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from careleaver_app.domain.codes import CareKind, LeaverCategory
from careleaver_app.domain.dates import age_on, birthday

THIRTEEN_WEEKS = timedelta(weeks=13)


@dataclass(frozen=True)
class CarePeriod:
    start: date
    end: date | None = None  # the day care ended; None while it continues
    kind: CareKind = CareKind.LOOKED_AFTER

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def covers_any_day_in(self, first: date, before: date) -> bool:
        """True when the period includes at least one day in [first, before)."""
        return self.start < before and (self.end is None or self.end > first) and first < before


@dataclass(frozen=True)
class CareHistory:
    date_of_birth: date
    periods: Sequence[CarePeriod] = ()
    # Care Leavers (England) Regulations 2010 reg 3: detained or in hospital on the 16th birthday
    # after 13 weeks looked after since 14, so not looked after on that day.
    detained_or_in_hospital_on_16th_birthday: bool = False

    @property
    def looked_after_periods(self) -> list[CarePeriod]:
        return [p for p in self.periods if p.kind is CareKind.LOOKED_AFTER]

    def looked_after_on(self, day: date) -> bool:
        return any(p.covers(day) for p in self.looked_after_periods)

    def time_looked_after_since_14(self, until: date) -> timedelta:
        """Total time looked after from the 14th birthday up to `until` (nights)."""
        from_14 = birthday(self.date_of_birth, 14)
        total = timedelta(0)
        for p in self.looked_after_periods:
            start = max(p.start, from_14)
            end = until if p.end is None else min(p.end, until)
            if end > start:
                total += end - start
        return total

    def was_eligible_or_relevant_before_18(self) -> bool:
        """Eligible at some time, or relevant, while aged 16 or 17: the test for former relevant."""
        at_16 = birthday(self.date_of_birth, 16)
        at_18 = birthday(self.date_of_birth, 18)
        for p in self.looked_after_periods:
            end = at_18 if p.end is None else min(p.end, at_18)
            if p.covers_any_day_in(at_16, end) and self.time_looked_after_since_14(end) >= (
                THIRTEEN_WEEKS
            ):
                return True
        return self._relevant_by_detention()

    def _relevant_by_detention(self) -> bool:
        at_16 = birthday(self.date_of_birth, 16)
        return (
            self.detained_or_in_hospital_on_16th_birthday
            and not self.looked_after_on(at_16)
            and self.time_looked_after_since_14(at_16) >= THIRTEEN_WEEKS
        )

    def was_eligible_when_care_ended(self, on: date) -> bool:
        """A looked-after period that ended by `on`, after the 16th birthday, with 13 weeks."""
        at_16 = birthday(self.date_of_birth, 16)
        at_18 = birthday(self.date_of_birth, 18)
        ended = [
            p.end
            for p in self.looked_after_periods
            if p.end is not None and p.end <= on and p.covers_any_day_in(at_16, at_18)
        ]
        if ended and self.time_looked_after_since_14(max(ended)) >= THIRTEEN_WEEKS:
            return True
        return self._relevant_by_detention()

    def in_any_care_between_16_and_18(self, on: date) -> bool:
        at_16 = birthday(self.date_of_birth, 16)
        before = min(birthday(self.date_of_birth, 18), on + timedelta(days=1))
        return any(p.covers_any_day_in(at_16, before) for p in self.periods)


def category_on(
    history: CareHistory,
    on: date,
    *,
    in_education_or_training: bool = False,
    requested_pa_support: bool = False,
) -> LeaverCategory:
    """The care leaver category on `on` (DESIGN 3.1).

    eligible: 16-17, looked after, 13 weeks looked after since 14 (being looked after at 16+
    supplies the 'some of it after the 16th birthday').
    relevant: 16-17, not looked after, was eligible when care ended (or detained/in hospital on
    the 16th birthday after 13 weeks).
    former relevant: 18-21 and was eligible or relevant; 22-24 only while in education or
    training or when the young person asked for PA support.
    qualifying: 16-20, looked after, accommodated or under a special guardianship order after 16
    (while a child) but none of the above.
    """
    if on < history.date_of_birth:
        return LeaverCategory.NOT_A_CARE_LEAVER
    age = age_on(history.date_of_birth, on)
    if age < 16 or age >= 25:
        return LeaverCategory.NOT_A_CARE_LEAVER
    if age < 18:
        if history.looked_after_on(on):
            if history.time_looked_after_since_14(on) >= THIRTEEN_WEEKS:
                return LeaverCategory.ELIGIBLE
            # Still looked after but not yet 13 weeks: a looked-after child, not a care leaver.
            return LeaverCategory.NOT_A_CARE_LEAVER
        if history.was_eligible_when_care_ended(on):
            return LeaverCategory.RELEVANT
    elif history.was_eligible_or_relevant_before_18():
        if age <= 21 or in_education_or_training or requested_pa_support:
            return LeaverCategory.FORMER_RELEVANT
        return LeaverCategory.NOT_A_CARE_LEAVER
    if age <= 20 and history.in_any_care_between_16_and_18(on):
        return LeaverCategory.QUALIFYING
    return LeaverCategory.NOT_A_CARE_LEAVER
