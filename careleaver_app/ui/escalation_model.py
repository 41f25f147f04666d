"""Table model of the managers' queue: one row per open escalation, in the services' order.

The services sort most urgent first (overdue checks, then level, then nights); the model keeps
that order and offers a SortRole so that a proxy can sort by any column on request.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import (
    QCoreApplication,
    Qt,
)
from PySide6.QtGui import QFont

from careleaver_app.services.escalations import QueueRow
from careleaver_app.ui.caseload_model import accommodation_text
from careleaver_app.ui.formatting import decision_text, format_date, level_text
from careleaver_app.ui.icons import icon
from careleaver_app.ui.row_model import Index, RowTableModel

SortRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole  # the escalation id


class Column(IntEnum):
    NAME = 0
    REFERENCE = 1
    AGE = 2
    PA = 3
    ACCOMMODATION = 4
    NIGHTS = 5
    LEVEL = 6
    STATUS = 7
    LAST_DECISION = 8
    NEXT_CHECK = 9


def status_text(row: QueueRow) -> str:
    """Words, never colour alone: an overdue check and a placement that has ended both say so."""

    def tr(text: str) -> str:
        return QCoreApplication.translate("EscalationModel", text)

    if row.status != "open":
        return tr("Resolved")
    parts = []
    if row.check_overdue:
        parts.append(tr("Check overdue"))
    if row.ready_to_resolve:
        parts.append(tr("Ready to resolve"))
    return " · ".join(parts) if parts else tr("Open")


def _status_rank(row: QueueRow) -> int:
    return 0 if row.check_overdue else 1 if row.ready_to_resolve else 2


class EscalationModel(RowTableModel[QueueRow]):
    columns = Column

    # -- Qt model -----------------------------------------------------------------------

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS()[Column(section)]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS().get(Column(section))
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SortRole:
            return self._sort_key(row, column)
        if role == IdRole:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column is Column.STATUS:
            return icon("flag") if row.check_overdue else None
        overdue_cell = column in (Column.STATUS, Column.NEXT_CHECK) and row.check_overdue
        if role == Qt.ItemDataRole.FontRole and overdue_cell:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.AGE, Column.NIGHTS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: QueueRow, column: Column) -> str | int:
        match column:
            case Column.NAME:
                return row.name
            case Column.REFERENCE:
                return row.reference
            case Column.AGE:
                return row.age
            case Column.PA:
                return row.pa_name or self.tr("Unallocated")
            case Column.ACCOMMODATION:
                return f"{row.code_903} · {row.type.label}"
            case Column.NIGHTS:
                return row.nights
            case Column.LEVEL:
                return level_text(row.level)
            case Column.STATUS:
                return status_text(row)
            case Column.LAST_DECISION:
                return decision_text(row.last_decision, row.last_decision_on)
            case Column.NEXT_CHECK:
                if row.next_check_on is None:
                    return self.tr("Not set")
                text = format_date(row.next_check_on)
                return f"{text} ({self.tr('overdue')})" if row.check_overdue else text
        return ""

    def _sort_key(self, row: QueueRow, column: Column) -> str | int:
        match column:
            case Column.AGE:
                return row.age
            case Column.NIGHTS:
                return row.nights
            case Column.LEVEL:
                return int(row.level)
            case Column.STATUS:
                return _status_rank(row)
            case Column.LAST_DECISION:
                return row.last_decision_on.toordinal() if row.last_decision_on else 0
            case Column.NEXT_CHECK:
                return row.next_check_on.toordinal() if row.next_check_on else 10**7
        return str(self._display(row, column)).casefold()

    def _tooltip(self, row: QueueRow, column: Column) -> str | None:
        match column:
            case Column.ACCOMMODATION:
                since = self.tr("since %s") % format_date(row.start_date)
                return f"{accommodation_text(row.code_903)}, {since}"
            case Column.STATUS if row.ready_to_resolve:
                return self.tr(
                    "The placement has ended or been judged suitable: a manager may resolve this"
                )
            case Column.STATUS if row.check_overdue:
                return self.tr("The next check date has passed")
            case Column.NAME:
                return f"{row.name} ({row.reference}), {row.team_name}"
        return None


def HEADERS() -> dict[Column, str]:
    def tr(text: str) -> str:
        return QCoreApplication.translate("EscalationModel", text)

    return {
        Column.NAME: tr("Young person"),
        Column.REFERENCE: tr("Reference"),
        Column.AGE: tr("Age"),
        Column.PA: tr("PA"),
        Column.ACCOMMODATION: tr("Accommodation"),
        Column.NIGHTS: tr("Nights"),
        Column.LEVEL: tr("Level"),
        Column.STATUS: tr("Status"),
        Column.LAST_DECISION: tr("Last decision"),
        Column.NEXT_CHECK: tr("Next check"),
    }


def HEADER_TIPS() -> dict[Column, str]:
    def tr(text: str) -> str:
        return QCoreApplication.translate("EscalationModel", text)

    return {
        Column.PA: tr("Personal adviser"),
        Column.NIGHTS: tr("Nights in this placement so far (to its end date once it has ended)"),
        Column.LEVEL: tr("Who must know: 1 team manager, 2 head of service, 3 director"),
        Column.NEXT_CHECK: tr("When the manager said they would look again"),
    }


__all__ = ["Column", "EscalationModel", "IdRole", "SortRole", "status_text"]
