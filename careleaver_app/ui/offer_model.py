"""Table models of a young person's local offer (balances and ledger), and what every offer
model shares: the roles, how money, allowances and statuses read, and the base model. Each
model keeps the services' order and offers a SortRole for a sorting proxy."""

from __future__ import annotations

from decimal import Decimal
from enum import IntEnum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont

from careleaver_app.domain.codes import LeaverCategory
from careleaver_app.domain.money import format_money, format_quantity
from careleaver_app.domain.offer import Balance, EntitlementKind, EntryStatus, OfferItem
from careleaver_app.services.offer import LedgerRow
from careleaver_app.ui.formatting import format_date
from careleaver_app.ui.row_model import Index, RowTableModel

SortRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole  # the item id (balances, catalogue, take-up) or entry id
NONE = "—"

Row = TypeVar("Row")


def tr(text: str) -> str:
    return QCoreApplication.translate("Offer", text)


# -- how the offer reads on screen ---------------------------------------------------------------


def allowance_text(item: OfferItem) -> str:
    """'£3,000.00 for life', '£20.00 a month', '10 hours' or 'Non-financial'."""
    if item.kind is EntitlementKind.NON_FINANCIAL:
        return tr("Non-financial")
    return item.describe_allowance()


def ages_text(item: OfferItem) -> str:
    """'16 to 24': the last age is the one before the birthday the item ends on."""
    return tr("%1 to %2").replace("%1", str(item.min_age)).replace("%2", str(item.max_age - 1))


def categories_text(item: OfferItem) -> str:
    return ", ".join(c.label for c in LeaverCategory if c in item.categories)


def measure_text(b: Balance, value: int | Decimal | None) -> str:
    """A used, pending or remaining figure; a dash where a non-financial item has none."""
    if b.allowance is None or value is None:
        return NONE
    return b.describe(value)


def balance_status_text(b: Balance) -> str:
    """Words, never colour alone: an item never used says so, so that the PA offers it."""
    if not b.eligible:
        reason = b.ineligible_reason
        return tr("Not eligible: %1").replace("%1", reason) if reason else tr("Not eligible")
    if b.not_taken_up:
        return tr("Not taken up: offer it")
    parts = [tr("Eligible")]
    if b.over_by:
        parts.append(tr("over by %1 (exception)").replace("%1", b.describe(b.over_by)))
    return " · ".join(parts)


def period_text(b: Balance) -> str:
    if b.period is None:
        return ""
    if b.item.kind is EntitlementKind.PER_MONTH:
        return tr("This month, from %1").replace("%1", format_date(b.period.start))
    return tr("This year, from %1").replace("%1", format_date(b.period.start))


def entry_amount_text(row: LedgerRow) -> str:
    parts = []
    if row.quantity is not None:
        parts.append(format_quantity(row.quantity, row.unit))
    if row.amount_pence is not None and (row.amount_pence or not parts):
        parts.append(format_money(row.amount_pence))
    return " · ".join(parts) or NONE


def entry_reason_text(row: LedgerRow) -> str:
    parts = []
    if row.declined_reason:
        parts.append(tr("Declined: %1").replace("%1", row.declined_reason))
    if row.exception_reason:
        parts.append(tr("Exception: %1").replace("%1", row.exception_reason))
    return " · ".join(parts)


def percent_text(value: float | None) -> str:
    return NONE if value is None else f"{value:.0f}%"


# -- the shared model ----------------------------------------------------------------------------


class OfferModel(RowTableModel[Row], Generic[Row]):
    """Display, sort and id roles from three small methods; bold where `_bold` says so."""

    numeric: frozenset[int] = frozenset()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_of(self, row_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if self._id(r) == row_id), -1)

    def headers(self) -> list[str]:
        raise NotImplementedError

    def _id(self, row: Row) -> int | None:
        raise NotImplementedError

    def _display(self, row: Row, column: int) -> str:
        raise NotImplementedError

    def _sort_key(self, row: Row, column: int) -> Any:
        return self._display(row, column).casefold()

    def _bold(self, row: Row, column: int) -> bool:
        return False

    def _tip(self, row: Row, column: int) -> str:
        return ""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SortRole:
            return self._sort_key(row, column)
        if role == IdRole:
            return self._id(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(row, column) or None
        if role == Qt.ItemDataRole.FontRole and self._bold(row, column):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def number_key(value: int | Decimal | None) -> float:
    return float(value) if value is not None else -1.0


# -- a young person's balances -------------------------------------------------------------------


class BalanceColumn(IntEnum):
    # What is left comes straight after the item: the record's pane is often narrow.
    ITEM = 0
    REMAINING = 1
    ALLOWANCE = 2
    USED = 3
    PENDING = 4
    STATUS = 5
    CATEGORY = 6


class BalanceModel(OfferModel[Balance]):
    columns = BalanceColumn
    numeric = frozenset({BalanceColumn.USED, BalanceColumn.PENDING, BalanceColumn.REMAINING})

    def headers(self) -> list[str]:
        return [
            tr("Item"),
            tr("Remaining"),
            tr("Allowance"),
            tr("Used"),
            tr("Pending"),
            tr("Status"),
            tr("Category"),
        ]

    def _id(self, row: Balance) -> int | None:
        return row.item.id

    def _display(self, row: Balance, column: int) -> str:
        match column:
            case BalanceColumn.ITEM:
                return row.item.name
            case BalanceColumn.CATEGORY:
                return row.item.category.label
            case BalanceColumn.ALLOWANCE:
                return allowance_text(row.item)
            case BalanceColumn.USED:
                if row.allowance is None:
                    return tr("Received") if row.times_used else NONE
                return measure_text(row, row.used)
            case BalanceColumn.PENDING:
                return measure_text(row, row.pending)
            case BalanceColumn.REMAINING:
                return measure_text(row, row.remaining)
            case BalanceColumn.STATUS:
                return balance_status_text(row)
        return ""

    def _sort_key(self, row: Balance, column: int) -> Any:
        match column:
            case BalanceColumn.USED:
                return number_key(row.used)
            case BalanceColumn.PENDING:
                return number_key(row.pending)
            case BalanceColumn.REMAINING:
                return number_key(row.remaining)
        return super()._sort_key(row, column)

    def _bold(self, row: Balance, column: int) -> bool:
        return row.not_taken_up and column in (BalanceColumn.ITEM, BalanceColumn.STATUS)

    def _tip(self, row: Balance, column: int) -> str:
        return "\n".join(t for t in (row.item.description, period_text(row)) if t)


# -- a young person's ledger ---------------------------------------------------------------------


class LedgerColumn(IntEnum):
    DATE = 0
    ITEM = 1
    STATUS = 2
    AMOUNT = 3
    APPROVED_BY = 4
    NOTE = 5
    REASON = 6


class LedgerModel(OfferModel[LedgerRow]):
    columns = LedgerColumn
    numeric = frozenset({LedgerColumn.AMOUNT})

    def headers(self) -> list[str]:
        return [
            tr("Date"),
            tr("Item"),
            tr("Status"),
            tr("Amount"),
            tr("Approved by"),
            tr("Note"),
            tr("Reason"),
        ]

    def _id(self, row: LedgerRow) -> int | None:
        return row.id

    def _display(self, row: LedgerRow, column: int) -> str:
        match column:
            case LedgerColumn.DATE:
                return format_date(row.on)
            case LedgerColumn.ITEM:
                return row.item_name
            case LedgerColumn.STATUS:
                return row.status.label
            case LedgerColumn.AMOUNT:
                return entry_amount_text(row)
            case LedgerColumn.APPROVED_BY:
                return row.approved_by
            case LedgerColumn.NOTE:
                return row.note
            case LedgerColumn.REASON:
                return entry_reason_text(row)
        return ""

    def _sort_key(self, row: LedgerRow, column: int) -> Any:
        match column:
            case LedgerColumn.DATE:
                return (row.on.toordinal(), row.id)
            case LedgerColumn.AMOUNT:
                return number_key(row.quantity if row.quantity is not None else row.amount_pence)
        return super()._sort_key(row, column)

    def _bold(self, row: LedgerRow, column: int) -> bool:
        return column == LedgerColumn.STATUS and row.status is EntryStatus.REQUESTED

    def _tip(self, row: LedgerRow, column: int) -> str:
        if column == LedgerColumn.NOTE:
            return row.note
        if column == LedgerColumn.REASON:
            return entry_reason_text(row)
        return tr("Recorded by %1").replace("%1", row.recorded_by) if row.recorded_by else ""
