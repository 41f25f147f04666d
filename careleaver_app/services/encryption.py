"""Encryption at rest for the local SQLite database: an administrator encrypts it, changes its
passphrase or decrypts it, and the change is audited in the database it produced.

Each call rewrites the file, so nobody else may have it open (it is refused if they do). The
Database given is re-opened on the new file, so the services built over it go on working.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from careleaver_app.db import encryption as files
from careleaver_app.db.engine import (
    SQLITE_HEADER,
    engine_passphrase,
    make_engine,
    sqlite_file,
    sqlite_url,
)
from careleaver_app.domain.auth import password_problems
from careleaver_app.domain.errors import DomainError, FieldProblem, ValidationError, WrongPassphrase
from careleaver_app.services.actors import Actor
from careleaver_app.services.audit import record
from careleaver_app.services.database import Database
from careleaver_app.services.permissions import Action, require


def is_encrypted(db: Database) -> bool:
    """The database is an encrypted SQLite file (opened with a passphrase)."""
    return engine_passphrase(db.engine) is not None


def plain_copies(folder: Path) -> list[Path]:
    """Unencrypted SQLite files in `folder` (say, backups taken before the database was
    encrypted): they still hold every record in the clear, so offer to delete them."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.is_file() and _plain_sqlite(path))


def _plain_sqlite(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def check_new_passphrase(passphrase: str) -> None:
    """Raise ValidationError unless `passphrase` may protect the database: the same policy as
    passwords (long rather than complicated), so the first-run dialog and this agree."""
    problems = password_problems(passphrase, field="passphrase")
    if "\x00" in passphrase:
        problems.append(FieldProblem("passphrase", "contains a NUL character"))
    if problems:
        raise ValidationError(problems)


def encrypt_database(db: Database, actor: Actor, passphrase: str) -> Path:
    """Encrypt the plain database with `passphrase`; returns its file."""
    require(actor, Action.MANAGE_SETTINGS)
    file = _file(db)
    if is_encrypted(db):
        raise DomainError("The database is already encrypted; change its passphrase instead.")
    check_new_passphrase(passphrase)
    return _convert(
        db,
        actor,
        file,
        passphrase,
        lambda: files.encrypt_in_place(file, passphrase),
        "encrypted",
        "the database file is now encrypted",
    )


def change_passphrase(db: Database, actor: Actor, current: str, new: str) -> Path:
    """Re-encrypt the database under `new`; `current` must be the passphrase it opened with."""
    require(actor, Action.MANAGE_SETTINGS)
    file = _file(db)
    _check_current(db, current)
    check_new_passphrase(new)
    if secrets.compare_digest(current.encode(), new.encode()):
        raise ValidationError(FieldProblem("passphrase", "is the same as the current one"))
    return _convert(
        db,
        actor,
        file,
        new,
        lambda: files.change_passphrase(file, current, new),
        "passphrase_changed",
        "the database passphrase was changed",
    )


def decrypt_database(db: Database, actor: Actor, current: str) -> Path:
    """Store the database unencrypted again; `current` confirms the passphrase."""
    require(actor, Action.MANAGE_SETTINGS)
    file = _file(db)
    _check_current(db, current)
    return _convert(
        db,
        actor,
        file,
        None,
        lambda: files.decrypt_in_place(file, current),
        "decrypted",
        "the database file is no longer encrypted",
    )


def _file(db: Database) -> Path:
    file = sqlite_file(db.engine.url) if db.dialect == "sqlite" else None
    if file is None:
        raise DomainError(
            "Encryption applies to the local SQLite database file; a database server protects "
            "its own storage."
        )
    return file


def _check_current(db: Database, given: str) -> None:
    actual = engine_passphrase(db.engine)
    if actual is None:
        raise DomainError("The database is not encrypted.")
    if not secrets.compare_digest(given.encode(), actual.encode()):
        raise WrongPassphrase("The current passphrase is wrong; nothing was changed.")


def _convert(
    db: Database,
    actor: Actor,
    file: Path,
    new: str | None,
    convert: Callable[[], object],
    action: str,
    detail: str,
) -> Path:
    # The pooled connections hold the file open; the conversion refuses a file open anywhere.
    db.engine.dispose()
    convert()
    _rebind(db, make_engine(sqlite_url(file), passphrase=new))
    with db.transaction() as session:
        record(session, actor, action, "database", None, detail=detail)
    return file


def _rebind(db: Database, engine: Engine) -> None:
    """Point `db` (and so every service sharing it) at the converted file."""
    old = db.engine
    db.engine = engine
    db._sessions.configure(bind=engine)
    old.dispose()
