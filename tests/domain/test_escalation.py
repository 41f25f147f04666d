"""The ladder's arithmetic, against a brute-force count and on hand-picked calendars."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from careleaver_app.domain.escalation import (
    Level,
    Thresholds,
    is_working_day,
    level_on,
    may_resolve,
    working_days_elapsed,
)

DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
HOLIDAYS = st.frozensets(DAYS, max_size=30)


def brute_force(start: date, on: date, holidays: frozenset[date]) -> int:
    return sum(
        1
        for i in range(1, (on - start).days + 1)
        if is_working_day(start + timedelta(days=i), holidays)
    )


@given(DAYS, st.integers(0, 400), HOLIDAYS)
def test_working_days_match_a_day_by_day_count(start, span, holidays):
    on = start + timedelta(days=span)
    assert working_days_elapsed(start, on, holidays) == brute_force(start, on, holidays)


@given(DAYS, st.integers(0, 60), HOLIDAYS)
def test_levels_never_go_down_as_time_passes(start, span, holidays):
    dob = date(1990, 1, 1)
    levels = [
        level_on(
            start,
            None,
            start + timedelta(days=d),
            date_of_birth=dob,
            pregnant_or_parenting=False,
            holidays=holidays,
        )
        for d in range(span + 1)
    ]
    assert levels == sorted(levels)


def test_weekend_and_holiday_are_not_working_days():
    assert not is_working_day(date(2026, 11, 28), frozenset())  # Saturday
    assert not is_working_day(date(2026, 11, 27), frozenset({date(2026, 11, 27)}))
    assert is_working_day(date(2026, 11, 27), frozenset())


def test_a_monday_start_reaches_level_2_on_wednesday():
    start = date(2026, 11, 23)
    kwargs = {
        "date_of_birth": date(1999, 1, 1),
        "pregnant_or_parenting": False,
        "holidays": frozenset(),
    }
    assert level_on(start, None, date(2026, 11, 24), **kwargs) == Level.TEAM_MANAGER
    assert level_on(start, None, date(2026, 11, 25), **kwargs) == Level.HEAD_OF_SERVICE


def test_a_holiday_on_a_weekend_changes_nothing():
    start = date(2026, 11, 20)  # Friday
    saturday = frozenset({date(2026, 11, 21)})
    assert working_days_elapsed(start, date(2026, 11, 24), saturday) == 2


def test_resolution_needs_the_placement_ended_or_no_longer_escalating():
    assert not may_resolve(episode_ended=False, episode_still_escalating=True)
    assert may_resolve(episode_ended=True, episode_still_escalating=True)
    assert may_resolve(episode_ended=False, episode_still_escalating=False)


def test_default_thresholds_follow_design():
    assert Thresholds() == Thresholds(2, 10, 42)
    assert Thresholds().problems() == []
