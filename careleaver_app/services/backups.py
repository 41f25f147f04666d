"""Automatic backups of the local SQLite database, the list of them, and restoring one.

Backups go to the backups folder as `<database>-auto-<UTC time>-<marker>.sqlite3`, where the
marker is the newest audit event's id when the copy began: every change writes an audit event,
so a database whose newest event is the marker has not changed since that backup. Only
automatic backups are thinned (domain.backups); those taken before a restore or a migration and
those written by `careleaver-app backup` stay until someone deletes them.

Backup files are read with `immutable=1`, so checking or listing one never writes beside it
(services.backup has the single-file helpers).
"""

from __future__ import annotations

import glob
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from careleaver_app.db.engine import (
    engine_passphrase,
    is_encrypted_file,
    sqlite_file,
)
from careleaver_app.db.migrate import backup_sqlite
from careleaver_app.db.models import AuditEvent
from careleaver_app.domain.backups import DEFAULT_POLICY, RetentionPolicy, backups_to_keep
from careleaver_app.domain.errors import DomainError
from careleaver_app.paths import DATABASE_FILE
from careleaver_app.services.actors import Actor
from careleaver_app.services.backup import (
    install_backup,
    record_restore,
    remove_file,
    verify_backup,
)
from careleaver_app.services.database import Database
from careleaver_app.services.permissions import Action, require

if TYPE_CHECKING:
    from careleaver_app.paths import AppPaths
    from careleaver_app.services.container import Services
    from careleaver_app.services.database import Clock

log = logging.getLogger(__name__)

SUFFIX = ".sqlite3"
STAMP = "%Y%m%dT%H%M%SZ"
# db/migrate.py names its backups without the database's name; they are listed with the
# default database only (a demo database never sees them).
_MIGRATION = re.compile(r"^before-migration-(?P<rev>\w+)-(?P<stamp>\d{8}T\d{6}Z)\.sqlite3$")


class BackupKind(Enum):
    AUTOMATIC = "auto"
    BEFORE_RESTORE = "before-restore"
    BEFORE_MIGRATION = "before-migration"
    MANUAL = "manual"

    @property
    def label(self) -> str:
        return {
            BackupKind.AUTOMATIC: "Automatic",
            BackupKind.BEFORE_RESTORE: "Before a restore",
            BackupKind.BEFORE_MIGRATION: "Before an upgrade",
            BackupKind.MANUAL: "Manual",
        }[self]


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    taken_at: datetime  # aware, UTC
    size_bytes: int
    encrypted: bool
    kind: BackupKind
    marker: int | None = None  # automatic backups: the newest audit event id in the copy


@dataclass(frozen=True, slots=True)
class RestoreResult:
    """A restore has replaced the database file: the services it was made from are closed and
    must be opened again (`reopen_after_restore`) before anything else reads or writes."""

    restored: BackupInfo
    safety_backup: Path
    database_file: Path


def utc_now() -> datetime:
    return datetime.now(UTC)


# -- the backups folder ----------------------------------------------------------------------


def _pattern(database_file: Path) -> re.Pattern[str]:
    stem = re.escape(database_file.stem)
    return re.compile(
        rf"^{stem}-(?:(?P<kind>auto|before-restore)-(?P<stamp>\d{{8}}T\d{{6}}Z)"
        rf"(?:-(?P<marker>\d+))?|(?P<day>\d{{4}}-\d{{2}}-\d{{2}}))\.sqlite3$"
    )


def _parse(path: Path, database_file: Path) -> BackupInfo | None:
    match = _pattern(database_file).match(path.name)
    migration = _MIGRATION.match(path.name) if database_file.name == DATABASE_FILE else None
    if match is None and migration is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    marker = None
    if match is not None and match["day"] is not None:
        kind = BackupKind.MANUAL
        # `backup_database` names a file by date only: its modification time is when it was made.
        taken_at = datetime.fromtimestamp(stat.st_mtime, UTC)
    else:
        found = match if match is not None else migration
        assert found is not None
        kind = BackupKind(found["kind"]) if match is not None else BackupKind.BEFORE_MIGRATION
        taken_at = datetime.strptime(found["stamp"], STAMP).replace(tzinfo=UTC)
        if match is not None and match["marker"] is not None:
            marker = int(match["marker"])
    return BackupInfo(path, taken_at, stat.st_size, is_encrypted_file(path), kind, marker)


def list_backups(folder: Path, database_file: Path) -> list[BackupInfo]:
    """The backups of `database_file` in `folder`, newest first."""
    if not folder.is_dir():
        return []
    found = [
        info
        for path in folder.iterdir()
        if path.suffix == SUFFIX and (info := _parse(path, database_file)) is not None
    ]
    return sorted(found, key=lambda i: (i.taken_at, i.path.name), reverse=True)


def describe_backup(info: BackupInfo) -> str:
    local = info.taken_at.astimezone()
    return f"{info.kind.label.lower()} backup of {local:%d %B %Y %H:%M} ({info.path.name})"


# -- the service -----------------------------------------------------------------------------

_file_locks: dict[Path, threading.Lock] = {}
_file_locks_guard = threading.Lock()


def _lock_for(file: Path) -> threading.Lock:
    """One lock per database file in this process: a timer's backup and a restore never
    overlap, whichever Backups object each came through."""
    with _file_locks_guard:
        return _file_locks.setdefault(file.resolve(), threading.Lock())


class Backups:
    """Backups of the SQLite database `db` opens, kept in `backups_dir`.

    Automatic backups (`take_if_changed`) are a system action: no permission, whoever is
    signed in, and logged rather than audited (an audit event would itself be a change, and
    the next check would back up again). `restore` is an administrator's, and is audited.
    """

    def __init__(
        self,
        db: Database,
        backups_dir: Path,
        now: Callable[[], datetime] = utc_now,
        policy: RetentionPolicy = DEFAULT_POLICY,
    ) -> None:
        self.db = db
        self.backups_dir = backups_dir
        self._now = now
        self.policy = policy
        self._marker: int | None = None

    @property
    def database_file(self) -> Path | None:
        """The SQLite file backed up; None for PostgreSQL (the server's own backups apply)."""
        if self.db.dialect != "sqlite":
            return None
        return sqlite_file(self.db.engine.url)

    @property
    def available(self) -> bool:
        return self.database_file is not None

    def _file(self) -> Path:
        file = self.database_file
        if file is None:
            raise DomainError(
                "Backups here are of the local SQLite database; a PostgreSQL server is backed "
                "up by its administrators (pg_dump)."
            )
        return file

    @property
    def _passphrase(self) -> str | None:
        return engine_passphrase(self.db.engine)

    def list_backups(self) -> list[BackupInfo]:
        """Every backup of this database in the backups folder, newest first."""
        file = self.database_file
        return [] if file is None else list_backups(self.backups_dir, file)

    def current_marker(self) -> int:
        """The newest audit event's id (0 for none): it moves whenever anything is saved."""
        with self.db.transaction(write=False) as session:
            return session.scalar(select(func.max(AuditEvent.id))) or 0

    def _last_marker(self) -> int | None:
        if self._marker is None:
            autos = [b for b in self.list_backups() if b.kind is BackupKind.AUTOMATIC]
            self._marker = autos[0].marker if autos else None
        return self._marker

    def take_if_changed(
        self, actor: Actor | None = None, reason: str = "timer"
    ) -> BackupInfo | None:
        """An online backup if anything was saved since the last automatic one, then thinning.
        None when nothing changed (or the database is not a local file)."""
        file = self.database_file
        if file is None:
            return None
        with _lock_for(file):
            marker = self.current_marker()
            if marker == self._last_marker():
                return None
            now = self._now()
            info = self._take(file, BackupKind.AUTOMATIC, now, marker)
            self._marker = marker
            deleted = self._thin(file, max(now, info.taken_at))
        who = actor.username if actor else "the system"
        log.info(
            "automatic backup (%s, for %s) to %s; %d old backups removed",
            reason,
            who,
            info.path.name,
            len(deleted),
        )
        return info

    def _take(
        self, file: Path, kind: BackupKind, now: datetime, marker: int | None = None
    ) -> BackupInfo:
        moment = now.astimezone(UTC).replace(microsecond=0)
        ending = (f"-{marker}" if marker is not None else "") + SUFFIX
        while True:
            name = f"{file.stem}-{kind.value}-{moment.strftime(STAMP)}"
            if not any(self.backups_dir.glob(f"{glob.escape(name)}*{SUFFIX}")):
                break
            # Two backups in one second (a frozen test clock): the later one's name moves on.
            moment += timedelta(seconds=1)
        target = self.backups_dir / (name + ending)
        self.backups_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            backup_sqlite(file, target, self._passphrase)
        except OSError as exc:
            raise DomainError(
                f"could not write the backup {target}: {exc.strerror or exc}"
            ) from exc
        stat = target.stat()
        return BackupInfo(
            target,
            moment,
            stat.st_size,
            self._passphrase is not None,
            kind,
            marker,
        )

    def thin(self) -> list[Path]:
        """Delete the automatic backups the retention rule no longer keeps; returns them."""
        file = self.database_file
        if file is None:
            return []
        with _lock_for(file):
            return self._thin(file, self._now())

    def _thin(self, file: Path, now: datetime) -> list[Path]:
        autos = [b for b in list_backups(self.backups_dir, file) if b.kind is BackupKind.AUTOMATIC]
        local = {b.taken_at.astimezone(): b for b in autos}
        keep = backups_to_keep(local, now.astimezone(), self.policy)
        deleted = []
        for moment, info in local.items():
            if moment not in keep:
                remove_file(info.path)
                deleted.append(info.path)
        return deleted

    def restore(self, actor: Actor, backup: Path) -> RestoreResult:
        """Replace the database with the backup at `backup` (administrators only).

        The backup is checked first (integrity_check, the same passphrase, a schema this
        version knows), then the current database is backed up beside the others
        (`…-before-restore-…`), the engine is closed and the file replaced. The restore is
        audited in the restored database.

        Contract: when this returns, the Services this came from are closed; open them again
        (`reopen_after_restore`) and rebuild whatever held them (sign in again: the accounts
        are the backup's). When it raises, the database is as it was and the same Services go
        on working (a disposed engine reconnects by itself).
        """
        require(actor, Action.BACKUP)
        file = self._file()
        backup = Path(backup)
        if backup.resolve() == file.resolve():
            raise DomainError("path: that is the database itself, not a backup of it")
        info = _parse(backup, file) or _describe_any(backup)
        passphrase = self._passphrase
        verify_backup(backup, passphrase)
        with _lock_for(file):
            safety = self._take(file, BackupKind.BEFORE_RESTORE, self._now())
            self.db.dispose()
            install_backup(backup, file, passphrase)
            self._marker = None
        record_restore(
            file,
            passphrase,
            actor,
            f"restored the {describe_backup(info)}; the database as it was is in "
            f"{safety.path.name}",
        )
        log.info("restored %s over %s (previous copy: %s)", backup, file, safety.path)
        return RestoreResult(info, safety.path, file)


def _describe_any(path: Path) -> BackupInfo:
    """A backup chosen from elsewhere (not named by us): dated by its modification time."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise DomainError(f"path: there is no backup at {path}") from exc
    return BackupInfo(
        path,
        datetime.fromtimestamp(stat.st_mtime, UTC),
        stat.st_size,
        is_encrypted_file(path),
        BackupKind.MANUAL,
    )


def reopen_after_restore(old: Services, paths: AppPaths, today: Clock) -> Services:
    """Services over the restored file, opened with the same URL and passphrase as `old` (the
    closed Services the restore came through); migrated if the backup's schema was older."""
    from careleaver_app.services.container import open_services

    engine = old.db.engine
    url = engine.url.set(drivername="sqlite+pysqlite", password=None).render_as_string(
        hide_password=False
    )
    return open_services(paths, url, today, passphrase=engine_passphrase(engine))
