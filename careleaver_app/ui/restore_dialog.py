"""Restore from a backup (administrators): the backups of the local database, newest first, with
when each was taken, its size and whether it is encrypted; Restore… asks, naming the date.

After a restore the database file is a different one: the dialog accepts with `result_value`
set (a RestoreResult), and the caller closes its windows and opens the database again
(`services.backups.reopen_after_restore`), signing in again, since the restored accounts and
passwords are those of the backup.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QCoreApplication, QLocale, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from careleaver_app.domain.errors import DomainError, PermissionDenied
from careleaver_app.paths import AppPaths
from careleaver_app.services.actors import Actor
from careleaver_app.services.backups import BackupInfo, BackupKind, Backups, RestoreResult
from careleaver_app.services.container import Services
from careleaver_app.services.permissions import Action, allowed
from careleaver_app.ui.row_model import Index, RowTableModel
from careleaver_app.ui.tables import list_table

SortRole = Qt.ItemDataRole.UserRole + 1
PathRole = Qt.ItemDataRole.UserRole  # the backup file's path, as text


def tr(text: str) -> str:
    return QCoreApplication.translate("RestoreDialog", text)


class Column(IntEnum):
    TAKEN = 0
    KIND = 1
    SIZE = 2
    ENCRYPTED = 3
    FILE = 4


def taken_text(info: BackupInfo) -> str:
    """Local time, as dates read everywhere else: 26/11/2026 14:03."""
    return info.taken_at.astimezone().strftime("%d/%m/%Y %H:%M")


def kind_text(kind: BackupKind) -> str:
    return {
        BackupKind.AUTOMATIC: tr("Automatic"),
        BackupKind.BEFORE_RESTORE: tr("Before a restore"),
        BackupKind.BEFORE_MIGRATION: tr("Before an upgrade"),
        BackupKind.MANUAL: tr("Manual"),
    }[kind]


class BackupModel(RowTableModel[BackupInfo]):
    columns = Column

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return [tr("Taken"), tr("Kind"), tr("Size"), tr("Encrypted"), tr("File")][section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(row, column)
        if role == SortRole:
            if column is Column.TAKEN:
                return row.taken_at.timestamp()
            if column is Column.SIZE:
                return row.size_bytes
            return self.text(row, column).casefold()
        if role == PathRole:
            return str(row.path)
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.FILE:
            return str(row.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def text(row: BackupInfo, column: Column) -> str:
        match column:
            case Column.TAKEN:
                return taken_text(row)
            case Column.KIND:
                return kind_text(row.kind)
            case Column.SIZE:
                return QLocale().formattedDataSize(row.size_bytes)
            case Column.ENCRYPTED:
                return tr("Yes") if row.encrypted else tr("No")
            case Column.FILE:
                return row.path.name
        return ""


class RestoreDialog(QDialog):
    """Raises PermissionDenied for anyone but an administrator, before any window appears."""

    def __init__(
        self,
        services: Services,
        actor: Actor,
        paths: AppPaths,
        parent: QWidget | None = None,
        *,
        backups: Backups | None = None,
    ) -> None:
        if not allowed(actor, Action.BACKUP):
            raise PermissionDenied(tr("Only an administrator can restore a backup."))
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.backups = backups or Backups(services.db, paths.backups_dir)
        self.result_value: RestoreResult | None = None
        self.setWindowTitle(self.tr("Restore from a backup"))
        self.setAccessibleName(self.windowTitle())
        self.setModal(True)
        self.resize(760, 420)
        intro = QLabel(
            self.tr(
                "Restoring replaces the whole database with the chosen backup. The database as "
                "it is now is backed up first, so a restore can itself be undone. Everyone else "
                "using this database must close the app first."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName(self.tr("Message"))
        self.notice.hide()
        self.model = BackupModel(self)
        self.table = list_table(self, self.model, self.tr("Backups"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.restore_button = QPushButton(self.tr("&Restore…"), self)
        self.restore_button.setAccessibleName(self.tr("Restore the selected backup"))
        self.restore_button.setAutoDefault(False)
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        row = QHBoxLayout()
        row.addWidget(self.restore_button)
        row.addStretch(1)
        row.addWidget(self.close_buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self._connect_signals()
        self.reload()
        self.table.setFocus()

    def _connect_signals(self) -> None:
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.close_buttons.rejected.connect(self.reject)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)

    def reload(self) -> None:
        if not self.backups.available:
            self.model.set_rows([])
            self.say(
                self.tr(
                    "This database is on a server: its administrators back it up and restore "
                    "it there."
                )
            )
        else:
            rows = self.backups.list_backups()
            self.model.set_rows(rows)
            if not rows:
                self.say(self.tr("There are no backups of this database yet."))
            else:
                self.table.setCurrentIndex(self.model.index(0, 0))
        self._update_buttons()

    def say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def selected(self) -> BackupInfo | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _update_buttons(self, *_: object) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def _on_table_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.isValid():
            self._on_restore_button_clicked()

    def confirm(self, info: BackupInfo) -> bool:
        """Ask before replacing the database; separate so tests can answer it."""
        answer = QMessageBox.question(
            self,
            self.windowTitle(),
            self.tr(
                "Restore the backup taken on %1?\n\nEverything saved after that will no longer "
                "be in the database (it stays in the copy taken now, before the restore). The "
                "app will then open the restored database, and everyone signs in again."
            ).replace("%1", taken_text(info)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _on_restore_button_clicked(self) -> None:
        info = self.selected()
        if info is None or not self.confirm(info):
            return
        try:
            self.result_value = self.backups.restore(self.actor, info.path)
        except DomainError as exc:
            # Nothing was replaced; the services reconnect by themselves if they were closed.
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            self.reload()
            return
        self.accept()
