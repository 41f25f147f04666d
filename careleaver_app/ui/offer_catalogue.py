"""The administrator's editor of the local-offer catalogue: every item, active or retired, with
Add…, Edit… and Retire/Reinstate. Retiring keeps an item's history; nothing is deleted."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
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

from careleaver_app.domain.errors import DomainError
from careleaver_app.services.actors import Actor
from careleaver_app.services.container import Services
from careleaver_app.services.offer import CatalogueEntry
from careleaver_app.ui.dialogs.offer import OfferItemDialog
from careleaver_app.ui.offer_model import IdRole, SortRole
from careleaver_app.ui.offer_overview_model import CatalogueColumn, CatalogueModel
from careleaver_app.ui.tables import list_table


class OfferCatalogueDialog(QDialog):
    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.changed = False  # whether anything was saved, so the window re-reads the records
        self.setWindowTitle(self.tr("Local offer catalogue"))
        self.setAccessibleName(self.tr("Local offer catalogue"))
        self.setModal(True)
        self.resize(1180, 460)
        intro = QLabel(
            self.tr(
                "The council's published local offer. Changes apply to every young person; a "
                "retired item is no longer offered but its history stays on the ledgers."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName(self.tr("Message"))
        self.notice.hide()
        self.model = CatalogueModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = list_table(self, self.proxy, self.tr("Local offer items"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        # The catalogue's own order (the order the council publishes it in) until a header is
        # clicked.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.proxy.sort(-1)
        self.add_button = QPushButton(self.tr("&Add…"), self)
        self.edit_button = QPushButton(self.tr("&Edit…"), self)
        self.retire_button = QPushButton(self.tr("&Retire"), self)
        self.add_button.setAccessibleName(self.tr("Add item"))
        self.edit_button.setAccessibleName(self.tr("Edit item"))
        self.retire_button.setAccessibleName(self.tr("Retire or reinstate item"))
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.retire_button):
            row.addWidget(button)
        # Enter on the list edits the item; no button should take Enter for itself as well.
        for button in (self.add_button, self.edit_button, self.retire_button):
            button.setAutoDefault(False)
        self.close_buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
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
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.retire_button.clicked.connect(self._on_retire_button_clicked)
        self.close_buttons.rejected.connect(self.reject)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)

    def reload(self, select: int | None = None) -> None:
        current = self.selected()
        try:
            rows = self.services.offer.catalogue(include_retired=True)
        except DomainError as exc:
            self.model.set_rows([])
            self.notice.setText(str(exc))
            self.notice.show()
            return
        self.notice.hide()
        self.model.set_rows(rows)
        self.select(select if select is not None else (current.item.id if current else None))
        self._update_buttons()

    def select(self, item_id: int | None) -> None:
        row = self.model.row_of(item_id) if item_id is not None else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.table.setCurrentIndex(self.proxy.mapFromSource(self.model.index(row, 0)))

    def selected(self) -> CatalogueEntry | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def _update_buttons(self, *_: object) -> None:
        entry = self.selected()
        self.edit_button.setEnabled(entry is not None)
        self.retire_button.setEnabled(entry is not None)
        active = entry is None or entry.item.active
        self.retire_button.setText(self.tr("&Retire") if active else self.tr("Re&instate"))

    def _on_add_button_clicked(self) -> None:
        offer = self.services.offer
        dialog = OfferItemDialog(lambda item: offer.add_item(self.actor, item), parent=self)
        if dialog.exec():
            self.changed = True
            self.reload(select=dialog.result_value.entity_id)

    def _on_edit_button_clicked(self) -> None:
        entry = self.selected()
        if entry is None or entry.item.id is None:
            return
        item_id, version = entry.item.id, entry.version
        offer = self.services.offer
        dialog = OfferItemDialog(
            lambda item: offer.update_item(self.actor, item_id, item, version),
            entry.item,
            parent=self,
        )
        if dialog.exec():
            self.changed = True
            self.reload(select=item_id)

    def _on_retire_button_clicked(self) -> None:
        entry = self.selected()
        if entry is None or entry.item.id is None:
            return
        try:
            self.services.offer.set_item_active(
                self.actor, entry.item.id, not entry.item.active, entry.version
            )
        except DomainError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            self.reload()
            return
        self.changed = True
        self.reload(select=entry.item.id)

    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.siblingAtColumn(CatalogueColumn.NAME).data(IdRole) is not None:
            self._on_edit_button_clicked()
