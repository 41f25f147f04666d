"""Table model of the caseload: fetches a page at a time and sorts and filters in SQL.

Nothing loads the whole caseload: at 100,000 young people a view shows the first page at once and
fetches more as the user scrolls (canFetchMore / fetchMore).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from enum import IntEnum

from PySide6.QtCore import QModelIndex, Qt

from careleaver_app.domain.codes import AccommodationType, InTouch, Suitability
from careleaver_app.services.dto import PersonPage, PersonRow
from careleaver_app.services.people import PeopleQuery, SortKey
from careleaver_app.ui.icons import icon
from careleaver_app.ui.row_model import Index, RowTableModel

PAGE = 50  # rows per fetch: a tall screenful, cheap to build at any scale
# A search counts its matches up to this many past the rows shown ("50 of 1,050+"): counting
# every match of a one-letter search at national scale would cost more than the search.
SEARCH_COUNT_LIMIT = 1000


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


_DISPLAY = Qt.ItemDataRole.DisplayRole
_DECORATION = Qt.ItemDataRole.DecorationRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_OTHER_ROLES = frozenset({_DECORATION, _TOOLTIP, _ALIGNMENT, Qt.ItemDataRole.UserRole})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


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
        self._total_exact = True
        self._texts: dict[int, tuple[str | int | None, ...]] = {}  # display texts by position
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

    @property
    def total_exact(self) -> bool:
        """False when `total` is a lower bound: a search counted only so far."""
        return self._total_exact

    def set_query(self, query: PeopleQuery, *, force: bool = False) -> None:
        """Show `query`'s rows; the same query again is a no-op unless `force` (new user)."""
        count_limit = SEARCH_COUNT_LIMIT if query.search.strip() else None
        query = replace(query, offset=0, limit=PAGE, count_limit=count_limit)
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
        self._texts.clear()
        self._total, self._total_exact = page.total, page.total_exact
        self.endResetModel()

    def set_rows(self, rows: Iterable[PersonRow]) -> None:
        self._texts.clear()
        super().set_rows(rows)

    # -- Qt model -----------------------------------------------------------------------

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        page = self._fetch(replace(self._query, offset=len(self._rows), limit=PAGE))
        if not page.rows:
            self._total, self._total_exact = len(self._rows), True
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
        self._rows.extend(page.rows)
        self._total, self._total_exact = page.total, page.total_exact
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
        # Called for every visible cell and role at each repaint: the display texts of a row
        # are built once, and roles this model does not serve return at once.
        position = index.row()
        if not index.isValid() or not (0 <= position < len(self._rows)):
            return None
        if role == _DISPLAY:
            texts = self._texts.get(position)
            if texts is None:
                texts = self._texts[position] = self._display_row(self._rows[position])
            return texts[index.column()]
        if role not in _OTHER_ROLES:
            return None
        row, column = self._rows[position], index.column()
        if role == _DECORATION:
            return icon("flag") if column == Column.FLAGS and row.flags else None
        if role == _TOOLTIP:
            if column == Column.FLAGS and row.flags:
                return "\n".join(row.flags)
            if column == Column.NAME and row.preferred_name:
                return self.tr("Known as %s") % row.preferred_name
            return None
        if role == _ALIGNMENT:
            return _RIGHT if column in (Column.AGE, Column.DAYS) else None
        return row.id  # UserRole

    def _display_row(self, row: PersonRow) -> tuple[str | int | None, ...]:
        return tuple(self._display(row, column) for column in Column)

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
