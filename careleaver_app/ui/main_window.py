"""The PA's main window: the caseload on the left, open records as tabs on the right."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QWidget,
)

from careleaver_app import __version__
from careleaver_app.config import AppConfig
from careleaver_app.domain.errors import DomainError
from careleaver_app.services.actors import Actor
from careleaver_app.services.container import Services, check_connection
from careleaver_app.services.dto import PersonPage
from careleaver_app.services.people import CaseloadScope, PeopleQuery
from careleaver_app.ui.account_commands import AccountCommands
from careleaver_app.ui.actions import ActionId, build_actions
from careleaver_app.ui.caseload_view import CaseloadView
from careleaver_app.ui.change_watcher import LiveRefresh
from careleaver_app.ui.escalation_dock import EscalationDock, escalation_trails
from careleaver_app.ui.icons import icon
from careleaver_app.ui.menus import build_menus
from careleaver_app.ui.offer_commands import OfferCommands, offer_statement
from careleaver_app.ui.pathway_commands import PathwayCommands, may_sign_off, pathway_summary
from careleaver_app.ui.pathway_dock import PathwayDock
from careleaver_app.ui.print_commands import PrintCommands
from careleaver_app.ui.record_commands import RecordCommands
from careleaver_app.ui.record_view import RecordView

# The docks' first read waits for the caseload's first paint, but never longer than this.
DOCKS_LATEST_MS = 1_000


class MainWindow(QMainWindow):
    person_saved = Signal(int)
    # Once, just after the caseload's first paint (or DOCKS_LATEST_MS after showing if it is
    # never painted): what can wait for the window to be seen waits for this.
    first_painted = Signal()

    def __init__(
        self,
        services: Services,
        actor: Actor,
        settings_file: Path,
        database_label: str,
        parent: QWidget | None = None,
        *,
        sign_in_hint: str = "",
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.today: Callable[[], date] = services.people.today
        self.settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
        self.config_file = settings_file.parent / "settings.json"
        self.setWindowTitle(self.tr("Care Leaver Tracker"))
        self.setWindowIcon(icon("app"))
        self.setAccessibleName(self.tr("Care Leaver Tracker"))
        self.actions_by_id = build_actions(self)
        self.caseload = CaseloadView(self._fetch, self)
        self.records = QTabWidget(self)
        self.records.setTabsClosable(True)
        self.records.setDocumentMode(True)
        self.records.setAccessibleName(self.tr("Open records"))
        self.empty = QLabel(self.tr("Open a young person from the list (Enter or double-click)."))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.records.addTab(self.empty, self.tr("Start"))
        self.records.tabBar().setTabButton(0, self.records.tabBar().ButtonPosition.RightSide, None)
        self.splitter = QSplitter(self)
        self.splitter.addWidget(self.caseload)
        self.splitter.addWidget(self.records)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.splitter)
        self.queue_dock = EscalationDock(services, actor, self.actions_by_id, self)
        self.queue = self.queue_dock.queue
        self.pathway_dock = PathwayDock(services, actor, self)
        self.record_commands = RecordCommands(self)
        self.pathway_commands = PathwayCommands(self)
        self.offer_commands = OfferCommands(self)
        self.account_commands = AccountCommands(self, sign_in_hint)
        self.print_commands = PrintCommands(self)
        self.live_refresh = LiveRefresh(self)
        # The docks (flagged placements, reviews due) are read once the window has shown the
        # caseload: the list is what the user opened the app for, and a manager's queue
        # (levels, bank holidays) or the national badge count would hold its first paint.
        self._docks_loaded = False
        self._queue_wanted = False
        self.user_label = QLabel(self)
        self.db_label = QLabel(database_label, self)
        self.statusBar().addPermanentWidget(self.db_label)
        self.statusBar().addPermanentWidget(self.user_label)
        self._build_menus()
        self._connect_signals()
        self._set_actor(actor)
        self._restore_layout()
        self._update_actions()
        self.caseload.model.reload()
        self.live_refresh.start()

    # -- construction -------------------------------------------------------------------

    def _build_menus(self) -> None:
        build_menus(self, self.actions_by_id)
        # F6 moves between the list and the open record, so the keyboard never gets stranded.
        QShortcut(QKeySequence(Qt.Key.Key_F6), self, self._toggle_focus)

    def _connect_signals(self) -> None:
        a = self.actions_by_id
        handlers: dict[ActionId, Callable[[], Any]] = {
            ActionId.NEW_PERSON: self.record_commands.new_person,
            ActionId.FIND: self.caseload.focus_search,
            ActionId.OPEN_RECORD: self._on_open_record,
            ActionId.CLOSE_TAB: self._on_close_tab,
            ActionId.EDIT_DETAILS: self.record_commands.edit_details,
            ActionId.RECORD_MOVE: self.record_commands.record_move,
            ActionId.END_EPISODE: self.record_commands.end_episode,
            ActionId.CORRECT_EPISODE: self.record_commands.correct_episode,
            ActionId.LOG_CONTACT: self.record_commands.log_contact,
            ActionId.CHANGE_ACTIVITY: self.record_commands.change_activity,
            ActionId.FLAGGED_PLACEMENTS: self.queue_dock.show_queue,
            ActionId.RECORD_DECISION: self.queue.record_decision,
            ActionId.RESOLVE_ESCALATION: self.queue.resolve,
            ActionId.OPEN_FLAGGED_PERSON: self.queue.open_person,
            ActionId.DUE_REVIEWS: self.pathway_dock.show_due,
            ActionId.RECORD_ASSESSMENT: self.pathway_commands.record_assessment,
            ActionId.START_PLAN: self.pathway_commands.start_plan,
            ActionId.SIGN_OFF_PLAN: self.pathway_commands.sign_off_plan,
            ActionId.RECORD_REVIEW: self.pathway_commands.record_review,
            ActionId.OFFER_ADD_ENTRY: self.offer_commands.add_entry,
            ActionId.OFFER_UPDATE_ENTRY: self.offer_commands.update_entry,
            ActionId.OFFER_TAKE_UP: self.offer_commands.show_take_up,
            ActionId.OFFER_CATALOGUE: self.offer_commands.open_catalogue,
            ActionId.REFRESH: self.refresh,
            ActionId.SWITCH_USER: self.account_commands.switch_user,
            ActionId.LOCK_NOW: self.account_commands.lock_now,
            ActionId.CHANGE_PASSWORD: self.account_commands.change_password,
            ActionId.USERS: self.account_commands.users,
            ActionId.ADMIN_SETTINGS: self.account_commands.admin_settings,
            ActionId.AUDIT_SEARCH: self.account_commands.audit_search,
            ActionId.RECORD_HISTORY: self.account_commands.record_history,
            ActionId.PURGE_RECORD: self.account_commands.purge_record,
            ActionId.ENCRYPTION: self.account_commands.encryption,
            ActionId.RESTORE: self.account_commands.restore,
            ActionId.PREFERENCES: self._on_preferences,
            ActionId.QUIT: self.close,
            ActionId.ABOUT: self._on_about,
        }
        for action_id, handler in handlers.items():
            a[action_id].triggered.connect(lambda _=False, h=handler: self._guarded(h))
        self.caseload.person_activated.connect(self.open_person)
        self.records.tabCloseRequested.connect(self._close_tab_at)
        self.records.currentChanged.connect(self._update_actions)
        self.person_saved.connect(self._on_person_saved)
        self.queue.person_activated.connect(self.open_person)
        self.queue.escalation_changed.connect(self._on_queue_escalation_changed)
        self.pathway_dock.due.person_activated.connect(self.open_person)

    # -- data ---------------------------------------------------------------------------

    def _fetch(self, query: PeopleQuery) -> PersonPage:
        """A refused or failed list shows nothing (never the previous user's rows) and says why."""
        try:
            return self.services.people.list(self.actor, query)
        except DomainError as exc:
            self.statusBar().showMessage(str(exc), 15000)
            return PersonPage((), 0)

    def _set_actor(self, actor: Actor) -> None:
        self.actor = actor
        self.user_label.setText(
            self.tr("Signed in as %1 (%2)")
            .replace("%1", actor.display_name)
            .replace("%2", actor.role.label)
        )
        scope = (
            CaseloadScope.MINE
            if actor.role.value == "personal_adviser"
            else (CaseloadScope.TEAM if actor.team_id else CaseloadScope.EVERYONE)
        )
        self.caseload.scope.blockSignals(True)
        self.caseload.set_scope(scope)
        self.caseload.scope.blockSignals(False)
        # The same filters can mean different rows for a different user: always re-query.
        self.caseload.model.set_query(self.caseload.current_query(), force=True)
        if self._docks_loaded:
            self.queue_dock.set_actor(actor)
            self.pathway_dock.set_actor(actor)
        self.offer_commands.set_actor(actor)
        self.live_refresh.set_actor(actor)
        self._update_actions()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._docks_loaded:
            # Just after the caseload's first paint; or a little later if it is never painted
            # (a window opened minimised).
            self.caseload.table.viewport().installEventFilter(self)
            QTimer.singleShot(DOCKS_LATEST_MS, self._load_docks)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self.caseload.table.viewport():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._load_docks)
        return False

    @property
    def docks_loaded(self) -> bool:
        """Whether the docks and the queue's badge have had their first read."""
        return self._docks_loaded

    def _load_docks(self) -> None:
        """The docks' first read, just after the window first shows (see __init__)."""
        if self._docks_loaded:
            return
        self._docks_loaded = True
        self.queue_dock.set_actor(self.actor)
        self.pathway_dock.set_actor(self.actor)
        if self._queue_wanted and self.queue_dock.allowed:
            self.queue_dock.show()  # as the saved layout left it, now that it may be seen
        self.first_painted.emit()

    def refresh(self) -> None:
        self.caseload.model.reload()
        self.queue_dock.refresh()
        self.pathway_dock.refresh()
        self.offer_commands.refresh()
        for i in range(self.records.count()):
            view = self.records.widget(i)
            if isinstance(view, RecordView):
                self._reload_view(view)

    def _reload_view(self, view: RecordView) -> None:
        record = self._guarded(lambda: self.services.people.get(self.actor, view.person_id))
        if record is not None:
            view.show_record(record, escalation_trails(self.services, self.actor, view.person_id))
            view.show_pathway(
                pathway_summary(self.services, self.actor, view.person_id), self.today()
            )
            view.show_offer(offer_statement(self.services, self.actor, view.person_id))

    def current_record(self) -> RecordView | None:
        view = self.records.currentWidget()
        return view if isinstance(view, RecordView) else None

    def open_person(self, person_id: int) -> None:
        for i in range(self.records.count()):
            view = self.records.widget(i)
            if isinstance(view, RecordView) and view.person_id == person_id:
                self.records.setCurrentIndex(i)
                return
        record = self._guarded(lambda: self.services.people.get(self.actor, person_id))
        if record is None:
            return
        trails = escalation_trails(self.services, self.actor, person_id)
        view = RecordView(
            record,
            trails,
            self.records,
            pathway=pathway_summary(self.services, self.actor, person_id),
            today=self.today(),
            offer=offer_statement(self.services, self.actor, person_id),
        )
        self.offer_commands.attach(view)
        index = self.records.addTab(view, record.name)
        self.records.setTabToolTip(index, f"{record.name} ({record.reference})")
        self.records.setCurrentIndex(index)
        view.tabs.setFocus()

    def _on_person_saved(self, person_id: int) -> None:
        self.queue_dock.refresh()
        self.pathway_dock.refresh()
        self.offer_commands.refresh()
        self._show_person_changed(person_id)

    def _on_queue_escalation_changed(self, person_id: int) -> None:
        self.queue_dock.update_badge()  # the queue has already re-read itself
        self._show_person_changed(person_id)

    def _show_person_changed(self, person_id: int) -> None:
        self.caseload.model.reload()
        self.caseload.select_person(person_id)
        for i in range(self.records.count()):
            view = self.records.widget(i)
            if isinstance(view, RecordView) and view.person_id == person_id:
                self._reload_view(view)
                self.records.setTabText(i, view.record.name)
        self._update_actions()

    # -- action handlers ----------------------------------------------------------------

    def _guarded(self, handler: Callable[[], Any]) -> Any:
        """Run an action; a refusal from the services becomes a message, never a traceback."""
        try:
            return handler()
        except DomainError as exc:
            QMessageBox.warning(self, self.tr("Care Leaver Tracker"), str(exc))
            return None

    def _on_open_record(self) -> None:
        person_id = self.caseload.selected_person()
        if person_id is not None:
            self.open_person(person_id)

    def _on_close_tab(self) -> None:
        self._close_tab_at(self.records.currentIndex())

    def _close_tab_at(self, index: int) -> None:
        if isinstance(self.records.widget(index), RecordView):
            widget = self.records.widget(index)
            self.records.removeTab(index)
            widget.deleteLater()
        if self.records.count() == 1:
            self.caseload.table.setFocus()

    def replace_actor(self, actor: Actor) -> None:
        """Someone else signed in: close every record the last user had open."""
        for i in reversed(range(self.records.count())):
            self._close_tab_at(i)
        self._set_actor(actor)

    def attach_backups(self, timer, paths) -> None:  # type: ignore[no-untyped-def]
        self.account_commands.attach_backups(timer, paths)
        self._update_actions()

    def attach_lock(self, lock) -> None:  # type: ignore[no-untyped-def]
        self.account_commands.attach_lock(lock)
        self.live_refresh.attach_lock(lock)
        self._update_actions()

    def close_record(self, person_id: int) -> None:
        for i in reversed(range(self.records.count())):
            view = self.records.widget(i)
            if isinstance(view, RecordView) and view.record.id == person_id:
                self._close_tab_at(i)

    def _on_preferences(self) -> None:
        from careleaver_app.ui.preferences_dialog import PreferencesDialog

        def save_url(url: str | None) -> None:
            config = AppConfig.load(self.config_file) or AppConfig()
            AppConfig(url, config.acting_username).save(self.config_file)

        PreferencesDialog(
            self.db_label.text(), check_connection, save_url, self.reset_layout, self
        ).exec()

    def reset_layout(self) -> None:
        self.settings.clear()
        self.resize(1280, 800)
        self.splitter.setSizes([3 * self.width() // 5, 2 * self.width() // 5])
        self.queue_dock.place()
        self.pathway_dock.place()
        header = self.caseload.table.horizontalHeader()
        for logical in range(header.count()):
            header.moveSection(header.visualIndex(logical), logical)

    def _on_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Care Leaver Tracker"),
            self.tr("Care Leaver Tracker %1\nFor leaving-care teams in England.").replace(
                "%1", __version__
            ),
        )

    def _toggle_focus(self) -> None:
        """F6: the list, then the open record, then the flagged placements, and round again."""
        view = self.current_record()
        panes = [(self.caseload, self.caseload.table)]
        if view is not None:
            panes.append((view, view.tabs))
        if self.queue_dock.isVisible():
            panes.append((self.queue, self.queue.table))
        if self.pathway_dock.isVisible():
            panes.append((self.pathway_dock.due, self.pathway_dock.due.table))
        focus = QApplication.focusWidget()
        here = next((i for i, (pane, _) in enumerate(panes) if pane.isAncestorOf(focus)), -1)
        panes[(here + 1) % len(panes)][1].setFocus()

    def _update_actions(self) -> None:
        has_record = self.current_record() is not None
        a = self.actions_by_id
        for action_id in (
            ActionId.EDIT_DETAILS,
            ActionId.END_EPISODE,
            ActionId.CORRECT_EPISODE,
            ActionId.CLOSE_TAB,
        ):
            a[action_id].setEnabled(has_record)
        a[ActionId.SIGN_OFF_PLAN].setEnabled(has_record and may_sign_off(self.actor))
        self.offer_commands.update_actions()
        self.account_commands.update_actions()

    # -- layout persistence -------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)
            # A saved layout never shows a queue the user may not see, which is known once the
            # docks are read (_load_docks): until then it waits hidden.
            self._queue_wanted = self.queue_dock.isVisibleTo(self)
            self.queue_dock.hide()
        else:
            self.queue_dock.place()
        splitter = self.settings.value("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        columns = self.settings.value("caseload/columns")
        if columns is not None:
            self.caseload.restore_layout(columns)

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("caseload/columns", self.caseload.save_layout())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.live_refresh.stop()
        self.save_layout()
        event.accept()
