"""Single SQLite files: an explicit backup (SQLite's online backup API; owner-only, encrypted
with the database's passphrase when the database is), reading a file without ever writing to it,
checking one, and putting a checked copy in the database's place. Owner-only exports too."""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from careleaver_app.db.encryption import table_counts
from careleaver_app.db.engine import (
    check_key,
    check_passphrase,
    engine_passphrase,
    is_encrypted_file,
    make_engine,
    sqlite_file,
    sqlite_url,
)
from careleaver_app.db.migrate import backup_sqlite
from careleaver_app.db.models import AuditEvent
from careleaver_app.domain.errors import DomainError
from careleaver_app.services.actors import Actor
from careleaver_app.services.audit import record
from careleaver_app.services.database import Database
from careleaver_app.services.permissions import Action, require


@dataclass(frozen=True, slots=True)
class FileCheck:
    """What `PRAGMA quick_check` or `integrity_check` said about a file ("ok" or problems)."""

    ok: bool
    problems: tuple[str, ...]
    counts: dict[str, int] | None = None  # rows per table, when asked for and the file is ok


def backup_database(db: Database, actor: Actor, target: Path, today: date) -> Path:
    """Copy the whole database to `target` (a file, or a folder to put a dated file in)."""
    # A backup is a copy of every record: the same rule as in the app, even from a shell.
    require(actor, Action.BACKUP)
    source = sqlite_file(db.engine.url)
    if db.dialect != "sqlite" or source is None:
        raise DomainError("backup copies a SQLite database; use pg_dump for PostgreSQL")
    if target.is_dir():
        target = target / f"{source.stem}-{today.isoformat()}.sqlite3"
    if target.resolve() == source.resolve():
        raise DomainError("path: the backup cannot overwrite the database itself")
    try:
        backup_sqlite(source, target, engine_passphrase(db.engine))
    except OSError as exc:
        raise DomainError(f"path: could not write the backup: {exc.strerror or exc}") from exc
    with db.transaction() as session:
        record(session, actor, "export", "database", None, detail=f"backup to {target}")
    return target


def write_owner_only(target: Path, data: bytes) -> Path:
    """Write an export or a printout (CSV, JSON, PDF) readable by its owner only, whole or not
    at all: a new file beside `target`, created 0600, renamed over it when complete."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, 0o600)  # in case the umask or the file system widened it
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise DomainError(f"path: could not write {target}: {exc.strerror or exc}") from exc
    return target


# -- reading and checking a file without writing to it ----------------------------------


def _driver_errors() -> tuple[type[Exception], ...]:
    errors: list[type[Exception]] = [sqlite3.DatabaseError]
    with contextlib.suppress(ImportError):
        from sqlcipher3 import dbapi2

        errors.append(dbapi2.DatabaseError)
    return tuple(errors)


def open_read_only(path: Path, passphrase: str | None = None, *, immutable: bool = True) -> Any:
    """A DB-API connection that cannot write to `path` (SQLite's `mode=ro`).

    `immutable` also tells SQLite that nothing else is writing, so it takes no locks and makes no
    -wal or -shm files: right for backups and for a database nobody has open (no -wal file).
    """
    uri = path.resolve().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")
    if passphrase is None:
        conn: Any = sqlite3.connect(uri, uri=True, isolation_level=None)
    else:
        check_passphrase(passphrase)
        try:
            from sqlcipher3 import dbapi2
        except ImportError as exc:
            raise DomainError(
                "passphrase: encrypted databases need the sqlcipher3 package, which is not "
                "installed on this computer"
            ) from exc
        conn = dbapi2.connect(uri, uri=True, isolation_level=None)
        conn.execute("PRAGMA key = '" + passphrase.replace("'", "''") + "'")
    check_key(conn, path, passphrase is not None)
    return conn


def check_file(
    path: Path,
    passphrase: str | None = None,
    *,
    full: bool = False,
    counts: bool = False,
    live: bool = False,
) -> FileCheck:
    """Run `PRAGMA quick_check` (or the slower, thorough `integrity_check` when `full`) on
    `path` read-only. `live` is for a database that may have a -wal file to read as well.

    A wrong or missing passphrase raises WrongPassphrase; damage is reported, never raised.
    """
    immutable = not (live and Path(f"{path}-wal").exists())
    try:
        conn = open_read_only(path, passphrase, immutable=immutable)
    except _driver_errors() as exc:
        return FileCheck(False, (str(exc),))
    try:
        pragma = "integrity_check" if full else "quick_check"
        problems = tuple(str(row[0]) for row in conn.execute(f"PRAGMA {pragma}(20)"))
        if problems != ("ok",):
            return FileCheck(False, problems)
        return FileCheck(True, (), table_counts(conn) if counts else None)
    except _driver_errors() as exc:
        return FileCheck(False, (str(exc),))
    finally:
        conn.close()


def schema_revision(path: Path, passphrase: str | None = None) -> str | None:
    """The Alembic revision stored in a Care Leaver Tracker file; None when it has none."""
    conn = open_read_only(path, passphrase)
    try:
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        if found is None:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])
    finally:
        conn.close()


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from careleaver_app.db.migrate import alembic_config

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def verify_backup(path: Path, passphrase: str | None) -> dict[str, int]:
    """Check that `path` is a whole, readable Care Leaver Tracker database this version can
    open: `integrity_check` passes and the schema is one we know. Returns its row counts."""
    if not path.is_file():
        raise DomainError(f"path: there is no backup at {path}")
    if is_encrypted_file(path) != (passphrase is not None):
        if passphrase is None:
            raise DomainError(
                f"The backup {path.name} is encrypted and the database is not; it was not restored."
            )
        raise DomainError(
            f"The backup {path.name} is not encrypted and the database is; restoring it would "
            "leave the records unencrypted on disk, so it was not restored."
        )
    check = check_file(path, passphrase, full=True, counts=True)
    if not check.ok:
        raise DomainError(
            f"The backup {path.name} is damaged ({'; '.join(check.problems[:3])}); it was not "
            "restored."
        )
    revision = schema_revision(path, passphrase)
    if revision is None:
        raise DomainError(f"{path.name} is not a Care Leaver Tracker database")
    if revision not in _known_revisions():
        raise DomainError(
            f"The backup {path.name} was written by a newer version of Care Leaver Tracker "
            f"(schema {revision}); install the newer version to restore it."
        )
    assert check.counts is not None
    return check.counts


# -- putting a copy in the database's place ---------------------------------------------


def remove_file(path: Path) -> None:
    for leftover in (path, *(Path(f"{path}{side}") for side in ("-journal", "-wal", "-shm"))):
        leftover.unlink(missing_ok=True)


def open_elsewhere(database_file: Path) -> bool:
    # SQLite removes -wal and -shm when the last connection closes; while they remain someone
    # still has the file open, and would go on writing to a file that is being replaced.
    return any(Path(f"{database_file}{side}").exists() for side in ("-wal", "-shm"))


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def install_backup(backup: Path, database_file: Path, passphrase: str | None) -> None:
    """Put a copy of `backup` where the database file is, whole or not at all.

    The database must be closed everywhere (no -wal or -shm file beside it).
    """
    if open_elsewhere(database_file):
        raise DomainError(
            "The database is open elsewhere (another window, or another user of this "
            "computer). Close it there and try again; nothing was changed."
        )
    database_file.parent.mkdir(parents=True, exist_ok=True)
    temp = database_file.with_name(f".{database_file.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as out, open(backup, "rb") as source:
            while chunk := source.read(1 << 20):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o600)
        check = check_file(temp, passphrase)
        if not check.ok:
            raise DomainError(f"the copy of {backup.name} did not read back; nothing was changed")
        os.replace(temp, database_file)
    except BaseException:
        remove_file(temp)
        raise
    with contextlib.suppress(OSError):
        _sync_folder(database_file.parent)


def record_restore(
    database_file: Path, passphrase: str | None, actor: Actor | None, detail: str
) -> None:
    """Audit a restore in the restored database itself (it is the record from now on). The
    actor is named only if the backup knows them by the same id: a backup from before their
    account was made has no row for them to point to."""
    engine = make_engine(sqlite_url(database_file), passphrase=passphrase)
    try:
        with engine.begin() as conn:
            actor_id = None
            if actor is not None:
                username = conn.execute(
                    text("SELECT username FROM staff WHERE id = :id"), {"id": actor.id}
                ).scalar()
                if username == actor.username:
                    actor_id = actor.id
                else:
                    detail += f" (by {actor.username}, who has no account in this backup)"
            conn.execute(
                insert(AuditEvent).values(
                    at=datetime.now(UTC),
                    actor_id=actor_id,
                    action="restore",
                    entity="database",
                    entity_id=None,
                    detail=detail,
                )
            )
    finally:
        engine.dispose()
