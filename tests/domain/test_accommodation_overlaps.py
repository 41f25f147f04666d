"""Episodes of one young person never overlap (DESIGN 3.2): find_overlaps and validate_history.

Episodes are half-open [start, end): a move on a date ends one episode and starts the next on
that same date, which is not an overlap.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from careleaver_app.domain.accommodation import Episode, find_overlaps, validate_history
from careleaver_app.domain.codes import AccommodationType, Suitability

T = AccommodationType
DOB = date(1985, 1, 1)  # before every generated episode, so only overlaps can be reported
SUITABLE = Suitability.SUITABLE
UNSUITABLE = Suitability.UNSUITABLE


def days(n: int) -> timedelta:
    return timedelta(days=n)


def ep(start: date, end: date | None = None, kind: AccommodationType = T.OTHER) -> Episode:
    return Episode(kind, start, UNSUITABLE, end)


def truly_overlap(a: Episode, b: Episode) -> bool:
    """Both have at least one night and some night is in both."""
    a_end, b_end = a.end or date.max, b.end or date.max
    return max(a.start, b.start) < min(a_end, b_end)


# --- examples --------------------------------------------------------------------------------


def test_consecutive_episodes_sharing_the_move_date_do_not_overlap() -> None:
    move = date(2025, 9, 1)
    assert find_overlaps([ep(date(2025, 1, 1), move), ep(move)]) == []


def test_episodes_with_a_gap_between_them_do_not_overlap() -> None:
    assert find_overlaps([ep(date(2025, 1, 1), date(2025, 2, 1)), ep(date(2025, 3, 1))]) == []


def test_an_episode_starting_the_day_before_the_previous_one_ended_overlaps() -> None:
    first = ep(date(2025, 1, 1), date(2025, 9, 1))
    second = ep(date(2025, 8, 31))
    assert find_overlaps([second, first]) == [(first, second)]


def test_two_open_episodes_overlap() -> None:
    first, second = ep(date(2025, 1, 1)), ep(date(2025, 6, 1))
    assert find_overlaps([first, second]) == [(first, second)]


def test_two_open_episodes_starting_the_same_day_overlap() -> None:
    first, second = ep(date(2025, 1, 1), kind=T.FOYER), ep(date(2025, 1, 1), kind=T.OTHER)
    assert len(find_overlaps([first, second])) == 1


def test_a_closed_episode_starting_inside_an_open_one_overlaps() -> None:
    still_open = ep(date(2025, 1, 1))
    later = ep(date(2025, 3, 1), date(2025, 4, 1))
    assert find_overlaps([later, still_open]) == [(still_open, later)]


def test_an_episode_inside_a_longer_one_overlaps_even_after_a_shorter_one() -> None:
    """Each episode is compared with the furthest-reaching one so far, not just the previous."""
    long = ep(date(2025, 1, 1), date(2025, 12, 1))
    short = ep(date(2025, 2, 1), date(2025, 2, 10))
    inside = ep(date(2025, 6, 1), date(2025, 7, 1))
    pairs = find_overlaps([inside, short, long])
    assert (long, short) in pairs
    assert (long, inside) in pairs


def test_validate_history_reports_an_overlap_on_start_date_naming_both_starts() -> None:
    first = ep(date(2025, 1, 1), date(2025, 9, 1))
    second = ep(date(2025, 8, 31))
    problems = validate_history([first, second], DOB)
    assert [p.field for p in problems] == ["start_date"]
    assert "2025-08-31" in problems[0].message
    assert "2025-01-01" in problems[0].message


def test_validate_history_also_reports_each_episodes_own_problems() -> None:
    episodes = [
        Episode(T.CUSTODY, date(2025, 1, 1), SUITABLE, date(2025, 2, 1)),
        ep(date(2025, 1, 15)),
    ]
    assert sorted(p.field for p in validate_history(episodes, DOB)) == [
        "start_date",
        "suitability",
    ]


def test_validate_history_of_no_episodes_is_clean() -> None:
    assert validate_history([], DOB) == []


# --- properties ------------------------------------------------------------------------------

starts = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))
# Types and judgements that pass validate_episode on their own for an adult (Z needs 18+).
valid_kinds = st.sampled_from([t for t in AccommodationType if t is not T.STAYING_PUT])


@st.composite
def episode_sequences(draw: st.DrawFn) -> list[Episode]:
    """Non-overlapping episodes: each starts on or after the previous end; the last may be open."""
    cursor = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)))
    episodes = []
    count = draw(st.integers(min_value=1, max_value=8))
    for index in range(count):
        kind = draw(valid_kinds)
        suitability = (
            UNSUITABLE
            if kind in (T.NO_FIXED_ABODE, T.CUSTODY)
            else draw(st.sampled_from(Suitability))
        )
        nights = draw(st.integers(min_value=0, max_value=400))
        is_open = index == count - 1 and draw(st.booleans())
        end = None if is_open else cursor + days(nights)
        episodes.append(Episode(kind, cursor, suitability, end))
        cursor += days(nights + draw(st.sampled_from([0, 0, 0, 1, 30])))
    return episodes


@given(episodes=episode_sequences(), seed=st.integers())
def test_generated_non_overlapping_histories_validate_clean_in_any_order(
    episodes: list[Episode], seed: int
) -> None:
    shuffled = list(episodes)
    random.Random(seed).shuffle(shuffled)
    assert find_overlaps(shuffled) == []
    assert validate_history(shuffled, DOB) == []


@st.composite
def non_empty_episodes(draw: st.DrawFn) -> Episode:
    start = draw(starts)
    nights = draw(st.none() | st.integers(min_value=1, max_value=1000))
    return ep(start, None if nights is None else start + days(nights))


@given(a=non_empty_episodes(), b=non_empty_episodes())
def test_a_pair_is_reported_exactly_when_it_truly_overlaps(a: Episode, b: Episode) -> None:
    expected = 1 if truly_overlap(a, b) else 0
    assert len(find_overlaps([a, b])) == expected
    assert len(find_overlaps([b, a])) == expected
    assert len(validate_history([a, b], DOB)) == expected


@given(a=non_empty_episodes(), b=non_empty_episodes())
def test_a_reported_pair_is_in_date_order(a: Episode, b: Episode) -> None:
    for first, second in find_overlaps([b, a]):
        assert first.start <= second.start


@given(episodes=st.lists(non_empty_episodes(), max_size=8))
def test_overlaps_are_found_in_a_history_exactly_when_some_pair_truly_overlaps(
    episodes: list[Episode],
) -> None:
    pairs = find_overlaps(episodes)
    any_overlap = any(
        truly_overlap(a, b) for i, a in enumerate(episodes) for b in episodes[i + 1 :]
    )
    assert bool(pairs) == any_overlap
    for first, second in pairs:
        assert truly_overlap(first, second)
