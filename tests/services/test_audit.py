"""The audit trail: who did what to which record, field by field, in the same transaction."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from careleaver_app.db.models import AccommodationEpisode, AuditEvent, YoungPerson
from careleaver_app.domain.codes import AccommodationType, InTouch, Suitability
from careleaver_app.domain.errors import ValidationError
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services import audit
from careleaver_app.services.dto import MoveInput


def count(services, model) -> int:
    with services.db.transaction(write=False) as s:
        return s.scalar(select(func.count()).select_from(model))


def events(services, **where) -> list[AuditEvent]:
    with services.db.transaction(write=False) as s:
        stmt = select(AuditEvent).order_by(AuditEvent.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(AuditEvent, key) == value)
        return list(s.scalars(stmt))


def zoe(**kw) -> PersonDetails:
    fields = {"first_name": "Zoë", "last_name": "Adams", **kw}
    return PersonDetails("CL-001", date_of_birth=date(2007, 7, 1), **fields)


@pytest.fixture
def person(services, staff) -> int:
    return services.people.create(staff.pa, zoe(), pa_id=staff.pa.id).entity_id


# -- what an event holds ------------------------------------------------------------------


def test_an_update_event_names_actor_action_entity_field_and_old_and_new_values(
    services, staff, person
):
    started = datetime.now(UTC)
    services.people.update(staff.pa, person, zoe(phone="07700 900123"), expected_version=1)
    (event,) = events(services, action="update")
    assert event.actor_id == staff.pa.id
    assert (event.entity, event.entity_id) == ("young_person", person)
    assert (event.field, event.old_value, event.new_value) == ("phone", "", "07700 900123")
    at = event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC)
    assert started.replace(microsecond=0) <= at.replace(microsecond=0) <= datetime.now(UTC)


def test_a_create_writes_one_event_per_field_with_no_old_value(services, staff, person):
    created = events(services, action="create", entity="young_person")
    assert {e.entity_id for e in created} == {person}
    assert all(e.old_value is None for e in created)
    assert len({e.field for e in created}) == len(created)
    assert {"reference", "first_name", "last_name", "date_of_birth"} <= {e.field for e in created}


def test_viewing_a_record_is_one_event_with_no_field(services, staff, person):
    services.people.get(staff.manager, person)
    (view,) = events(services, action="view")
    assert (view.actor_id, view.entity, view.entity_id) == (
        staff.manager.id,
        "young_person",
        person,
    )
    assert (view.field, view.old_value, view.new_value) == (None, None, None)


def test_staff_and_team_changes_are_audited_too(services, staff):
    team_events = events(services, entity="team", action="create")
    assert [(e.actor_id, e.new_value) for e in team_events] == [
        (staff.admin.id, "North Team"),
        (staff.admin.id, "South Team"),
    ]
    (first_admin,) = events(services, entity="staff", entity_id=staff.admin.id)
    assert first_admin.actor_id is None
    assert "first administrator" in first_admin.detail


def test_a_failed_validation_writes_no_audit_event(services, staff, person):
    before = count(services, AuditEvent)
    with pytest.raises(ValidationError):
        services.people.update(staff.pa, person, zoe(first_name=""), expected_version=1)
    assert count(services, AuditEvent) == before


# -- same transaction ---------------------------------------------------------------------


def test_a_failure_after_the_audit_row_rolls_back_the_change_and_the_audit_row(
    services, staff, person, monkeypatch
):
    """Proof that audit and change commit together: if anything fails after the audit row was
    added, neither the change nor the audit row survives."""
    real_record = audit.record

    def record_then_fail(*args, **kwargs):
        real_record(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", record_then_fail)
    before = count(services, AuditEvent)
    with pytest.raises(RuntimeError):
        services.people.update(staff.pa, person, zoe(last_name="Changed"), expected_version=1)
    monkeypatch.undo()
    assert count(services, AuditEvent) == before
    record = services.people.get(staff.pa, person)
    assert (record.last_name, record.version) == ("Adams", 1)


def test_a_move_refused_after_closing_the_open_episode_leaves_no_audit_of_the_close(
    services, staff, person
):
    """record_move audits the end of the open episode before checking the new one; when the new
    one is refused, that audit row goes with the rest of the transaction."""
    acc = services.accommodation
    first = acc.record_move(
        staff.pa,
        person,
        MoveInput(AccommodationType.SEMI_INDEPENDENT, date(2026, 1, 1), Suitability.SUITABLE),
    )
    before = count(services, AuditEvent)
    with pytest.raises(ValidationError):
        acc.record_move(
            staff.pa,
            person,
            MoveInput(AccommodationType.CUSTODY, date(2026, 11, 1), Suitability.SUITABLE),
        )
    assert count(services, AuditEvent) == before
    assert events(services, detail="closed by a move") == []
    with services.db.transaction(write=False) as s:
        assert s.get(AccommodationEpisode, first.entity_id).end_date is None


def test_a_failure_while_creating_leaves_neither_person_nor_audit(services, staff, monkeypatch):
    real_record = audit.record

    def record_then_fail(*args, **kwargs):
        real_record(*args, **kwargs)
        raise RuntimeError("lost connection")

    monkeypatch.setattr(audit, "record", record_then_fail)
    before = count(services, AuditEvent)
    with pytest.raises(RuntimeError):
        services.people.create(staff.pa, zoe())
    monkeypatch.undo()
    assert count(services, AuditEvent) == before
    assert count(services, YoungPerson) == 0


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_events SET detail = 'edited'", "DELETE FROM audit_events"]
)
def test_the_audit_trail_is_append_only(services, staff, statement):
    before = count(services, AuditEvent)
    with pytest.raises(DatabaseError, match="append-only"), services.db.transaction() as s:
        s.execute(text(statement))
    assert count(services, AuditEvent) == before


# -- how values are written ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (None, None),
        ("text", "text"),
        (3, "3"),
        (True, "True"),
        (date(2026, 11, 26), "2026-11-26"),
        (InTouch.REFUSED, "REFU"),
        (["safety", "location"], "location,safety"),
        (frozenset({Suitability.UNSUITABLE, Suitability.SUITABLE}), "1,2"),
    ],
)
def test_values_are_written_as_stable_text(value, written):
    assert audit._text(value) == written


def test_apply_changes_sets_and_reports_only_what_differs():
    class Row:
        a, b, c = 1, "x", None

    row = Row()
    assert audit.apply_changes(row, {"a": 1, "b": "y", "c": date(2026, 1, 1)}) == {
        "b": ("x", "y"),
        "c": (None, date(2026, 1, 1)),
    }
    assert (row.a, row.b, row.c) == (1, "y", date(2026, 1, 1))
