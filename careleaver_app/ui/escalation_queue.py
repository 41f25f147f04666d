"""The managers' queue of flagged placements: filters, the list most urgent first, and the
selected item's placement, decision trail and other placements beside it."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from careleaver_app.domain.codes import Role
from careleaver_app.domain.errors import DomainError
from careleaver_app.domain.escalation import Level
from careleaver_app.services.actors import Actor
from careleaver_app.services.container import Services
from careleaver_app.services.dto import EpisodeDTO
from careleaver_app.services.escalations import DecisionRow, QueueRow
from careleaver_app.ui.caseload_model import accommodation_text
from careleaver_app.ui.dialogs.escalation_dialogs import DecisionDialog, ResolveDialog
from careleaver_app.ui.escalation_model import Column, EscalationModel, SortRole, status_text
from careleaver_app.ui.formatting import format_date, level_text
from careleaver_app.ui.tables import list_table


@dataclass(frozen=True)
class QueueActions:
    """The window's actions this view drives (declared once in ui.actions)."""

    decide: QAction
    resolve: QAction
    open_person: QAction


class EscalationQueueView(QWidget):
    person_activated = Signal(int)
    escalation_changed = Signal(int)  # the young person's id, after a decision or resolution

    def __init__(
        self, services: Services, actor: Actor, actions: QueueActions, parent=None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.actions = actions
        self.total: int | None = None  # open items the actor may see, whatever the filters
        self._reloading = False
        self._detail_stale = True
        # The rows (with their levels) are read only while someone can see them: a hidden queue
        # keeps just the count for the window's badge, one COUNT(*), and loads its rows when
        # shown. At national scale the rows took over a second of every administrator's start.
        self._rows_stale = True
        self._keep_id: int | None = None
        self.model = EscalationModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self._teams_stale = True  # the team filter too is filled when the queue is first shown
        self._build()
        self._connect_signals()

    def _build(self) -> None:
        self.team = QComboBox(self)
        self.team.setAccessibleName(self.tr("Team"))
        self.level = QComboBox(self)
        self.level.setAccessibleName(self.tr("Level"))
        self.level.addItem(self.tr("All levels"), None)
        for level in Level:
            self.level.addItem(level_text(level), int(level))
        self.count = QLabel(self)
        self.count.setAccessibleName(self.tr("Number of flagged placements shown"))
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName(self.tr("Message"))
        self.notice.hide()

        self.table = list_table(self, self.proxy, self.tr("Flagged placements"))
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # The services' order (most urgent first) until the user sorts; a third click restores it.
        self.table.setSortingEnabled(True)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.sort(-1)
        metrics = self.table.fontMetrics()
        samples = {
            Column.NAME: "Mohammed Al-Rashidi",
            Column.REFERENCE: "CL000000",
            Column.AGE: "Age",
            Column.PA: "Alexandra Adviser",
            Column.ACCOMMODATION: "W2 · Bed and breakfast",
            Column.NIGHTS: "Nights",
            Column.LEVEL: "2 · Head of service",
            Column.STATUS: "Ready to resolve    ",  # room for the flag icon
            Column.LAST_DECISION: "Exception authorised · 26/11/2026",
            Column.NEXT_CHECK: "26/11/2026 (overdue)",
        }
        bold = QFont(self.table.font())
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)  # overdue cells are bold
        headers = self.model.headerData
        for column, sample in samples.items():
            title = headers(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
            fm = bold_metrics if column in (Column.STATUS, Column.NEXT_CHECK) else metrics
            widest = max(fm.horizontalAdvance(sample), metrics.horizontalAdvance(title) + 12)
            header.resizeSection(column, widest + 16)
        # What a manager acts on comes first, beside the name, unless the user moves it; who
        # and where follow (and are in the detail pane too).
        header.setSectionsMovable(True)
        for visual, column in enumerate(
            (Column.LEVEL, Column.NIGHTS, Column.STATUS, Column.NEXT_CHECK, Column.LAST_DECISION),
            start=1,
        ):
            header.moveSection(header.visualIndex(column), visual)

        self.detail = QTextBrowser(self)
        self.detail.setAccessibleName(self.tr("Selected flagged placement"))
        self.detail.setOpenLinks(False)
        self.splitter = QSplitter(self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setCollapsible(0, False)  # the detail may be dragged shut; the list not
        self.splitter.setStretchFactor(0, 7)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([700, 300])

        filters = QHBoxLayout()
        # Mnemonics chosen clear of the caseload filters, the record tabs and the menus.
        for text, combo in (
            (self.tr("Tea&m:"), self.team),
            (self.tr("Es&calated to:"), self.level),
        ):
            label = QLabel(text, self)
            label.setBuddy(combo)
            filters.addWidget(label)
            filters.addWidget(combo)
        filters.addSpacing(12)
        for action in (self.actions.decide, self.actions.resolve, self.actions.open_person):
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            filters.addWidget(button)
        filters.addStretch(1)
        filters.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.notice)
        layout.addWidget(self.splitter, 1)

    def _connect_signals(self) -> None:
        self.team.currentIndexChanged.connect(self._on_filter_changed)
        self.level.currentIndexChanged.connect(self._on_filter_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        self.table.activated.connect(self._on_table_activated)

    def _fill_teams(self) -> None:
        self._teams_stale = False
        current = self.team.currentData()
        self.team.blockSignals(True)
        self.team.clear()
        self.team.addItem(self.tr("All teams"), None)
        for team in self.services.staffing.list_teams():
            if team.active:
                self.team.addItem(team.name, team.id)
        self.team.setCurrentIndex(max(0, self.team.findData(current)))
        self.team.blockSignals(False)

    # -- data ---------------------------------------------------------------------------

    def set_actor(self, actor: Actor) -> None:
        self.actor = actor
        self._teams_stale = True
        if self.isVisible():
            self._fill_teams()

    @property
    def can_decide(self) -> bool:
        # A courtesy only: the services refuse anyone else whatever the buttons say.
        return self.actor.role is Role.TEAM_MANAGER

    def reload(self) -> int | None:
        """Re-read the queue (only its count while hidden); returns how many open items the
        actor may see (None if refused)."""
        if not self.isVisible():
            return self._count_only()
        if self._teams_stale:
            self._fill_teams()
        team_id, level = self.team.currentData(), self.level.currentData()
        escalations = self.services.escalations
        try:
            everything = escalations.queue(self.actor)
            rows = (
                everything
                if team_id is None and level is None
                else escalations.queue(
                    self.actor, team_id=team_id, level=None if level is None else Level(level)
                )
            )
        except DomainError as exc:
            self._refused(exc)
            return None
        self.notice.hide()
        previous = self.selected()
        keep = previous.id if previous else self._keep_id
        self._rows_stale = False
        self._keep_id = None
        self.model.set_rows(rows)
        self.total = len(everything)
        self._after_reload(keep)
        return self.total

    def _count_only(self) -> int | None:
        try:
            total = self.services.escalations.open_count(self.actor)
        except DomainError as exc:
            self._refused(exc)
            return None
        self.notice.hide()
        previous = self.selected()
        if previous is not None:
            self._keep_id = previous.id
        # Rows left from an earlier load may be out of date or another user's: none are kept.
        self.model.set_rows([])
        self._rows_stale = True
        self.total = total
        self._after_reload(None)
        return total

    def _refused(self, exc: DomainError) -> None:
        # A refused queue shows nothing, never the previous user's young people.
        self.model.set_rows([])
        self.notice.setText(str(exc))
        self.notice.show()
        self.total = None
        self._rows_stale = False
        self._keep_id = None
        self._after_reload(None)

    def _after_reload(self, keep_id: int | None) -> None:
        shown = self.model.rowCount()
        if self.total is None:
            self.count.setText("")
        elif shown < self.total:
            self.count.setText(
                self.tr("%1 of %2 shown").replace("%1", str(shown)).replace("%2", str(self.total))
            )
        else:
            self.count.setText(self.tr("%n open", "", shown))
        row = self.model.row_of(keep_id) if keep_id is not None else -1
        self._reloading = True  # one detail read per reload, not one per selection step
        if row >= 0:
            self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        elif shown:
            self.table.selectRow(0)  # the top row is the most urgent unless the user sorted
        self._reloading = False
        self._show_detail(self.selected())

    def selected(self) -> QueueRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def select_escalation(self, escalation_id: int) -> None:
        row = self.model.row_of(escalation_id)
        if row >= 0:
            self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())

    def focus_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.table.currentIndex().isValid() and self.proxy.rowCount():
            self.table.selectRow(0)

    # -- commands -----------------------------------------------------------------------

    def record_decision(self) -> None:
        item = self.selected()
        if item is None:
            return
        escalations = self.services.escalations
        dialog = DecisionDialog(
            lambda d: escalations.record_decision(self.actor, item.id, d, item.version),
            escalations.today(),
            item,
            parent=self,
        )
        if dialog.exec():
            self._changed(item)

    def resolve(self) -> None:
        item = self.selected()
        if item is None:
            return
        escalations = self.services.escalations
        dialog = ResolveDialog(
            lambda rationale: escalations.resolve(self.actor, item.id, rationale, item.version),
            item,
            parent=self,
        )
        if dialog.exec():
            self._changed(item)

    def open_person(self) -> None:
        item = self.selected()
        if item is not None:
            self.person_activated.emit(item.person_id)

    def _changed(self, item: QueueRow) -> None:
        self.reload()  # keeps the item selected while it is still in the queue
        self.escalation_changed.emit(item.person_id)

    # -- the selected item --------------------------------------------------------------

    def _update_actions(self, item: QueueRow | None) -> None:
        is_open = item is not None and item.status == "open"
        self.actions.decide.setEnabled(is_open and self.can_decide)
        self.actions.resolve.setEnabled(
            is_open and self.can_decide and item is not None and item.ready_to_resolve
        )
        self.actions.open_person.setEnabled(item is not None)

    def _show_detail(self, item: QueueRow | None) -> None:
        self._update_actions(item)
        if not self.isVisible():
            # Reading the detail is audited as a view: only do it when someone can see it.
            self._detail_stale = True
            return
        self._detail_stale = False
        if item is None:
            self.detail.setHtml(
                f"<p>{escape(self.tr('No flagged placement is selected.'))}</p>"
                if self.total
                else f"<p>{escape(self.tr('There are no open flagged placements.'))}</p>"
            )
            return
        try:
            decisions = self.services.escalations.decisions(self.actor, item.id)
            episodes = self.services.people.get(self.actor, item.person_id).episodes
        except DomainError as exc:
            self.detail.setHtml(f"<p>{escape(str(exc))}</p>")
            return
        self.detail.setHtml(detail_html(self, item, decisions, episodes))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._rows_stale:
            self.reload()  # shows the detail of the selected row too
        elif self._detail_stale:
            self._show_detail(self.selected())

    def _on_filter_changed(self) -> None:
        self.reload()

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._reloading:
            self._show_detail(self.selected() if current.isValid() else None)

    def _on_table_activated(self, index: QModelIndex) -> None:
        self.open_person()


def detail_html(
    view: QWidget,
    item: QueueRow,
    decisions: list[DecisionRow],
    episodes: tuple[EpisodeDTO, ...],
) -> str:
    """The selected item as a short document: placement, decisions, other placements."""
    tr = view.tr
    placement = next((e for e in episodes if e.id == item.episode_id), None)
    address = (
        ", ".join(x for x in (placement.address, placement.postcode) if x) if placement else ""
    )
    facts = [
        (tr("Accommodation"), accommodation_text(item.code_903)),
        (tr("From"), format_date(item.start_date)),
        (tr("To"), format_date(item.end_date) or tr("continuing")),
        (tr("Nights"), str(item.nights)),
        (tr("Address"), address or tr("not recorded")),
    ]
    if placement and placement.provider:
        facts.append((tr("Provider"), placement.provider))
    facts += [
        (tr("Level"), level_text(item.level)),
        (tr("Status"), status_text(item)),
        (tr("Next check"), format_date(item.next_check_on) or tr("not set")),
        (tr("Personal adviser"), item.pa_name or tr("unallocated")),
        (tr("Team"), item.team_name),
    ]
    if not item.ready_to_resolve:
        facts.append(
            (tr("Resolving"), tr("possible once the placement ends or is judged suitable"))
        )
    parts = [
        f"<h3>{escape(item.name)} ({escape(item.reference)}), {tr('age')} {item.age}</h3>",
        "<table cellspacing='0' cellpadding='2'>",
        *(f"<tr><th align='left'>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in facts),
        "</table>",
        f"<h4>{escape(tr('Decisions'))} ({len(decisions)})</h4>",
    ]
    # Newest first, one short paragraph each: a narrow pane reads a list better than a table.
    for d in reversed(decisions):
        lines = [
            f"<b>{format_date(d.decided_on)} · {escape(d.kind.label)}</b> · "
            + escape(tr("%1 at level %2").replace("%1", d.decided_by or "?")).replace(
                "%2", escape(level_text(d.level))
            )
        ]
        if d.reason:
            lines.append(f"{escape(tr('Reason'))}: {escape(d.reason)}")
        if d.note:
            lines.append(escape(d.note))
        if d.next_check_on:
            lines.append(f"{escape(tr('Next check'))}: {format_date(d.next_check_on)}")
        parts.append("<p>" + "<br>".join(x.replace("\n", "<br>") for x in lines) + "</p>")
    if not decisions:
        parts.append(f"<p>{escape(tr('No decision recorded yet.'))}</p>")
    others = [e for e in reversed(episodes) if e.id != item.episode_id]
    parts.append(f"<h4>{escape(tr('Other placements'))} ({len(others)})</h4>")
    if others:
        parts.append(
            _table(
                [tr("From"), tr("To"), tr("Nights"), tr("Accommodation")],
                [
                    [
                        format_date(e.start_date),
                        format_date(e.end_date) or tr("current"),
                        str(e.nights),
                        accommodation_text(e.code_903)
                        + (f" ⚑ {tr('flagged')}" if e.opens_escalation else ""),
                    ]
                    for e in others
                ],
            )
        )
    else:
        parts.append(f"<p>{escape(tr('None.'))}</p>")
    return "\n".join(parts)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """Every column but the last (the free text) keeps to one line: dates must not break."""
    one_line = " style='white-space: nowrap'"
    head = "".join(f"<th align='left'{one_line}>{escape(h)}</th>" for h in headers)
    last = len(headers) - 1
    body = "".join(
        "<tr>"
        + "".join(f"<td{'' if i == last else one_line}>{escape(v)}</td>" for i, v in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f"<table cellspacing='0' cellpadding='3' border='1'><tr>{head}</tr>{body}</table>"


__all__ = ["EscalationQueueView", "QueueActions", "detail_html"]
