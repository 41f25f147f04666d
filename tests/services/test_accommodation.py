"""Accommodation service: moves, ends, corrections and voids, each checked and audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from careleaver_app.db.models import AccommodationEpisode, AuditEvent
from careleaver_app.domain.codes import (
    NEVER_SUITABLE_TYPES,
    AccommodationType,
    Suitability,
    SuitabilityFactor,
)
from careleaver_app.domain.errors import ConflictError, NotFound, ValidationError
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.accommodation import ESCALATION_NOTICE
from careleaver_app.services.dto import MoveInput
from careleaver_app.services.people import PeopleQuery

T = AccommodationType
SUITABLE, UNSUITABLE = Suitability.SUITABLE, Suitability.UNSUITABLE
DOB = date(2007, 7, 1)  # 18 on 2025-07-01, 19 on the test's today (2026-11-26)


def count(services, model) -> int:
    with services.db.transaction(write=False) as s:
        return s.scalar(select(func.count()).select_from(model))


def audit_events(services, **where) -> list[AuditEvent]:
    with services.db.transaction(write=False) as s:
        stmt = select(AuditEvent).order_by(AuditEvent.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(AuditEvent, key) == value)
        return list(s.scalars(stmt))


def episode_row(services, episode_id: int) -> AccommodationEpisode:
    with services.db.transaction(write=False) as s:
        return s.get(AccommodationEpisode, episode_id)


def problem_fields(exc) -> set[str]:
    return {p.field for p in exc.value.problems}


@pytest.fixture
def person(services, staff) -> int:
    """A 19-year-old on Alex Adviser's caseload in the North team."""
    return services.people.create(
        staff.pa, PersonDetails("CL-001", "Zoë", "Adams", DOB), pa_id=staff.pa.id
    ).entity_id


def move(type_: AccommodationType, start: date, suitability=SUITABLE, **kw) -> MoveInput:
    return MoveInput(type_, start, suitability, **kw)


def episodes(services, staff, person_id):
    return services.people.get(staff.pa, person_id).episodes


# -- record_move --------------------------------------------------------------------------


def test_first_move_opens_a_current_episode(services, staff, person):
    changes = services.accommodation.record_move(
        staff.pa,
        person,
        move(
            T.SEMI_INDEPENDENT,
            date(2026, 1, 1),
            address=" 1 High St ",
            provider=" Acme Housing ",
            placed_by=" PA ",
            suitability_notes=" fine ",
        ),
    )
    (ep,) = episodes(services, staff, person)
    assert ep.id == changes.entity_id and ep.version == changes.version == 1
    assert (ep.code_903, ep.start_date, ep.end_date) == ("D1", date(2026, 1, 1), None)
    assert (ep.address, ep.provider, ep.placed_by, ep.suitability_notes) == (
        "1 High St",
        "Acme Housing",
        "PA",
        "fine",
    )
    assert ep.nights == (date(2026, 11, 26) - date(2026, 1, 1)).days


def test_a_move_closes_the_open_episode_on_the_move_date(services, staff, person):
    acc = services.accommodation
    first = acc.record_move(staff.pa, person, move(T.SEMI_INDEPENDENT, date(2026, 1, 1)))
    acc.record_move(staff.pa, person, move(T.INDEPENDENT_LIVING, date(2026, 6, 1)))
    old, new = episodes(services, staff, person)
    assert old.id == first.entity_id
    assert old.end_date == new.start_date == date(2026, 6, 1)
    assert new.end_date is None
    assert old.nights + new.nights == (date(2026, 11, 26) - date(2026, 1, 1)).days
    assert services.people.get(staff.pa, person).current_episode.id == new.id


def test_a_move_on_the_day_the_current_episode_started_is_accepted(services, staff, person):
    """Same-day moves happen (a B&B for the afternoon, then a hostel): a zero-night episode."""
    acc = services.accommodation
    acc.record_move(staff.pa, person, move(T.BED_AND_BREAKFAST, date(2026, 11, 1), UNSUITABLE))
    acc.record_move(staff.pa, person, move(T.SEMI_INDEPENDENT, date(2026, 11, 1)))
    old, new = episodes(services, staff, person)
    assert (old.nights, old.end_date) == (0, date(2026, 11, 1))
    assert new.end_date is None


ESCALATION_CASES = [
    (t, s)
    for t in AccommodationType
    for s in Suitability
    if not (t in NEVER_SUITABLE_TYPES and s is SUITABLE)
]


@pytest.mark.parametrize(("type_", "suitability"), ESCALATION_CASES, ids=lambda v: v.value)
def test_needs_escalation_for_b_and_b_emergency_no_fixed_abode_and_anything_unsuitable(
    services, staff, person, type_, suitability
):
    changes = services.accommodation.record_move(
        staff.pa, person, move(type_, date(2026, 11, 20), suitability)
    )
    expected = type_ in (T.BED_AND_BREAKFAST, T.EMERGENCY, T.NO_FIXED_ABODE) or (
        suitability is UNSUITABLE
    )
    assert changes.needs_escalation is expected
    if expected:
        assert changes.flags[0] == ESCALATION_NOTICE
    else:
        assert changes.flags == ()
    (ep,) = episodes(services, staff, person)
    assert ep.opens_escalation is expected


def test_b_and_b_recorded_as_suitable_is_accepted_but_flagged(services, staff, person):
    changes = services.accommodation.record_move(
        staff.pa, person, move(T.BED_AND_BREAKFAST, date(2026, 11, 20), SUITABLE)
    )
    assert changes.needs_escalation is True
    assert changes.flags[0] == ESCALATION_NOTICE
    assert any("never suitable" in f for f in changes.flags[1:])
    (ep,) = episodes(services, staff, person)
    assert ep.code_903 == "W1"
    assert any("never suitable" in f for f in ep.flags)


@pytest.mark.parametrize("type_", [T.CUSTODY, T.NO_FIXED_ABODE])
def test_custody_or_no_fixed_abode_as_suitable_is_refused_naming_suitability(
    services, staff, person, type_
):
    with pytest.raises(ValidationError) as exc:
        services.accommodation.record_move(staff.pa, person, move(type_, date(2026, 11, 1)))
    assert problem_fields(exc) == {"suitability"}
    assert count(services, AccommodationEpisode) == 0


def test_refused_move_leaves_the_open_episode_open(services, staff, person):
    acc = services.accommodation
    acc.record_move(staff.pa, person, move(T.SEMI_INDEPENDENT, date(2026, 1, 1)))
    audit_before = count(services, AuditEvent)
    with pytest.raises(ValidationError):
        acc.record_move(staff.pa, person, move(T.CUSTODY, date(2026, 11, 1), SUITABLE))
    (ep,) = episodes(services, staff, person)
    assert ep.end_date is None and ep.version == 1
    # only the view audited by get(); nothing from the refused move
    assert count(services, AuditEvent) == audit_before + 1


def test_a_move_before_the_current_episode_started_is_refused(services, staff, person):
    acc = services.accommodation
    acc.record_move(staff.pa, person, move(T.SEMI_INDEPENDENT, date(2026, 6, 1)))
    with pytest.raises(ValidationError) as exc:
        acc.record_move(staff.pa, person, move(T.INDEPENDENT_LIVING, date(2026, 5, 31)))
    assert problem_fields(exc) == {"start_date"}
    assert "2026-06-01" in str(exc.value)
    assert count(services, AccommodationEpisode) == 1


def test_a_move_inside_an_ended_episode_is_refused_as_an_overlap(services, staff, person):
    acc = services.accommodation
    ep = acc.record_move(staff.pa, person, move(T.SEMI_INDEPENDENT, date(2026, 1, 1)))
    acc.end_episode(staff.pa, ep.entity_id, date(2026, 6, 1), ep.version)
    with pytest.raises(ValidationError) as exc:
        acc.record_move(staff.pa, person, move(T.INDEPENDENT_LIVING, date(2026, 3, 1)))
    assert problem_fields(exc) == {"start_date"}
    assert count(services, AccommodationEpisode) == 1


def test_a_move_starting_in_the_future_is_refused(services, staff, person, today):
    with pytest.raises(ValidationError) as exc:
        services.accommodation.record_move(
            staff.pa, person, move(T.SEMI_INDEPENDENT, date(2026, 11, 27))
        )
    assert problem_fields(exc) == {"start_date"}
    services.accommodation.record_move(staff.pa, person, move(T.SEMI_INDEPENDENT, today))


def test_a_move_ending_in_the_future_is_refused(services, staff, person):
    with pytest.raises(ValidationError) as exc:
        services.accommodation.record_move(
            staff.pa,
            person,
            move(T.SEMI_INDEPENDENT, date(2026, 11, 1), end_date=date(2026, 12, 1)),
        )
    assert problem_fields(exc) == {"end_date"}
    assert count(services, AccommodationEpisode) == 0


def test_a_past_episode_with_an_end_date_can_be_recorded(services, staff, person):
    services.accommodation.record_move(
        staff.pa, person, move(T.FOYER, date(2025, 1, 1), end_date=date(2025, 3, 1))
    )
    (ep,) = episodes(services, staff, person)
    assert (ep.end_date, ep.nights) == (date(2025, 3, 1), 59)


def test_a_move_before_the_date_of_birth_is_refused(services, staff, person):
    with pytest.raises(ValidationError) as exc:
        services.accommodation.record_move(
            staff.pa, person, move(T.WITH_PARENTS_OR_RELATIVES, date(2007, 6, 30))
        )
    assert problem_fields(exc) == {"start_date"}


def test_staying_put_before_the_18th_birthday_is_refused(services, staff, person):
    acc = services.accommodation
    with pytest.raises(ValidationError) as exc:
        acc.record_move(staff.pa, person, move(T.STAYING_PUT, date(2025, 6, 30)))
    assert problem_fields(exc) == {"type_code"}
    acc.record_move(staff.pa, person, move(T.STAYING_PUT, date(2025, 7, 1)))


@pytest.mark.parametrize(
    ("typed", "stored"),
    [(" sw1a1aa ", "SW1A 1AA"), ("m1 1ae", "M1 1AE"), ("B33 8TH", "B33 8TH"), ("", "")],
)
def test_postcode_is_normalised(services, staff, person, typed, stored):
    services.accommodation.record_move(
        staff.pa, person, move(T.SEMI_INDEPENDENT, date(2026, 1, 1), postcode=typed)
    )
    assert episodes(services, staff, person)[0].postcode == stored


@pytest.mark.parametrize("bad", ["NOT A CODE", "12345", "SW1A", "SW1A 1AAX"])
def test_a_bad_postcode_is_refused_naming_postcode(services, staff, person, bad):
    with pytest.raises(ValidationError) as exc:
        services.accommodation.record_move(
            staff.pa, person, move(T.SEMI_INDEPENDENT, date(2026, 1, 1), postcode=bad)
        )
    assert problem_fields(exc) == {"postcode"}
    assert count(services, AccommodationEpisode) == 0


def test_suitability_concerns_are_kept(services, staff, person):
    concerns = frozenset({SuitabilityFactor.SAFETY, SuitabilityFactor.LOCATION})
    services.accommodation.record_move(
        staff.pa,
        person,
        move(T.ORDINARY_LODGINGS, date(2026, 1, 1), UNSUITABLE, concerns=concerns),
    )
    assert episodes(services, staff, person)[0].concerns == concerns


def test_record_move_audits_the_closed_episode_and_the_new_one(services, staff, person):
    acc = services.accommodation
    first = acc.record_move(staff.pa, person, move(T.SEMI_INDEPENDENT, date(2026, 1, 1)))
    second = acc.record_move(
        staff.pa, person, move(T.BED_AND_BREAKFAST, date(2026, 11, 20), UNSUITABLE)
    )
    closed = audit_events(services, entity="accommodation_episode", entity_id=first.entity_id)
    assert [(e.action, e.field, e.old_value, e.new_value, e.detail) for e in closed[-1:]] == [
        ("update", "end_date", None, "2026-11-20", "closed by a move")
    ]
    created = audit_events(
        services, entity="accommodation_episode", entity_id=second.entity_id, action="create"
    )
    assert {e.field: e.new_value for e in created} == {
        "type_code": "W",
        "suitability": "2",
        "start_date": "2026-11-20",
    }
    assert {e.actor_id for e in closed + created} == {staff.pa.id}


# -- end_episode --------------------------------------------------------------------------


def test_end_episode_sets_the_end_date_and_audits_it(services, staff, person):
    acc = services.accommodation
    ep = acc.record_move(
        staff.pa, person, move(T.BED_AND_BREAKFAST, date(2026, 11, 20), UNSUITABLE)
    )
    changes = acc.end_episode(staff.pa, ep.entity_id, date(2026, 11, 22), ep.version)
    assert changes.version == ep.version + 1
    (row,) = episodes(services, staff, person)
    assert (row.end_date, row.nights) == (date(2026, 11, 22), 2)
    (event,) = audit_events(services, action="update", entity_id=ep.entity_id)
    assert (event.field, event.old_value, event.new_value) == ("end_date", None, "2026-11-22")


@pytest.mark.parametrize(
    ("end", "field"), [(date(2026, 11, 27), "end_date"), (date(2026, 11, 19), "end_date")]
)
def test_end_episode_refuses_a_future_date_or_one_before_the_start(
    services, staff, person, end, field
):
    acc = services.accommodation
    ep = acc.record_move(staff.pa, person, move(T.SEMI_INDEPENDENT, date(2026, 11, 20)))
    with pytest.raises(ValidationError) as exc:
        acc.end_episode(staff.pa, ep.entity_id, end, ep.version)
    assert problem_fields(exc) == {field}
    assert episode_row(services, ep.entity_id).end_date is None


def test_end_episode_with_a_stale_version_raises_conflict(services, staff, person):
    acc = services.accommodation
    ep = acc.record_move(staff.pa, person, move(T.SEMI_INDEPENDENT, date(2026, 1, 1)))
    acc.end_episode(staff.pa, ep.entity_id, date(2026, 6, 1), ep.version)
    with pytest.raises(ConflictError):
        acc.end_episode(staff.manager, ep.entity_id, date(2026, 7, 1), ep.version)
    assert episode_row(services, ep.entity_id).end_date == date(2026, 6, 1)


def test_end_episode_of_an_unknown_episode_raises_not_found(services, staff, person):
    with pytest.raises(NotFound):
        services.accommodation.end_episode(staff.pa, 999, date(2026, 6, 1), 1)


# -- correct_episode ----------------------------------------------------------------------


@pytest.fixture
def two_episodes(services, staff, person) -> tuple[int, int]:
    """D1 from 2026-01-01 to 2026-06-01, then U1 from 2026-06-01, current."""
    acc = services.accommodation
    a = acc.record_move(staff.pa, person, move(T.SEMI_INDEPENDENT, date(2026, 1, 1)))
    b = acc.record_move(staff.pa, person, move(T.INDEPENDENT_LIVING, date(2026, 6, 1)))
    return a.entity_id, b.entity_id


def test_correct_episode_changes_it_in_place_and_audits_each_field(
    services, staff, person, two_episodes
):
    first, _ = two_episodes
    version = episode_row(services, first).version
    changes = services.accommodation.correct_episode(
        staff.pa,
        first,
        move(T.SUPPORTED_LODGINGS, date(2026, 1, 1), UNSUITABLE, end_date=date(2026, 6, 1)),
        version,
    )
    assert changes.version == version + 1
    assert changes.needs_escalation is True
    row = episode_row(services, first)
    assert (row.type_code, row.suitability) == ("E", "2")
    updates = audit_events(services, action="update", entity_id=first, detail="")
    assert {e.field: (e.old_value, e.new_value) for e in updates} == {
        "type_code": ("D", "E"),
        "suitability": ("1", "2"),
    }


def test_correct_episode_refuses_an_overlap_and_changes_nothing(
    services, staff, person, two_episodes
):
    first, _ = two_episodes
    before = episode_row(services, first)
    audit_before = count(services, AuditEvent)
    with pytest.raises(ValidationError) as exc:
        services.accommodation.correct_episode(
            staff.pa,
            first,
            move(T.SUPPORTED_LODGINGS, date(2026, 1, 1), end_date=date(2026, 7, 1)),
            before.version,
        )
    assert problem_fields(exc) == {"start_date"}
    assert "overlaps" in str(exc.value)
    after = episode_row(services, first)
    assert (after.type_code, after.end_date, after.version) == ("D", date(2026, 6, 1), 2)
    assert count(services, AuditEvent) == audit_before


def test_correct_episode_refuses_reopening_an_earlier_episode(services, staff, two_episodes):
    first, _ = two_episodes
    with pytest.raises(ValidationError):
        services.accommodation.correct_episode(
            staff.pa, first, move(T.SEMI_INDEPENDENT, date(2026, 1, 1)), 2
        )
    assert episode_row(services, first).end_date == date(2026, 6, 1)


def test_correct_episode_refuses_a_start_in_the_future(services, staff, two_episodes):
    """A correction is held to the same rule as a move: it cannot start after today."""
    _, current = two_episodes
    with pytest.raises(ValidationError) as exc:
        services.accommodation.correct_episode(
            staff.pa, current, move(T.INDEPENDENT_LIVING, date(2026, 12, 1)), 1
        )
    assert problem_fields(exc) == {"start_date"}
    assert episode_row(services, current).start_date == date(2026, 6, 1)


def test_correct_episode_refuses_an_end_in_the_future(services, staff, two_episodes):
    """A correction is held to the same rule as end_episode: it cannot end after today."""
    _, current = two_episodes
    with pytest.raises(ValidationError) as exc:
        services.accommodation.correct_episode(
            staff.pa,
            current,
            move(T.INDEPENDENT_LIVING, date(2026, 6, 1), end_date=date(2026, 12, 1)),
            1,
        )
    assert problem_fields(exc) == {"end_date"}
    assert episode_row(services, current).end_date is None


def test_correct_episode_with_a_stale_version_raises_conflict(services, staff, two_episodes):
    _, current = two_episodes
    acc = services.accommodation
    acc.correct_episode(staff.pa, current, move(T.FOYER, date(2026, 6, 1)), 1)
    with pytest.raises(ConflictError):
        acc.correct_episode(staff.manager, current, move(T.OTHER, date(2026, 6, 1)), 1)
    assert episode_row(services, current).type_code == "T"


def test_correct_episode_refuses_a_bad_postcode(services, staff, two_episodes):
    _, current = two_episodes
    with pytest.raises(ValidationError) as exc:
        services.accommodation.correct_episode(
            staff.pa, current, move(T.INDEPENDENT_LIVING, date(2026, 6, 1), postcode="nope"), 1
        )
    assert problem_fields(exc) == {"postcode"}


# -- void_episode -------------------------------------------------------------------------


def test_void_episode_keeps_the_row_but_removes_it_from_the_record(
    services, staff, person, two_episodes
):
    first, current = two_episodes
    changes = services.accommodation.void_episode(staff.pa, current, " wrong person ", 1)
    assert changes.entity_id == current
    assert count(services, AccommodationEpisode) == 2
    assert episode_row(services, current).voided_reason == "wrong person"
    assert [e.id for e in episodes(services, staff, person)] == [first]
    # The move was a mistake, so the episode it closed is current again.
    row = services.people.list(staff.pa, PeopleQuery()).rows[0]
    assert row.accommodation == "D1"
    assert episode_row(services, first).end_date is None
    (event,) = audit_events(services, action="void")
    assert (event.entity_id, event.field, event.new_value, event.actor_id) == (
        current,
        "voided_reason",
        "wrong person",
        staff.pa.id,
    )


def test_a_voided_episode_no_longer_blocks_the_dates_it_covered(services, staff, two_episodes):
    first, current = two_episodes
    acc = services.accommodation
    acc.void_episode(staff.pa, current, "entered twice", 1)
    version = episode_row(services, first).version
    acc.correct_episode(staff.pa, first, move(T.SUPPORTED_LODGINGS, date(2026, 1, 1)), version)
    assert episode_row(services, first).end_date is None
    assert episode_row(services, first).type_code == "E"


def test_a_voided_episode_cannot_be_changed_again(services, staff, two_episodes):
    _, current = two_episodes
    acc = services.accommodation
    acc.void_episode(staff.pa, current, "entered twice", 1)
    with pytest.raises(NotFound):
        acc.void_episode(staff.pa, current, "again", 2)
    with pytest.raises(NotFound):
        acc.end_episode(staff.pa, current, date(2026, 11, 1), 2)


def test_void_episode_needs_a_reason_and_the_current_version(services, staff, two_episodes):
    _, current = two_episodes
    acc = services.accommodation
    with pytest.raises(ValidationError) as exc:
        acc.void_episode(staff.pa, current, "  ", 1)
    assert problem_fields(exc) == {"reason"}
    with pytest.raises(ConflictError):
        acc.void_episode(staff.pa, current, "typo", 7)
    assert episode_row(services, current).voided_reason is None
