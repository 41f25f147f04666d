"""Accommodation episodes (domain.accommodation, DESIGN 3.2-3.3): escalation, 903 codes, nights,
single-episode validation and the current episode. Overlaps are in test_accommodation_overlaps.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from careleaver_app.domain.accommodation import (
    Episode,
    current_episode,
    episode_flags,
    opens_escalation,
    validate_episode,
)
from careleaver_app.domain.codes import AccommodationType, Suitability
from careleaver_app.domain.dates import birthday

T = AccommodationType
SUITABLE = Suitability.SUITABLE
UNSUITABLE = Suitability.UNSUITABLE
DOB = date(2007, 5, 10)
START = date(2025, 8, 22)


def ep(
    code: str, start: date = START, end: date | None = None, suitability: Suitability | None = None
) -> Episode:
    """An episode from a 903 code such as 'W2' (letter and suitability digit)."""
    kind = AccommodationType(code[0])
    return Episode(kind, start, suitability or Suitability(code[1]), end)


def fields(problems) -> list[str]:
    return [p.field for p in problems]


# --- escalation ------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["W1", "W2", "V1", "V2", "S2"])
def test_b_and_b_emergency_and_no_fixed_abode_open_an_escalation_whatever_the_judgement(
    code: str,
) -> None:
    assert opens_escalation(ep(code))


@pytest.mark.parametrize("kind", list(AccommodationType), ids=lambda t: t.value)
def test_any_episode_judged_unsuitable_opens_an_escalation(kind: AccommodationType) -> None:
    assert opens_escalation(Episode(kind, START, UNSUITABLE))


@pytest.mark.parametrize(
    "kind",
    [t for t in AccommodationType if t not in (T.BED_AND_BREAKFAST, T.EMERGENCY, T.NO_FIXED_ABODE)],
    ids=lambda t: t.value,
)
def test_other_types_judged_suitable_open_no_escalation(kind: AccommodationType) -> None:
    assert not opens_escalation(Episode(kind, START, SUITABLE))


def test_a_closed_b_and_b_episode_still_counts_as_escalating() -> None:
    """Escalation is a property of the placement, not of whether it is still open."""
    assert opens_escalation(ep("W1", end=START + timedelta(days=1)))


# --- 903 code --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(AccommodationType), ids=lambda t: t.value)
@pytest.mark.parametrize("suitability", list(Suitability), ids=lambda s: s.value)
def test_code_903_is_the_type_letter_then_the_suitability_digit(
    kind: AccommodationType, suitability: Suitability
) -> None:
    code = Episode(kind, START, suitability).code_903
    assert code == kind.value + suitability.value
    assert len(code) == 2


def test_code_903_examples() -> None:
    assert ep("W2").code_903 == "W2"
    assert Episode(T.INDEPENDENT_LIVING, START, SUITABLE).code_903 == "U1"
    assert Episode(T.NO_FIXED_ABODE, START, UNSUITABLE).code_903 == "S2"


# --- nights ----------------------------------------------------------------------------------


def test_nights_of_an_open_episode_run_to_the_as_of_date() -> None:
    assert ep("W2").nights(START + timedelta(days=5)) == 5


def test_nights_on_the_start_date_are_zero() -> None:
    assert ep("W2").nights(START) == 0


def test_nights_of_a_closed_episode_are_end_minus_start_however_late_the_as_of_date() -> None:
    closed = ep("W2", end=START + timedelta(days=3))
    assert closed.nights(START + timedelta(days=3)) == 3
    assert closed.nights(START + timedelta(days=400)) == 3


def test_nights_of_a_closed_episode_stop_at_an_as_of_date_before_its_end() -> None:
    closed = ep("W2", end=START + timedelta(days=10))
    assert closed.nights(START + timedelta(days=4)) == 4


def test_nights_before_the_start_are_zero_not_negative() -> None:
    assert ep("W2").nights(START - timedelta(days=7)) == 0
    assert ep("W2", end=START + timedelta(days=2)).nights(START - timedelta(days=1)) == 0


def test_nights_across_the_end_of_february_in_a_leap_year() -> None:
    episode = ep("W2", start=date(2028, 2, 27), end=date(2028, 3, 2))
    assert episode.nights(date(2028, 3, 31)) == 4


# --- validate_episode ------------------------------------------------------------------------


def test_an_ordinary_suitable_episode_is_valid() -> None:
    assert validate_episode(ep("U1", end=START + timedelta(days=30)), DOB) == []


def test_end_date_before_start_date_is_refused_on_end_date() -> None:
    problems = validate_episode(ep("U1", end=START - timedelta(days=1)), DOB)
    assert fields(problems) == ["end_date"]
    assert "before the start date" in problems[0].message


def test_an_episode_ending_on_its_start_date_is_accepted() -> None:
    assert validate_episode(ep("W2", end=START), DOB) == []


def test_start_before_the_date_of_birth_is_refused_on_start_date() -> None:
    problems = validate_episode(ep("B1", start=DOB - timedelta(days=1)), DOB)
    assert fields(problems) == ["start_date"]
    assert "date of birth" in problems[0].message


def test_an_episode_may_start_on_the_date_of_birth() -> None:
    assert validate_episode(ep("B1", start=DOB), DOB) == []


@pytest.mark.parametrize("code", ["S1", "X1"])
def test_no_fixed_abode_and_custody_cannot_be_recorded_as_suitable(code: str) -> None:
    problems = validate_episode(ep(code), DOB)
    assert fields(problems) == ["suitability"]
    assert f"({code[0]}) can only be unsuitable" in problems[0].message


@pytest.mark.parametrize("code", ["S2", "X2"])
def test_no_fixed_abode_and_custody_are_accepted_as_unsuitable(code: str) -> None:
    assert validate_episode(ep(code), DOB) == []


def test_staying_put_starting_the_day_before_the_18th_birthday_is_refused() -> None:
    problems = validate_episode(ep("Z1", start=birthday(DOB, 18) - timedelta(days=1)), DOB)
    assert fields(problems) == ["type_code"]
    assert "18th birthday" in problems[0].message


def test_staying_put_may_start_on_the_18th_birthday() -> None:
    assert validate_episode(ep("Z1", start=birthday(DOB, 18)), DOB) == []


def test_staying_put_for_a_29_february_birth_starts_on_1_march_in_a_common_year() -> None:
    dob = date(2008, 2, 29)
    assert fields(validate_episode(ep("Z1", start=date(2026, 2, 28)), dob)) == ["type_code"]
    assert validate_episode(ep("Z1", start=date(2026, 3, 1)), dob) == []


def test_several_problems_with_one_episode_are_all_reported() -> None:
    bad = ep("X1", start=DOB - timedelta(days=1), end=DOB - timedelta(days=2))
    assert sorted(fields(validate_episode(bad, DOB))) == ["end_date", "start_date", "suitability"]


def test_b_and_b_recorded_as_suitable_is_accepted_but_flagged() -> None:
    """W1 is valid for the 903 return, so it is a warning from episode_flags, not an error."""
    w1 = ep("W1")
    assert validate_episode(w1, DOB) == []
    flags = episode_flags(w1)
    assert len(flags) == 1
    assert "never suitable" in flags[0]


@pytest.mark.parametrize("code", ["W2", "U1", "V1", "S2", "B1"])
def test_only_b_and_b_recorded_as_suitable_is_flagged(code: str) -> None:
    assert episode_flags(ep(code)) == []


# --- current episode -------------------------------------------------------------------------


MOVE = date(2025, 9, 1)
FIRST = ep("C1", start=date(2025, 1, 6), end=MOVE)
SECOND = ep("W2", start=MOVE, end=date(2025, 9, 4))
THIRD = ep("U1", start=date(2025, 9, 4))


def test_on_the_move_date_the_new_episode_is_current() -> None:
    assert current_episode([FIRST, SECOND, THIRD], MOVE) is SECOND


def test_the_day_before_the_move_the_old_episode_is_current() -> None:
    assert current_episode([THIRD, SECOND, FIRST], MOVE - timedelta(days=1)) is FIRST


def test_an_open_episode_is_current_from_its_start_onwards() -> None:
    assert current_episode([FIRST, SECOND, THIRD], date(2030, 1, 1)) is THIRD


def test_no_episode_is_current_before_the_first_starts() -> None:
    assert current_episode([FIRST, SECOND, THIRD], date(2025, 1, 5)) is None


def test_no_episode_is_current_on_or_after_the_end_of_the_last_closed_one() -> None:
    assert current_episode([FIRST, SECOND], date(2025, 9, 4)) is None


def test_no_episodes_means_no_current_episode() -> None:
    assert current_episode([], START) is None


def test_is_current_on_is_half_open() -> None:
    assert SECOND.is_current_on(MOVE)
    assert SECOND.is_current_on(date(2025, 9, 3))
    assert not SECOND.is_current_on(date(2025, 9, 4))
    assert not SECOND.is_current_on(MOVE - timedelta(days=1))
