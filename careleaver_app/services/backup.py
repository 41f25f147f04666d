"""Backups of the embedded SQLite database, through SQLite's online backup API: owner-only,
and encrypted with the database's passphrase when the database is encrypted."""

from __future__ import annotations

import os
import secrets
from datetime import date
from pathlib import Path

from careleaver_app.db.engine import engine_passphrase, sqlite_file
from careleaver_app.db.migrate import backup_sqlite
from careleaver_app.domain.errors import DomainError
from careleaver_app.services.actors import Actor
from careleaver_app.services.audit import record
from careleaver_app.services.database import Database
from careleaver_app.services.permissions import Action, require


def backup_database(db: Database, actor: Actor, target: Path, today: date) -> Path:
    """Copy the whole database to `target` (a file, or a folder to put a dated file in)."""
    # A backup is a copy of every record: the same rule as in the app, even from a shell.
    require(actor, Action.BACKUP)
    source = sqlite_file(db.engine.url)
    if db.dialect != "sqlite" or source is None:
        raise DomainError("backup copies a SQLite database; use pg_dump for PostgreSQL")
    if target.is_dir():
        target = target / f"careleaver-{today.isoformat()}.sqlite3"
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
