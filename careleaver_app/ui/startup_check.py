"""The local database's integrity check at start-up: before opening after an unclean shutdown,
or on a worker once the window is up after a clean close; with the restore of a good backup."""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox

from careleaver_app.paths import AppPaths
from careleaver_app.services.container import Services, open_services

log = logging.getLogger("careleaver_app")


def _tr(text: str) -> str:
    return QCoreApplication.translate("App", text)


class DeclinedRestore(Exception):
    """The database is damaged and the user chose not to restore a backup: quit."""


def open_checked(
    paths: AppPaths, url: str | None, today, passphrase: str | None = None
) -> tuple[Services, IntegrityWatch | None]:
    """Open the local database, checked before anything writes to it when it may have been
    left half-written (an unclean shutdown, or a change by another program: see
    services.integrity.needs_check_before_open); a file as a clean close left it is opened at
    once, and the returned IntegrityWatch checks it once the window is up."""
    from careleaver_app.domain.errors import WrongPassphrase
    from careleaver_app.services.integrity import needs_check_before_open

    if needs_check_before_open(paths, url):
        check_or_offer_restore(paths, url, passphrase)
        return open_services(paths, url, today, passphrase=passphrase), None
    try:
        return open_services(paths, url, today, passphrase=passphrase), IntegrityWatch(
            paths, url, passphrase
        )
    except WrongPassphrase:
        raise
    except Exception:
        # Damage that even opening trips over (a failing disk since the clean close): the
        # check and the restore that were skipped happen now. A file that passes was refused
        # for another reason, which is reported as before.
        log.exception("the database did not open; checking it")
        if not check_or_offer_restore(paths, url, passphrase):
            raise
        return open_services(paths, url, today, passphrase=passphrase), None


def check_or_offer_restore(paths: AppPaths, url: str | None, passphrase: str | None) -> bool:
    """quick_check the local file, read-only; a damaged file is moved aside (never written to)
    and the newest backup that passes its own check is offered. True when a backup was
    restored; DeclinedRestore when the file is damaged and stays as it is."""
    from careleaver_app.services.integrity import (
        check_database_file,
        move_aside,
        newest_good_backup,
        restore_from,
    )

    result = check_database_file(paths, url, passphrase)
    if result.ok:
        return False
    log.error("start-up check failed: %s", result.describe())
    title = _tr("Care Leaver Tracker")
    good = newest_good_backup(paths, passphrase, url)
    if good is None:
        QMessageBox.critical(
            None,
            title,
            result.describe()
            + "\n\n"
            + _tr(
                "No backup passes its check, so the file was left as it is. Ask your "
                "administrator or IT support for help; do not delete the file."
            ),
        )
        raise DeclinedRestore
    answer = QMessageBox.question(
        None,
        title,
        result.describe()
        + "\n\n"
        + _tr("The damaged file will be kept aside, untouched. Restore the backup taken on %s?")
        % good.taken_at.astimezone().strftime("%d/%m/%Y %H:%M"),
    )
    if answer != QMessageBox.StandardButton.Yes:
        raise DeclinedRestore
    moved = move_aside(result.database_file)
    restore_from(good, paths, url, passphrase, damaged=moved)
    return True


# The background check waits this long after the window is shown: the first paint and the
# first list are what the user is waiting for, and the check reads the whole file.
CHECK_DELAY_MS = 5_000


class IntegrityWatch(QObject):
    """The start-up check run after the window is up, on a worker thread with its own read-only
    connection, for a file that a clean close left as it is. Damage is rare, and then the user
    is told at once and offered the same restore as at start-up (after closing the app, since
    the damaged file must be moved aside whole)."""

    damage_found = Signal(object)  # IntegrityResult

    def __init__(
        self,
        paths: AppPaths,
        url: str | None,
        passphrase: str | None,
        delay_ms: int | None = None,
    ) -> None:
        super().__init__()
        self.paths, self.url, self.passphrase = paths, url, passphrase
        self.delay_ms = CHECK_DELAY_MS if delay_ms is None else delay_ms
        self.damage: Any = None  # the IntegrityResult, once damage was found
        self.restore_requested = False
        self.thread: threading.Thread | None = None
        self.window: Any = None

    def start(self, window: Any) -> None:
        self.window = window
        self.damage_found.connect(self._on_damage_found)
        QTimer.singleShot(self.delay_ms, self._start_thread)

    def _start_thread(self) -> None:
        self.thread = threading.Thread(target=self._check, name="careleaver-check", daemon=True)
        self.thread.start()

    def _check(self) -> None:
        from careleaver_app.services.integrity import check_database_file

        try:
            result = check_database_file(self.paths, self.url, self.passphrase)
        except Exception:  # the check must never take the app down; the next start checks
            log.exception("background integrity check could not run")
            return
        if result.ok:
            log.info("background integrity check passed")
            return
        with contextlib.suppress(RuntimeError):  # the app closed while the check ran
            self.damage_found.emit(result)  # queued to the GUI thread

    def _on_damage_found(self, result: Any) -> None:
        from careleaver_app.services.integrity import forget_clean_shutdown

        log.error("background integrity check failed: %s", result.describe())
        self.damage = result
        forget_clean_shutdown(self.paths)  # whatever happens now, check before the next open
        answer = QMessageBox.question(
            self.window,
            _tr("Care Leaver Tracker"),
            result.describe()
            + "\n\n"
            + _tr(
                "Save nothing more in this file. Close Care Leaver Tracker now to keep the "
                "damaged file aside and restore the newest good backup? If you carry on, you "
                "will be offered the backup the next time the app starts."
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_requested = True
            self.window.close()


def restore_after_close(paths: AppPaths, url: str | None, passphrase: str | None) -> None:
    """The background check found damage and the user chose to restore: the app has closed the
    file, so it can be moved aside whole and the newest good backup put in its place."""
    try:
        restored = check_or_offer_restore(paths, url, passphrase)
    except DeclinedRestore:
        return
    if restored:
        QMessageBox.information(
            None,
            _tr("Care Leaver Tracker"),
            _tr("The backup was restored. Start Care Leaver Tracker again to carry on."),
        )
