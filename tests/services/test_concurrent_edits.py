"""Two people, one record: two sessions on one database (two apps on the SQLite file, or two
clients of the PostgreSQL server). A save based on an old version is refused whole, the user
merges onto the saved version, and nothing anyone saved is ever lost."""

from __future__ import annotations

import itertools
import random
import threading
import time
from dataclasses import fields, replace
from datetime import date

import pytest
from sqlalchemy import func, select

from careleaver_app.db.models import AuditEvent
from careleaver_app.domain.codes import AccommodationType, Suitability
from careleaver_app.domain.errors import ConflictError
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.container import Services, open_services
from careleaver_app.services.dto import EpisodeDTO, MoveInput, PersonRecord

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
DETAILS = PersonDetails("CL0001", "Zoë", "Example", date(2008, 5, 1), phone="07700 900000")


@pytest.fixture(params=BACKENDS)
def a(request) -> Services:
    """A's app: the SQLite file, or a fresh PostgreSQL database."""
    return request.getfixturevalue("services" if request.param == "sqlite" else "pg_services")


@pytest.fixture
def staff_(request, a):  # type: ignore[no-untyped-def]
    return request.getfixturevalue("staff" if a.db.dialect == "sqlite" else "pg_staff")


@pytest.fixture
def b(request, a, paths, today):  # type: ignore[no-untyped-def]
    """B's app: its own engine and sessions on the same database."""
    url = None if a.db.dialect == "sqlite" else request.getfixturevalue("pg_url")
    other = open_services(paths, url, lambda: today)
    yield other
    other.close()


@pytest.fixture
def person_id(a, staff_) -> int:
    return a.people.create(staff_.manager, DETAILS, pa_id=staff_.pa.id).entity_id


def as_details(record: PersonRecord) -> PersonDetails:
    return PersonDetails(**{f.name: getattr(record, f.name) for f in fields(PersonDetails)})


def update_events(services: Services, entity: str, entity_id: int) -> list[tuple[int, str, str]]:
    """(actor id, field, new value) of every update to one row, oldest first."""
    with services.db.transaction(write=False) as session:
        return [
            (e.actor_id, e.field, e.new_value)
            for e in session.scalars(
                select(AuditEvent)
                .where(
                    AuditEvent.action == "update",
                    AuditEvent.entity == entity,
                    AuditEvent.entity_id == entity_id,
                )
                .order_by(AuditEvent.id)
            )
        ]


def audit_count(services: Services) -> int:
    with services.db.transaction(write=False) as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


# -- a young person's details --------------------------------------------------------------


def test_the_later_save_of_two_is_refused_and_changes_nothing(a, b, staff_, person_id):
    pa, manager = staff_.pa, staff_.manager
    opened_by_a = a.people.get(pa, person_id)
    opened_by_b = b.people.get(manager, person_id)
    assert opened_by_a.version == opened_by_b.version == 1

    a.people.update(pa, person_id, replace(as_details(opened_by_a), phone="07700 900111"), 1)
    before = audit_count(a)
    with pytest.raises(ConflictError, match="Someone else saved"):
        b.people.update(
            manager, person_id, replace(as_details(opened_by_b), contact_address="1 New Road"), 1
        )

    saved = a.people.get(pa, person_id)
    assert (saved.phone, saved.contact_address, saved.version) == ("07700 900111", "", 2)
    assert audit_count(a) == before + 1  # A's view just now; nothing from B's refused save


def test_b_merges_onto_the_saved_version_and_both_changes_are_kept(a, b, staff_, person_id):
    pa, manager = staff_.pa, staff_.manager
    opened_by_b = b.people.get(manager, person_id)
    a.people.update(pa, person_id, replace(DETAILS, phone="07700 900111"), 1)
    b_edit = replace(as_details(opened_by_b), contact_address="1 New Road")
    with pytest.raises(ConflictError):
        b.people.update(manager, person_id, b_edit, opened_by_b.version)

    # B sees the saved version and keeps its own change on top of it (the conflict dialog's
    # default merge: each side's field where only that side changed it).
    current = b.people.get(manager, person_id)
    merged = replace(as_details(current), contact_address=b_edit.contact_address)
    saved = b.people.update(manager, person_id, merged, current.version)

    assert saved.version == 3
    final = a.people.get(pa, person_id)
    assert (final.phone, final.contact_address) == ("07700 900111", "1 New Road")
    assert update_events(a, "young_person", person_id) == [
        (pa.id, "phone", "07700 900111"),
        (manager.id, "contact_address", "1 New Road"),
    ]


def test_a_save_based_on_the_new_version_can_itself_be_overtaken(a, b, staff_, person_id):
    """Each retry carries the version it was based on: a third save in between refuses it too."""
    pa, manager = staff_.pa, staff_.manager
    a.people.update(pa, person_id, replace(DETAILS, phone="07700 900111"), 1)
    current = b.people.get(manager, person_id)
    a.people.update(pa, person_id, replace(DETAILS, phone="07700 900222"), current.version)
    with pytest.raises(ConflictError):
        b.people.update(manager, person_id, replace(DETAILS, email="z@example.org"), 2)
    assert a.people.get(pa, person_id).email == ""


# -- another versioned record: an accommodation episode ------------------------------------


def test_two_corrections_of_one_episode_lose_nothing(a, b, staff_, person_id):
    pa, manager = staff_.pa, staff_.manager
    move = MoveInput(AccommodationType.SUPPORTED_LODGINGS, date(2026, 10, 1), Suitability.SUITABLE)
    episode_id = a.accommodation.record_move(pa, person_id, move).entity_id

    def episode(services: Services) -> EpisodeDTO:
        (found,) = services.people.get(manager, person_id).episodes
        return found

    def as_move(e: EpisodeDTO) -> MoveInput:
        return MoveInput(
            type=e.type,
            start_date=e.start_date,
            suitability=e.suitability,
            concerns=e.concerns,
            suitability_notes=e.suitability_notes,
            address=e.address,
            postcode=e.postcode,
            provider=e.provider,
            placed_by=e.placed_by,
            end_date=e.end_date,
        )

    opened_by_a, opened_by_b = episode(a), episode(b)
    a.accommodation.correct_episode(
        pa, episode_id, replace(as_move(opened_by_a), provider="Hope Lodgings"), 1
    )
    b_edit = replace(as_move(opened_by_b), postcode="ST16 2AB")
    with pytest.raises(ConflictError):
        b.accommodation.correct_episode(manager, episode_id, b_edit, opened_by_b.version)
    assert episode(a).postcode == ""  # refused whole

    current = episode(b)
    b.accommodation.correct_episode(
        manager, episode_id, replace(as_move(current), postcode=b_edit.postcode), current.version
    )
    final = episode(a)
    assert (final.provider, final.postcode, final.version) == ("Hope Lodgings", "ST16 2AB", 3)
    assert update_events(a, "accommodation_episode", episode_id) == [
        (pa.id, "provider", "Hope Lodgings"),
        (manager.id, "postcode", "ST16 2AB"),
    ]


# -- stress: two users hammering one record ------------------------------------------------


@pytest.mark.slow
def test_two_users_appending_at_once_lose_no_update(a, b, staff_, person_id):
    """Each of two sessions, in its own thread, appends tokens to one field by read-modify-write
    with retry on conflict. Every save that succeeded is in the final value, in order."""
    cycles = 15
    saved: list[str] = []  # tokens whose save returned
    lock = threading.Lock()
    errors: list[BaseException] = []
    conflicts = [0]
    # Both read before either writes in the first cycle, so at least one conflict is certain.
    both_read = threading.Barrier(2, timeout=60)

    def work(services: Services, actor, name: str, seed: int) -> None:  # type: ignore[no-untyped-def]
        rng = random.Random(seed)
        first_read = True
        try:
            for i in range(cycles):
                token = f"{name}{i};"
                while True:
                    record = services.people.get(actor, person_id)
                    if first_read:
                        first_read = False
                        both_read.wait()
                    time.sleep(rng.uniform(0, 0.02))  # the user types
                    edit = replace(
                        as_details(record), contact_address=record.contact_address + token
                    )
                    try:
                        services.people.update(actor, person_id, edit, record.version)
                    except ConflictError:
                        with lock:
                            conflicts[0] += 1
                        continue
                    with lock:
                        saved.append(token)
                    break
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(a, staff_.pa, "A", 1)),
        threading.Thread(target=work, args=(b, staff_.manager, "B", 2)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=240)
    assert not errors, errors

    final = a.people.get(staff_.pa, person_id)
    assert sorted(saved) == sorted(f"{n}{i};" for n in "AB" for i in range(cycles))
    assert conflicts[0] >= 1
    tokens = [t + ";" for t in final.contact_address.split(";") if t]
    assert sorted(tokens) == sorted(saved)  # every successful write, each exactly once
    assert final.version == 1 + 2 * cycles
    history = [
        v for _, f, v in update_events(a, "young_person", person_id) if f == "contact_address"
    ]
    assert len(history) == 2 * cycles
    # Each saved value extends the one before: no save was based on a value someone overwrote.
    assert all(later.startswith(earlier) for earlier, later in itertools.pairwise(history))
