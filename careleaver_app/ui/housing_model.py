"""Table models of the housing liaison window: the consenting young people, and one young
person's accommodation history. Both hold only what services.housing returns (DESIGN 3.6)."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QCoreApplication, Qt

from careleaver_app.domain.codes import Suitability
from careleaver_app.services.housing import HousingEpisode, HousingListRow
from careleaver_app.ui.caseload_model import accommodation_text
from careleaver_app.ui.formatting import format_date
from careleaver_app.ui.row_model import Index, RowTableModel

SortRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole  # the young person's id (list) or the row number (history)

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _tr(text: str) -> str:
    return QCoreApplication.translate("HousingModel", text)


class ListColumn(IntEnum):
    REFERENCE = 0
    NAME = 1
    DATE_OF_BIRTH = 2
    ACCOMMODATION = 3
    ESCALATION = 4


class HousingListModel(RowTableModel[HousingListRow]):
    """The young people who agreed to share with housing, in the services' order (by name)."""

    columns = ListColumn

    def row_of(self, row_id: int) -> int:
        """Position of the young person `row_id`, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.person_id == row_id), -1)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(ListColumn):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                ListColumn.REFERENCE: _tr("Reference"),
                ListColumn.NAME: _tr("Name"),
                ListColumn.DATE_OF_BIRTH: _tr("Date of birth"),
                ListColumn.ACCOMMODATION: _tr("Current accommodation"),
                ListColumn.ESCALATION: _tr("Escalation"),
            }[ListColumn(section)]
        if role == Qt.ItemDataRole.ToolTipRole and section == ListColumn.ACCOMMODATION:
            return _tr("SSDA903 code, type and suitability of the current placement")
        if role == Qt.ItemDataRole.ToolTipRole and section == ListColumn.ESCALATION:
            return _tr("Whether an escalation (B&B, emergency or unsuitable placement) is open")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = ListColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SortRole:
            if column is ListColumn.DATE_OF_BIRTH:
                return row.date_of_birth.toordinal()
            if column is ListColumn.ESCALATION:
                return int(row.escalation_open)
            return self._display(row, column).casefold()
        if role == IdRole:
            return row.person_id
        if role == Qt.ItemDataRole.ToolTipRole and column is ListColumn.ACCOMMODATION:
            return self._display(row, column) or None
        return None

    def _display(self, row: HousingListRow, column: ListColumn) -> str:
        match column:
            case ListColumn.REFERENCE:
                return row.reference
            case ListColumn.NAME:
                return row.name
            case ListColumn.DATE_OF_BIRTH:
                return format_date(row.date_of_birth)
            case ListColumn.ACCOMMODATION:
                return accommodation_text(row.accommodation) or _tr("Not recorded")
            case ListColumn.ESCALATION:
                return "⚑ " + _tr("Yes") if row.escalation_open else _tr("No")
        return ""


class EpisodeColumn(IntEnum):
    TYPE = 0
    START = 1
    END = 2
    NIGHTS = 3
    SUITABILITY = 4


class HousingEpisodeModel(RowTableModel[HousingEpisode]):
    """One young person's placements, newest first as the summary gives them."""

    columns = EpisodeColumn

    def row_of(self, row_id: int) -> int:
        return row_id if 0 <= row_id < len(self._rows) else -1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(EpisodeColumn):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                EpisodeColumn.TYPE: _tr("Accommodation"),
                EpisodeColumn.START: _tr("From"),
                EpisodeColumn.END: _tr("To"),
                EpisodeColumn.NIGHTS: _tr("Nights"),
                EpisodeColumn.SUITABILITY: _tr("Suitability"),
            }[EpisodeColumn(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        episode = self._rows[index.row()]
        column = EpisodeColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(episode, column)
        if role == SortRole:
            match column:
                case EpisodeColumn.START:
                    return episode.start_date.toordinal()
                case EpisodeColumn.END:
                    return episode.end_date.toordinal() if episode.end_date else 10**7
                case EpisodeColumn.NIGHTS:
                    return episode.nights
            return str(self._display(episode, column)).casefold()
        if role == IdRole:
            return index.row()
        if role == Qt.ItemDataRole.TextAlignmentRole and column is EpisodeColumn.NIGHTS:
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and column is EpisodeColumn.TYPE:
            return self._display(episode, column)
        return None

    def _display(self, episode: HousingEpisode, column: EpisodeColumn) -> str | int:
        match column:
            case EpisodeColumn.TYPE:
                return f"{episode.type.value} · {episode.type.label}"
            case EpisodeColumn.START:
                return format_date(episode.start_date)
            case EpisodeColumn.END:
                return format_date(episode.end_date) or _tr("current")
            case EpisodeColumn.NIGHTS:
                return episode.nights
            case EpisodeColumn.SUITABILITY:
                unsuitable = episode.suitability is Suitability.UNSUITABLE
                return ("⚑ " if unsuitable else "") + _tr(episode.suitability.label)
        return ""


__all__ = [
    "EpisodeColumn",
    "HousingEpisodeModel",
    "HousingListModel",
    "IdRole",
    "ListColumn",
    "SortRole",
]
