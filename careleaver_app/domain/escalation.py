"""The escalation ladder for B&B and unsuitable placements (DESIGN 3.3).

Working days elapsed on a date are the working days after the start date up to and including
that date; weekends and the bank holidays handed in (England and Wales) are not working days.
So a placement that starts on a Monday has 2 working days elapsed on the Wednesday.
The clock freezes when the placement ends: the ladder is read on the end date at the latest.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum, StrEnum

from careleaver_app.domain.dates import birthday


class Level(IntEnum):
    TEAM_MANAGER = 1
    HEAD_OF_SERVICE = 2
    DIRECTOR = 3

    @property
    def label(self) -> str:
        return {1: "Team manager", 2: "Head of service", 3: "Director"}[self.value]


class DecisionKind(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    ACTION_AGREED = "action_agreed"
    ALTERNATIVE_SOUGHT = "alternative_sought"
    EXCEPTION_AUTHORISED = "exception_authorised"

    @property
    def label(self) -> str:
        return {
            "acknowledged": "Acknowledged",
            "action_agreed": "Action agreed",
            "alternative_sought": "Alternative sought",
            "exception_authorised": "Exception authorised",
        }[self.value]


@dataclass(frozen=True)
class Thresholds:
    """Defaults from DESIGN 3.3; an administrator may change them (audited)."""

    level_2_working_days: int = 2
    level_3_working_days: int = 10
    pregnant_or_parenting_days: int = 42  # six weeks

    def problems(self) -> list[str]:
        out = []
        if self.level_2_working_days < 0:
            out.append("level_2_working_days: must be 0 or more")
        if self.level_3_working_days < self.level_2_working_days:
            out.append("level_3_working_days: must not be fewer than level 2's")
        if self.pregnant_or_parenting_days < 0:
            out.append("pregnant_or_parenting_days: must be 0 or more")
        return out


def is_working_day(day: date, holidays: Container[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def working_days_elapsed(start: date, on: date, holidays: Container[date]) -> int:
    """Working days after `start`, up to and including `on` (0 when `on` <= `start`)."""
    if on <= start:
        return 0
    days = (on - start).days
    full_weeks, rest = divmod(days, 7)
    count = full_weeks * 5
    for i in range(1, rest + 1):
        if (start + timedelta(days=full_weeks * 7 + i)).weekday() < 5:
            count += 1
    # Bank holidays falling on weekdays inside the window are not working days.
    first = start + timedelta(days=1)
    return count - sum(1 for h in _holidays_between(holidays, first, on) if h.weekday() < 5)


def _holidays_between(holidays: Container[date], first: date, last: date) -> list[date]:
    if isinstance(holidays, (set, frozenset)):
        return [h for h in holidays if first <= h <= last]
    span = (last - first).days + 1
    return [d for d in (first + timedelta(days=i) for i in range(span)) if d in holidays]


def nights(start: date, end: date | None, on: date) -> int:
    """Nights in the placement: the end date (or `on` while it continues) minus the start."""
    until = on if end is None else min(end, on)
    return max(0, (until - start).days)


def level_on(
    start: date,
    end: date | None,
    on: date,
    *,
    date_of_birth: date,
    pregnant_or_parenting: bool,
    holidays: Container[date],
    thresholds: Thresholds = Thresholds(),
) -> Level:
    """The ladder level of a placement's escalation on `on` (frozen at the end date)."""
    clock = on if end is None else min(end, on)
    elapsed = working_days_elapsed(start, clock, holidays)
    if elapsed >= thresholds.level_3_working_days or (
        pregnant_or_parenting and nights(start, end, on) >= thresholds.pregnant_or_parenting_days
    ):
        return Level.DIRECTOR
    under_18_at_start = start < birthday(date_of_birth, 18)
    if under_18_at_start or elapsed >= thresholds.level_2_working_days:
        return Level.HEAD_OF_SERVICE
    return Level.TEAM_MANAGER


def may_resolve(episode_ended: bool, episode_still_escalating: bool) -> bool:
    """A manager may resolve once the placement ended or was re-judged suitable."""
    return episode_ended or not episode_still_escalating
