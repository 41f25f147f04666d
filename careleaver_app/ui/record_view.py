"""A young person's record: a header that always shows who this is, and one tab per section."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from careleaver_app.services.dto import EpisodeDTO, PersonRecord
from careleaver_app.services.escalations import DecisionRow, QueueRow
from careleaver_app.services.pathway import PathwaySummary
from careleaver_app.ui.caseload_model import accommodation_text
from careleaver_app.ui.escalation_model import status_text
from careleaver_app.ui.formatting import format_date, level_text, nights_text
from careleaver_app.ui.pathway_panel import PathwayPanel

if TYPE_CHECKING:
    from careleaver_app.services.offer import OfferStatement


def _yes_no(value: bool) -> str:
    return QCoreApplication.translate("RecordView", "Yes" if value else "No")


_date = format_date


@dataclass(frozen=True)
class EscalationTrail:
    """One escalation of this young person and its decisions, fetched by the window."""

    item: QueueRow
    decisions: tuple[DecisionRow, ...]


class RecordView(QWidget):
    """Shows a PersonRecord DTO (and its escalations); it never talks to the database itself."""

    def __init__(
        self,
        record: PersonRecord,
        escalations: Sequence[EscalationTrail] = (),
        parent=None,
        pathway: PathwaySummary | None = None,
        today: date | None = None,
        offer: OfferStatement | None = None,
    ) -> None:
        super().__init__(parent)
        self.record = record
        self.escalations: tuple[EscalationTrail, ...] = tuple(escalations)
        self.header = QLabel(self)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.header.setAccessibleName(self.tr("Young person summary"))
        self.flags = QLabel(self)
        self.flags.setAccessibleName(self.tr("Flags"))
        self.flags.setWordWrap(True)
        self.escalation = QLabel(self)
        self.escalation.setAccessibleName(self.tr("Open escalation"))
        self.escalation.setWordWrap(True)
        self.escalation.setStyleSheet("font-weight: bold;")
        self.escalation.hide()
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Record sections"))
        self.details = QWidget(self)
        self.details_form = QFormLayout(self.details)
        self.episodes = self._table(
            [
                self.tr("From"),
                self.tr("To"),
                self.tr("Nights"),
                self.tr("Accommodation"),
                self.tr("Address"),
                self.tr("Provider"),
                self.tr("Flag"),
            ],
            self.tr("Accommodation history"),
        )
        self.contacts = self._table(
            [
                self.tr("Date"),
                self.tr("Kind"),
                self.tr("In touch"),
                self.tr("Seen at home"),
                self.tr("Recorded by"),
                self.tr("Note"),
            ],
            self.tr("Contacts"),
        )
        self.activities = self._table(
            [self.tr("From"), self.tr("Code"), self.tr("Activity"), self.tr("Note")],
            self.tr("Activity history"),
        )
        self.care = self._table(
            [self.tr("Kind"), self.tr("From"), self.tr("Care ended")], self.tr("Care history")
        )
        self.trail = self._table(
            [
                self.tr("Placement from"),
                self.tr("Decided on"),
                self.tr("Decision"),
                self.tr("By"),
                self.tr("Level"),
                self.tr("Next check"),
                self.tr("Note"),
            ],
            self.tr("Escalation decisions"),
        )
        self.tabs.addTab(self.details, self.tr("&Details"))
        self.tabs.addTab(self.episodes, self.tr("&Accommodation"))
        self.tabs.addTab(self.contacts, self.tr("Con&tacts"))
        self.tabs.addTab(self.activities, self.tr("Acti&vity"))
        self.tabs.addTab(self.care, self.tr("Care &history"))
        self.tabs.addTab(self.trail, self.tr("Escalati&on"))
        self.pathway = PathwayPanel(self)
        self.tabs.addTab(self.pathway, self.tr("Path&way"))
        from careleaver_app.ui.offer_panel import OfferPanel  # with the offer's model, on first use

        self.offer = OfferPanel(self)
        # No mnemonic: every letter of "Local offer" is taken in the window; Ctrl+Tab reaches it
        # and the Local offer menu's actions bring it forward.
        self.tabs.addTab(self.offer, self.tr("Local offer"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.flags)
        layout.addWidget(self.escalation)
        layout.addWidget(self.tabs)
        self.show_record(record, self.escalations)
        self.show_pathway(pathway, today)
        self.show_offer(offer)

    def _table(self, headers: list[str], name: str) -> QTableWidget:
        table = QTableWidget(0, len(headers), self)
        table.setHorizontalHeaderLabels(headers)
        table.setAccessibleName(name)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return table

    @property
    def person_id(self) -> int:
        return self.record.id

    def selected_episode(self) -> EpisodeDTO | None:
        row = self.episodes.currentRow()
        if row < 0:
            return None
        episode_id = self.episodes.item(row, 0).data(Qt.ItemDataRole.UserRole)
        return next((e for e in self.record.episodes if e.id == episode_id), None)

    def show_record(
        self, r: PersonRecord, escalations: Sequence[EscalationTrail] | None = None
    ) -> None:
        """Show `r`; `escalations` replaces the escalation trail unless it is None."""
        self.record = r
        if escalations is not None:
            self.show_escalations(escalations)
        known_as = f" ({self.tr('known as')} {r.preferred_name})" if r.preferred_name else ""
        category = r.category.label + (
            f" ({self.tr('override')})" if r.category_override_reason else ""
        )
        self.header.setText(
            f"<h2>{_esc(r.name)}{_esc(known_as)}</h2>"
            f"{self.tr('Age')} {r.age} · {_esc(category)} · {_esc(r.reference)} · "
            f"{self.tr('PA')}: {_esc(r.pa_name or self.tr('unallocated'))}"
            + (f" · <b>{self.tr('Closed')} {_date(r.closed_on)}</b>" if r.closed_on else "")
        )
        self.flags.setText("⚑ " + " · ".join(r.flags) if r.flags else self.tr("No flags"))
        self.setAccessibleName(self.tr("Record of %s") % r.name)
        self._fill_details(r)
        self._fill(
            self.episodes,
            [
                (
                    e.id,
                    [
                        _date(e.start_date),
                        _date(e.end_date) or self.tr("current"),
                        str(e.nights),
                        accommodation_text(e.code_903),
                        ", ".join(x for x in (e.address, e.postcode) if x),
                        e.provider,
                        ("⚑ " + self.tr("Flagged for review")) if e.opens_escalation else "",
                    ],
                )
                for e in reversed(r.episodes)
            ],
        )
        self._fill(
            self.contacts,
            [
                (
                    c.id,
                    [
                        _date(c.contact_date),
                        c.kind.label,
                        c.in_touch.label,
                        _yes_no(c.seen_at_home),
                        c.recorded_by,
                        c.note,
                    ],
                )
                for c in reversed(r.contacts)
            ],
        )
        self._fill(
            self.activities,
            [
                (a.id, [_date(a.start_date), a.activity.value, a.activity.label, a.note])
                for a in reversed(r.activities)
            ],
        )
        self._fill(
            self.care,
            [
                (
                    p.id,
                    [
                        p.kind.value.replace("_", " ").capitalize(),
                        _date(p.start_date),
                        _date(p.end_date),
                    ],
                )
                for p in r.care_periods
            ],
        )

    def show_pathway(self, summary: PathwaySummary | None, today: date | None = None) -> None:
        self.pathway.show_summary(summary, today)

    def show_offer(self, statement: OfferStatement | None) -> None:
        self.offer.show_statement(statement)

    def show_escalations(self, escalations: Sequence[EscalationTrail]) -> None:
        """A banner for each open escalation; the decision trail of every one in its tab."""
        self.escalations = tuple(escalations)
        open_now = [t.item for t in self.escalations if t.item.status == "open"]
        self.escalation.setText(
            "\n".join(
                "⚑ "
                + self.tr("Escalation open")
                + f": {self.tr('level')} {level_text(i.level)} · "
                + nights_text(i.nights)
                + f" {self.tr('in')} {i.code_903} · {i.type.label} "
                + f"{self.tr('since')} {_date(i.start_date)} · {status_text(i)}"
                + (
                    f" · {self.tr('next check')} {_date(i.next_check_on)}"
                    if i.next_check_on
                    else ""
                )
                for i in open_now
            )
        )
        self.escalation.setVisible(bool(open_now))
        # Open escalations first, then the most recent placement.
        ordered = sorted(
            self.escalations,
            key=lambda t: (t.item.status != "open", -t.item.start_date.toordinal()),
        )
        rows: list[tuple[int, list[str]]] = []
        for t in ordered:
            placement = f"{_date(t.item.start_date)} ({t.item.code_903})"
            if t.item.status != "open":
                placement += f" · {self.tr('resolved')}"
                rows.append(
                    (
                        t.item.id,
                        [
                            placement,
                            _date(t.item.resolved_on),
                            self.tr("Resolved"),
                            "",
                            "",
                            "",
                            t.item.resolution,
                        ],
                    )
                )
            if not t.decisions:
                rows.append(
                    (t.item.id, [placement, "", self.tr("No decision recorded"), "", "", "", ""])
                )
            for d in reversed(t.decisions):
                note = d.note + (f" ({self.tr('reason')}: {d.reason})" if d.reason else "")
                rows.append(
                    (
                        t.item.id,
                        [
                            placement,
                            _date(d.decided_on),
                            d.kind.label,
                            d.decided_by,
                            level_text(d.level),
                            _date(d.next_check_on),
                            note,
                        ],
                    )
                )
        self._fill(self.trail, rows)

    def _fill_details(self, r: PersonRecord) -> None:
        form = self.details_form
        while form.rowCount():
            form.removeRow(0)
        rows = [
            (self.tr("Name"), r.name),
            (self.tr("Preferred name"), r.preferred_name),
            (self.tr("Date of birth"), f"{_date(r.date_of_birth)} ({self.tr('age')} {r.age})"),
            (self.tr("Gender"), r.gender),
            (self.tr("Category"), r.category.label),
            (self.tr("Team"), r.team_name),
            (self.tr("Personal adviser"), r.pa_name),
            (self.tr("First language"), r.first_language),
            (self.tr("Interpreter needed"), _yes_no(r.interpreter_needed)),
            (self.tr("Unaccompanied asylum-seeking"), _yes_no(r.uasc)),
            (self.tr("Pregnant or parenting"), _yes_no(r.pregnant_or_parenting)),
            (self.tr("Phone"), r.phone),
            (self.tr("Email"), r.email),
            (self.tr("Contact address"), r.contact_address),
            (self.tr("Consents to share with housing"), _yes_no(r.housing_consent)),
            (self.tr("Housing support needs"), r.housing_support_needs),
            (self.tr("Ethnicity"), r.ethnicity),
            (self.tr("Religion"), r.religion),
            (self.tr("Immigration status"), r.immigration_status),
            (self.tr("Health needs"), r.health_needs),
            (self.tr("Keep record until"), _date(r.retention_date)),
        ]
        for label, value in rows:
            field = QLabel(value or "—", self.details)
            field.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByKeyboard
                | Qt.TextInteractionFlag.TextSelectableByMouse
            )
            field.setAccessibleName(label)
            field.setWordWrap(True)
            form.addRow(label + ":", field)

    @staticmethod
    def _fill(table: QTableWidget, rows: list[tuple[int, list[str]]]) -> None:
        table.setRowCount(len(rows))
        for r, (row_id, values) in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, row_id)
                table.setItem(r, c, item)
        if rows:
            table.selectRow(0)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
