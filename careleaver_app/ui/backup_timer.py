"""Automatic backups while the app runs: every 30 minutes when something was saved, and once
more on close. The copy runs off the GUI thread (a county's database takes a second or two);
the one on close runs in place, since the app waits for it anyway.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QTimer, Signal

from careleaver_app.domain.errors import DomainError
from careleaver_app.services.actors import Actor
from careleaver_app.services.backups import BackupInfo, Backups

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_MS = 30 * 60 * 1000


class BackupTimer(QObject):
    """Calls `backups.take_if_changed` on a timer; `stop_and_backup()` on close.

    A failure (a full disk, a backups folder gone) never interrupts the user: it is logged and
    `backup_failed` says why, and the next tick tries again.
    """

    backup_taken = Signal(object)  # BackupInfo
    backup_failed = Signal(str)

    def __init__(
        self,
        backups: Backups,
        actor: Actor | None = None,
        interval_ms: int = DEFAULT_INTERVAL_MS,
        parent: QObject | None = None,
        *,
        threaded: bool = True,
    ) -> None:
        super().__init__(parent)
        self.backups = backups
        self._actor = actor
        self._threaded = threaded
        self._worker: threading.Thread | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._timer.timeout.connect(self._on_timer_timeout)

    def set_actor(self, actor: Actor | None) -> None:
        """Whoever is signed in now (named in the log only: backups need no permission)."""
        self._actor = actor

    def start(self) -> None:
        if self.backups.available:
            self._timer.start()

    def stop(self) -> None:
        """Stop the timer and wait for a backup under way to finish."""
        self._timer.stop()
        self._wait()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    @property
    def busy(self) -> bool:
        return self._worker is not None and self._worker.is_alive()

    def stop_and_backup(self) -> BackupInfo | None:
        """For the app's close: stop, then back up anything saved since the last backup, here
        and now. Returns the backup, or None when there was nothing new (or it failed)."""
        self.stop()
        return self._take("close")

    def backup_now(self, reason: str = "timer") -> None:
        """What a timer tick does; in a worker thread unless made with threaded=False."""
        if self.busy:
            return  # the last one is still copying: this tick has nothing to add
        if not self._threaded:
            self._take(reason)
            return
        self._worker = threading.Thread(
            target=self._take, args=(reason,), name="careleaver-backup", daemon=True
        )
        self._worker.start()

    def _on_timer_timeout(self) -> None:
        self.backup_now("timer")

    def _wait(self) -> None:
        if self._worker is not None:
            self._worker.join()
            self._worker = None

    def _take(self, reason: str) -> BackupInfo | None:
        # Signals emitted here from the worker reach their GUI-thread receivers queued.
        try:
            info = self.backups.take_if_changed(self._actor, reason)
        except DomainError as exc:
            log.warning("automatic backup (%s) failed: %s", reason, exc)
            self.backup_failed.emit(str(exc))
            return None
        except Exception as exc:  # the app must go on (and close) whatever happened here
            log.exception("automatic backup (%s) failed", reason)
            self.backup_failed.emit(f"{type(exc).__name__}: {exc}")
            return None
        if info is not None:
            self.backup_taken.emit(info)
        return info
