"""The embedded SQLite database: the pragmas its safety rests on, owner-only files, and write
transactions that queue for the lock instead of failing with 'database is locked'."""

from __future__ import annotations

import os
import sqlite3
import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from careleaver_app.db.engine import (
    BUSY_TIMEOUT_MS,
    engine_passphrase,
    is_encrypted_file,
    make_engine,
    sqlite_url,
)
from careleaver_app.services.database import Database


def pragma(services, name: str):  # type: ignore[no-untyped-def]
    with services.db.engine.connect() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_sqlite_uses_wal_full_sync_foreign_keys_and_a_busy_timeout(services):
    assert pragma(services, "journal_mode") == "wal"
    assert pragma(services, "synchronous") == 2  # FULL
    assert pragma(services, "foreign_keys") == 1
    assert pragma(services, "busy_timeout") == BUSY_TIMEOUT_MS
    assert BUSY_TIMEOUT_MS >= 5_000


def test_foreign_keys_are_enforced(services):
    with pytest.raises(IntegrityError), services.db.transaction() as session:
        session.execute(
            text(
                "INSERT INTO staff (username, display_name, role, team_id, email, active,"
                " created_at, version) VALUES ('x', 'X', 'administrator', 999, '', 1,"
                " '2026-11-26 00:00:00', 1)"
            )
        )


def test_database_file_and_data_folders_are_owner_only(services, staff, paths):
    """Case records are sensitive: nobody but the owner may read the file or list the folder."""
    assert paths.database_file.stat().st_mode & 0o777 == 0o600
    for folder in (paths.data_dir, paths.backups_dir, paths.logs_dir):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    # SQLite gives its -wal and -shm files the database file's permissions.
    for side in paths.data_dir.glob(paths.database_file.name + "-*"):
        assert side.stat().st_mode & 0o077 == 0, side


def test_database_file_is_owner_only_even_with_a_permissive_umask(tmp_path):
    previous = os.umask(0)
    try:
        engine = make_engine(sqlite_url(tmp_path / "new" / "db.sqlite3"))
        with engine.connect() as conn:
            conn.exec_driver_sql("CREATE TABLE t (x)")
        engine.dispose()
    finally:
        os.umask(previous)
    assert (tmp_path / "new" / "db.sqlite3").stat().st_mode & 0o777 == 0o600


# -- write transactions take the lock at BEGIN ----------------------------------------------


def other_writer_can_begin(path) -> bool:  # type: ignore[no-untyped-def]
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        other.close()


def test_a_write_transaction_holds_the_write_lock_from_its_start(services, paths):
    """BEGIN IMMEDIATE: a second writer waits at its BEGIN, never midway through its work."""
    with services.db.transaction():
        assert not other_writer_can_begin(paths.database_file)
    with services.db.transaction(write=False):
        assert other_writer_can_begin(paths.database_file)
    assert other_writer_can_begin(paths.database_file)


@pytest.mark.parametrize("engines", ["one shared engine", "an engine per thread"])
def test_concurrent_writers_serialise_without_lost_updates_or_lock_errors(services, paths, engines):
    """Two threads read-modify-write the same row; every increment lands, none fails."""
    with services.db.transaction() as session:
        session.execute(text("INSERT INTO teams (name, active, version) VALUES ('T', 1, 0)"))
    rounds = 15
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(db: Database) -> None:
        try:
            barrier.wait()
            for _ in range(rounds):
                with db.transaction() as session:
                    value = session.execute(
                        text("SELECT version FROM teams WHERE name = 'T'")
                    ).scalar_one()
                    time.sleep(0.002)  # widen the window another writer could slip into
                    session.execute(
                        text("UPDATE teams SET version = :v WHERE name = 'T'"), {"v": value + 1}
                    )
        except BaseException as exc:
            errors.append(exc)

    if engines == "one shared engine":
        dbs = [services.db, services.db]
    else:
        dbs = [Database(make_engine(sqlite_url(paths.database_file))) for _ in range(2)]
    threads = [threading.Thread(target=work, args=(db,)) for db in dbs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for db in dbs:
        if db is not services.db:
            db.dispose()

    assert errors == []
    with services.db.transaction(write=False) as session:
        final = session.execute(text("SELECT version FROM teams WHERE name = 'T'")).scalar_one()
    assert final == 2 * rounds


def test_a_plain_database_is_plain_sqlite_on_disk(services, paths):
    """Without a passphrase nothing changes: the standard driver and SQLite's own file format."""
    assert services.db.engine.dialect.driver == "pysqlite"
    assert engine_passphrase(services.db.engine) is None
    assert paths.database_file.read_bytes()[:16] == b"SQLite format 3\x00"
    assert not is_encrypted_file(paths.database_file)
    assert not is_encrypted_file(paths.data_dir / "missing.sqlite3")
