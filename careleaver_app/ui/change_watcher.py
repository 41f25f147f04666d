"""Seeing others' work: poll the change feed every few seconds and refresh what the main window
shows (caseload, flagged placements, due list, open records) when someone else saved something.

Polling the audit trail's id works the same on the SQLite file (two apps on one file) and on
PostgreSQL, needs no server setup and survives a dropped connection.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, QTimer, Signal

from careleaver_app.domain.errors import DomainError
from careleaver_app.services.actors import Actor
from careleaver_app.services.changes import ChangeFeed
from careleaver_app.ui.escalation_dock import escalation_trails
from careleaver_app.ui.offer_commands import offer_statement
from careleaver_app.ui.pathway_commands import pathway_summary
from careleaver_app.ui.record_view import RecordView

if TYPE_CHECKING:
    from careleaver_app.ui.caseload_view import CaseloadView
    from careleaver_app.ui.lock import LockController
    from careleaver_app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_MS = 3000
NOTE_MS = 5000
# In `kinds` when more changed than one poll lists (a big import, back from sleep).
EVERYTHING = "*"
# What the flagged-placements queue shows depends on these records (and the ladder's settings).
ESCALATION_KINDS = frozenset(
    {"escalation", "escalation_decision", "accommodation_episode", "young_person", "setting"}
)


class ChangeWatcher(QObject):
    """Emits `changed(person_ids, kinds)` when someone other than the actor saved something."""

    changed = Signal(frozenset, frozenset)

    def __init__(
        self,
        feed: ChangeFeed,
        actor: Actor,
        interval_ms: int = DEFAULT_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._feed = feed
        self._actor = actor
        self._last: int | None = None
        self._failing = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self) -> None:
        """From now on: what is on screen was read just now."""
        self._last = None
        self.poll()
        self._timer.start()

    def stop(self) -> None:
        """Pause; resume() picks up every change made in the meantime."""
        self._timer.stop()

    def resume(self) -> None:
        self._timer.start()
        self.poll()

    def set_actor(self, actor: Actor) -> None:
        # The window re-reads everything for a new user; changes before that are not news.
        self._actor = actor
        self._last = None
        if self.active:
            self.poll()

    def set_interval(self, interval_ms: int) -> None:
        self._timer.setInterval(interval_ms)

    def poll(self) -> None:
        try:
            if self._last is None:
                self._last = self._feed.latest(self._actor)
                return
            batch = self._feed.since(self._actor, self._last, others_only=True)
        except Exception:
            # A dropped connection or a busy file: try again next time, and say so only once.
            if not self._failing:
                log.warning("could not read the changes others made", exc_info=True)
            self._failing = True
            return
        self._failing = False
        self._last = batch.last_id
        if batch.changed:
            kinds = (batch.kinds | {EVERYTHING}) if batch.overflow else batch.kinds
            self.changed.emit(batch.person_ids, kinds)


class LiveRefresh(QObject):
    """Applies the watcher's news to the main window without moving the user's place."""

    def __init__(self, window: MainWindow, interval_ms: int = DEFAULT_INTERVAL_MS) -> None:
        super().__init__(window)
        self.window = window
        self.watcher = ChangeWatcher(window.services.changes, window.actor, interval_ms, self)
        self._editing: set[int] = set()
        self._stale: set[int] = set()
        self.watcher.changed.connect(self._on_watcher_changed)
        window.person_saved.connect(self._on_window_person_saved)

    def start(self) -> None:
        self.watcher.start()

    def stop(self) -> None:
        self.watcher.stop()

    def set_actor(self, actor: Actor) -> None:
        self._stale.clear()
        self.watcher.set_actor(actor)

    def attach_lock(self, lock: LockController) -> None:
        # Nothing is re-read (and so audited as viewed) while the user is away; unlocking
        # catches up with everything saved in the meantime.
        lock.locked.connect(lambda _reason: self.watcher.stop())
        lock.unlocked.connect(self.watcher.resume)

    @contextmanager
    def editing(self, person_id: int) -> Iterator[None]:
        """While the user edits a record, its tab is left alone: the conflict dialog shows them
        what changed when they save. If they cancel instead, the tab catches up then."""
        self._editing.add(person_id)
        try:
            yield
        finally:
            self._editing.discard(person_id)
            if person_id in self._stale:
                self._stale.discard(person_id)
                self._reload_record(person_id)

    def _on_window_person_saved(self, person_id: int) -> None:
        self._stale.discard(person_id)  # the window has just re-read it

    def _on_watcher_changed(self, person_ids: frozenset[int], kinds: frozenset[str]) -> None:
        w = self.window
        everything = EVERYTHING in kinds
        reload_keeping_place(w.caseload)
        if everything or kinds & ESCALATION_KINDS:
            w.queue_dock.refresh()
        w.pathway_dock.refresh()
        w.offer_commands.refresh()
        for person_id in {v.person_id for v in self._record_views()}:
            if not everything and person_id not in person_ids:
                continue
            if person_id in self._editing:
                self._stale.add(person_id)
            else:
                self._reload_record(person_id)
        w._update_actions()
        bar = w.statusBar()
        note = self.tr("Updated with changes saved by others")
        if bar.currentMessage() in ("", note):  # never hide a message the user has yet to read
            bar.showMessage(note, NOTE_MS)

    def _record_views(self) -> list[RecordView]:
        records = self.window.records
        return [
            view
            for i in range(records.count())
            if isinstance(view := records.widget(i), RecordView)
        ]

    def _reload_record(self, person_id: int) -> None:
        w = self.window
        views = [v for v in self._record_views() if v.person_id == person_id]
        if not views:
            return
        try:
            record = w.services.people.get(w.actor, person_id)
        except DomainError as exc:
            # Gone from this user's sight (another team now, or purged): close it, quietly.
            w.close_record(person_id)
            w.statusBar().showMessage(
                self.tr("A record you had open was closed: %1").replace("%1", str(exc)), 15000
            )
            return
        trails = escalation_trails(w.services, w.actor, person_id)
        pathway = pathway_summary(w.services, w.actor, person_id)
        offer = offer_statement(w.services, w.actor, person_id)
        for view in views:
            view.show_record(record, trails)
            view.show_pathway(pathway, w.today())
            view.show_offer(offer)
            w.records.setTabText(w.records.indexOf(view), record.name)


def reload_keeping_place(caseload: CaseloadView) -> None:
    """Re-read the caseload with the same rows loaded, the same person selected and the list
    scrolled to where it was."""
    table, model = caseload.table, caseload.model
    current = table.currentIndex()
    row = model.row_at(current.row()) if current.isValid() else None
    column = current.column() if current.isValid() else 0
    loaded = model.rowCount()
    bars = (table.verticalScrollBar(), table.horizontalScrollBar())
    offsets = [bar.value() for bar in bars]
    model.reload()
    root = QModelIndex()
    while model.rowCount() < loaded and model.canFetchMore(root):
        model.fetchMore(root)
    found = model.row_of(row.id) if row is not None else -1
    if found >= 0:
        table.selectionModel().setCurrentIndex(
            model.index(found, column),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
    table.doItemsLayout()  # the scroll bars' ranges, before their values are put back
    for bar, offset in zip(bars, offsets, strict=True):
        bar.setValue(offset)
