"""The backup thinning rule: newest per day (12), ISO week (10) and month (9); never the last."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from careleaver_app.domain.backups import (
    DEFAULT_POLICY,
    RetentionPolicy,
    backups_to_delete,
    backups_to_keep,
)

NOW = datetime(2026, 11, 26, 17, 0)


def every_half_hour(start: datetime, end: datetime) -> list[datetime]:
    out, moment = [], start
    while moment <= end:
        out.append(moment)
        moment += timedelta(minutes=30)
    return out


def test_no_backups_keeps_nothing():
    assert backups_to_keep([], NOW) == frozenset()


def test_the_only_backup_is_kept_however_old():
    old = datetime(2019, 1, 1, 9, 0)
    assert backups_to_keep([old], NOW) == {old}
    assert backups_to_delete([old], NOW) == frozenset()


def test_the_newest_backup_of_each_day_is_kept_for_the_last_twelve_days_with_backups():
    taken = every_half_hour(datetime(2026, 11, 20, 9, 0), datetime(2026, 11, 26, 17, 0))
    kept = backups_to_keep(taken, NOW)
    # Seven days of backups, all within the daily window: one per day, the day's last.
    assert sorted(kept) == [datetime(2026, 11, day, 23, 30) for day in range(20, 26)] + [
        datetime(2026, 11, 26, 17, 0)
    ]


def test_days_without_backups_do_not_use_up_the_daily_window():
    """A laptop left unused for months keeps twelve days' backups, not those of the last twelve
    calendar days (of which there are none)."""
    taken = [datetime(2026, 3, day, 12, 0) for day in range(1, 21)]
    kept = backups_to_keep(taken, NOW)
    assert {datetime(2026, 3, day, 12, 0) for day in range(9, 21)} <= kept


def test_a_year_of_daily_backups_thins_to_days_weeks_and_months():
    start = datetime(2025, 11, 27, 18, 0)
    taken = [start + timedelta(days=n) for n in range(365)]
    kept = backups_to_keep(taken, datetime(2026, 11, 27, 12, 0))
    newest = taken[-1]
    assert newest == datetime(2026, 11, 26, 18, 0)
    assert set(taken[-12:]) <= kept  # the last twelve days
    # Sundays (ISO weeks end on Sunday) of the ten weeks with backups, this one included.
    sundays = [m for m in taken if m.isoweekday() == 7][-9:]
    assert set(sundays) <= kept
    # The last day of each of the nine months with backups before this one.
    month_ends = [m for m in taken if (m + timedelta(days=1)).day == 1][-8:]
    assert set(month_ends) <= kept
    assert datetime(2026, 3, 31, 18, 0) in kept
    assert datetime(2026, 2, 28, 18, 0) not in kept  # the tenth month back: gone
    assert len(kept) <= DEFAULT_POLICY.most_kept
    assert kept == set(taken[-12:]) | set(sundays) | set(month_ends)


def test_a_week_and_month_count_as_one_period_each():
    taken = [datetime(2026, 11, 26, 9, 0), datetime(2026, 11, 26, 9, 30)]
    policy = RetentionPolicy(daily=1, weekly=1, monthly=1)
    assert backups_to_keep(taken, NOW, policy) == {datetime(2026, 11, 26, 9, 30)}


def test_iso_weeks_straddle_years():
    """28 Dec 2026 to 3 Jan 2027 is ISO week 53 of 2026: one week, one backup kept for it."""
    taken = [datetime(2026, 12, 28, 12, 0), datetime(2027, 1, 3, 12, 0)]
    policy = RetentionPolicy(daily=0, weekly=5, monthly=0)
    now = datetime(2027, 1, 10, 12, 0)
    assert backups_to_keep(taken, now, policy) == {datetime(2027, 1, 3, 12, 0)}


def test_zero_windows_still_keep_the_newest():
    taken = [datetime(2026, 11, day, 12, 0) for day in range(1, 10)]
    policy = RetentionPolicy(daily=0, weekly=0, monthly=0)
    assert backups_to_keep(taken, NOW, policy) == {datetime(2026, 11, 9, 12, 0)}


def test_backups_dated_after_now_are_kept_and_do_not_displace_real_ones():
    """A clock once set years ahead must not make the thinning delete the backup just taken."""
    future = [datetime(2099, 1, day, 12, 0) for day in range(1, 31)]
    just_taken = NOW
    kept = backups_to_keep([*future, just_taken], NOW)
    assert just_taken in kept
    assert set(future) <= kept


def test_delete_is_the_complement_of_keep():
    taken = every_half_hour(datetime(2026, 11, 1, 9, 0), NOW)
    keep = backups_to_keep(taken, NOW)
    delete = backups_to_delete(taken, NOW)
    assert keep | delete == set(taken)
    assert not keep & delete


# -- properties ---------------------------------------------------------------------------

moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2026, 11, 26, 17, 0))
backup_lists = st.lists(moments, max_size=120)
policies = st.builds(
    RetentionPolicy,
    daily=st.integers(0, 14),
    weekly=st.integers(0, 12),
    monthly=st.integers(0, 10),
)


@settings(max_examples=300)
@given(backup_lists, policies)
def test_kept_is_a_subset_that_holds_the_newest(taken, policy):
    kept = backups_to_keep(taken, NOW, policy)
    assert kept <= set(taken)
    if taken:
        assert max(taken) in kept
        assert kept  # never deletes the only (or every) backup


@settings(max_examples=300)
@given(backup_lists, policies)
def test_thinning_is_idempotent(taken, policy):
    once = backups_to_keep(taken, NOW, policy)
    assert backups_to_keep(once, NOW, policy) == once


@settings(max_examples=300)
@given(backup_lists, policies)
def test_at_most_days_plus_weeks_plus_months_plus_one_are_kept(taken, policy):
    assert len(backups_to_keep(taken, NOW, policy)) <= policy.most_kept
    assert len(backups_to_keep(taken, NOW)) <= 12 + 10 + 9 + 1


@settings(max_examples=200)
@given(backup_lists, policies)
def test_thinning_after_every_backup_ends_where_thinning_once_does(taken, policy):
    """The app thins after each backup; the result is as if it had thinned once at the end."""
    kept: frozenset[datetime] = frozenset()
    for moment in sorted(taken):
        kept = backups_to_keep(kept | {moment}, moment, policy)
    assert kept == backups_to_keep(taken, NOW, policy)


@settings(max_examples=200)
@given(backup_lists)
def test_each_kept_backup_is_the_newest_of_its_day(taken):
    kept = backups_to_keep(taken, NOW)
    for moment in kept:
        assert moment == max(m for m in taken if m.date() == moment.date())
