"""First run: start a new database here, connect to a team database, or open a demo."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from careleaver_app.domain.auth import password_problems
from careleaver_app.domain.codes import Role


class Choice(Enum):
    NEW = "new"
    TEAM = "team"
    DEMO = "demo"


@dataclass(frozen=True)
class WelcomeResult:
    choice: Choice
    display_name: str = ""
    username: str = ""
    team: str = ""
    role: Role = Role.PERSONAL_ADVISER
    url: str = ""
    password: str = ""
    admin_password: str = ""
    passphrase: str = ""  # set when the new local database is to be encrypted


class WelcomeDialog(QDialog):
    """`test_url(url) -> str | None` returns an error message, or None when the URL works."""

    def __init__(
        self,
        test_url: Callable[[str], str | None],
        default_user: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._test_url = test_url
        self._tested_url: str | None = None
        self.setWindowTitle(self.tr("Welcome to Care Leaver Tracker"))
        self.setAccessibleName(self.windowTitle())
        intro = QLabel(
            self.tr(
                "<h3>Welcome</h3>Choose where this computer keeps its records. "
                "You can change it later."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.new = QRadioButton(self.tr("Start a &new database on this computer"), self)
        self.team = QRadioButton(self.tr("Connect to a &team database (PostgreSQL)"), self)
        self.demo = QRadioButton(self.tr("Open a &demo database with synthetic young people"), self)
        group = QButtonGroup(self)
        for button in (self.new, self.team, self.demo):
            group.addButton(button)
        self.new.setChecked(True)

        self.new_box = QGroupBox(self.tr("You"), self)
        form = QFormLayout(self.new_box)
        self.display_name = QLineEdit(self)
        self.username = QLineEdit(default_user, self)
        self.team_name = QLineEdit(self)
        self.role = QComboBox(self)
        for role in (Role.PERSONAL_ADVISER, Role.TEAM_MANAGER):
            self.role.addItem(role.label, role.value)
        self.password = _secret(self)
        self.password_again = _secret(self)
        self.admin_password = _secret(self)
        self.admin_password_again = _secret(self)
        self.encrypt = QCheckBox(self.tr("Encr&ypt the database file with a passphrase"), self)
        self.encrypt.setAccessibleName(self.tr("Encrypt the database file"))
        self.passphrase = _secret(self)
        self.passphrase_again = _secret(self)
        for label, widget in (
            (self.tr("Your &name:"), self.display_name),
            (self.tr("&Username:"), self.username),
            (self.tr("T&eam:"), self.team_name),
            (self.tr("&Role:"), self.role),
            (self.tr("&Password:"), self.password),
            (self.tr("Password a&gain:"), self.password_again),
            (self.tr("Administrator pa&ssword:"), self.admin_password),
            (self.tr("Administrator password ag&ain:"), self.admin_password_again),
            ("", self.encrypt),
            (self.tr("Passp&hrase:"), self.passphrase),
            (self.tr("Passphrase agai&n:"), self.passphrase_again),
        ):
            if not label:
                form.addRow(widget)
                continue
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            widget.setAccessibleName(label.replace("&", "").rstrip(":"))
            form.addRow(caption, widget)
        admin_note = QLabel(
            self.tr(
                "The database also gets an administrator account, <b>admin</b>, which manages "
                "users and settings. Keep its password safe."
            ),
            self,
        )
        admin_note.setWordWrap(True)
        form.addRow(admin_note)

        self.team_box = QGroupBox(self.tr("Team database"), self)
        row = QHBoxLayout(self.team_box)
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("postgresql://user:password@server/careleaver")
        self.url.setAccessibleName(self.tr("Database URL"))
        self.test = QPushButton(self.tr("T&est connection"), self)
        row.addWidget(self.url)
        row.addWidget(self.test)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Connection status"))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout = QVBoxLayout(self)
        for widget in (
            intro,
            self.new,
            self.new_box,
            self.team,
            self.team_box,
            self.demo,
            self.status,
            self.buttons,
        ):
            layout.addWidget(widget)
        self._connect_signals()
        self._on_choice_changed()

    def _connect_signals(self) -> None:
        for button in (self.new, self.team, self.demo):
            button.toggled.connect(self._on_choice_changed)
        self.encrypt.toggled.connect(self._on_choice_changed)
        self.test.clicked.connect(self._on_test_clicked)
        self.url.textChanged.connect(self._on_url_changed)
        self.buttons.accepted.connect(self._on_accepted)
        self.buttons.rejected.connect(self.reject)

    def _on_choice_changed(self) -> None:
        self.new_box.setEnabled(self.new.isChecked())
        self.team_box.setEnabled(self.team.isChecked())
        self.passphrase.setEnabled(self.encrypt.isChecked())
        self.passphrase_again.setEnabled(self.encrypt.isChecked())

    def _on_url_changed(self) -> None:
        self._tested_url = None
        self.status.clear()

    def _on_test_clicked(self) -> bool:
        url = self.url.text().strip()
        if not url:
            self.status.setText(self.tr("Database URL: enter the address of the team database."))
            return False
        error = self._test_url(url)
        if error:
            self.status.setText(self.tr("Could not connect: %s") % error)
            return False
        self._tested_url = url
        self.status.setText(self.tr("Connected. This database will be used from now on."))
        return True

    def _on_accepted(self) -> None:
        if self.new.isChecked():
            missing = [
                name
                for name, edit in (
                    (self.tr("Your name"), self.display_name),
                    (self.tr("Username"), self.username),
                    (self.tr("Team"), self.team_name),
                )
                if not edit.text().strip()
            ]
            if missing:
                self.status.setText(self.tr("%s: required.") % ", ".join(missing))
                return
            problem = self._secrets_problem()
            if problem:
                self.status.setText(problem)
                return
        if self.team.isChecked() and self._tested_url is None and not self._on_test_clicked():
            return
        self.accept()

    def result_value(self) -> WelcomeResult:
        if self.team.isChecked():
            return WelcomeResult(Choice.TEAM, url=self.url.text().strip())
        if self.demo.isChecked():
            return WelcomeResult(Choice.DEMO)
        return WelcomeResult(
            Choice.NEW,
            display_name=self.display_name.text().strip(),
            username=self.username.text().strip(),
            team=self.team_name.text().strip(),
            role=Role(self.role.currentData()),
            password=self.password.text(),
            admin_password=self.admin_password.text(),
            passphrase=self.passphrase.text() if self.encrypt.isChecked() else "",
        )

    def _secrets_problem(self) -> str:
        """The first thing wrong with the passwords and passphrase, or ''."""
        pairs = [
            (self.tr("Password"), self.password, self.password_again, self.username.text()),
            (
                self.tr("Administrator password"),
                self.admin_password,
                self.admin_password_again,
                "admin",
            ),
        ]
        if self.encrypt.isChecked():
            pairs.append((self.tr("Passphrase"), self.passphrase, self.passphrase_again, ""))
        for name, first, again, username in pairs:
            problems = password_problems(first.text(), username)
            if problems:
                return f"{name}: {problems[0].message}."
            if first.text() != again.text():
                return self.tr("%s: the two entries differ.") % name
        if self.admin_password.text() == self.password.text():
            return self.tr("Administrator password: use a different password from your own.")
        return ""


def _secret(parent: QWidget) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit
