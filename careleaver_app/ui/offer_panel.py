"""The Local offer tab of a record: what the young person can have and what is left of it, the
items never taken up (so the PA offers them) and the ledger, newest first. It shows an
OfferStatement handed in; it never fetches one."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from careleaver_app.services.offer import LedgerRow, OfferStatement
from careleaver_app.ui.formatting import format_date
from careleaver_app.ui.offer_model import BalanceColumn, BalanceModel, LedgerColumn, LedgerModel
from careleaver_app.ui.tables import list_table


class OfferPanel(QWidget):
    entry_activated = Signal(int)  # a ledger entry's id: Enter or double-click on it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Local offer"))
        self.statement: OfferStatement | None = None
        self.summary = QLabel("—", self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Local offer summary"))
        self.summary.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.balances_model = BalanceModel(self)
        self.balances = self._table(
            self.balances_model, self.tr("Entitlements"), (BalanceColumn.STATUS,)
        )
        self.ledger_model = LedgerModel(self)
        self.ledger = self._table(
            self.ledger_model,
            self.tr("Local offer ledger"),
            (LedgerColumn.NOTE, LedgerColumn.REASON),
        )
        self.add_button = QPushButton(self.tr("Add entry…"), self)
        self.add_button.setAccessibleName(self.tr("Add entry"))
        self.update_button = QPushButton(self.tr("Update entry…"), self)
        self.update_button.setAccessibleName(self.tr("Update entry"))
        self.balances_label = QLabel(self.tr("Entitlements:"), self)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(self.tr("Ledger, newest first:"), self))
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.update_button)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.balances_label)
        top_layout.addWidget(self.balances, 1)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addLayout(buttons)
        bottom_layout.addWidget(self.ledger, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.splitter, 1)
        self.ledger.activated.connect(self._on_ledger_activated)

    def _table(
        self, model: BalanceModel | LedgerModel, name: str, wrapped: tuple[int, ...]
    ) -> QTableView:
        """Free-text columns (`wrapped`) share the width left over and wrap, rather than push
        the columns after them out of sight; each row grows to show them whole."""
        table = list_table(self, model, name)
        table.setWordWrap(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in wrapped:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        rows = table.verticalHeader()
        rows.setMinimumSectionSize(rows.defaultSectionSize())  # one-line rows as tall as elsewhere
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return table

    def bind(self, add: QAction, update: QAction) -> None:
        """The buttons run the window's actions and follow their enabled state."""
        for button, action in ((self.add_button, add), (self.update_button, update)):
            button.clicked.connect(action.trigger)
            action.enabledChanged.connect(button.setEnabled)
            button.setEnabled(action.isEnabled())
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(f"{action.toolTip()} ({keys})" if keys else action.toolTip())

    def show_statement(self, s: OfferStatement | None) -> None:
        """`None` when the statement could not be read (the rest of the record still shows)."""
        selected = self.selected_entry()
        self.statement = s
        if s is None:
            self.summary.setText(self.tr("The local offer is not available."))
            self.balances_model.set_rows([])
            self.ledger_model.set_rows([])
            return
        self.balances_label.setText(
            self.tr("Entitlements on %1 (%2):")
            .replace("%1", format_date(s.on))
            .replace("%2", s.category.label)
        )
        if s.not_taken_up:
            self.summary.setText(
                self.tr("Not taken up yet, worth offering: %1").replace(
                    "%1", ", ".join(i.name for i in s.not_taken_up)
                )
            )
        else:
            self.summary.setText(self.tr("Every item the young person can have has been used."))
        self.balances_model.set_rows(s.balances)
        self.ledger_model.set_rows(s.entries)
        row = self.ledger_model.row_of(selected.id) if selected else -1
        if row >= 0:
            self.ledger.selectRow(row)

    def selected_entry(self) -> LedgerRow | None:
        index = self.ledger.currentIndex()
        return self.ledger_model.row_at(index.row()) if index.isValid() else None

    def select_entry(self, entry_id: int) -> None:
        row = self.ledger_model.row_of(entry_id)
        if row >= 0:
            self.ledger.selectRow(row)

    def _on_ledger_activated(self, index: QModelIndex) -> None:
        entry = self.ledger_model.row_at(index.row())
        if entry is not None:
            self.entry_activated.emit(entry.id)

    def text(self) -> str:
        """Everything the tab says, for screen-reader summaries and tests."""
        lines = [self.summary.text(), self.balances_label.text()]
        for model in (self.balances_model, self.ledger_model):
            for r in range(model.rowCount()):
                lines.append(
                    " | ".join(model.index(r, c).data() for c in range(model.columnCount()))
                )
        return "\n".join(lines)
