"""The caseload list: search as you type, filters, and a lazily filled, SQL-sorted table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QByteArray, QLocale, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from careleaver_app.services.dto import PersonPage
from careleaver_app.services.people import CaseloadScope, PeopleQuery
from careleaver_app.ui.caseload_model import SORT_KEYS, CaseloadModel, Column
from careleaver_app.ui.tables import list_table

# No typing pause: a search takes a few tens of milliseconds even among 100,000 young people,
# so each keystroke shows its result at once. The zero-length timer still runs one query for a
# burst of keystrokes that queued up while the previous query ran (it fires only once Qt has
# handled the pending key events), so fast typing never falls behind.
SEARCH_DELAY_MS = 0


class CaseloadView(QWidget):
    person_activated = Signal(int)

    def __init__(self, fetch: Callable[[PeopleQuery], PersonPage], parent=None) -> None:
        super().__init__(parent)
        self.model = CaseloadModel(fetch, self)
        self._build()
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._connect_signals()

    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search by name or reference (accents optional)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search the caseload"))
        self.scope = QComboBox(self)
        self.scope.setAccessibleName(self.tr("Whose young people"))
        for text, value in (
            (self.tr("My caseload"), CaseloadScope.MINE),
            (self.tr("My team"), CaseloadScope.TEAM),
            (self.tr("Everyone"), CaseloadScope.EVERYONE),
        ):
            self.scope.addItem(text, value.value)
        self.bnb = QCheckBox(self.tr("In &B&&B or emergency"), self)
        self.unsuitable = QCheckBox(self.tr("&Unsuitable accommodation"), self)
        self.not_in_touch = QCheckBox(self.tr("&Not in touch"), self)
        self.closed = QCheckBox(self.tr("Include c&losed"), self)
        for box in (self.bnb, self.unsuitable, self.not_in_touch, self.closed):
            box.setAccessibleName(box.text().replace("&", ""))
        self.count = QLabel(self)
        self.count.setAccessibleName(self.tr("Number of young people shown"))

        self.table = list_table(self, self.model, self.tr("Caseload"))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.NAME, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        widths = {
            Column.NAME: 170,
            Column.REFERENCE: 90,
            Column.AGE: 45,
            Column.CATEGORY: 110,
            Column.PA: 120,
            Column.ACCOMMODATION: 190,
            Column.DAYS: 70,
            Column.NEXT_REVIEW: 100,
            Column.IN_TOUCH: 90,
        }
        for column, width in widths.items():
            header.resizeSection(column, width)
        # Flags matter most to a PA: shown beside the name unless the user moves them.
        header.moveSection(header.visualIndex(Column.FLAGS), 1)
        header.resizeSection(Column.FLAGS, 170)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        # Only columns the database can sort on show a sort indicator when clicked.
        header.setSortIndicatorClearable(False)

        filters = QHBoxLayout()
        label = QLabel(self.tr("&Show:"), self)
        label.setBuddy(self.scope)
        filters.addWidget(label)
        filters.addWidget(self.scope)
        for box in (self.bnb, self.unsuitable, self.not_in_touch, self.closed):
            filters.addWidget(box)
        filters.addStretch(1)
        filters.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table)

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self._timer.timeout.connect(self.apply_filters)
        self.scope.currentIndexChanged.connect(self.apply_filters)
        for box in (self.bnb, self.unsuitable, self.not_in_touch, self.closed):
            box.toggled.connect(self.apply_filters)
        self.table.activated.connect(self._on_table_activated)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._on_sort_changed)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)

    def current_query(self) -> PeopleQuery:
        return replace(
            self.model.query,
            search=self.search.text(),
            scope=CaseloadScope(self.scope.currentData()),
            in_bnb_or_emergency=self.bnb.isChecked(),
            unsuitable=self.unsuitable.isChecked(),
            not_in_touch=self.not_in_touch.isChecked(),
            include_closed=self.closed.isChecked(),
        )

    def apply_filters(self) -> None:
        self._timer.stop()
        self.model.set_query(self.current_query())

    def set_scope(self, scope: CaseloadScope) -> None:
        self.scope.setCurrentIndex(self.scope.findData(scope.value))

    def selected_person(self) -> int | None:
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        return row.id if row else None

    def select_person(self, person_id: int) -> None:
        row = self.model.row_of(person_id)
        if row >= 0:
            self.table.selectRow(row)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def save_layout(self) -> QByteArray:
        return self.table.horizontalHeader().saveState()

    def restore_layout(self, state: QByteArray) -> None:
        self.table.horizontalHeader().restoreState(state)

    def _on_search_return_pressed(self) -> None:
        self.apply_filters()
        if self.model.rowCount() > 0:
            self.table.setFocus()
            self.table.selectRow(0)

    def _on_table_activated(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row is not None:
            self.person_activated.emit(row.id)

    def _on_sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        if Column(column) not in SORT_KEYS:
            # Keep the indicator truthful: the list is still sorted as it was.
            query = self.model.query
            key_column = next(c for c, k in SORT_KEYS.items() if k == query.sort)
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(
                key_column,
                Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder,
            )
            header.blockSignals(False)

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        if not self.model.total_exact:
            self.count.setText(
                self.tr("%1 of %2+ young people")
                .replace("%1", QLocale().toString(shown))
                .replace("%2", QLocale().toString(total))
            )
        elif shown < total:
            self.count.setText(
                self.tr("%1 of %2 young people")
                .replace("%1", QLocale().toString(shown))
                .replace("%2", QLocale().toString(total))
            )
        else:
            self.count.setText(self.tr("%n young people", "", total))
