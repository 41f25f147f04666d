"""Engines for SQLite (the embedded default, optionally encrypted with SQLCipher) and PostgreSQL
(a shared team database).

An encrypted SQLite database is opened with `make_engine(url, passphrase=...)`: the URL people
store in settings stays plain, and the passphrase lives only in the engine's URL object, whose
rendering SQLAlchemy masks.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

# SQLite is the default database: its dialect is loaded with this module rather than by the
# first create_engine, so that the desktop app loads it before PySide6 (see app.py).
from sqlalchemy.dialects import sqlite as _sqlite_dialect  # noqa: F401
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import QueuePool

from careleaver_app.domain.errors import DomainError, FieldProblem, ValidationError, WrongPassphrase

BUSY_TIMEOUT_MS = 10_000
WRITE = "careleaver_write"  # execution option: this transaction will write

SQLITE_HEADER = b"SQLite format 3\x00"  # how every unencrypted SQLite file begins
CIPHER_DRIVER = "pysqlcipher"  # SQLAlchemy's SQLCipher driver, backed by the sqlcipher3 module


class PassphraseRequired(WrongPassphrase):
    """The database is encrypted and no passphrase was given: ask for one."""


def sqlite_url(path: Path) -> str:
    return f"sqlite+pysqlite:///{path}"


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use psycopg 3 for them."""
    return _normalised(make_url(url)).render_as_string(hide_password=False)


def _normalised(parsed: URL) -> URL:
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    return parsed


def sqlite_file(url: str | URL) -> Path | None:
    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    return Path(database)


def is_encrypted_file(path: Path) -> bool:
    """True when `path` holds data but not SQLite's plain header: SQLCipher encrypts page 1 too.

    A missing or empty file is not encrypted (it becomes whatever the first connection makes it).
    """
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return False
    return bool(head) and head != SQLITE_HEADER


def engine_passphrase(engine: Engine) -> str | None:
    """The passphrase an encrypted SQLite engine opens its file with; None for a plain one."""
    if engine.url.get_driver_name() != CIPHER_DRIVER:
        return None
    return engine.url.password


def check_passphrase(passphrase: str) -> None:
    if not passphrase:
        raise ValidationError(FieldProblem("passphrase", "is empty"))
    if "\x00" in passphrase:
        raise ValidationError(FieldProblem("passphrase", "contains a NUL character"))


def secure_file(path: Path) -> None:
    """Create the database file owner-only before SQLite does, so it is never world-readable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def _sqlcipher() -> Any:
    """The sqlcipher3 DB-API module, or a DomainError saying encryption is not available."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError as exc:
        raise DomainError(
            "passphrase: encrypted databases need the sqlcipher3 package, which is not "
            "installed on this computer"
        ) from exc
    return dbapi2


def _key_pragma(passphrase: str) -> str:
    # PRAGMA takes no bound parameters, so the passphrase is quoted as an SQL string literal.
    return "PRAGMA key = '" + passphrase.replace("'", "''") + "'"


def _passphrase_error(file: Path | None, encrypted: bool) -> WrongPassphrase:
    where = str(file) if file is not None else "the database"
    if not encrypted:
        return PassphraseRequired(
            f"The database {where} is encrypted: give its passphrase to open it. (If it was "
            "never encrypted, it is damaged or is not a Care Leaver Tracker database.)"
        )
    if file is not None and file.exists() and not is_encrypted_file(file):
        return WrongPassphrase(
            f"The database {where} is not encrypted: open it without a passphrase."
        )
    return WrongPassphrase(
        f"The passphrase does not unlock the database {where}. Check it (and Caps Lock) and "
        "try again; nothing was changed."
    )


def check_key(dbapi_connection: Any, file: Path | None, encrypted: bool) -> None:
    """Read the schema once: with a wrong key, or none, SQLite says 'file is not a database'.

    Closes the connection and raises WrongPassphrase (PassphraseRequired when `encrypted` is
    False) in that case; the file is only read, never written.
    """
    level = None
    if encrypted:
        # SQLCipher logs every failed page decryption to stderr; the error below says it better.
        level = dbapi_connection.execute("PRAGMA cipher_log_level").fetchone()
        dbapi_connection.execute("PRAGMA cipher_log_level = NONE")
    failure = None
    try:
        dbapi_connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception as exc:  # the driver's DatabaseError: sqlite3 or sqlcipher3
        if "file is not a database" not in str(exc):
            raise
        failure = exc
    finally:
        if level:
            dbapi_connection.execute(f"PRAGMA cipher_log_level = {level[0]}")
    if failure is not None:
        dbapi_connection.close()
        raise _passphrase_error(file, encrypted) from failure


def connect_file(path: Path, passphrase: str | None = None, *, sqlcipher: bool = False) -> Any:
    """A raw DB-API connection to the SQLite file `path` in autocommit mode, keyed and checked.

    A passphrase, or `sqlcipher=True`, gives a sqlcipher3 connection (which also reads plain
    files and has sqlcipher_export); otherwise a standard-library sqlite3 one.
    """
    timeout = BUSY_TIMEOUT_MS / 1000
    if passphrase is None and not sqlcipher:
        import sqlite3

        conn: Any = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    else:
        if passphrase is not None:
            check_passphrase(passphrase)
        conn = _sqlcipher().connect(str(path), timeout=timeout, isolation_level=None)
        if passphrase is not None:
            conn.execute(_key_pragma(passphrase))
    check_key(conn, path, passphrase is not None)
    return conn


def make_engine(url: str | URL, passphrase: str | None = None, **kwargs: Any) -> Engine:
    """An engine for `url`; with `passphrase`, the SQLite file is opened (or made) encrypted.

    Opening a file with the wrong passphrase, or an encrypted file without one, raises
    WrongPassphrase (PassphraseRequired) on the first connection, before anything is written.
    """
    parsed = _normalised(make_url(url))
    if parsed.get_backend_name() != "sqlite":
        if passphrase is not None:
            raise DomainError(
                "passphrase: encryption applies to the local SQLite database; a database "
                "server protects its own storage"
            )
        return create_engine(parsed, pool_pre_ping=True, **kwargs)
    if parsed.get_driver_name() == CIPHER_DRIVER:
        # A sqlite+pysqlcipher://:key@/path URL carries its key; without one it is plain SQLite.
        passphrase = passphrase if passphrase is not None else parsed.password
        parsed = parsed.set(drivername="sqlite+pysqlite", username=None, password=None)
    file = sqlite_file(parsed)
    encrypted = passphrase is not None
    if passphrase is not None:
        check_passphrase(passphrase)
        _sqlcipher()
        # SQLAlchemy's dialect issues PRAGMA key before anything else on each connection.
        parsed = parsed.set(drivername=f"sqlite+{CIPHER_DRIVER}", password=passphrase)
        if file is not None:
            # A pool like plain files get (the SQLCipher dialect's default is one per thread).
            kwargs.setdefault("poolclass", QueuePool)
    if file is not None:
        secure_file(file)
    engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (the driver's own deferred BEGIN would leave reads
        # outside the transaction), then set the pragmas the data's safety depends on.
        dbapi_connection.isolation_level = None
        check_key(dbapi_connection, file, encrypted)
        cursor = dbapi_connection.cursor()
        if file is not None:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if encrypted:
            # Sorts and temporary tables in memory: SQLite's temporary files are not encrypted.
            cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A write takes the write lock at once, so two writers queue on the busy timeout instead
        # of one failing when it upgrades a read snapshot that another writer has moved past.
        writes = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine
