"""Caseload flags (domain.flags): each is words, never colour alone, in a fixed order."""

from __future__ import annotations

import pytest

from careleaver_app.domain.codes import AccommodationType, InTouch, Suitability
from careleaver_app.domain.flags import (
    FLAG_BNB,
    FLAG_CLOSED,
    FLAG_CUSTODY,
    FLAG_EMERGENCY,
    FLAG_NO_FIXED_ABODE,
    FLAG_NOT_IN_TOUCH,
    FLAG_UNSUITABLE,
    caseload_flags,
)

T = AccommodationType
SUITABLE = Suitability.SUITABLE
UNSUITABLE = Suitability.UNSUITABLE


def test_nothing_known_means_no_flags() -> None:
    assert caseload_flags(None, None, None) == ()


def test_suitable_ordinary_accommodation_in_touch_means_no_flags() -> None:
    assert caseload_flags(T.INDEPENDENT_LIVING, SUITABLE, InTouch.YES) == ()


@pytest.mark.parametrize(
    ("kind", "flag"),
    [
        (T.BED_AND_BREAKFAST, FLAG_BNB),
        (T.EMERGENCY, FLAG_EMERGENCY),
        (T.NO_FIXED_ABODE, FLAG_NO_FIXED_ABODE),
        (T.CUSTODY, FLAG_CUSTODY),
    ],
)
def test_b_and_b_emergency_no_fixed_abode_and_custody_are_flagged_by_type(
    kind: AccommodationType, flag: str
) -> None:
    assert caseload_flags(kind, SUITABLE, InTouch.YES) == (flag,)


def test_b_and_b_recorded_as_suitable_is_still_flagged_as_b_and_b() -> None:
    assert FLAG_BNB in caseload_flags(T.BED_AND_BREAKFAST, SUITABLE, None)


@pytest.mark.parametrize(
    "kind",
    [
        t
        for t in AccommodationType
        if t not in (T.BED_AND_BREAKFAST, T.EMERGENCY, T.NO_FIXED_ABODE, T.CUSTODY)
    ],
    ids=lambda t: t.value,
)
def test_other_types_are_not_flagged_by_type(kind: AccommodationType) -> None:
    assert caseload_flags(kind, SUITABLE, None) == ()


def test_unsuitable_accommodation_is_flagged() -> None:
    assert caseload_flags(T.INDEPENDENT_LIVING, UNSUITABLE, None) == (FLAG_UNSUITABLE,)


def test_unsuitable_b_and_b_has_both_flags_type_first() -> None:
    assert caseload_flags(T.BED_AND_BREAKFAST, UNSUITABLE, None) == (FLAG_BNB, FLAG_UNSUITABLE)


@pytest.mark.parametrize("in_touch", [i for i in InTouch if i is not InTouch.YES])
def test_every_in_touch_answer_but_yes_is_flagged_not_in_touch(in_touch: InTouch) -> None:
    assert caseload_flags(None, None, in_touch) == (FLAG_NOT_IN_TOUCH,)


def test_unknown_in_touch_is_not_flagged() -> None:
    assert caseload_flags(None, None, None) == ()


def test_closed_records_are_flagged_closed_last() -> None:
    assert caseload_flags(None, None, None, closed=True) == (FLAG_CLOSED,)
    flags = caseload_flags(T.EMERGENCY, UNSUITABLE, InTouch.NO, closed=True)
    assert flags == (FLAG_EMERGENCY, FLAG_UNSUITABLE, FLAG_NOT_IN_TOUCH, FLAG_CLOSED)


def test_every_flag_is_distinct_non_empty_text() -> None:
    all_flags = [
        FLAG_BNB,
        FLAG_EMERGENCY,
        FLAG_NO_FIXED_ABODE,
        FLAG_UNSUITABLE,
        FLAG_NOT_IN_TOUCH,
        FLAG_CUSTODY,
        FLAG_CLOSED,
    ]
    assert all(flag.strip() for flag in all_flags)
    assert len(set(all_flags)) == len(all_flags)
