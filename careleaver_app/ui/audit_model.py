"""Table model of audit-trail events (AuditRow DTOs), newest first as the services return them.

Old and new values can be whole paragraphs: the table shows the first line, shortened, and the
tooltip and FullTextRole carry the full text for the detail pane and the text filter.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from html import escape

from PySide6.QtCore import QCoreApplication, Qt

from careleaver_app.services.audit_trail import AuditRow
from careleaver_app.ui.row_model import Index, RowTableModel

SortRole = Qt.ItemDataRole.UserRole + 1
FullTextRole = Qt.ItemDataRole.UserRole + 2  # the cell's whole text, never shortened
IdRole = Qt.ItemDataRole.UserRole  # the event id

CELL_LIMIT = 60  # characters shown in a cell before the rest moves to the tooltip


class Column(IntEnum):
    WHEN = 0
    WHO = 1
    ACTION = 2
    WHAT = 3
    FIELD = 4
    OLD = 5
    NEW = 6
    DETAIL = 7


def timestamp_text(at: datetime) -> str:
    """Local time, the way dates read everywhere else: 26/11/2026 14:03:22."""
    return at.astimezone().strftime("%d/%m/%Y %H:%M:%S")


def what_text(row: AuditRow) -> str:
    """'young person #12': the entity in words and the id the trail knows it by."""
    name = row.entity.replace("_", " ")
    return f"{name} #{row.entity_id}" if row.entity_id is not None else name


def shorten(text: str, limit: int = CELL_LIMIT) -> str:
    """The first line, cut to `limit` characters; '…' says that more is in the tooltip."""
    first, _, rest = text.strip().partition("\n")
    if len(first) > limit:
        return first[: limit - 1].rstrip() + "…"
    return first + (" …" if rest.strip() else "")


def full_texts(row: AuditRow) -> dict[Column, str]:
    return {
        Column.WHEN: timestamp_text(row.at),
        Column.WHO: row.actor,
        Column.ACTION: row.action,
        Column.WHAT: what_text(row),
        Column.FIELD: (row.field or "").replace("_", " "),
        Column.OLD: row.old_value or "",
        Column.NEW: row.new_value or "",
        Column.DETAIL: row.detail or "",
    }


class AuditModel(RowTableModel[AuditRow]):
    columns = Column

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
        if role == IdRole:
            return row.id
        if role == SortRole:
            if column is Column.WHEN:
                # Equal times keep the trail's order (by id), as the services sorted them.
                return f"{row.at.timestamp():020.6f}/{row.id:012d}"
            return full_texts(row)[column].casefold()
        text = full_texts(row)[column]
        if role == FullTextRole:
            return text
        if role == Qt.ItemDataRole.DisplayRole:
            return shorten(text)
        if role == Qt.ItemDataRole.ToolTipRole and shorten(text) != text:
            # Rich text so that Qt wraps a long value; escaped so a value is never markup.
            return "<p style='white-space: pre-wrap'>" + escape(text) + "</p>"
        return None


def HEADERS() -> dict[Column, str]:
    def tr(text: str) -> str:
        return QCoreApplication.translate("AuditModel", text)

    return {
        Column.WHEN: tr("When"),
        Column.WHO: tr("Who"),
        Column.ACTION: tr("Action"),
        Column.WHAT: tr("What"),
        Column.FIELD: tr("Field"),
        Column.OLD: tr("Old value"),
        Column.NEW: tr("New value"),
        Column.DETAIL: tr("Detail"),
    }


def HEADER_TIPS() -> dict[Column, str]:
    def tr(text: str) -> str:
        return QCoreApplication.translate("AuditModel", text)

    return {
        Column.WHEN: tr("Local date and time of the event"),
        Column.WHAT: tr("The kind of record and its number"),
        Column.FIELD: tr("The field that changed, for a create or an update"),
    }


__all__ = [
    "AuditModel",
    "Column",
    "FullTextRole",
    "IdRole",
    "SortRole",
    "full_texts",
    "shorten",
    "timestamp_text",
    "what_text",
]
