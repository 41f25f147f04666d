"""The local offer (DESIGN 3.5): catalogue items, a young person's ledger, balances and take-up.

Money is whole pence and quantities are Decimal. An entry counts against an entitlement unless it
was declined: a request reserves the money until it is approved, paid or declined, so that two
requests cannot together claim more than the allowance.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from careleaver_app.domain.codes import LeaverCategory
from careleaver_app.domain.dates import birthday
from careleaver_app.domain.errors import FieldProblem
from careleaver_app.domain.money import format_money, format_quantity

MIN_AGE_LIMIT = 0
MAX_AGE_LIMIT = 30
CARE_LEAVER_CATEGORIES = frozenset(
    {
        LeaverCategory.ELIGIBLE,
        LeaverCategory.RELEVANT,
        LeaverCategory.FORMER_RELEVANT,
        LeaverCategory.QUALIFYING,
    }
)
SUPPORTED = frozenset(CARE_LEAVER_CATEGORIES - {LeaverCategory.QUALIFYING})


class OfferCategory(StrEnum):
    MONEY = "money"
    HOUSING = "housing"
    EDUCATION_AND_WORK = "education_and_work"
    HEALTH = "health"
    LEISURE = "leisure"
    DIGITAL = "digital"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "money": "Money",
            "housing": "Housing",
            "education_and_work": "Education and work",
            "health": "Health",
            "leisure": "Leisure",
            "digital": "Digital",
            "other": "Other",
        }[self.value]


class EntitlementKind(StrEnum):
    LIFETIME = "lifetime"
    PER_YEAR = "per_year"
    PER_MONTH = "per_month"
    QUANTITY = "quantity"
    NON_FINANCIAL = "non_financial"

    @property
    def label(self) -> str:
        return {
            "lifetime": "One-off (lifetime allowance)",
            "per_year": "Allowance per year",
            "per_month": "Allowance per month",
            "quantity": "Quantity (such as hours)",
            "non_financial": "Non-financial",
        }[self.value]

    @property
    def is_money(self) -> bool:
        return self in (
            EntitlementKind.LIFETIME,
            EntitlementKind.PER_YEAR,
            EntitlementKind.PER_MONTH,
        )

    @property
    def period_word(self) -> str:
        return {"lifetime": "for life", "per_year": "a year", "per_month": "a month"}.get(
            self.value, "in total"
        )


class EntryStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    PAID = "paid"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def counts(self) -> bool:
        """Requested, approved and paid entries use up the entitlement; declined ones do not."""
        return self is not EntryStatus.DECLINED

    @property
    def committed(self) -> bool:
        """Approved or paid: money the council has agreed to spend."""
        return self in (EntryStatus.APPROVED, EntryStatus.PAID)


class Condition(StrEnum):
    NONE = "none"
    AFTER_TENANCY_ENDS = "after_tenancy_ends"

    @property
    def label(self) -> str:
        return {"none": "None", "after_tenancy_ends": "Only after a first tenancy has ended"}[
            self.value
        ]


@dataclass(frozen=True)
class OfferItem:
    """One catalogue item. Ages are a half-open range: from the min_age birthday up to the day
    before the max_age birthday ("to age 25" ends the day before the 25th birthday)."""

    name: str
    category: OfferCategory
    kind: EntitlementKind
    amount_pence: int | None = None
    quantity: Decimal | None = None
    unit: str = ""
    min_age: int = 16
    max_age: int = 25
    categories: frozenset[LeaverCategory] = SUPPORTED
    year_starts_month: int = 4  # per-year items: the year runs from the 1st of this month
    condition: Condition = Condition.NONE
    active: bool = True
    description: str = ""
    id: int | None = None

    @property
    def allowance(self) -> int | Decimal | None:
        if self.kind.is_money:
            return self.amount_pence
        if self.kind is EntitlementKind.QUANTITY:
            return self.quantity
        return None

    def describe_allowance(self) -> str:
        if self.kind.is_money and self.amount_pence is not None:
            return f"{format_money(self.amount_pence)} {self.kind.period_word}"
        if self.kind is EntitlementKind.QUANTITY and self.quantity is not None:
            return format_quantity(self.quantity, self.unit)
        return "Non-financial"

    def describe_ages(self) -> str:
        return f"{self.min_age} to {self.max_age - 1}"


def validate_item(item: OfferItem) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if not item.name.strip():
        problems.append(FieldProblem("name", "is required"))
    elif len(item.name.strip()) > 200:
        problems.append(FieldProblem("name", "must be at most 200 characters"))
    if item.kind.is_money:
        if item.amount_pence is None or item.amount_pence <= 0:
            problems.append(FieldProblem("amount", f"is required for {item.kind.label.lower()}"))
        if item.quantity is not None:
            problems.append(FieldProblem("quantity", "applies only to quantity items"))
    elif item.kind is EntitlementKind.QUANTITY:
        if item.quantity is None or item.quantity <= 0:
            problems.append(FieldProblem("quantity", "is required for a quantity item"))
        if not item.unit.strip():
            problems.append(FieldProblem("unit", "is required for a quantity item, e.g. hours"))
        if item.amount_pence is not None:
            problems.append(FieldProblem("amount", "applies only to money allowances"))
    else:
        if item.amount_pence is not None:
            problems.append(FieldProblem("amount", "does not apply to a non-financial item"))
        if item.quantity is not None:
            problems.append(FieldProblem("quantity", "does not apply to a non-financial item"))
    if not MIN_AGE_LIMIT <= item.min_age <= MAX_AGE_LIMIT:
        problems.append(
            FieldProblem("min_age", f"must be between {MIN_AGE_LIMIT} and {MAX_AGE_LIMIT}")
        )
    if not MIN_AGE_LIMIT < item.max_age <= MAX_AGE_LIMIT + 1:
        problems.append(
            FieldProblem("max_age", f"must be between {MIN_AGE_LIMIT + 1} and {MAX_AGE_LIMIT + 1}")
        )
    elif item.max_age <= item.min_age:
        problems.append(FieldProblem("max_age", "must be more than the lowest age"))
    if not item.categories:
        problems.append(FieldProblem("categories", "choose at least one care leaver category"))
    elif not item.categories <= CARE_LEAVER_CATEGORIES:
        problems.append(FieldProblem("categories", "only care leaver categories can qualify"))
    if not 1 <= item.year_starts_month <= 12:
        problems.append(FieldProblem("year_starts_month", "must be a month from 1 to 12"))
    return problems


@dataclass(frozen=True)
class LedgerEntry:
    item_id: int
    on: date
    status: EntryStatus
    amount_pence: int | None = None
    quantity: Decimal | None = None
    exception: bool = False
    id: int | None = None


@dataclass(frozen=True)
class Period:
    """Half-open [start, end): the year or month an allowance renews over; None for life."""

    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end


def period_for(item: OfferItem, on: date) -> Period | None:
    if item.kind is EntitlementKind.PER_MONTH:
        start = on.replace(day=1)
        end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return Period(start, end)
    if item.kind is EntitlementKind.PER_YEAR:
        year = on.year if on.month >= item.year_starts_month else on.year - 1
        return Period(
            date(year, item.year_starts_month, 1), date(year + 1, item.year_starts_month, 1)
        )
    return None


def _measure(item: OfferItem, entry: LedgerEntry) -> int | Decimal:
    if item.kind is EntitlementKind.QUANTITY:
        return entry.quantity or Decimal(0)
    return entry.amount_pence or 0


def _total(values: Iterable[int | Decimal], quantity: bool) -> int | Decimal:
    return sum(values, Decimal(0) if quantity else 0)


@dataclass(frozen=True)
class Balance:
    """Where a young person stands on one item on a date."""

    item: OfferItem
    on: date
    period: Period | None
    allowance: int | Decimal | None  # pence, quantity, or None for non-financial items
    used: int | Decimal  # approved and paid in the period, up to `on`
    pending: int | Decimal  # requested, not yet decided
    remaining: int | Decimal | None  # allowance - used - pending, never below zero
    over_by: int | Decimal  # how far exceptions took it past the allowance
    times_used: int  # entries ever that were not declined
    eligible: bool
    ineligible_reason: str = ""

    @property
    def not_taken_up(self) -> bool:
        return self.eligible and self.times_used == 0

    def describe(self, value: int | Decimal | None) -> str:
        if value is None:
            return ""
        if self.item.kind is EntitlementKind.QUANTITY:
            return format_quantity(Decimal(value), self.item.unit)
        return format_money(int(value))


@dataclass(frozen=True)
class Recipient:
    """What eligibility depends on, for one young person on one date."""

    date_of_birth: date
    category: LeaverCategory
    first_tenancy_ended_on: date | None = None


def _ordinal(n: int) -> str:
    """21 -> '21st', 22 -> '22nd', 23 -> '23rd', 11 -> '11th', 25 -> '25th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def ineligibility(item: OfferItem, recipient: Recipient, on: date) -> str:
    """Why the young person cannot have the item on `on`, or '' when they can."""
    if not item.active:
        return "this item has been retired from the local offer"
    if on < birthday(recipient.date_of_birth, item.min_age):
        return f"this item starts at age {item.min_age}"
    if on >= birthday(recipient.date_of_birth, item.max_age):
        return f"this item ends at the {_ordinal(item.max_age)} birthday"
    if recipient.category not in item.categories:
        return f"this item is not offered to the category '{recipient.category.label}'"
    if item.condition is Condition.AFTER_TENANCY_ENDS and (
        recipient.first_tenancy_ended_on is None or recipient.first_tenancy_ended_on > on
    ):
        return "this item is offered only after a first tenancy has ended"
    return ""


def balance(
    item: OfferItem, entries: Sequence[LedgerEntry], on: date, recipient: Recipient | None = None
) -> Balance:
    """The balance on `on`: entries of `item` dated in the current period and on or before `on`."""
    mine = [e for e in entries if e.item_id == item.id and e.status.counts]
    period = period_for(item, on)
    in_view = [e for e in mine if e.on <= on and (period is None or period.contains(e.on))]
    quantity = item.kind is EntitlementKind.QUANTITY
    used = _total((_measure(item, e) for e in in_view if e.status.committed), quantity)
    pending = _total((_measure(item, e) for e in in_view if not e.status.committed), quantity)
    allowance = item.allowance
    remaining: int | Decimal | None = None
    over_by: int | Decimal = Decimal(0) if quantity else 0
    if allowance is not None:
        left = allowance - used - pending
        remaining = max(left, Decimal(0) if quantity else 0)
        over_by = max(-left, Decimal(0) if quantity else 0)
    reason = ineligibility(item, recipient, on) if recipient is not None else ""
    return Balance(
        item=item,
        on=on,
        period=period,
        allowance=allowance,
        used=used,
        pending=pending,
        remaining=remaining,
        over_by=over_by,
        times_used=len([e for e in mine if e.on <= on]),
        eligible=recipient is not None and not reason,
        ineligible_reason=reason,
    )


def check_entry(
    item: OfferItem,
    entry: LedgerEntry,
    others: Sequence[LedgerEntry],
    recipient: Recipient,
    *,
    is_new: bool,
) -> list[FieldProblem]:
    """What is wrong with recording `entry` beside `others` (the person's other entries).

    An entry that is not declined must be for an item the young person can have on its date and
    must not take the period's total past the allowance. Both checks are skipped for an entry a
    manager has authorised as an exception (the service demands the reason and the role).
    """
    problems = validate_entry_values(item, entry)
    if problems or not entry.status.counts or entry.exception:
        return problems
    # An entry already on the ledger may still be approved or paid after its item is retired.
    judged = item if is_new or item.active else replace(item, active=True)
    reason = ineligibility(judged, recipient, entry.on)
    if reason:
        return [FieldProblem("item", f"{item.name}: {reason} ({entry.on:%d/%m/%Y})")]
    allowance = item.allowance
    if allowance is None:
        return []
    period = period_for(item, entry.on)
    same_period = [
        e
        for e in others
        if e.item_id == item.id
        and e.status.counts
        and (entry.id is None or e.id != entry.id)
        and (period is None or period.contains(e.on))
    ]
    quantity = item.kind is EntitlementKind.QUANTITY
    taken = _total((_measure(item, e) for e in same_period), quantity)
    wanted = _measure(item, entry)
    if taken + wanted <= allowance:
        return []
    field_name = "quantity" if quantity else "amount"

    def show(value: int | Decimal) -> str:
        if quantity:
            return format_quantity(Decimal(value), item.unit)
        return format_money(int(value))

    left = max(allowance - taken, Decimal(0) if quantity else 0)
    span = (
        f" for {period.start:%B %Y}"
        if item.kind is EntitlementKind.PER_MONTH and period
        else (f" for the year from {period.start:%d/%m/%Y}" if period else "")
    )
    return [
        FieldProblem(
            field_name,
            f"{show(wanted)} is more than the {show(left)} left of {item.name}{span} "
            f"(allowance {item.describe_allowance()}, {show(taken)} already used or requested); "
            "a team manager can authorise an exception with a reason",
        )
    ]


def validate_entry_values(item: OfferItem, entry: LedgerEntry) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if item.kind.is_money:
        if entry.amount_pence is None or entry.amount_pence <= 0:
            problems.append(FieldProblem("amount", "is required and must be more than zero"))
        if entry.quantity is not None:
            problems.append(FieldProblem("quantity", f"does not apply to {item.name}"))
    elif item.kind is EntitlementKind.QUANTITY:
        if entry.quantity is None or entry.quantity <= 0:
            problems.append(
                FieldProblem(
                    "quantity", f"is required ({item.unit or 'units'}) and must be more than zero"
                )
            )
        if entry.amount_pence is not None and entry.amount_pence < 0:
            problems.append(FieldProblem("amount", "cannot be negative"))
    else:
        if entry.quantity is not None:
            problems.append(FieldProblem("quantity", f"does not apply to {item.name}"))
        if entry.amount_pence is not None and entry.amount_pence < 0:
            problems.append(FieldProblem("amount", "cannot be negative"))
    return problems


def not_taken_up(
    items: Sequence[OfferItem], entries: Sequence[LedgerEntry], recipient: Recipient, on: date
) -> list[OfferItem]:
    """Items the young person can have on `on` and has never asked for (declined ones aside)."""
    used = {e.item_id for e in entries if e.status.counts and e.on <= on}
    return [i for i in items if i.id not in used and not ineligibility(i, recipient, on)]


@dataclass(frozen=True)
class TakeUp:
    item: OfferItem
    eligible: int  # young people who can have the item on the period's last day
    used_ever: int  # of those, how many have had it approved or paid at any time up to then
    used_in_period: int  # young people with an approved or paid entry dated in the period
    committed_pence: int  # approved and paid in the period
    paid_pence: int  # paid in the period
    quantity: Decimal = Decimal(0)  # approved and paid quantity in the period

    @property
    def take_up_percent(self) -> float | None:
        return None if not self.eligible else 100.0 * self.used_ever / self.eligible


@dataclass
class _Tally:
    eligible: int = 0
    used_ever: int = 0
    used_in_period: set[int] = field(default_factory=set)
    committed: int = 0
    paid: int = 0
    quantity: Decimal = Decimal(0)


def take_up(
    items: Sequence[OfferItem],
    people: Iterable[tuple[int, Recipient, Sequence[LedgerEntry]]],
    start: date,
    end: date,
) -> list[TakeUp]:
    """Per item over [start, end] inclusive: eligibility is judged on `end`."""
    tallies = {item.id: _Tally() for item in items}
    by_id = {item.id: item for item in items}
    for person_id, recipient, entries in people:
        committed = [e for e in entries if e.status.committed and e.on <= end]
        used_items = {e.item_id for e in committed}
        for item in items:
            if not ineligibility(item, recipient, end):
                tally = tallies[item.id]
                tally.eligible += 1
                tally.used_ever += item.id in used_items
        for entry in committed:
            if entry.on < start or entry.item_id not in tallies:
                continue
            tally = tallies[entry.item_id]
            tally.used_in_period.add(person_id)
            tally.committed += entry.amount_pence or 0
            if entry.status is EntryStatus.PAID:
                tally.paid += entry.amount_pence or 0
            if by_id[entry.item_id].kind is EntitlementKind.QUANTITY:
                tally.quantity += entry.quantity or Decimal(0)
    return [
        TakeUp(
            item=item,
            eligible=tallies[item.id].eligible,
            used_ever=tallies[item.id].used_ever,
            used_in_period=len(tallies[item.id].used_in_period),
            committed_pence=tallies[item.id].committed,
            paid_pence=tallies[item.id].paid,
            quantity=tallies[item.id].quantity,
        )
        for item in items
    ]
