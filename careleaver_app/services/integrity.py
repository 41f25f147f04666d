"""The start-up check of the local database: `PRAGMA quick_check`, read-only, before anything
opens the file for writing (open_services migrates). A damaged file is never written to: it is
moved aside, whole, and the newest backup that passes `integrity_check` takes its place.

The order at start-up: `check_database_file` → if damaged, `newest_good_backup` (offer it) →
on acceptance `move_aside` then `restore_from` → `open_services` as usual.

The check reads every page: seconds for a national file. It runs before opening only when
`needs_check_before_open` says the file may have been left torn (see there); otherwise the app
opens at once and runs the same check in the background (`check_database_file` is read-only,
so it can run beside the app's own connections).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from careleaver_app.db.engine import is_sqlite, sqlite_file
from careleaver_app.domain.errors import DomainError
from careleaver_app.paths import AppPaths
from careleaver_app.services.backup import (
    check_file,
    install_backup,
    record_restore,
    verify_backup,
)
from careleaver_app.services.backups import STAMP, BackupInfo, describe_backup, list_backups
from careleaver_app.services.container import database_url

SIDE_FILES = ("-wal", "-shm", "-journal")
CLEAN_MARKER = "clean-shutdown.json"


@dataclass(frozen=True, slots=True)
class IntegrityResult:
    """What the start-up check found. `database_file` is None for a database on a server (the
    server checks its own storage); a file not made yet is fine."""

    database_file: Path | None
    ok: bool
    problems: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.ok:
            return "The database passed its check." if self.database_file else "Nothing to check."
        shown = "; ".join(self.problems[:3]) + ("; …" if len(self.problems) > 3 else "")
        return f"The database {self.database_file} is damaged: {shown}"


def local_database_file(paths: AppPaths, url: str | None = None) -> Path | None:
    """The SQLite file `open_services(paths, url)` would open; None for PostgreSQL."""
    url = database_url(paths, url)
    return sqlite_file(url) if is_sqlite(url) else None


def check_database_file(
    paths: AppPaths, url: str | None = None, passphrase: str | None = None, *, full: bool = False
) -> IntegrityResult:
    """Run `PRAGMA quick_check` (`integrity_check` when `full`: slower, also checks indexes
    against their tables) on the local database without writing to it (or making it).

    An encrypted file needs its passphrase: without one, or with a wrong one, WrongPassphrase
    (PassphraseRequired) is raised, as open_services would. Damage is reported, not raised.
    """
    file = local_database_file(paths, url)
    if file is None:
        return IntegrityResult(None, True)
    if not file.exists() or file.stat().st_size == 0:
        return IntegrityResult(file, True)
    check = check_file(file, passphrase, full=full, live=True)
    return IntegrityResult(file, check.ok, check.problems)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def move_aside(path: Path, now: Callable[[], datetime] = _utc_now) -> Path:
    """Rename the damaged database (and its -wal and -shm, which belong to it) to
    `<name>.damaged-<UTC time>.sqlite3` in the same folder, without reading or writing it.
    Returns the new path. Its side files move first: a -wal left behind would be replayed into
    whatever file takes the old name."""
    stamp = now().astimezone(UTC).strftime(STAMP)
    target = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.stem}.damaged-{stamp}-{counter}{path.suffix}")
    for side in SIDE_FILES:
        source = Path(f"{path}{side}")
        if source.exists():
            os.replace(source, Path(f"{target}{side}"))
    os.replace(path, target)
    return target


def newest_good_backup(
    paths: AppPaths, passphrase: str | None = None, url: str | None = None
) -> BackupInfo | None:
    """The newest backup of the local database that opens with `passphrase` (None: plain),
    passes `integrity_check` and has a schema this version knows; None when there is none."""
    file = local_database_file(paths, url)
    if file is None:
        return None
    for info in list_backups(paths.backups_dir, file):
        if info.encrypted != (passphrase is not None):
            continue
        try:
            verify_backup(info.path, passphrase)
        except DomainError:  # damaged, another passphrase (WrongPassphrase), a newer version
            continue
        return info
    return None


def restore_from(
    backup: BackupInfo,
    paths: AppPaths,
    url: str | None = None,
    passphrase: str | None = None,
    *,
    damaged: Path | None = None,
) -> Path:
    """Put `backup` where the local database belongs, after the damaged file was moved aside
    (`damaged`, named in the audit event). Refuses to replace a file that is still there.

    No one is signed in yet, so the restore is audited (in the restored database) with no actor.
    """
    file = local_database_file(paths, url)
    if file is None:
        raise DomainError("restore applies to the local SQLite database")
    if file.exists():
        raise DomainError(
            f"The database {file} is still there: move it aside first; nothing was changed."
        )
    verify_backup(backup.path, passphrase)
    install_backup(backup.path, file, passphrase)
    why = f"; the damaged database was kept as {damaged.name}" if damaged else ""
    record_restore(
        file, passphrase, None, f"restored at start-up from the {describe_backup(backup)}{why}"
    )
    return file


# -- the clean-shutdown marker -------------------------------------------------------------
#
# Why a marker, and why these fields. A damaged file must be found before the app writes to it
# (migrations, the sign-in's audit event), so that it can be moved aside untouched. What
# damages a SQLite file in practice is a write that did not finish: a crash or power cut while
# the app had it open, or another program (a sync client, a copy, a second app) writing to it.
# A file that is byte for byte what this app left on a clean close has had neither, so it is
# opened at once and checked in the background, for the damage nothing writes (a failing
# disk), which the app reports as soon as it is found.
#
# The marker is written on a clean close, after the engine is disposed (SQLite has then
# folded the -wal into the file), and records the size and modification time of the file and
# of its -wal. Any write since changes one of them: a session that wrote and then crashed
# leaves frames in the -wal or a checkpointed file with a newer time; another program's write
# changes the time. A session that crashed having written nothing (the file untouched) cannot
# have torn it, which is why the marker is compared rather than deleted when the app opens the
# file. A marker naming another file, or none at all, means: check before opening.


def _fingerprint(file: Path) -> dict[str, object]:
    def state(path: Path) -> list[int] | None:
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        # An empty -wal (left by a reader that did not close) holds nothing to replay.
        return [stat.st_size, stat.st_mtime_ns] if stat.st_size else None

    return {"file": str(file.resolve()), "main": state(file), "wal": state(Path(f"{file}-wal"))}


def needs_check_before_open(paths: AppPaths, url: str | None = None) -> bool:
    """Whether the local file may have been left half-written since this app last closed it
    cleanly: then `check_database_file` must run before anything opens it for writing."""
    file = local_database_file(paths, url)
    if file is None or not file.exists() or file.stat().st_size == 0:
        return False  # a server checks its own storage; a new file has nothing to check
    try:
        recorded = json.loads((paths.data_dir / CLEAN_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    return bool(recorded != _fingerprint(file))


def record_clean_shutdown(paths: AppPaths, url: str | None = None) -> None:
    """After the app closed its database cleanly (services closed): remember the file as it
    was left. Nothing to do for a server."""
    file = local_database_file(paths, url)
    marker = paths.data_dir / CLEAN_MARKER
    if file is None or not file.exists():
        return
    temporary = marker.with_suffix(".tmp")
    temporary.write_text(json.dumps(_fingerprint(file)), encoding="utf-8")
    os.replace(temporary, marker)


def forget_clean_shutdown(paths: AppPaths) -> None:
    """The file is known or suspected to be damaged: check it before opening it next time."""
    (paths.data_dir / CLEAN_MARKER).unlink(missing_ok=True)
