"""The window a housing liaison officer works in instead of the caseload: the team's young people
who agreed to share with housing, and the selected one's housing summary (DESIGN 3.6). It calls
services.housing only, whose DTO has no field for health, ethnicity, religion, immigration status
or case notes. Its File menu prints that summary through services.printing (print_commands)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from careleaver_app.domain.errors import DomainError
from careleaver_app.services.actors import Actor
from careleaver_app.services.container import Services
from careleaver_app.services.housing import HousingListRow, HousingSummary
from careleaver_app.ui.housing_detail import HousingDetail, text_label
from careleaver_app.ui.housing_model import HousingListModel, ListColumn, SortRole
from careleaver_app.ui.icons import icon
from careleaver_app.ui.print_commands import HousingPrintCommands
from careleaver_app.ui.tables import list_table

SEARCH_DELAY_MS = 0  # as the caseload: no typing pause; a burst of queued keystrokes runs once
SELECT_DELAY_MS = 150  # arrowing down the list reads (and audits) only the row it stops on


class HousingWindow(QMainWindow):
    """Replaces the caseload window for a housing liaison officer."""

    # The HousingSummary now on screen (for a Print action to follow), or None.
    summary_shown = Signal(object)

    def __init__(
        self,
        services: Services,
        actor: Actor,
        database_label: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.housing = services.housing  # the one service this window may call
        self.actor = actor
        self._shown_id: int | None = None
        self.setWindowTitle(self.tr("Care Leaver Tracker — Housing"))
        self.setWindowIcon(icon("app"))
        self.setAccessibleName(self.windowTitle())
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._select_timer = QTimer(self, singleShot=True, interval=SELECT_DELAY_MS)
        self._build()
        self._build_menus()
        self._connect_signals()
        self.print_commands = HousingPrintCommands(self, lambda: services.printing)
        self.db_label.setText(database_label)
        self.user_label.setText(
            self.tr("Signed in as %1 (%2)")
            .replace("%1", actor.display_name)
            .replace("%2", actor.role.label)
        )
        self.resize(1280, 760)
        self.reload()

    # -- construction -------------------------------------------------------------------

    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Name or reference"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search young people"))
        search_label = QLabel(self.tr("&Search:"), self)
        search_label.setBuddy(self.search)
        self.count = QLabel(self)
        self.count.setAccessibleName(self.tr("Number of young people shown"))
        self.notice = text_label(self, self.tr("Message"), Qt.TextFormat.PlainText)
        self.notice.hide()
        self.model = HousingListModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = list_table(self, self.proxy, self.tr("Young people who agreed to share"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        metrics = self.table.fontMetrics()
        for column, sample in (
            (ListColumn.REFERENCE, "CL000000"),
            (ListColumn.NAME, "Mohammed Al-Rashidi"),
            (ListColumn.DATE_OF_BIRTH, "Date of birth"),
            (ListColumn.ACCOMMODATION, "W2 · Bed and breakfast · unsuitable"),
            (ListColumn.ESCALATION, "Escalation"),
        ):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)
        header.setSectionResizeMode(ListColumn.ACCOMMODATION, QHeaderView.ResizeMode.Stretch)
        self.table.setSortingEnabled(True)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.sort(-1)  # the services' order (by name) until the user sorts

        left = QWidget(self)
        search_row = QHBoxLayout()
        search_row.addWidget(search_label)
        search_row.addWidget(self.search, 1)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(4, 4, 4, 4)
        left_layout.addLayout(search_row)
        left_layout.addWidget(self.notice)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count)
        self.detail = HousingDetail(self)
        self.splitter = QSplitter(self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([700, 580])
        self.setCentralWidget(self.splitter)
        self.user_label = QLabel(self)
        self.db_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.db_label)
        self.statusBar().addPermanentWidget(self.user_label)

    def _action(self, text: str, key: QKeySequence.StandardKey, tip: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.setStatusTip(tip)
        return action

    def _build_menus(self) -> None:
        K = QKeySequence.StandardKey
        self.find_action = self._action(
            self.tr("&Find"), K.Find, self.tr("Search the young people by name or reference")
        )
        self.refresh_action = self._action(
            self.tr("&Refresh"), K.Refresh, self.tr("Read the list and the summary again")
        )
        self.quit_action = self._action(self.tr("&Quit"), K.Quit, self.tr("Quit"))
        if not QKeySequence.keyBindings(K.Quit):  # Windows and bare X11 have no standard one
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        # More File actions (print the summary, switch user…) go before the separator, above Quit:
        # window.file_menu.insertAction(window.quit_separator, action).
        self.file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.file_menu.addAction(self.find_action)
        self.file_menu.addAction(self.refresh_action)
        self.quit_separator = self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        # F6 moves between the list and the summary, as in the caseload window.
        self.toggle_focus_shortcut = QShortcut(QKeySequence(Qt.Key.Key_F6), self)

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self._search_timer.timeout.connect(self.reload)
        self._select_timer.timeout.connect(self._on_select_timer_timeout)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.table.activated.connect(self._on_table_activated)
        self.find_action.triggered.connect(self._on_find_triggered)
        self.refresh_action.triggered.connect(self.refresh)
        self.quit_action.triggered.connect(self.close)
        self.toggle_focus_shortcut.activated.connect(self.toggle_focus)

    # -- data ---------------------------------------------------------------------------

    def reload(self) -> int | None:
        """Re-read the list for the search text; returns how many are listed (None if refused)."""
        self._search_timer.stop()
        try:
            rows = self.housing.consenting(self.actor, self.search.text())
        except DomainError as exc:
            # A refused list shows nothing at all, and says why.
            self.model.set_rows([])
            self.notice.setText(str(exc))
            self.notice.show()
            self.count.setText("")
            self._clear_detail()
            return None
        self.notice.hide()
        keep = self._shown_id
        self.model.set_rows(rows)
        self.count.setText(
            self.tr("1 young person shown")
            if len(rows) == 1
            else self.tr("%1 young people shown").replace("%1", str(len(rows)))
        )
        # The summary on screen stays, and so does its row: no second read, no second audit.
        if keep is not None and self.select_person(keep):
            self._select_timer.stop()
        elif keep is not None:
            self._clear_detail()
        return len(rows)

    def refresh(self) -> None:
        shown = self._shown_id
        self.reload()
        if shown is not None and shown == self._shown_id:
            self.show_person(shown, force=True)

    def selected(self) -> HousingListRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(self.proxy.mapToSource(index).row()) if index.isValid() else None

    def select_person(self, person_id: int) -> bool:
        """Make `person_id` the current row (the summary follows); False if not listed."""
        row = self.model.row_of(person_id)
        if row >= 0:
            self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        return row >= 0

    def show_person(self, person_id: int, force: bool = False) -> HousingSummary | None:
        """Read and show the housing summary (an audited view); a refusal is a message."""
        self._select_timer.stop()
        if person_id == self._shown_id and not force and self.detail.summary is not None:
            return self.detail.summary
        try:
            summary = self.housing.summary(self.actor, person_id)
        except DomainError as exc:
            self._shown_id = None
            self.detail.show_message(str(exc))
            self.summary_shown.emit(None)
            return None
        self._shown_id = person_id
        self.detail.show_summary(summary)
        self.summary_shown.emit(summary)
        return summary

    @property
    def current_summary(self) -> HousingSummary | None:
        return self.detail.summary

    def _clear_detail(self) -> None:
        self._shown_id = None
        self.detail.show_prompt()
        self.summary_shown.emit(None)

    # -- keyboard -----------------------------------------------------------------------

    def focus_list(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.selectRow(0)

    def toggle_focus(self) -> None:
        """F6: from the list (or the search box) to the summary, and back."""
        focus = QApplication.focusWidget()
        if focus is not None and self.detail.isAncestorOf(focus):
            self.focus_list()
        else:
            self.detail.focus()

    # -- handlers -----------------------------------------------------------------------

    def _on_search_return_pressed(self) -> None:
        self.reload()
        self.focus_list()

    def _on_find_triggered(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._select_timer.start()

    def _on_select_timer_timeout(self) -> None:
        row = self.selected()
        if row is not None:
            self.show_person(row.person_id)

    def _on_table_activated(self, _index: QModelIndex) -> None:
        self._on_select_timer_timeout()  # now, not after the delay
        self.detail.focus()


__all__ = ["HousingWindow"]
