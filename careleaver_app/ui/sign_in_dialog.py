"""Sign in: username and password, checked by the staffing service (Argon2id, lock-out)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from careleaver_app.domain.errors import DomainError
from careleaver_app.services.actors import Actor


class SignInDialog(QDialog):
    def __init__(
        self,
        sign_in: Callable[[str, str], Actor],
        database_label: str,
        username: str = "",
        hint: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._sign_in = sign_in
        self.actor: Actor | None = None
        self.setWindowTitle(self.tr("Sign in to Care Leaver Tracker"))
        self.setAccessibleName(self.tr("Sign in"))
        where = QLabel(self.tr("Database: %s") % database_label, self)
        where.setWordWrap(True)
        self.username = QLineEdit(username, self)
        self.username.setAccessibleName(self.tr("Username"))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828; font-weight: bold;")
        self.error.setAccessibleName(self.tr("Problem"))
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("&Username:"), self.username)
        form.addRow(self.tr("&Password:"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Sign in"))
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(where)
        if hint:
            note = QLabel(hint, self)
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        (self.password if username else self.username).setFocus()

    def _on_buttons_accepted(self) -> None:
        username = self.username.text().strip()
        if not username:
            self._show(self.tr("Enter your username."))
            self.username.setFocus()
            return
        try:
            self.actor = self._sign_in(username, self.password.text())
        except DomainError as exc:
            self._show(str(exc))
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()

    def _show(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
