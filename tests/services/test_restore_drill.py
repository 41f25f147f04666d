"""The restore drill: every backup taken over time opens, passes `PRAGMA integrity_check`, and
holds exactly the rows the database had when it was taken (plain and encrypted)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from careleaver_app.db.encryption import table_counts
from careleaver_app.db.engine import connect_file, is_encrypted_file
from careleaver_app.domain.codes import AccommodationType, ContactKind, InTouch, Suitability
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.backups import BackupKind, Backups, reopen_after_restore
from careleaver_app.services.container import open_services
from careleaver_app.services.demo import generate_demo
from careleaver_app.services.dto import ContactInput, MoveInput
from careleaver_app.services.people import PeopleQuery
from tests.conftest import TODAY, Staff

PASSPHRASE = "drill passphrase"


class Clock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 1, 17, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment


def counts(path, passphrase):  # type: ignore[no-untyped-def]
    conn = connect_file(path, passphrase)
    try:
        return table_counts(conn)
    finally:
        conn.close()


def a_days_work(services, staff: Staff, day: int) -> None:
    """Some of everything a team does in a day: new young people, moves, contacts."""
    if day % 3 == 0:
        generate_demo(services, staff.admin, people=4, seed=day, today=TODAY)
    person = services.people.create(
        staff.pa,
        PersonDetails(f"DR-{day:03}", "Drill", f"Person{day}", date(2007, 5, day + 1)),
    ).entity_id
    services.people.allocate_pa(staff.manager, person, staff.pa.id, TODAY)
    services.accommodation.record_move(
        staff.pa,
        person,
        MoveInput(AccommodationType.BED_AND_BREAKFAST, TODAY, Suitability.UNSUITABLE),
    )
    services.contacts.log_contact(
        staff.pa, person, ContactInput(TODAY, ContactKind.VISIT, InTouch.YES)
    )


@pytest.mark.parametrize("passphrase", [None, PASSPHRASE], ids=["plain", "encrypted"])
def test_every_backup_opens_is_whole_and_matches_the_database_when_taken(paths, passphrase):
    clock = Clock()
    services = open_services(paths, None, lambda: TODAY, passphrase=passphrase)
    taken: dict = {}
    try:
        staff = Staff(services)
        backups = Backups(services.db, paths.backups_dir, clock)
        for day in range(8):
            if day != 4:  # a day with no work: nothing to back up
                a_days_work(services, staff, day)
            info = backups.take_if_changed(None, "timer")
            if day == 4:
                assert info is None
            else:
                assert info is not None
                taken[info.path] = counts(paths.database_file, passphrase)
            clock.moment += timedelta(days=1)
        listed = backups.list_backups()
    finally:
        services.close()

    assert {b.path for b in listed} == set(taken)
    assert len(listed) == 7
    for info in listed:
        assert info.kind is BackupKind.AUTOMATIC
        assert info.encrypted == (passphrase is not None) == is_encrypted_file(info.path)
        conn = connect_file(info.path, passphrase)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert table_counts(conn) == taken[info.path], info.path.name
            newest_event = conn.execute("SELECT max(id) FROM audit_events").fetchone()[0]
            assert newest_event == info.marker
        finally:
            conn.close()
    # The backups differ: each holds a day's more work than the one before.
    people = [taken[b.path]["young_people"] for b in reversed(listed)]
    assert people == sorted(people) and len(set(people)) == len(people)


@pytest.mark.parametrize("passphrase", [None, PASSPHRASE], ids=["plain", "encrypted"])
def test_each_backup_restores_to_what_it_held(paths, passphrase):
    """Restore every backup in turn, oldest first, and read the young people back."""
    clock = Clock()
    services = open_services(paths, None, lambda: TODAY, passphrase=passphrase)
    staff = Staff(services)
    backups = Backups(services.db, paths.backups_dir, clock)
    expected = []
    for day in range(3):
        a_days_work(services, staff, day + 1)
        info = backups.take_if_changed()
        total = services.people.list(staff.admin, PeopleQuery(include_closed=True)).total
        expected.append((info, total))
        clock.moment += timedelta(days=1)
    try:
        for info, total in expected:
            clock.moment += timedelta(minutes=1)
            Backups(services.db, paths.backups_dir, clock).restore(staff.admin, info.path)
            services = reopen_after_restore(services, paths, lambda: TODAY)
            people = services.people.list(staff.admin, PeopleQuery(include_closed=True))
            assert people.total == total
    finally:
        services.close()
