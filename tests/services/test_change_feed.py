"""The change feed: what another user changed, seen from a second session on the same database
(a second app on the SQLite file, or another client of the PostgreSQL server), as ids only."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date, timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from careleaver_app.db.models import AuditEvent
from careleaver_app.domain.codes import AccommodationType, Activity, ContactKind, Role, Suitability
from careleaver_app.domain.errors import PermissionDenied
from careleaver_app.domain.escalation import DecisionKind
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services import audit
from careleaver_app.services.audit_trail import AuditQuery
from careleaver_app.services.changes import ChangeBatch, ChangeFeed
from careleaver_app.services.container import open_services
from careleaver_app.services.dto import ContactInput, MoveInput
from careleaver_app.services.escalations import DecisionInput
from careleaver_app.services.people import PeopleQuery
from careleaver_app.services.staffing import SignInRefused

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
DETAILS = PersonDetails("CL0001", "Zoë", "Example", date(2008, 5, 1))


@pytest.fixture(params=BACKENDS)
def mine(request):  # type: ignore[no-untyped-def]
    """A's services (the window that polls): the SQLite file, or a fresh PostgreSQL database."""
    return request.getfixturevalue("services" if request.param == "sqlite" else "pg_services")


@pytest.fixture
def staff_(request, mine):  # type: ignore[no-untyped-def]
    return request.getfixturevalue("staff" if mine.db.dialect == "sqlite" else "pg_staff")


@pytest.fixture
def theirs(request, mine, paths, today):  # type: ignore[no-untyped-def]
    """B's services: a second engine and session factory on the same database."""
    url = None if mine.db.dialect == "sqlite" else request.getfixturevalue("pg_url")
    other = open_services(paths, url, lambda: today)
    yield other
    other.close()


@pytest.fixture
def person_id(mine, staff_) -> int:
    return mine.people.create(staff_.manager, DETAILS, pa_id=staff_.pa.id).entity_id


def test_a_change_saved_by_b_is_seen_by_a_with_its_person(mine, theirs, staff_, person_id):
    feed, pa = mine.changes, staff_.pa
    start = feed.latest(pa)
    version = theirs.people.get(staff_.manager, person_id).version
    theirs.people.update(staff_.manager, person_id, replace(DETAILS, phone="07700 900123"), version)

    batch = feed.since(pa, start)
    assert batch.person_ids == {person_id}
    assert batch.kinds == {"young_person"}
    assert batch.last_id > start and feed.latest(pa) > start
    # The next poll starts where this one ended and sees nothing new.
    assert not feed.since(pa, batch.last_id).changed


def test_views_searches_sign_ins_locks_and_refusals_are_not_changes(
    mine, theirs, staff_, person_id
):
    feed, manager = mine.changes, staff_.manager
    start = feed.latest(staff_.pa)
    theirs.people.get(manager, person_id)
    theirs.people.list(manager, PeopleQuery())
    theirs.audit_trail.history(manager, person_id)
    theirs.audit_trail.search(staff_.admin, AuditQuery(text="Zoë"))
    theirs.staffing.record_lock(manager, "idle")
    with pytest.raises(SignInRefused):
        theirs.staffing.sign_in("nobody", "not a password")
    hl = theirs.staffing.create_staff(
        staff_.admin, "hl1", "Hana Housing", Role.HOUSING_LIAISON, staff_.team.id
    )
    after_create = feed.latest(staff_.pa)  # creating a user is a change (of a staff record)
    hana = theirs.staffing.actor(hl.username)
    with pytest.raises(PermissionDenied):
        theirs.housing.summary(hana, person_id)  # refused: no consent to share; audited

    batch = feed.since(staff_.pa, after_create)
    assert not batch.changed
    assert batch.last_id > after_create  # the reads are passed over, not read again next time
    assert feed.latest(staff_.pa) == after_create
    assert feed.since(staff_.pa, start).kinds == {"staff"}


def test_changes_to_a_young_persons_records_map_to_that_person(mine, theirs, staff_, person_id):
    other_id = mine.people.create(
        staff_.manager, replace(DETAILS, reference="CL0002"), pa_id=staff_.pa.id
    ).entity_id
    feed, pa, manager = mine.changes, staff_.pa, staff_.manager
    start = feed.latest(pa)
    move = MoveInput(
        AccommodationType.BED_AND_BREAKFAST, date(2026, 11, 20), Suitability.UNSUITABLE
    )
    theirs.accommodation.record_move(manager, person_id, move)
    theirs.contacts.log_contact(
        manager, other_id, ContactInput(date(2026, 11, 21), ContactKind.VISIT)
    )
    theirs.contacts.change_activity(manager, other_id, Activity.NEET_OTHER, date(2026, 11, 21))
    theirs.pathway.record_assessment(manager, other_id, date(2026, 11, 22))
    batch = feed.since(pa, start)
    assert batch.person_ids == {person_id, other_id}
    assert {
        "accommodation_episode",
        "escalation",
        "contact",
        "activity",
        "needs_assessment",
    } <= batch.kinds

    (item,) = theirs.escalations.queue(manager, person_id=person_id)
    theirs.escalations.record_decision(
        manager, item.id, DecisionInput(DecisionKind.ACKNOWLEDGED, note="seen"), item.version
    )
    decided = feed.since(pa, batch.last_id)
    assert decided.person_ids == {person_id}
    assert "escalation_decision" in decided.kinds


def test_others_only_leaves_out_the_actors_own_changes(mine, theirs, staff_, person_id):
    feed, pa, manager = mine.changes, staff_.pa, staff_.manager
    start = feed.latest(pa)
    record = mine.people.get(pa, person_id)
    mine.people.update(pa, person_id, replace(DETAILS, phone="07700 900123"), record.version)

    own = feed.since(pa, start, others_only=True)
    assert not own.changed and own.last_id > start
    assert feed.since(pa, start).person_ids == {person_id}  # everyone's, when asked

    theirs.people.update(manager, person_id, replace(DETAILS, phone="07700 900456"), 2)
    assert feed.since(pa, own.last_id, others_only=True).person_ids == {person_id}


def test_any_signed_in_user_may_poll_and_gets_ids_not_personal_data(
    mine, theirs, staff_, person_id
):
    """Even a housing liaison, who may not see this record, learns only that id 1 changed."""
    hl = mine.staffing.create_staff(
        staff_.admin, "hl1", "Hana Housing", Role.HOUSING_LIAISON, staff_.other_team.id
    )
    hana = mine.staffing.actor(hl.username)
    start = mine.changes.latest(hana)
    theirs.people.update(staff_.manager, person_id, replace(DETAILS, first_name="Zed"), 1)
    batch = mine.changes.since(hana, start)
    assert batch.person_ids == {person_id}
    assert {f.name for f in fields(ChangeBatch)} == {"last_id", "person_ids", "kinds", "overflow"}
    assert all(isinstance(i, int) for i in batch.person_ids)


def test_more_changes_than_a_batch_says_overflow_and_skips_to_the_end(mine, staff_, person_id):
    feed = ChangeFeed(mine.db, batch=3)
    start = feed.latest(staff_.pa)
    for i in range(5):
        mine.people.create(staff_.manager, replace(DETAILS, reference=f"CL1{i:03d}"))
    batch = feed.since(staff_.pa, start)
    assert batch.overflow and batch.changed
    assert batch.last_id == mine.changes.latest(staff_.pa)
    assert not feed.since(staff_.pa, batch.last_id).changed


def test_an_empty_trail_has_change_counter_zero(mine, staff_):
    feed = mine.changes
    assert feed.since(staff_.pa, 10**9) == ChangeBatch(last_id=10**9)
    assert feed.latest(staff_.pa) > 0  # the staff fixture created people: those are changes


# -- PostgreSQL: ids are handed out before commit ---------------------------------------------


def _uncommitted_change(services, person_id: int) -> tuple[Session, int]:  # type: ignore[no-untyped-def]
    """A change in a transaction still open: its audit id is taken but nobody can see it."""
    session = Session(services.db.engine)
    event = AuditEvent(
        at=audit.now(), action="update", entity="young_person", entity_id=person_id, detail=""
    )
    session.add(event)
    session.flush()
    return session, event.id


@pytest.mark.postgres
def test_the_feed_waits_for_a_transaction_still_in_flight(pg_services, pg_staff):
    """A later change committed first does not move the feed past the earlier one's id."""
    person_id = pg_services.people.create(pg_staff.manager, DETAILS).entity_id
    other_id = pg_services.people.create(
        pg_staff.manager, replace(DETAILS, reference="CL0002")
    ).entity_id
    feed, pa = pg_services.changes, pg_staff.pa
    start = feed.latest(pa)
    slow, slow_id = _uncommitted_change(pg_services, other_id)
    try:
        pg_services.people.update(
            pg_staff.manager, person_id, replace(DETAILS, phone="07700 900123"), 1
        )
        held = feed.since(pa, start)
        assert held.last_id < slow_id and not held.changed
        slow.commit()
    finally:
        slow.close()
    batch = feed.since(pa, held.last_id)
    assert batch.person_ids == {person_id, other_id}


@pytest.mark.postgres
def test_a_rolled_back_id_is_passed_once_it_has_settled(pg_services, pg_staff):
    person_id = pg_services.people.create(pg_staff.manager, DETAILS).entity_id
    start = pg_services.changes.latest(pg_staff.pa)
    failed, _ = _uncommitted_change(pg_services, person_id)
    failed.rollback()
    failed.close()
    pg_services.people.update(
        pg_staff.manager, person_id, replace(DETAILS, phone="07700 900123"), 1
    )

    assert not pg_services.changes.since(pg_staff.pa, start).changed  # might still commit
    settled = ChangeFeed(pg_services.db, settle=timedelta(0))
    assert settled.since(pg_staff.pa, start).person_ids == {person_id}
    later = ChangeFeed(pg_services.db, now=lambda: audit.now() + timedelta(minutes=1))
    assert later.since(pg_staff.pa, start).person_ids == {person_id}


def test_the_change_counter_is_read_from_the_primary_key(mine, staff_):
    """latest() and since() read by the audit trail's id (a range or the newest), so a poll
    every few seconds stays cheap however long the trail grows."""
    statements: list[str] = []

    def keep(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(mine.db.engine, "before_cursor_execute", keep)
    try:
        mine.changes.since(staff_.pa, mine.changes.latest(staff_.pa))
    finally:
        event.remove(mine.db.engine, "before_cursor_execute", keep)
    reads = [s for s in statements if "FROM audit_events" in s]
    assert len(reads) == 2
    assert all("ORDER BY audit_events.id" in s for s in reads)
    assert "audit_events.id >" in reads[1]
