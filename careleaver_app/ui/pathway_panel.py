"""The Pathway tab of a record: assessment, current plan, reviews, what is due and why, planning
flags and the milestone birthdays. It shows a PathwaySummary handed in; it never fetches one."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from careleaver_app.domain.pathway import ReviewStatus
from careleaver_app.services.pathway import PathwaySummary
from careleaver_app.ui.formatting import format_date
from careleaver_app.ui.pathway_model import reason_text, status_text


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class PathwayPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Pathway"))
        form = QFormLayout()
        self.assessment = self._field(form, self.tr("Needs assessment"))
        self.plan = self._field(form, self.tr("Current plan"))
        self.last_review = self._field(form, self.tr("Last review"))
        self.next_due = self._field(form, self.tr("Next review due"))
        self.status = self._field(form, self.tr("Status"))
        self.flags = self._field(form, self.tr("Planning flags"))
        self.milestones = QTableWidget(0, 3, self)
        self.milestones.setHorizontalHeaderLabels(
            [self.tr("Birthday"), self.tr("Date"), self.tr("What is due")]
        )
        self.milestones.setAccessibleName(self.tr("Milestones"))
        self.milestones.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.milestones.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.milestones.verticalHeader().setVisible(False)
        header = self.milestones.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Milestones:"), self))
        layout.addWidget(self.milestones, 1)

    def _field(self, form: QFormLayout, label: str) -> QLabel:
        field = QLabel("—", self)
        field.setWordWrap(True)
        field.setAccessibleName(label)
        field.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        form.addRow(label + ":", field)
        return field

    def show_summary(self, s: PathwaySummary | None, today: date | None = None) -> None:
        """`None` when the summary could not be read (the rest of the record still shows)."""
        if s is None:
            for field in (self.assessment, self.plan, self.last_review, self.next_due):
                field.setText(self.tr("Not available"))
            self.status.setText("—")
            self.flags.setText("—")
            self.milestones.setRowCount(0)
            return
        self.assessment.setText(
            self.tr("Completed %1").replace("%1", format_date(s.assessment_on))
            if s.assessment_on
            else self.tr("None recorded")
        )
        if s.plan_started_on is None:
            self.plan.setText(self.tr("No plan yet"))
        else:
            signed = (
                self.tr("signed off %1").replace("%1", format_date(s.plan_signed_off_on))
                if s.plan_signed_off_on
                else self.tr("not signed off")
            )
            self.plan.setText(
                self.tr("Started %1").replace("%1", format_date(s.plan_started_on))
                + (f" {self.tr('by')} {author}" if (author := _author(s)) else "")
                + f" · {signed}"
            )
        self.last_review.setText(format_date(s.last_review_on) or self.tr("None yet"))
        self.next_due.setText(
            f"{format_date(s.due.due)} — {reason_text(s.due)}"
            if s.due
            else self.tr("No plan yet, so no review is due")
        )
        self.status.setText(status_text(s))
        self.status.setStyleSheet("font-weight: bold;" if s.status is ReviewStatus.OVERDUE else "")
        self.flags.setText("⚑ " + " · ".join(s.flags) if s.flags else self.tr("No flags"))
        self.milestones.setRowCount(len(s.milestones))
        for r, m in enumerate(s.milestones):
            when = format_date(m.on)
            if today is not None and m.on < today:
                when += f" ({self.tr('passed')})"
            for c, value in enumerate((_ordinal(m.age), when, m.what)):
                self.milestones.setItem(r, c, QTableWidgetItem(value))

    def text(self) -> str:
        """Everything the tab says, for screen-reader summaries and tests."""
        fields = (
            self.assessment,
            self.plan,
            self.last_review,
            self.next_due,
            self.status,
            self.flags,
        )
        rows = [
            " ".join(self.milestones.item(r, c).text() for c in range(3))
            for r in range(self.milestones.rowCount())
        ]
        return "\n".join([f.text() for f in fields] + rows)


def _author(s: PathwaySummary) -> str:
    return s.plan_author
