"""The start-up check: a damaged database is found by `quick_check` without being written to,
moved aside whole, and replaced by the newest backup that passes `integrity_check`."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from careleaver_app.db.encryption import table_counts
from careleaver_app.db.engine import connect_file
from careleaver_app.domain.errors import DomainError, WrongPassphrase
from careleaver_app.paths import AppPaths
from careleaver_app.services.backups import Backups
from careleaver_app.services.container import PassphraseRequired, open_services
from careleaver_app.services.demo import generate_demo
from careleaver_app.services.integrity import (
    check_database_file,
    move_aside,
    newest_good_backup,
    restore_from,
)
from careleaver_app.services.people import PeopleQuery
from tests.conftest import TODAY, corrupt

PASSPHRASE = "integrity passphrase"
START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def side_files(path: Path) -> list[Path]:
    return [p for p in (Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def counts_of(path: Path, passphrase: str | None = None) -> dict[str, int]:
    conn = connect_file(path, passphrase)
    try:
        return table_counts(conn)
    finally:
        conn.close()


def make_database(paths: AppPaths, passphrase: str | None = None):
    """A database with demo data and two automatic backups, the second after more data;
    returns the second backup and the row counts the database had when it was taken."""
    moments = iter(START + timedelta(hours=h) for h in range(100))
    services = open_services(paths, None, lambda: TODAY, passphrase=passphrase)
    try:
        admin = services.staffing.ensure_first_administrator("admin")
        generate_demo(services, admin, people=12, seed=3, today=TODAY)
        backups = Backups(services.db, paths.backups_dir, lambda: next(moments))
        backups.take_if_changed()
        generate_demo(services, admin, people=6, seed=4, today=TODAY)
        second = backups.take_if_changed()
        counts = counts_of(paths.database_file, passphrase)
    finally:
        services.close()
    return second, counts


def test_a_healthy_database_passes_and_is_not_touched(paths):
    make_database(paths)
    before = digest(paths.database_file)
    result = check_database_file(paths)
    assert result.ok and result.problems == ()
    assert result.database_file == paths.database_file
    assert digest(paths.database_file) == before
    assert side_files(paths.database_file) == []


def test_nothing_to_check_on_a_server_or_before_the_file_exists(paths):
    assert check_database_file(paths, "postgresql://someone@server/careleavers").ok
    assert check_database_file(paths).ok  # no file yet: it is made when first opened
    assert not paths.database_file.exists()


def test_a_damaged_database_is_found_moved_aside_untouched_and_replaced(paths):
    backup, counts_then = make_database(paths)
    corrupt(paths.database_file)
    damaged_digest = digest(paths.database_file)

    result = check_database_file(paths)
    assert not result.ok
    assert result.problems
    assert "damaged" in result.describe()
    assert digest(paths.database_file) == damaged_digest  # the check wrote nothing

    good = newest_good_backup(paths)
    assert good is not None and good.path == backup.path

    moved = move_aside(paths.database_file, lambda: datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    assert moved.name == "careleaver.damaged-20261126T080000Z.sqlite3"
    assert moved.parent == paths.database_file.parent
    assert not paths.database_file.exists()
    assert digest(moved) == damaged_digest

    restored = restore_from(good, paths, damaged=moved)
    assert restored == paths.database_file
    assert check_database_file(paths).ok
    counts_now = counts_of(paths.database_file)
    # The restore is audited in the restored database: one event more, nothing else differs.
    assert counts_now.pop("audit_events") == counts_then.pop("audit_events") + 1
    assert counts_now == counts_then

    services = open_services(paths, None, lambda: TODAY)
    try:
        admin = services.staffing.actor("admin")
        page = services.people.list(admin, PeopleQuery(include_closed=True, limit=1))
        assert page.total == 18
        trail = services.audit_trail
        assert any(
            e.action == "restore" and moved.name in e.detail
            for e in trail.search(admin, trail_query())
        )
    finally:
        services.close()


def trail_query():
    from careleaver_app.services.audit_trail import AuditQuery

    return AuditQuery(action="restore")


def test_a_damaged_backup_is_passed_over_for_an_older_good_one(paths):
    backup, _ = make_database(paths)
    newer = paths.backups_dir / "careleaver-auto-20261201T000000Z-999.sqlite3"
    newer.write_bytes(backup.path.read_bytes())
    corrupt(newer)
    assert newest_good_backup(paths).path == backup.path


def test_no_good_backup_means_none_is_offered(paths):
    make_database(paths)
    for info in paths.backups_dir.iterdir():
        corrupt(info)
    assert newest_good_backup(paths) is None


def test_restore_refuses_to_overwrite_a_database_still_in_place(paths):
    make_database(paths)
    before = digest(paths.database_file)
    with pytest.raises(DomainError, match="move it aside first"):
        restore_from(newest_good_backup(paths), paths)
    assert digest(paths.database_file) == before


def test_move_aside_takes_the_side_files_with_it(paths):
    make_database(paths)
    file = paths.database_file
    Path(f"{file}-wal").write_bytes(b"wal frames")
    Path(f"{file}-shm").write_bytes(b"shared memory")
    moved = move_aside(file, lambda: datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    assert Path(f"{moved}-wal").read_bytes() == b"wal frames"
    assert Path(f"{moved}-shm").read_bytes() == b"shared memory"
    assert side_files(file) == [] and not file.exists()
    # A second damaged file in the same second gets a name of its own.
    file.write_bytes(b"another")
    again = move_aside(file, lambda: datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    assert again != moved and again.read_bytes() == b"another"


def test_an_encrypted_database_is_checked_with_its_passphrase(paths):
    backup, counts_then = make_database(paths, PASSPHRASE)
    assert check_database_file(paths, None, PASSPHRASE).ok
    with pytest.raises(PassphraseRequired):
        check_database_file(paths)
    with pytest.raises(WrongPassphrase):
        check_database_file(paths, None, "not the passphrase")
    corrupt(paths.database_file, PASSPHRASE)
    before = digest(paths.database_file)
    assert not check_database_file(paths, None, PASSPHRASE).ok
    assert digest(paths.database_file) == before
    # Backups under another passphrase (or plain ones) are not offered.
    assert newest_good_backup(paths) is None
    good = newest_good_backup(paths, PASSPHRASE)
    assert good is not None and good.path == backup.path
    moved = move_aside(paths.database_file)
    restore_from(good, paths, passphrase=PASSPHRASE, damaged=moved)
    counts_now = counts_of(paths.database_file, PASSPHRASE)
    assert counts_now.pop("audit_events") == counts_then.pop("audit_events") + 1
    assert counts_now == counts_then


def test_check_reads_a_database_left_with_a_write_ahead_log(paths):
    """After a crash the last transactions are in the -wal file: the check reads them too."""
    services = open_services(paths, None, lambda: TODAY)
    try:
        services.staffing.ensure_first_administrator("admin")
        assert side_files(paths.database_file)  # open: the -wal exists
        assert check_database_file(paths).ok
    finally:
        services.close()
    assert os.path.exists(paths.database_file)
