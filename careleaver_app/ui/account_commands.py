"""Signing in and out, locking, one's own password, and the administrators' and managers'
screens (users, settings, audit trail, record history, purge), kept out of the main window."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from careleaver_app.config import AppConfig
from careleaver_app.domain.errors import DomainError, ValidationError
from careleaver_app.services.actors import Actor
from careleaver_app.services.permissions import Action, allowed, scope_for
from careleaver_app.ui.actions import ActionId
from careleaver_app.ui.sign_in_dialog import SignInDialog

if TYPE_CHECKING:
    from careleaver_app.ui.lock import LockController
    from careleaver_app.ui.main_window import MainWindow


class AccountCommands(QObject):
    def __init__(self, window: MainWindow, sign_in_hint: str = "") -> None:
        super().__init__(window)
        self.window = window
        self.hint = sign_in_hint
        self.lock: LockController | None = None
        self.backup_timer: Any = None
        self.paths: Any = None
        self.restored = False

    def attach_backups(self, timer: Any, paths: Any) -> None:
        self.backup_timer = timer
        self.paths = paths

    def attach_lock(self, lock: LockController) -> None:
        self.lock = lock
        lock.username = self.window.actor.username

    def update_actions(self) -> None:
        w = self.window
        a = w.actions_by_id
        actor = w.actor
        view = w.current_record()
        a[ActionId.LOCK_NOW].setEnabled(self.lock is not None)
        for action_id, action in (
            (ActionId.USERS, Action.MANAGE_STAFF),
            (ActionId.ADMIN_SETTINGS, Action.MANAGE_SETTINGS),
            (ActionId.AUDIT_SEARCH, Action.SEARCH_AUDIT),
            (ActionId.ENCRYPTION, Action.MANAGE_SETTINGS),
            (ActionId.RESTORE, Action.BACKUP),
        ):
            a[action_id].setVisible(allowed(actor, action))
            a[action_id].setEnabled(allowed(actor, action))
        history = scope_for(actor, Action.VIEW_RECORD_HISTORY) is not None
        a[ActionId.RECORD_HISTORY].setVisible(history)
        a[ActionId.RECORD_HISTORY].setEnabled(
            view is not None
            and allowed(
                actor,
                Action.VIEW_RECORD_HISTORY,
                team_id=view.record.team_id,
                pa_id=view.record.pa_id,
            )
        )
        if self.backup_timer is None:
            a[ActionId.RESTORE].setEnabled(False)
        purge = scope_for(actor, Action.PURGE_PERSON) is not None
        a[ActionId.PURGE_RECORD].setVisible(purge)
        a[ActionId.PURGE_RECORD].setEnabled(
            purge and view is not None and view.record.retention_date <= w.today()
        )

    # -- signing in and out ---------------------------------------------------------------

    def switch_user(self) -> None:
        w = self.window
        dialog = SignInDialog(
            w.services.staffing.sign_in, w.db_label.text(), "", self.hint, parent=w
        )
        dialog.setWindowTitle(self.tr("Sign in as someone else"))
        if not dialog.exec() or dialog.actor is None:
            return
        w.services.staffing.sign_out(w.actor)
        w.replace_actor(dialog.actor)
        if self.lock is not None:
            self.lock.username = dialog.actor.username
        config = AppConfig.load(w.config_file) or AppConfig()
        AppConfig(config.database_url, dialog.actor.username).save(w.config_file)

    def lock_now(self) -> None:
        if self.lock is not None:
            self.lock.lock("manual")

    def change_password(self) -> None:
        w = self.window
        current, ok = QInputDialog.getText(
            w, self.tr("Change my password"), self.tr("Current password:"), _secret()
        )
        if not ok:
            return
        new, ok = QInputDialog.getText(
            w,
            self.tr("Change my password"),
            self.tr("New password (at least 10 characters):"),
            _secret(),
        )
        if not ok:
            return
        again, ok = QInputDialog.getText(
            w, self.tr("Change my password"), self.tr("New password again:"), _secret()
        )
        if not ok:
            return
        if new != again:
            QMessageBox.warning(
                w, self.tr("Change my password"), self.tr("The two new passwords differ.")
            )
            return
        try:
            w.services.staffing.change_own_password(w.actor, current, new)
        except DomainError as exc:
            QMessageBox.warning(w, self.tr("Change my password"), _message(exc))
            return
        w.statusBar().showMessage(self.tr("Your password has been changed."), 8000)

    # -- administrators and managers -------------------------------------------------------

    def users(self) -> None:
        from careleaver_app.ui.users_dialog import UsersDialog

        UsersDialog(self.window.services, self.window.actor, self.window).exec()

    def admin_settings(self) -> None:
        from careleaver_app.ui.admin_settings_dialog import AdminSettingsDialog

        w = self.window
        AdminSettingsDialog(w.services, w.actor, w).exec()
        if self.lock is not None:
            self.lock.set_timeout_minutes(w.services.staffing.idle_lock_minutes())

    def audit_search(self) -> None:
        from careleaver_app.ui.audit_views import AuditSearchDialog

        AuditSearchDialog(self.window.services, self.window.actor, self.window).exec()

    def record_history(self) -> None:
        from careleaver_app.ui.audit_views import RecordHistoryDialog

        w = self.window
        view = w.current_record()
        if view is None:
            return
        RecordHistoryDialog(w.services, w.actor, view.record.id, view.record.name, w).exec()

    def restore(self) -> None:
        """Replace the database with a backup; the app then closes, to be started and signed in
        again, because the accounts and records are now the backup's."""
        from careleaver_app.ui.restore_dialog import RestoreDialog

        w = self.window
        if self.backup_timer is None or self.paths is None:
            return
        self.backup_timer.stop()
        dialog = RestoreDialog(
            w.services, w.actor, self.paths, w, backups=self.backup_timer.backups
        )
        if dialog.exec() and dialog.result_value is not None:
            self.restored = True
            QMessageBox.information(
                w,
                self.tr("Restore from a backup"),
                self.tr(
                    "The backup was restored (a copy of the database as it was has been kept). "
                    "Care Leaver Tracker will now close: start it again and sign in."
                ),
            )
            w.close()
            return
        self.backup_timer.start()

    def encryption(self) -> None:
        """Encrypt the local file, or change its passphrase; then offer to delete plain copies."""
        from careleaver_app.services import encryption

        w = self.window
        title = self.tr("Database encryption")
        db = w.services.db
        try:
            if encryption.is_encrypted(db):
                current = self._ask(title, self.tr("Current passphrase:"))
                if current is None:
                    return
                new = self._ask_twice(title)
                if new is None:
                    return
                encryption.change_passphrase(db, w.actor, current, new)
                done = self.tr(
                    "The passphrase was changed. Keep it safe: without it the "
                    "database cannot be opened."
                )
            else:
                new = self._ask_twice(title)
                if new is None:
                    return
                encryption.encrypt_database(db, w.actor, new)
                done = self.tr(
                    "The database file is now encrypted. You will be asked for the "
                    "passphrase each time the app starts."
                )
        except DomainError as exc:
            QMessageBox.warning(w, title, _message(exc))
            return
        QMessageBox.information(w, title, done)
        folder = w.config_file.parent / "backups"
        plain = encryption.plain_copies(folder)
        if plain and (
            QMessageBox.question(
                w,
                title,
                self.tr(
                    "%n older backup(s) were taken before encryption and are not "
                    "encrypted. Delete them now?",
                    "",
                    len(plain),
                ),
            )
            == QMessageBox.StandardButton.Yes
        ):
            for path in plain:
                path.unlink(missing_ok=True)

    def _ask(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self.window, title, label, _secret())
        return text if ok else None

    def _ask_twice(self, title: str) -> str | None:
        first = self._ask(title, self.tr("New passphrase (at least 10 characters):"))
        if first is None:
            return None
        again = self._ask(title, self.tr("New passphrase again:"))
        if again is None:
            return None
        if first != again:
            QMessageBox.warning(self.window, title, self.tr("The two passphrases differ."))
            return None
        return first

    def purge_record(self) -> None:
        w = self.window
        view = w.current_record()
        if view is None:
            return
        record = view.record
        reason, ok = QInputDialog.getText(
            w,
            self.tr("Purge record"),
            self.tr(
                "This erases %1's record for good: it was kept until %2. "
                "Type the reason to go ahead:"
            )
            .replace("%1", record.name)
            .replace("%2", record.retention_date.strftime("%d/%m/%Y")),
        )
        if not ok:
            return
        try:
            w.services.people.purge(w.actor, record.id, reason)
        except DomainError as exc:
            QMessageBox.warning(w, self.tr("Purge record"), _message(exc))
            return
        w.close_record(record.id)
        w.refresh()
        w.statusBar().showMessage(self.tr("The record was purged."), 8000)


def _secret() -> QLineEdit.EchoMode:
    return QLineEdit.EchoMode.Password


def _message(exc: DomainError) -> str:
    if isinstance(exc, ValidationError):
        return "\n".join(p.message for p in exc.problems)
    return str(exc)


__all__ = ["AccountCommands", "Actor"]
