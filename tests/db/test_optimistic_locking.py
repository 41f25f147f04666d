"""Optimistic locking: a save based on an out-of-date copy of a record is refused, whole."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from careleaver_app.db.models import AuditEvent, YoungPerson
from careleaver_app.domain.errors import ConflictError
from careleaver_app.domain.people import PersonDetails

DETAILS = PersonDetails("CL0001", "Zoë", "Example", date(2008, 5, 1))


@pytest.fixture
def person_id(either_services, either_staff) -> int:
    return either_services.people.create(either_staff.manager, DETAILS).entity_id


def stored(services, person_id: int) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    with services.db.transaction(write=False) as session:
        person = session.get(YoungPerson, person_id)
        return person.first_name, person.version


def audit_count(services) -> int:  # type: ignore[no-untyped-def]
    with services.db.transaction(write=False) as session:
        return session.scalar(select(func.count()).select_from(AuditEvent))


def test_second_of_two_sessions_editing_the_same_person_gets_stale_data_error(
    either_services, person_id
):
    """Two users open the same record, both edit; the later save is refused, not merged."""
    engine = either_services.db.engine
    with (
        Session(engine, expire_on_commit=False) as first,
        Session(engine, expire_on_commit=False) as second,
    ):
        # Each opens the record (a short read, as the app does) and edits it afterwards.
        mine = first.get(YoungPerson, person_id)
        first.commit()
        theirs = second.get(YoungPerson, person_id)
        second.commit()
        mine.first_name = "Zoe"
        first.commit()
        theirs.first_name = "Zed"
        with pytest.raises(StaleDataError):
            second.commit()
    assert stored(either_services, person_id) == ("Zoe", 2)


@pytest.mark.postgres
def test_overlapping_transactions_on_postgresql_also_get_stale_data_error(pg_services, pg_staff):
    """Under READ COMMITTED the later UPDATE sees the new version and matches no row."""
    person_id = pg_services.people.create(pg_staff.manager, DETAILS).entity_id
    engine = pg_services.db.engine
    with Session(engine) as first, Session(engine) as second:
        mine = first.get(YoungPerson, person_id)
        theirs = second.get(YoungPerson, person_id)  # its transaction stays open throughout
        mine.first_name = "Zoe"
        first.commit()
        theirs.first_name = "Zed"
        with pytest.raises(StaleDataError):
            second.commit()
    assert stored(pg_services, person_id) == ("Zoe", 2)


def test_stale_save_through_a_transaction_becomes_conflict_error(either_services, person_id):
    """Database.transaction turns StaleDataError into the user's ConflictError, and rolls back."""
    db = either_services.db
    with db.transaction(write=False) as session:
        opened = session.get(YoungPerson, person_id)  # kept after the session closes
    with db.transaction() as session:
        session.get(YoungPerson, person_id).first_name = "Zoe"
    audit_before = audit_count(either_services)

    with pytest.raises(ConflictError, match="Someone else saved"), db.transaction() as session:
        session.add(opened)
        opened.first_name = "Zed"
        session.add(
            AuditEvent(at=opened.updated_at, action="update", entity="young_person", detail="")
        )

    assert stored(either_services, person_id) == ("Zoe", 2)
    assert audit_count(either_services) == audit_before


def test_people_update_with_a_stale_version_is_refused_and_changes_nothing(
    either_services, either_staff, person_id
):
    people, manager = either_services.people, either_staff.manager
    saved = people.update(manager, person_id, replace(DETAILS, first_name="Zoe"), 1)
    assert saved.version == 2
    audit_before = audit_count(either_services)

    with pytest.raises(ConflictError):
        people.update(manager, person_id, replace(DETAILS, last_name="Other"), 1)

    record = people.get(manager, person_id)
    assert (record.first_name, record.last_name, record.version) == ("Zoe", "Example", 2)
    # Only the audited view just above was added: no update event for the refused save.
    assert audit_count(either_services) == audit_before + 1
