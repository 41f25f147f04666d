"""Automatic backups (only when something changed, thinned on a schedule), the list of them, and
an administrator's restore (checked first, a safety copy taken, audited, services reopened)."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from careleaver_app.db.encryption import table_counts
from careleaver_app.db.engine import connect_file
from careleaver_app.db.models import AuditEvent
from careleaver_app.domain.errors import DomainError, PermissionDenied
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.backup import backup_database
from careleaver_app.services.backups import (
    BackupKind,
    Backups,
    list_backups,
    reopen_after_restore,
)
from careleaver_app.services.container import open_services
from careleaver_app.services.people import PeopleQuery
from tests.conftest import TODAY

PASSPHRASE = "backups passphrase"


class Clock:
    """A UTC clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> datetime:
        self.moment += timedelta(**delta)
        return self.moment


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))


@pytest.fixture
def backups(services, paths, clock) -> Backups:
    return Backups(services.db, paths.backups_dir, clock)


def add_person(services, actor, n: int) -> int:
    return services.people.create(
        actor, PersonDetails(f"CL-{n:03}", "Jo", f"Tester{n}", TODAY.replace(year=2007))
    ).entity_id


def people_count(services, actor) -> int:
    return services.people.list(actor, PeopleQuery(include_closed=True, limit=1)).total


def automatic(backups: Backups) -> list:
    return [b for b in backups.list_backups() if b.kind is BackupKind.AUTOMATIC]


def test_a_backup_is_taken_only_when_something_changed(services, staff, backups, clock):
    first = backups.take_if_changed(None, "timer")
    assert first is not None and first.kind is BackupKind.AUTOMATIC
    assert first.path.parent == backups.backups_dir
    assert first.path.name.startswith("careleaver-auto-20261126T090000Z-")
    assert stat.S_IMODE(os.stat(first.path).st_mode) == 0o600
    clock.advance(minutes=30)
    assert backups.take_if_changed(None, "timer") is None
    add_person(services, staff.pa, 1)
    clock.advance(minutes=30)
    second = backups.take_if_changed(staff.pa, "close")
    assert second is not None and second.marker > first.marker
    # The same day: the newest backup of the day is the one kept.
    assert [b.path for b in automatic(backups)] == [second.path]


def test_the_last_backup_is_remembered_across_restarts(services, staff, paths, clock):
    Backups(services.db, paths.backups_dir, clock).take_if_changed()
    clock.advance(hours=1)
    # A new app session over the same, unchanged database: nothing to back up.
    assert Backups(services.db, paths.backups_dir, clock).take_if_changed() is None
    add_person(services, staff.pa, 1)
    assert Backups(services.db, paths.backups_dir, clock).take_if_changed() is not None


def test_a_backup_holds_the_data_at_the_time(services, staff, backups, clock):
    add_person(services, staff.pa, 1)
    info = backups.take_if_changed()
    add_person(services, staff.pa, 2)
    conn = connect_file(info.path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM young_people").fetchone()[0] == 1
    finally:
        conn.close()


def test_automatic_backups_thin_to_days_weeks_and_months(services, staff, backups, clock):
    """A year and a half of changes every few days leaves at most 12 + 10 + 9 + 1 automatic
    backups, the newest among them; other kinds of backup and other files are never thinned."""
    folder = backups.backups_dir
    folder.mkdir(parents=True, exist_ok=True)
    keep_these = [
        folder / "careleaver-before-restore-20250101T000000Z.sqlite3",
        folder / "before-migration-0004-20250101T000000Z.sqlite3",
        folder / "careleaver-2025-01-01.sqlite3",
        folder / "demo-auto-20250101T000000Z-3.sqlite3",  # another database's
        folder / "notes.txt",
    ]
    for path in keep_these:
        path.write_bytes(b"")
    taken = []
    for step in range(120):
        services.staffing.create_team(staff.admin, f"Team {step}")
        clock.advance(days=5)
        taken.append(backups.take_if_changed())
    autos = automatic(backups)
    assert len(autos) <= 12 + 10 + 9 + 1
    assert autos[0].path == taken[-1].path
    assert {b.path for b in autos} >= {b.path for b in taken[-12:]}
    assert all(path.exists() for path in keep_these)


def test_thinning_never_deletes_the_only_backup(services, backups, clock):
    only = backups.take_if_changed()
    clock.advance(days=3650)
    assert backups.thin() == []
    assert only.path.exists()


def test_list_shows_every_kind_newest_first_with_sizes(services, staff, backups, clock, paths):
    auto = backups.take_if_changed()
    clock.advance(hours=2)
    manual = backup_database(services.db, staff.admin, paths.backups_dir, TODAY)
    os.utime(manual, (clock().timestamp(), clock().timestamp()))
    listed = backups.list_backups()
    assert [b.path for b in listed] == [manual, auto.path]
    assert [b.kind for b in listed] == [BackupKind.MANUAL, BackupKind.AUTOMATIC]
    assert listed[1].taken_at == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert all(b.size_bytes == b.path.stat().st_size > 0 for b in listed)
    assert not any(b.encrypted for b in listed)


def test_an_encrypted_database_gets_encrypted_backups(paths, clock):
    services = open_services(paths, None, lambda: TODAY, passphrase=PASSPHRASE)
    try:
        admin = services.staffing.ensure_first_administrator("admin")
        services.staffing.create_team(admin, "North Team")
        info = Backups(services.db, paths.backups_dir, clock).take_if_changed()
        assert info.encrypted
        assert not info.path.read_bytes().startswith(b"SQLite format 3")
        assert Backups(services.db, paths.backups_dir, clock).list_backups()[0].encrypted
    finally:
        services.close()


# -- restore -------------------------------------------------------------------------------


def test_an_administrator_restores_a_backup_and_the_app_reopens_it(
    services, staff, backups, clock, paths
):
    add_person(services, staff.pa, 1)
    early = backups.take_if_changed()
    add_person(services, staff.pa, 2)
    clock.advance(minutes=30)
    result = backups.restore(staff.admin, early.path)
    assert result.restored.path == early.path
    assert result.safety_backup.exists()
    reopened = reopen_after_restore(services, paths, lambda: TODAY)
    try:
        assert people_count(reopened, staff.admin) == 1
        with reopened.db.transaction(write=False) as session:
            event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (event.action, event.entity, event.actor_id) == ("restore", "database", 1)
        assert early.path.name in event.detail and result.safety_backup.name in event.detail
    finally:
        reopened.close()
    # The database as it was before the restore is in the safety backup.
    conn = connect_file(result.safety_backup)
    try:
        assert conn.execute("SELECT count(*) FROM young_people").fetchone()[0] == 2
    finally:
        conn.close()
    kinds = {b.path: b.kind for b in list_backups(paths.backups_dir, paths.database_file)}
    assert kinds[result.safety_backup] is BackupKind.BEFORE_RESTORE


def test_a_personal_adviser_may_not_restore(services, staff, backups):
    info = backups.take_if_changed()
    before = paths_bytes(services)
    with pytest.raises(PermissionDenied):
        backups.restore(staff.pa, info.path)
    assert paths_bytes(services) == before
    assert [b.kind for b in backups.list_backups()] == [BackupKind.AUTOMATIC]


def paths_bytes(services) -> dict[str, int]:
    from careleaver_app.services.backups import sqlite_file

    conn = connect_file(sqlite_file(services.db.engine.url))
    try:
        return table_counts(conn)
    finally:
        conn.close()


def test_a_damaged_backup_is_refused_before_anything_changes(services, staff, backups, paths):
    info = backups.take_if_changed()
    damaged = paths.backups_dir / "careleaver-auto-20200101T000000Z-1.sqlite3"
    data = bytearray(info.path.read_bytes())
    data[4096 * 2 : 4096 * 4] = os.urandom(4096 * 2)
    damaged.write_bytes(bytes(data))
    with pytest.raises(DomainError, match="damaged"):
        backups.restore(staff.admin, damaged)
    assert [b.kind for b in backups.list_backups()].count(BackupKind.BEFORE_RESTORE) == 0
    assert people_count(services, staff.admin) == 0


def test_a_plain_backup_is_not_restored_over_an_encrypted_database(paths, clock, tmp_path):
    plain = open_services(paths, None, lambda: TODAY)
    plain_backup = Backups(plain.db, tmp_path / "elsewhere", clock).take_if_changed()
    plain.close()
    paths.database_file.unlink()
    encrypted = open_services(paths, None, lambda: TODAY, passphrase=PASSPHRASE)
    try:
        admin = encrypted.staffing.ensure_first_administrator("admin")
        with pytest.raises(DomainError, match="not encrypted"):
            Backups(encrypted.db, paths.backups_dir, clock).restore(admin, plain_backup.path)
    finally:
        encrypted.close()


def test_restore_refuses_while_the_database_is_open_elsewhere(
    services, staff, backups, paths, clock
):
    info = backups.take_if_changed()
    add_person(services, staff.pa, 1)
    other = open_services(paths, None, lambda: TODAY)  # a second window on the same file
    try:
        assert people_count(other, staff.admin) == 1
        with pytest.raises(DomainError, match="open elsewhere"):
            backups.restore(staff.admin, info.path)
        assert people_count(other, staff.admin) == 1
    finally:
        other.close()


def test_an_encrypted_database_restores_its_encrypted_backup(paths, clock):
    services = open_services(paths, None, lambda: TODAY, passphrase=PASSPHRASE)
    admin = services.staffing.ensure_first_administrator("admin")
    backups = Backups(services.db, paths.backups_dir, clock)
    info = backups.take_if_changed()
    services.staffing.create_team(admin, "Made after the backup")
    clock.advance(minutes=5)
    backups.restore(admin, info.path)
    reopened = reopen_after_restore(services, paths, lambda: TODAY)
    try:
        assert [t.name for t in reopened.staffing.list_teams()] == []
    finally:
        reopened.close()


def test_nothing_to_back_up_on_a_database_server(pg_services, clock, tmp_path):
    backups = Backups(pg_services.db, tmp_path / "backups", clock)
    assert not backups.available
    assert backups.take_if_changed() is None
    assert backups.list_backups() == []
    admin = pg_services.staffing.ensure_first_administrator("admin")
    with pytest.raises(DomainError, match="pg_dump"):
        backups.restore(admin, Path(tmp_path / "any.sqlite3"))
