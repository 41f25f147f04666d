"""Table models of the offer as a whole: the catalogue (administrators) and the take-up of each
item across a team. Shared pieces (roles, text, the base model) come from offer_model."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from careleaver_app.domain.money import format_money, format_quantity
from careleaver_app.domain.offer import EntitlementKind, TakeUp
from careleaver_app.services.offer import CatalogueEntry
from careleaver_app.ui.offer_model import (
    NONE,
    OfferModel,
    ages_text,
    allowance_text,
    categories_text,
    number_key,
    percent_text,
    tr,
)

# -- the catalogue -------------------------------------------------------------------------------


class CatalogueColumn(IntEnum):
    NAME = 0
    CATEGORY = 1
    KIND = 2
    ALLOWANCE = 3
    AGES = 4
    CATEGORIES = 5
    STATE = 6
    USED = 7


class CatalogueModel(OfferModel[CatalogueEntry]):
    columns = CatalogueColumn
    numeric = frozenset({CatalogueColumn.USED})

    def headers(self) -> list[str]:
        return [
            tr("Item"),
            tr("Category"),
            tr("Kind"),
            tr("Allowance"),
            tr("Ages"),
            tr("Who qualifies"),
            tr("State"),
            tr("Times used"),
        ]

    def _id(self, row: CatalogueEntry) -> int | None:
        return row.item.id

    def _display(self, row: CatalogueEntry, column: int) -> str:
        item = row.item
        match column:
            case CatalogueColumn.NAME:
                return item.name
            case CatalogueColumn.CATEGORY:
                return item.category.label
            case CatalogueColumn.KIND:
                return item.kind.label
            case CatalogueColumn.ALLOWANCE:
                return allowance_text(item)
            case CatalogueColumn.AGES:
                return ages_text(item)
            case CatalogueColumn.CATEGORIES:
                return categories_text(item)
            case CatalogueColumn.STATE:
                return tr("Active") if item.active else tr("Retired")
            case CatalogueColumn.USED:
                return str(row.times_used)
        return ""

    def _sort_key(self, row: CatalogueEntry, column: int) -> Any:
        match column:
            case CatalogueColumn.USED:
                return row.times_used
            case CatalogueColumn.AGES:
                return (row.item.min_age, row.item.max_age)
            case CatalogueColumn.ALLOWANCE:
                return number_key(row.item.allowance)
        return super()._sort_key(row, column)

    def _bold(self, row: CatalogueEntry, column: int) -> bool:
        return not row.item.active and column == CatalogueColumn.STATE

    def _tip(self, row: CatalogueEntry, column: int) -> str:
        return row.item.description


# -- take-up across a team -----------------------------------------------------------------------


class TakeUpColumn(IntEnum):
    ITEM = 0
    ELIGIBLE = 1
    USED_EVER = 2
    PERCENT = 3
    USED_IN_PERIOD = 4
    QUANTITY = 5
    COMMITTED = 6
    PAID = 7


class TakeUpModel(OfferModel[TakeUp]):
    columns = TakeUpColumn
    numeric = frozenset(set(TakeUpColumn) - {TakeUpColumn.ITEM})

    def headers(self) -> list[str]:
        return [
            tr("Item"),
            tr("Eligible"),
            tr("Used (ever)"),
            tr("Take-up"),
            tr("Used in period"),
            tr("Quantity in period"),
            tr("Committed spend"),
            tr("Paid spend"),
        ]

    def _id(self, row: TakeUp) -> int | None:
        return row.item.id

    def _display(self, row: TakeUp, column: int) -> str:
        match column:
            case TakeUpColumn.ITEM:
                return row.item.name
            case TakeUpColumn.ELIGIBLE:
                return str(row.eligible)
            case TakeUpColumn.USED_EVER:
                return str(row.used_ever)
            case TakeUpColumn.PERCENT:
                return percent_text(row.take_up_percent)
            case TakeUpColumn.USED_IN_PERIOD:
                return str(row.used_in_period)
            case TakeUpColumn.QUANTITY:
                if row.item.kind is not EntitlementKind.QUANTITY:
                    return NONE
                return format_quantity(row.quantity, row.item.unit)
            case TakeUpColumn.COMMITTED:
                return format_money(row.committed_pence)
            case TakeUpColumn.PAID:
                return format_money(row.paid_pence)
        return ""

    def _sort_key(self, row: TakeUp, column: int) -> Any:
        match column:
            case TakeUpColumn.ITEM:
                return row.item.name.casefold()
            case TakeUpColumn.ELIGIBLE:
                return row.eligible
            case TakeUpColumn.USED_EVER:
                return row.used_ever
            case TakeUpColumn.PERCENT:
                return -1.0 if row.take_up_percent is None else row.take_up_percent
            case TakeUpColumn.USED_IN_PERIOD:
                return row.used_in_period
            case TakeUpColumn.QUANTITY:
                return float(row.quantity)
            case TakeUpColumn.COMMITTED:
                return row.committed_pence
            case TakeUpColumn.PAID:
                return row.paid_pence
        return ""

    def _bold(self, row: TakeUp, column: int) -> bool:
        # Eligible young people and nobody has used it: the item most worth a conversation.
        return column == TakeUpColumn.PERCENT and row.eligible > 0 and row.used_ever == 0
