"""Which automatic backups to keep: the newest of each recent day, ISO week and month.

The windows count periods that have backups, not calendar periods back from today, so a laptop
left in a drawer for a year still has its old backups when it is next opened.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How many periods of each size keep their newest backup (defaults from issue 9)."""

    daily: int = 12
    weekly: int = 10
    monthly: int = 9

    @property
    def most_kept(self) -> int:
        """The most backups the rule keeps, not counting any dated after "now"."""
        return self.daily + self.weekly + self.monthly + 1


DEFAULT_POLICY = RetentionPolicy()


def _day(moment: datetime) -> Hashable:
    return moment.date()


def _week(moment: datetime) -> Hashable:
    year, week, _ = moment.isocalendar()
    return (year, week)


def _month(moment: datetime) -> Hashable:
    return (moment.year, moment.month)


def _newest_per_period(
    moments: list[datetime], period: Callable[[datetime], Hashable], count: int
) -> set[datetime]:
    """The newest moment in each of the `count` most recent periods that have any.

    `moments` is sorted newest first, so the first moment seen in a period is its newest.
    """
    kept: dict[Hashable, datetime] = {}
    for moment in moments:
        key = period(moment)
        if key not in kept:
            if len(kept) == count:
                break
            kept[key] = moment
    return set(kept.values())


def backups_to_keep(
    taken: Iterable[datetime], now: datetime, policy: RetentionPolicy = DEFAULT_POLICY
) -> frozenset[datetime]:
    """The backup times to keep out of `taken`; every other one may be deleted.

    Keeps the newest backup of each of the last `policy.daily` days that have backups, of the
    last `policy.weekly` ISO weeks and of the last `policy.monthly` months, and always the newest
    backup (so the only backup is never deleted). Periods are those of the datetimes as given:
    pass local times for local days. A backup dated after `now` was taken while the clock was
    wrong (or the clock is wrong now); it cannot be placed in time, so it is kept and not counted.
    """
    moments = sorted(set(taken), reverse=True)
    future = {m for m in moments if m > now}
    past = [m for m in moments if m <= now]
    if not past:
        return frozenset(future)
    kept = {past[0]}
    kept |= _newest_per_period(past, _day, policy.daily)
    kept |= _newest_per_period(past, _week, policy.weekly)
    kept |= _newest_per_period(past, _month, policy.monthly)
    return frozenset(kept | future)


def backups_to_delete(
    taken: Iterable[datetime], now: datetime, policy: RetentionPolicy = DEFAULT_POLICY
) -> frozenset[datetime]:
    """The complement of `backups_to_keep`: the backup times the thinning removes."""
    moments = frozenset(taken)
    return moments - backups_to_keep(moments, now, policy)
