"""Backups of the embedded SQLite database, through SQLite's online backup API."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from careleaver_app.db.engine import sqlite_file
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
    source = sqlite_file(str(db.engine.url))
    if db.dialect != "sqlite" or source is None:
        raise DomainError("backup copies a SQLite database; use pg_dump for PostgreSQL")
    if target.is_dir():
        target = target / f"careleaver-{today.isoformat()}.sqlite3"
    if target.resolve() == source.resolve():
        raise DomainError("path: the backup cannot overwrite the database itself")
    try:
        backup_sqlite(source, target)
    except OSError as exc:
        raise DomainError(f"path: could not write the backup: {exc.strerror or exc}") from exc
    with db.transaction() as session:
        record(session, actor, "export", "database", None, detail=f"backup to {target}")
    return target
