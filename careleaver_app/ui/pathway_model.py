"""Table model of reviews due and overdue: one PathwaySummary per row, in the services' order
(soonest due first), with a SortRole so a proxy can sort any column, due date included."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont

from careleaver_app.domain.pathway import ReviewDue, ReviewStatus
from careleaver_app.services.pathway import PathwaySummary
from careleaver_app.ui.formatting import format_date
from careleaver_app.ui.icons import icon
from careleaver_app.ui.row_model import Index, RowTableModel

SortRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole  # the young person's id


class Column(IntEnum):
    NAME = 0
    REFERENCE = 1
    PA = 2
    LAST_REVIEW = 3
    NEXT_DUE = 4
    STATUS = 5
    REASON = 6
    FLAGS = 7


def _tr(text: str) -> str:
    return QCoreApplication.translate("Pathway", text)


def reason_text(due: ReviewDue) -> str:
    """ReviewDue.reason in the dates every other view shows (dd/mm/yyyy)."""
    if due.trigger is None:
        return _tr("six-monthly review: due by %1").replace("%1", format_date(due.due))
    return (
        _tr("%1 on %2: review due by %3")
        .replace("%1", due.trigger.kind.label)
        .replace("%2", format_date(due.trigger.on))
        .replace("%3", format_date(due.due))
    )


def status_text(row: PathwaySummary) -> str:
    return row.status.label if row.status else _tr("No plan yet")


def flags_text(row: PathwaySummary) -> str:
    return " · ".join(row.flags)


class DueModel(RowTableModel[PathwaySummary]):
    columns = Column

    def row_of(self, row_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.person_id == row_id), -1)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS()[Column(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        overdue = row.status is ReviewStatus.OVERDUE
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SortRole:
            return self._sort_key(row, column)
        if role == IdRole:
            return row.person_id
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.NAME:
            return f"{row.name} ({row.reference}), {row.team_name}"
        if role == Qt.ItemDataRole.DecorationRole and column is Column.STATUS:
            return icon("flag") if overdue else None
        if (
            role == Qt.ItemDataRole.FontRole
            and overdue
            and column
            in (
                Column.STATUS,
                Column.NEXT_DUE,
            )
        ):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _display(self, row: PathwaySummary, column: Column) -> str:
        match column:
            case Column.NAME:
                return row.name
            case Column.REFERENCE:
                return row.reference
            case Column.PA:
                return row.pa_name or _tr("Unallocated")
            case Column.LAST_REVIEW:
                return format_date(row.last_review_on) or _tr("None yet")
            case Column.NEXT_DUE:
                return format_date(row.due.due) if row.due else ""
            case Column.STATUS:
                return status_text(row)
            case Column.REASON:
                return reason_text(row.due) if row.due else ""
            case Column.FLAGS:
                return flags_text(row)
        return ""

    def _sort_key(self, row: PathwaySummary, column: Column) -> str | int:
        match column:
            case Column.NEXT_DUE:
                return row.due.due.toordinal() if row.due else 10**7
            case Column.LAST_REVIEW:
                return row.last_review_on.toordinal() if row.last_review_on else 0
            case Column.STATUS:
                order = (ReviewStatus.OVERDUE, ReviewStatus.DUE_SOON, ReviewStatus.IN_DATE)
                return order.index(row.status) if row.status else len(order)
        return self._display(row, column).casefold()


def HEADERS() -> dict[Column, str]:
    return {
        Column.NAME: _tr("Young person"),
        Column.REFERENCE: _tr("Reference"),
        Column.PA: _tr("PA"),
        Column.LAST_REVIEW: _tr("Last review"),
        Column.NEXT_DUE: _tr("Next review due"),
        Column.STATUS: _tr("Status"),
        Column.REASON: _tr("Why"),
        Column.FLAGS: _tr("Planning flags"),
    }
