"""Reviews due and overdue, docked in the main window: the services' due list, sortable by any
column (due date first), Enter or double-click opens the young person."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QHeaderView,
    QLabel,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from careleaver_app.domain.errors import DomainError
from careleaver_app.services.actors import Actor
from careleaver_app.services.container import Services
from careleaver_app.ui.pathway_model import Column, DueModel, IdRole, SortRole
from careleaver_app.ui.tables import list_table


class DueListView(QWidget):
    person_activated = Signal(int)

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.model = DueModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName(self.tr("Message"))
        self.notice.hide()
        self.table = list_table(self, self.proxy, self.tr("Reviews due and overdue"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.NEXT_DUE, Qt.SortOrder.AscendingOrder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        self.table.activated.connect(self._on_table_activated)

    def set_actor(self, actor: Actor) -> None:
        self.actor = actor

    def reload(self) -> None:
        """A refusal leaves the list empty (never the previous user's rows) and says why."""
        try:
            rows = self.services.pathway.due_list(self.actor)
        except DomainError as exc:
            self.model.set_rows([])
            self.notice.setText(str(exc))
            self.notice.show()
            return
        self.notice.hide()
        self.model.set_rows(rows)

    def focus_table(self) -> None:
        self.table.setFocus()
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.selectRow(0)

    def _on_table_activated(self, index: QModelIndex) -> None:
        person_id = index.siblingAtColumn(Column.NAME).data(IdRole)
        if person_id is not None:
            self.person_activated.emit(int(person_id))


class PathwayDock(QDockWidget):
    """Closed until asked for; tabbed with the flagged placements when both are open."""

    def __init__(self, services: Services, actor: Actor, window: QMainWindow) -> None:
        super().__init__(self.tr("Reviews due and overdue"), window)
        self.setObjectName("pathway_due_dock")
        self.due = DueListView(services, actor, self)
        self.setWidget(self.due)
        self._window = window
        self.place()

    def place(self) -> None:
        self.setFloating(False)
        self._window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self)
        self.hide()

    def set_actor(self, actor: Actor) -> None:
        self.due.set_actor(actor)
        self.refresh()

    def refresh(self) -> None:
        if self.isVisible():  # a hidden list is re-read when it is shown
            self.due.reload()

    def show_due(self) -> None:
        self.due.reload()
        self.show()
        self.raise_()
        self.due.focus_table()
