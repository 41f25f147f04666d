"""Table model of the caseload: fetches a page at a time and sorts and filters in SQL.

Nothing loads the whole caseload: at 100,000 young people a view shows the first page at once and
fetches more as the user scrolls (canFetchMore / fetchMore).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from enum import IntEnum

from PySide6.QtCore import QModelIndex, Qt

from careleaver_app.domain.codes import AccommodationType, InTouch, Suitability
from careleaver_app.services.dto import PersonPage, PersonRow
from careleaver_app.services.people import PeopleQuery, SortKey
from careleaver_app.ui.icons import icon
from careleaver_app.ui.row_model import Index, RowTableModel

PAGE = 100  # rows per fetch: a screenful or three, cheap to build at any scale


class Column(IntEnum):
    NAME = 0
    REFERENCE = 1
    AGE = 2
    CATEGORY = 3
    PA = 4
    ACCOMMODATION = 5
    DAYS = 6
    NEXT_REVIEW = 7
    IN_TOUCH = 8
    FLAGS = 9


SORT_KEYS: dict[Column, SortKey] = {
    Column.NAME: SortKey.NAME,
    Column.REFERENCE: SortKey.REFERENCE,
    Column.AGE: SortKey.AGE,
    Column.PA: SortKey.PA,
    Column.ACCOMMODATION: SortKey.ACCOMMODATION,
    Column.DAYS: SortKey.DAYS,
    Column.IN_TOUCH: SortKey.IN_TOUCH,
    Column.FLAGS: SortKey.FLAGS,
}


def accommodation_text(code: str) -> str:
    if not code:
        return ""
    kind, suitability = AccommodationType(code[0]), Suitability(code[1])
    return f"{code} · {kind.label} · {suitability.label.lower()}"


class CaseloadModel(RowTableModel[PersonRow]):
    """Rows come from `fetch(query) -> PersonPage`, a call into the services."""

    columns = Column

    def __init__(self, fetch: Callable[[PeopleQuery], PersonPage], parent=None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._query = PeopleQuery(limit=PAGE)
        self._total = 0
        # Until the first reload() the view is still being set up (sort, scope, saved layout):
        # queries are only recorded, so start-up runs one query, not one per setting.
        self._active = False

    # -- queries ------------------------------------------------------------------------

    @property
    def query(self) -> PeopleQuery:
        return self._query

    @property
    def total(self) -> int:
        return self._total

    def set_query(self, query: PeopleQuery, *, force: bool = False) -> None:
        """Show `query`'s rows; the same query again is a no-op unless `force` (new user)."""
        query = replace(query, offset=0, limit=PAGE)
        if query == self._query and self._active and not force:
            return
        self._query = query
        if self._active:
            self.reload()

    def reload(self) -> None:
        self._active = True
        page = self._fetch(self._query)
        self.beginResetModel()
        self._rows = list(page.rows)
        self._total = page.total
        self.endResetModel()

    # -- Qt model -----------------------------------------------------------------------

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        page = self._fetch(replace(self._query, offset=len(self._rows), limit=PAGE))
        if not page.rows:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
        self._rows.extend(page.rows)
        self._total = page.total
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(Column(column))
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(replace(self._query, sort=key, descending=descending))

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return HEADERS()[Column(section)]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column is Column.FLAGS and row.flags:
            return icon("flag")
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is Column.FLAGS and row.flags:
                return "\n".join(row.flags)
            if column is Column.NAME and row.preferred_name:
                return self.tr("Known as %s") % row.preferred_name
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.AGE, Column.DAYS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def _display(self, row: PersonRow, column: Column) -> str | int | None:
        match column:
            case Column.NAME:
                name = f"{row.last_name}, {row.first_name}"
                return f"{name} ({row.preferred_name})" if row.preferred_name else name
            case Column.REFERENCE:
                return row.reference
            case Column.AGE:
                return row.age
            case Column.CATEGORY:
                return row.category.label
            case Column.PA:
                return row.pa_name or self.tr("Unallocated")
            case Column.ACCOMMODATION:
                return accommodation_text(row.accommodation)
            case Column.DAYS:
                return row.days_in_accommodation
            case Column.NEXT_REVIEW:
                if row.next_review_due is None:
                    return ""
                due = row.next_review_due.strftime("%d/%m/%Y")
                return self.tr("%s (overdue)") % due if row.review_overdue else due
            case Column.IN_TOUCH:
                return row.in_touch.label if row.in_touch else self.tr("No contact yet")
            case Column.FLAGS:
                return ", ".join(row.flags)
        return None


def HEADERS() -> dict[Column, str]:
    tr = CaseloadModel.tr
    return {
        Column.NAME: tr("Name"),
        Column.REFERENCE: tr("Reference"),
        Column.AGE: tr("Age"),
        Column.CATEGORY: tr("Category"),
        Column.PA: tr("Personal adviser"),
        Column.ACCOMMODATION: tr("Current accommodation"),
        Column.DAYS: tr("Days there"),
        Column.NEXT_REVIEW: tr("Next review due"),
        Column.IN_TOUCH: tr("In touch"),
        Column.FLAGS: tr("Flags"),
    }


__all__ = ["CaseloadModel", "Column", "InTouch", "accommodation_text"]
