"""The administrator's window onto staff accounts and teams: add, edit, reset a password,
deactivate or reactivate (accounts are never deleted) and add a team. Every change goes through
services.staffing, which checks the permission and writes the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from careleaver_app.domain.errors import DomainError, PermissionDenied
from careleaver_app.domain.text import fold
from careleaver_app.services.actors import Actor
from careleaver_app.services.container import Services
from careleaver_app.services.dto import StaffDTO
from careleaver_app.services.permissions import Action, allowed
from careleaver_app.ui.dialogs.user_dialogs import (
    DeactivateDialog,
    DeactivateInput,
    ResetPasswordDialog,
    TeamDialog,
    UserDialog,
    UserInput,
)
from careleaver_app.ui.row_model import Index, RowTableModel
from careleaver_app.ui.tables import list_table

SortRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole


def tr(text: str) -> str:
    return QCoreApplication.translate("UsersDialog", text)


class StaffColumn(IntEnum):
    NAME = 0
    USERNAME = 1
    ROLE = 2
    TEAM = 3
    EMAIL = 4
    STATE = 5


class StaffModel(RowTableModel[StaffDTO]):
    columns = StaffColumn

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(StaffColumn):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return [tr("Name"), tr("Username"), tr("Role"), tr("Team"), tr("Email"), tr("State")][
                section
            ]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(row, index.column())
        if role == SortRole:
            return self.text(row, index.column()).casefold()
        if role == IdRole:
            return row.id
        if role == Qt.ItemDataRole.FontRole and not row.active:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    @staticmethod
    def text(row: StaffDTO, column: int) -> str:
        match column:
            case StaffColumn.NAME:
                return row.display_name
            case StaffColumn.USERNAME:
                return row.username
            case StaffColumn.ROLE:
                return row.role.label
            case StaffColumn.TEAM:
                return row.team_name
            case StaffColumn.EMAIL:
                return row.email
            case StaffColumn.STATE:
                return tr("Active") if row.active else tr("Deactivated")
        return ""


class StaffFilter(QSortFilterProxyModel):
    """Words typed in the filter box must each appear in some column; deactivated accounts
    show only when asked for."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._show_deactivated = False
        self.setSortRole(SortRole)

    def set_text(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "_words", fold(text).split()))

    def set_show_deactivated(self, show: bool) -> None:
        self._refilter(lambda: setattr(self, "_show_deactivated", show))

    def _refilter(self, change: Callable[[], None]) -> None:
        # beginFilterChange() arrived in Qt 6.9; invalidateRowsFilter() is its older form.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange()
        else:
            change()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, StaffModel)
        row = model.row_at(source_row)
        if row is None:
            return False
        if not row.active and not self._show_deactivated:
            return False
        text = fold(" ".join(model.text(row, c) for c in StaffColumn))
        return all(word in text for word in self._words)


class UsersDialog(QDialog):
    """Raises PermissionDenied for anyone but an administrator, before any window appears."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        if not allowed(actor, Action.MANAGE_STAFF):
            raise PermissionDenied(tr("Only an administrator can manage users and teams."))
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.changed = False  # whether anything was saved, so the window re-reads staff lists
        self.setWindowTitle(self.tr("Users and teams"))
        self.setAccessibleName(self.windowTitle())
        self.setModal(True)
        self.resize(960, 480)
        intro = QLabel(
            self.tr(
                "Everyone who can sign in. Accounts are never deleted: deactivate one to stop "
                "sign-in and keep its history. Double-click a user or press Enter to edit."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName(self.tr("Message"))
        self.notice.hide()
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("Name, username, role, team or email"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName(self.tr("Filter users"))
        filter_label = QLabel(self.tr("&Filter:"), self)
        filter_label.setBuddy(self.filter)
        self.show_deactivated = QCheckBox(self.tr("&Show deactivated"), self)
        self.show_deactivated.setAccessibleName(self.tr("Show deactivated users"))
        self.model = StaffModel(self)
        self.proxy = StaffFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = list_table(self, self.proxy, self.tr("Users"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.proxy.sort(-1)  # the service's order (by name) until a header is clicked
        self.add_button = self._button(self.tr("&Add user…"), self.tr("Add user"))
        self.edit_button = self._button(self.tr("&Edit…"), self.tr("Edit user"))
        self.password_button = self._button(self.tr("Reset &password…"), self.tr("Reset password"))
        self.active_button = self._button(
            self.tr("&Deactivate…"), self.tr("Deactivate or reactivate user")
        )
        self.team_button = self._button(self.tr("Add &team…"), self.tr("Add team"))
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.filter, 1)
        top.addWidget(self.show_deactivated)
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.password_button):
            row.addWidget(button)
        row.addWidget(self.active_button)
        row.addWidget(self.team_button)
        row.addStretch(1)
        row.addWidget(self.close_buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self._connect_signals()
        self.reload()
        self.table.setFocus()

    def _button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setAutoDefault(False)  # Enter on the list edits; no button takes it as well
        return button

    def _connect_signals(self) -> None:
        self.filter.textChanged.connect(self._on_filter_text_changed)
        self.show_deactivated.toggled.connect(self._on_show_deactivated_toggled)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.password_button.clicked.connect(self._on_password_button_clicked)
        self.active_button.clicked.connect(self._on_active_button_clicked)
        self.team_button.clicked.connect(self._on_team_button_clicked)
        self.close_buttons.rejected.connect(self.reject)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)

    # -- the list ---------------------------------------------------------------------------

    def reload(self, select: int | None = None) -> None:
        current = self.selected()
        try:
            rows = self.services.staffing.list_staff(self.actor)
        except DomainError as exc:
            self.model.set_rows([])
            self.say(str(exc))
            return
        self.model.set_rows(rows)
        self.select(select if select is not None else (current.id if current else None))
        self._update_buttons()

    def staff(self, staff_id: int) -> StaffDTO | None:
        row = self.model.row_of(staff_id)
        return self.model.row_at(row)

    def select(self, staff_id: int | None) -> None:
        source = self.model.row_of(staff_id) if staff_id is not None else -1
        index = self.proxy.mapFromSource(self.model.index(source, 0)) if source >= 0 else None
        if (index is None or not index.isValid()) and self.proxy.rowCount():
            index = self.proxy.index(0, 0)
        if index is not None and index.isValid():
            self.table.setCurrentIndex(index)

    def selected(self) -> StaffDTO | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _update_buttons(self, *_: object) -> None:
        staff = self.selected()
        for button in (self.edit_button, self.password_button, self.active_button):
            button.setEnabled(staff is not None)
        active = staff is None or staff.active
        self.active_button.setText(self.tr("&Deactivate…") if active else self.tr("&Reactivate"))

    def _on_filter_text_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self.select(self.selected().id if self.selected() else None)
        self._update_buttons()

    def _on_show_deactivated_toggled(self, show: bool) -> None:
        current = self.selected()
        self.proxy.set_show_deactivated(show)
        self.select(current.id if current else None)
        self._update_buttons()

    def _on_table_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.isValid():
            self._on_edit_button_clicked()

    # -- the commands -------------------------------------------------------------------------

    def _saved(self, message: str, staff_id: int | None = None) -> None:
        self.changed = True
        self.reload(select=staff_id)
        self.say(message)

    def _on_add_button_clicked(self) -> None:
        staffing = self.services.staffing

        def submit(value: UserInput) -> StaffDTO:
            return staffing.create_staff(
                self.actor,
                value.username,
                value.display_name,
                value.role,
                value.team_id,
                password=value.password,
                email=value.email,
            )

        dialog = UserDialog(submit, staffing.list_teams(), parent=self)
        if dialog.exec():
            added: StaffDTO = dialog.result_value
            self._saved(self.tr("%1 added.").replace("%1", added.display_name), added.id)

    def _on_edit_button_clicked(self) -> None:
        staff = self.selected()
        if staff is None:
            return
        staffing = self.services.staffing

        def submit(value: UserInput) -> StaffDTO:
            return staffing.update_staff(
                self.actor,
                staff.id,
                display_name=value.display_name,
                role=value.role,
                team_id=value.team_id,
                email=value.email,
                expected_version=value.expected_version,
            )

        def refresh() -> StaffDTO | None:
            self.reload(select=staff.id)
            return self.staff(staff.id)

        dialog = UserDialog(submit, staffing.list_teams(), staff, refresh, parent=self)
        if dialog.exec():
            self._saved(self.tr("%1 saved.").replace("%1", dialog.result_value.display_name))

    def _on_password_button_clicked(self) -> None:
        staff = self.selected()
        if staff is None:
            return
        staffing = self.services.staffing
        dialog = ResetPasswordDialog(
            lambda password: staffing.set_password(self.actor, staff.id, password), staff, self
        )
        if dialog.exec():
            self._saved(
                self.tr(
                    "New password set for %1. Tell them by a different route than email."
                ).replace("%1", staff.display_name),
                staff.id,
            )

    def _on_active_button_clicked(self) -> None:
        staff = self.selected()
        if staff is None:
            return
        staffing = self.services.staffing
        if staff.active:

            def deactivate(value: DeactivateInput) -> None:
                staffing.set_active(self.actor, staff.id, False, value.reason)

            if DeactivateDialog(deactivate, staff, self).exec():
                self._saved(self.tr("%1 deactivated.").replace("%1", staff.display_name), staff.id)
            return
        try:
            staffing.set_active(self.actor, staff.id, True)
        except DomainError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            self.reload()
            return
        self._saved(
            self.tr("%1 reactivated: they can sign in again.").replace("%1", staff.display_name),
            staff.id,
        )

    def _on_team_button_clicked(self) -> None:
        staffing = self.services.staffing
        dialog = TeamDialog(lambda name: staffing.create_team(self.actor, name), self)
        if dialog.exec():
            self._saved(self.tr("Team %1 added.").replace("%1", dialog.result_value.name))
