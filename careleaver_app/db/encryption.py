"""Encrypting, decrypting and re-keying the SQLite file with SQLCipher, and copies that keep it.

Every conversion writes a new file with `sqlcipher_export`, checks it (it opens with its key,
passes quick_check, holds as many rows in every table) and only then takes the old file's place
in one rename: a failure at any step leaves the database as it was. New files are owner-only
from the moment they exist.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import Any

from careleaver_app.db.engine import check_passphrase, connect_file, is_encrypted_file
from careleaver_app.domain.errors import DomainError

EXPORT_SCHEMA = "careleaver_export"


def table_counts(conn: Any, schema: str = "main") -> dict[str, int]:
    """Rows in every stored table of `schema` (the search index's shadow tables included)."""
    names = [
        row[0]
        for row in conn.execute(
            f"SELECT name FROM \"{schema}\".sqlite_master WHERE type = 'table' AND rootpage > 0"
        )
    ]
    return {
        name: conn.execute(f'SELECT count(*) FROM "{schema}"."{name}"').fetchone()[0]
        for name in sorted(names)
    }


def _create_private(path: Path) -> None:
    """Make a new, empty, owner-only file; refuse to reuse one that is already there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)


def _temp_beside(path: Path) -> Path:
    # In the same folder, so that the final rename is atomic.
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


def _remove(path: Path) -> None:
    for leftover in (path, *(Path(f"{path}{side}") for side in ("-journal", "-wal", "-shm"))):
        leftover.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_copy(target: Path, passphrase: str | None, expected: dict[str, int]) -> None:
    if is_encrypted_file(target) != (passphrase is not None):
        state = "plain" if passphrase is not None else "encrypted"
        raise DomainError(f"the copy {target} came out {state}; nothing was changed")
    conn = connect_file(target, passphrase, sqlcipher=True)
    try:
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        counts = table_counts(conn)
    finally:
        conn.close()
    if check != "ok" or counts != expected:
        raise DomainError(
            f"the copy {target} does not match the database ({check}); nothing was changed"
        )


def export_file(
    source: Path,
    target: Path,
    source_passphrase: str | None,
    target_passphrase: str | None,
    *,
    hold_writers: bool = False,
) -> dict[str, int]:
    """Copy the whole of `source` into the new file `target`, encrypted with `target_passphrase`
    (plain when None), and check the copy. Returns the row count of every table.

    `hold_writers` keeps other connections from writing until the copy is made: for a copy that
    is about to replace the source.
    """
    if target_passphrase is not None:
        check_passphrase(target_passphrase)
    _create_private(target)
    try:
        conn = connect_file(source, source_passphrase, sqlcipher=True)
        try:
            # KEY '' attaches a plain database; ATTACH takes bound parameters, PRAGMA key does not.
            conn.execute(
                f"ATTACH DATABASE ? AS {EXPORT_SCHEMA} KEY ?",
                (str(target), target_passphrase or ""),
            )
            conn.execute("BEGIN IMMEDIATE" if hold_writers else "BEGIN")
            try:
                conn.execute(f"SELECT sqlcipher_export('{EXPORT_SCHEMA}')")
                for pragma in ("user_version", "application_id"):  # not copied by the export
                    value = int(conn.execute(f"PRAGMA main.{pragma}").fetchone()[0])
                    conn.execute(f"PRAGMA {EXPORT_SCHEMA}.{pragma} = {value}")
                expected = table_counts(conn, "main")
                copied = table_counts(conn, EXPORT_SCHEMA)
                if copied != expected:
                    raise DomainError(f"the copy {target} is missing rows; nothing was changed")
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(Exception):
                    conn.execute("ROLLBACK")
                raise
            conn.execute(f"DETACH DATABASE {EXPORT_SCHEMA}")
        finally:
            conn.close()
        _check_copy(target, target_passphrase, expected)
    except BaseException:
        _remove(target)
        raise
    return expected


def encrypt_file(source: Path, target: Path, passphrase: str) -> dict[str, int]:
    """Write an encrypted copy of the plain database `source` to the new file `target`.

    It reads through sqlcipher3's own SQLite: close this process's plain engines on `source`
    first (two SQLite libraries in one process do not see each other's file locks).
    """
    if is_encrypted_file(source):
        raise DomainError(f"{source} is already encrypted")
    return export_file(source, target, None, passphrase)


def decrypt_file(source: Path, target: Path, passphrase: str) -> dict[str, int]:
    """Write a plain copy of the encrypted database `source` to the new file `target`."""
    if not is_encrypted_file(source):
        raise DomainError(f"{source} is not encrypted")
    return export_file(source, target, passphrase, None)


def _open_elsewhere(path: Path) -> bool:
    # SQLite removes the -wal and -shm files when the last connection closes; while they remain,
    # someone still has the file open and would go on writing to the file being replaced.
    return any(Path(f"{path}{side}").exists() for side in ("-wal", "-shm"))


def replace_in_place(path: Path, current: str | None, new: str | None) -> dict[str, int]:
    """Rewrite the database at `path` from key `current` to key `new` (None: plain).

    Everyone must have closed the database first (engines disposed): a file still open elsewhere
    is refused, because writes made there would be lost.
    """
    if _open_elsewhere(path):
        raise DomainError(
            "The database is open elsewhere (another window, or another user of this "
            "computer). Close it there and try again; nothing was changed."
        )
    temp = _temp_beside(path)
    counts = export_file(path, temp, current, new, hold_writers=True)
    try:
        if _open_elsewhere(path):
            raise DomainError(
                "The database was opened elsewhere while it was being converted. Close it "
                "there and try again; nothing was changed."
            )
        os.replace(temp, path)
    except BaseException:
        _remove(temp)
        raise
    with contextlib.suppress(OSError):
        _sync_folder(path.parent)
    return counts


def encrypt_in_place(path: Path, passphrase: str) -> dict[str, int]:
    if is_encrypted_file(path):
        raise DomainError("The database is already encrypted; change its passphrase instead.")
    return replace_in_place(path, None, passphrase)


def decrypt_in_place(path: Path, passphrase: str) -> dict[str, int]:
    if not is_encrypted_file(path):
        raise DomainError("The database is not encrypted.")
    return replace_in_place(path, passphrase, None)


def change_passphrase(path: Path, current: str, new: str) -> dict[str, int]:
    """Re-encrypt under `new`. A fresh copy rather than PRAGMA rekey: rekey rewrites every page
    of the live file in place, and SQLCipher 4 does not support it for WAL databases that others
    have open; the copy leaves the file untouched until the new one is complete and checked."""
    if not is_encrypted_file(path):
        raise DomainError("The database is not encrypted; encrypt it first.")
    return replace_in_place(path, current, new)


def backup_file(source: Path, target: Path, passphrase: str | None = None) -> Path:
    """An online, consistent copy through SQLite's backup API (safe while others use it).

    The copy of an encrypted database is encrypted with the same passphrase; every copy is
    owner-only, written beside `target` and renamed into place when complete.
    """
    temp = _temp_beside(target)
    _create_private(temp)
    try:
        src = connect_file(source, passphrase)
        try:
            dst = connect_file(temp, passphrase)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        if passphrase is not None and not is_encrypted_file(temp):
            raise DomainError("the backup came out unencrypted; it was deleted")
        os.replace(temp, target)
    except BaseException:
        _remove(temp)
        raise
    os.chmod(target, 0o600)
    return target
