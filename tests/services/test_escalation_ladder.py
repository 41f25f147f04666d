"""The ladder on the real England and Wales calendar (the maintained `holidays` package):
every boundary of DESIGN 3.3 across weekends, the August bank holiday, Christmas and Easter."""

from __future__ import annotations

from datetime import date

import pytest

from careleaver_app.domain.escalation import (
    Level,
    Thresholds,
    level_on,
    nights,
    working_days_elapsed,
)
from careleaver_app.services.escalations import holidays_between

ADULT = date(2000, 1, 1)
DEFAULTS = Thresholds()


def elapsed(start: date, on: date) -> int:
    return working_days_elapsed(start, on, holidays_between(start, on))


def level(
    start: date,
    on: date,
    *,
    dob: date = ADULT,
    parenting: bool = False,
    end: date | None = None,
    thresholds: Thresholds = DEFAULTS,
) -> Level:
    return level_on(
        start,
        end,
        on,
        date_of_birth=dob,
        pregnant_or_parenting=parenting,
        holidays=holidays_between(start, max(on, start)),
        thresholds=thresholds,
    )


def test_calendar_knows_the_2025_august_bank_holiday():
    assert date(2025, 8, 25) in holidays_between(date(2025, 1, 1), date(2025, 12, 31))


@pytest.mark.parametrize(
    ("start", "on", "expected"),
    [
        (date(2025, 8, 18), date(2025, 8, 18), 0),  # Monday start, same day
        (date(2025, 8, 18), date(2025, 8, 19), 1),
        (date(2025, 8, 18), date(2025, 8, 20), 2),  # Monday -> Wednesday (DESIGN example)
        (date(2025, 8, 22), date(2025, 8, 25), 0),  # Friday -> bank holiday Monday
        (date(2025, 8, 22), date(2025, 8, 26), 1),  # DESIGN example: 1 on Tuesday 26 August
        (date(2025, 8, 22), date(2025, 8, 27), 2),  # ... and 2 on Wednesday 27 August
        (date(2026, 11, 20), date(2026, 11, 22), 0),  # Friday -> Sunday: the weekend
        (date(2026, 11, 21), date(2026, 11, 23), 1),  # Saturday start -> Monday
        (date(2025, 12, 23), date(2025, 12, 24), 1),
        (date(2025, 12, 23), date(2025, 12, 28), 1),  # Christmas, Boxing Day, weekend
        (date(2025, 12, 23), date(2025, 12, 29), 2),
        (date(2025, 12, 23), date(2026, 1, 8), 9),  # New Year's Day skipped
        (date(2025, 12, 23), date(2026, 1, 9), 10),
        (date(2026, 4, 2), date(2026, 4, 6), 0),  # Good Friday and Easter Monday 2026
        (date(2026, 4, 2), date(2026, 4, 7), 1),
        (date(2026, 4, 2), date(2026, 4, 8), 2),
        (date(2026, 12, 24), date(2026, 12, 28), 0),  # Boxing Day substitute on Monday 28th
        (date(2026, 12, 24), date(2026, 12, 30), 2),
    ],
)
def test_working_days_elapsed(start, on, expected):
    assert elapsed(start, on) == expected


@pytest.mark.parametrize(
    ("start", "on", "expected"),
    [
        (date(2025, 8, 18), date(2025, 8, 18), Level.TEAM_MANAGER),  # level 1 on opening
        (date(2025, 8, 18), date(2025, 8, 19), Level.TEAM_MANAGER),
        (date(2025, 8, 18), date(2025, 8, 20), Level.HEAD_OF_SERVICE),  # 2 working days
        (date(2025, 8, 22), date(2025, 8, 26), Level.TEAM_MANAGER),
        (date(2025, 8, 22), date(2025, 8, 27), Level.HEAD_OF_SERVICE),
        (date(2025, 12, 23), date(2025, 12, 28), Level.TEAM_MANAGER),
        (date(2025, 12, 23), date(2025, 12, 29), Level.HEAD_OF_SERVICE),
        (date(2025, 12, 23), date(2026, 1, 8), Level.HEAD_OF_SERVICE),  # 9 working days
        (date(2025, 12, 23), date(2026, 1, 9), Level.DIRECTOR),  # 10 working days
        (date(2026, 4, 2), date(2026, 4, 7), Level.TEAM_MANAGER),
        (date(2026, 4, 2), date(2026, 4, 8), Level.HEAD_OF_SERVICE),
    ],
)
def test_ladder_boundaries_for_an_adult(start, on, expected):
    assert level(start, on) == expected


def test_under_18_goes_to_level_2_at_once():
    start = date(2026, 11, 23)
    assert level(start, start, dob=date(2008, 11, 24)) == Level.HEAD_OF_SERVICE  # 17 at start
    assert level(start, start, dob=date(2008, 11, 23)) == Level.TEAM_MANAGER  # 18 that day


def test_under_18_reaches_level_3_after_10_working_days():
    start = date(2026, 11, 2)  # a Monday, no bank holidays in the fortnight
    assert level(start, date(2026, 11, 13), dob=date(2010, 1, 1)) == Level.HEAD_OF_SERVICE
    assert level(start, date(2026, 11, 16), dob=date(2010, 1, 1)) == Level.DIRECTOR


def test_pregnant_or_parenting_reaches_level_3_at_six_weeks():
    # With the working-day threshold raised, the six-week rule is what lifts the level.
    slow = Thresholds(level_2_working_days=2, level_3_working_days=100)
    start = date(2026, 1, 5)
    assert level(start, date(2026, 2, 15), parenting=True, thresholds=slow) == 2  # 41 nights
    assert level(start, date(2026, 2, 16), parenting=True, thresholds=slow) == 3  # 42 nights
    assert level(start, date(2026, 2, 16), parenting=False, thresholds=slow) == 2


def test_the_ladder_stops_when_the_placement_ends():
    start, end = date(2026, 11, 2), date(2026, 11, 4)  # two working days, then moved out
    assert level(start, date(2026, 12, 1), end=end) == Level.HEAD_OF_SERVICE
    assert nights(start, end, date(2026, 12, 1)) == 2


def test_nights_count_from_start_to_today_or_end():
    assert nights(date(2026, 11, 20), None, date(2026, 11, 26)) == 6
    assert nights(date(2026, 11, 20), None, date(2026, 11, 20)) == 0
    assert nights(date(2026, 11, 20), date(2026, 11, 22), date(2026, 11, 26)) == 2


def test_changed_thresholds_move_the_boundaries():
    quick = Thresholds(level_2_working_days=1, level_3_working_days=3)
    start = date(2026, 11, 23)
    assert level(start, date(2026, 11, 24), thresholds=quick) == Level.HEAD_OF_SERVICE
    assert level(start, date(2026, 11, 26), thresholds=quick) == Level.DIRECTOR


def test_thresholds_that_make_no_sense_are_named():
    assert Thresholds(level_2_working_days=5, level_3_working_days=3).problems() == [
        "level_3_working_days: must not be fewer than level 2's"
    ]
    assert Thresholds(-1, 10, 42).problems()[0].startswith("level_2_working_days")
