"""Code lists (domain.codes): SSDA903 values as DESIGN 3.2 tabulates them, and a label for each."""

from __future__ import annotations

from enum import StrEnum

import pytest

from careleaver_app.domain.codes import (
    ESCALATING_TYPES,
    NEVER_SUITABLE_TYPES,
    AccommodationType,
    Activity,
    CareKind,
    ContactKind,
    InTouch,
    LeaverCategory,
    Role,
    Suitability,
    SuitabilityFactor,
)

T = AccommodationType
LABELLED: list[type[StrEnum]] = [
    AccommodationType,
    Suitability,
    SuitabilityFactor,
    Activity,
    InTouch,
    ContactKind,
    Role,
    LeaverCategory,
]


def test_accommodation_type_letters_are_the_903_codes_of_the_design_table() -> None:
    assert {t.value for t in AccommodationType} == set("BCDEGHKRSTUVWXYZ")


def test_b_and_b_is_w_and_staying_put_is_z() -> None:
    assert T.BED_AND_BREAKFAST.value == "W"
    assert T.STAYING_PUT.value == "Z"
    assert T.NO_FIXED_ABODE.value == "S"
    assert T.CUSTODY.value == "X"
    assert T.EMERGENCY.value == "V"


def test_b_and_b_emergency_and_no_fixed_abode_escalate_whatever_the_judgement() -> None:
    assert {T.BED_AND_BREAKFAST, T.EMERGENCY, T.NO_FIXED_ABODE} == ESCALATING_TYPES


def test_only_no_fixed_abode_and_custody_must_be_unsuitable() -> None:
    assert {T.NO_FIXED_ABODE, T.CUSTODY} == NEVER_SUITABLE_TYPES


def test_suitability_digits_are_1_suitable_and_2_unsuitable() -> None:
    assert Suitability.SUITABLE.value == "1"
    assert Suitability.UNSUITABLE.value == "2"


@pytest.mark.parametrize("enum", LABELLED, ids=lambda e: e.__name__)
def test_every_code_has_a_distinct_non_empty_label(enum: type[StrEnum]) -> None:
    labels = [member.label for member in enum]  # type: ignore[attr-defined]
    assert all(label.strip() for label in labels)
    assert len(set(labels)) == len(labels)


def test_eight_schedule_2_suitability_factors() -> None:
    assert len(SuitabilityFactor) == 8


def test_activities_are_neet_or_education_or_training_or_not_known_never_two() -> None:
    for activity in Activity:
        kinds = [activity.is_neet, activity.is_education_or_training]
        if activity is Activity.NOT_KNOWN:
            assert kinds == [False, False]
        else:
            assert kinds.count(True) == 1, activity


def test_neet_codes_are_g4_g5_g6() -> None:
    assert {a.value for a in Activity if a.is_neet} == {"G4", "G5", "G6"}


def test_in_touch_codes_are_the_903_values() -> None:
    assert {i.value for i in InTouch} == {"YES", "NO", "DIED", "REFU", "NREQ", "RHOM"}


def test_care_kinds_cover_looked_after_accommodated_and_special_guardianship() -> None:
    assert {k.value for k in CareKind} == {
        "looked_after",
        "accommodated",
        "special_guardianship",
    }
