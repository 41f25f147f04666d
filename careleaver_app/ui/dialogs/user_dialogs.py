"""The administrator's small forms for staff accounts: add or edit a user, reset a password,
deactivate an account and add a team. Each submits through a callable the users window hands in,
so that every rule (and every refusal) stays in services.staffing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from careleaver_app.domain.auth import MIN_PASSWORD_LENGTH, password_problems
from careleaver_app.domain.codes import Role
from careleaver_app.domain.errors import ConflictError, DomainError, FieldProblem, ValidationError
from careleaver_app.services.dto import StaffDTO, TeamDTO
from careleaver_app.ui.dialogs.form import CallbackForm, FormDialog


@dataclass(frozen=True)
class UserInput:
    """What the add and edit forms collect; `password` is None when editing."""

    username: str
    display_name: str
    role: Role
    team_id: int | None
    email: str
    password: str | None = None
    expected_version: int = 0


@dataclass(frozen=True)
class DeactivateInput:
    reason: str


def grow_to_fit(dialog: QWidget) -> None:
    """Make room for messages that appear after the dialog opened: a window does not grow by
    itself for word-wrapped text, which would otherwise squash the fields."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    width = dialog.width()
    if layout.hasHeightForWidth():
        needed = layout.totalHeightForWidth(width)
    else:
        needed = layout.totalSizeHint().height()
    if needed > dialog.height():
        dialog.resize(width, needed)


class GrowingForm(CallbackForm):
    def _on_buttons_accepted(self) -> None:
        super()._on_buttons_accepted()
        if self.isVisible():
            grow_to_fit(self)


class PasswordPair:
    """A password and its confirmation, with a line under them that checks the policy as the
    administrator types, so that Save is not the first time they hear about it."""

    def __init__(self, form: FormDialog, username: Callable[[], str]) -> None:
        self._form = form
        self._username = username
        self.password = QLineEdit(form)
        self.confirm = QLineEdit(form)
        for edit in (self.password, self.confirm):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.check = QLabel(form)
        self.check.setWordWrap(True)
        self.check.setAccessibleName(form.tr("Password check"))
        form.add_field("password", form.tr("&Password:"), self.password)
        form.add_field("confirm", form.tr("Con&firm password:"), self.confirm)
        form.form.addRow("", self.check)
        self.password.textChanged.connect(self.update_check)
        self.confirm.textChanged.connect(self.update_check)
        self.update_check()

    def policy(self) -> str:
        return self._form.tr(
            "At least %1 characters and not containing the username. "
            "Three or four unrelated words make a strong password that is easy to remember."
        ).replace("%1", str(MIN_PASSWORD_LENGTH))

    def update_check(self, *_: object) -> None:
        password, confirm = self.password.text(), self.confirm.text()
        problems = password_problems(password, self._username()) if password else []
        if not password:
            text, ok = self.policy(), None
        elif problems:
            text, ok = self._form.tr("Password %1.").replace("%1", problems[0].message), False
        elif confirm and confirm != password:
            text, ok = self._form.tr("The two passwords do not match yet."), False
        elif not confirm:
            text, ok = self._form.tr("Password meets the policy: now type it again."), True
        else:
            text, ok = self._form.tr("Password meets the policy and both match."), True
        self.check.setText(text)
        colour = {None: "", True: "color: #2e7d32;", False: "color: #c62828;"}[ok]
        self.check.setStyleSheet(colour)

    def value(self, required: bool) -> str | None:
        """The password, or ValidationError for a missing one or a confirmation that differs."""
        password = self.password.text()
        if not password:
            if required:
                raise ValidationError(FieldProblem("password", "is required for a new user"))
            return None
        if self.confirm.text() != password:
            raise ValidationError(FieldProblem("confirm", "does not match the password"))
        return password


def _team_combo(parent: QWidget, teams: Sequence[TeamDTO], current: int | None) -> QComboBox:
    combo = QComboBox(parent)
    combo.addItem(parent.tr("No team"), None)
    for team in teams:
        if team.active or team.id == current:
            combo.addItem(team.name, team.id)
    combo.setCurrentIndex(max(0, combo.findData(current)) if current is not None else 0)
    return combo


class UserDialog(GrowingForm):
    """Add a user (with a password) or, given `staff`, edit one (the username stays).

    When someone else saved the account first, `refresh()` re-reads it: the form keeps what was
    typed, says what the account holds now, and a second Save replaces that on purpose.
    """

    def __init__(
        self,
        submit: Callable[[UserInput], Any],
        teams: Sequence[TeamDTO],
        staff: StaffDTO | None = None,
        refresh: Callable[[], StaffDTO | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = self.tr("Add user") if staff is None else self.tr("Edit user")
        super().__init__(title, submit, parent)
        self.setMinimumWidth(520)
        self.staff = staff
        self.version = staff.version if staff else 0
        self._refresh = refresh
        self.username = QLineEdit(staff.username if staff else "", self)
        self.username.setReadOnly(staff is not None)
        self.display_name = QLineEdit(staff.display_name if staff else "", self)
        self.role = QComboBox(self)
        for role in Role:
            self.role.addItem(role.label, role.value)
        if staff is not None:
            self.role.setCurrentIndex(self.role.findData(staff.role.value))
        self.team = _team_combo(self, teams, staff.team_id if staff else None)
        self.team_note = QLabel(self.tr("Every role except administrator needs a team."), self)
        self.team_note.setWordWrap(True)
        self.email = QLineEdit(staff.email if staff else "", self)
        self.add_field("username", self.tr("&Username:"), self.username)
        self.add_field("display_name", self.tr("&Name:"), self.display_name)
        self.add_field("role", self.tr("&Role:"), self.role)
        self.add_field("team", self.tr("&Team:"), self.team)
        self.form.addRow("", self.team_note)
        self.add_field("email", self.tr("&Email:"), self.email)
        self.passwords: PasswordPair | None = None
        if staff is None:
            self.passwords = PasswordPair(self, self.username.text)
            self.username.textChanged.connect(self.passwords.update_check)
        self._dirty = False

    def collect(self) -> UserInput:
        return UserInput(
            username=self.username.text().strip(),
            display_name=self.display_name.text().strip(),
            role=Role(self.role.currentData()),
            team_id=self.team.currentData(),
            email=self.email.text().strip(),
            password=self.passwords.value(required=True) if self.passwords else None,
            expected_version=self.version,
        )

    def submit(self, value: UserInput) -> Any:
        try:
            return super().submit(value)
        except ConflictError:
            fresh = self._refresh() if self._refresh else None
            if fresh is None:
                raise
            self.version = fresh.version
            raise DomainError(
                self.tr(
                    "Someone else changed this user while you were editing, so nothing was "
                    "saved. It now reads: %1. What you typed is kept: Save again to replace "
                    "that, or Cancel to keep it."
                ).replace("%1", self._describe(fresh))
            ) from None

    def _describe(self, staff: StaffDTO) -> str:
        parts = [staff.display_name, staff.role.label, staff.team_name or self.tr("no team")]
        if staff.email:
            parts.append(staff.email)
        return ", ".join(parts)


class ResetPasswordDialog(GrowingForm):
    def __init__(
        self, submit: Callable[[str], Any], staff: StaffDTO, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Reset password"), submit, parent)
        self.setMinimumWidth(480)
        self.who = QLabel(
            self.tr("A new password for %1 (%2). It also ends a lock-out after failed sign-ins.")
            .replace("%1", staff.display_name)
            .replace("%2", staff.username),
            self,
        )
        self.who.setWordWrap(True)
        self.who.setAccessibleName(self.tr("Account"))
        self.form.addRow(self.who)
        self.passwords = PasswordPair(self, lambda: staff.username)
        self._dirty = False

    def collect(self) -> str:
        password = self.passwords.value(required=True)
        assert password is not None
        return password


class DeactivateDialog(GrowingForm):
    """Deactivating keeps the account and its history; it only stops sign-in."""

    def __init__(
        self,
        submit: Callable[[DeactivateInput], Any],
        staff: StaffDTO,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Deactivate user"), submit, parent)
        self.setMinimumWidth(480)
        self.who = QLabel(
            self.tr(
                "%1 (%2) will no longer be able to sign in. Nothing they recorded is removed, "
                "and an administrator can reactivate the account later."
            )
            .replace("%1", staff.display_name)
            .replace("%2", staff.username),
            self,
        )
        self.who.setWordWrap(True)
        self.who.setAccessibleName(self.tr("Account"))
        self.form.addRow(self.who)
        self.reason = QPlainTextEdit(self)
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(70)
        self.add_field("reason", self.tr("&Reason:"), self.reason)
        save = self.buttons.button(self.buttons.StandardButton.Save)
        save.setText(self.tr("&Deactivate"))
        self._dirty = False

    def collect(self) -> DeactivateInput:
        return DeactivateInput(self.reason.toPlainText().strip())


class TeamDialog(GrowingForm):
    def __init__(self, submit: Callable[[str], Any], parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Add team"), submit, parent)
        self.setMinimumWidth(400)
        self.name = QLineEdit(self)
        self.add_field("name", self.tr("&Name:"), self.name)
        self._dirty = False

    def collect(self) -> str:
        return self.name.text().strip()
