"""The local offer: the council's catalogue, each young person's ledger, balances and take-up.

The rules (what remains, who can have what, over-spend) live in domain.offer; this module loads
the rows, checks who may act, writes the audit trail and hands out frozen DTOs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from careleaver_app.db import repositories as repo
from careleaver_app.db.models import (
    AccommodationEpisode,
    OfferItemRow,
    OfferLedgerRow,
    StaffMember,
    Team,
    YoungPerson,
)
from careleaver_app.domain.codes import AccommodationType, LeaverCategory
from careleaver_app.domain.errors import (
    ConflictError,
    FieldProblem,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from careleaver_app.domain.money import quantity_from_hundredths, quantity_to_hundredths
from careleaver_app.domain.offer import (
    Balance,
    Condition,
    EntitlementKind,
    EntryStatus,
    LedgerEntry,
    OfferCategory,
    OfferItem,
    Recipient,
    TakeUp,
    balance,
    check_entry,
    ineligibility,
    not_taken_up,
    take_up,
    validate_item,
)
from careleaver_app.services import audit
from careleaver_app.services.access import person_for
from careleaver_app.services.actors import Actor
from careleaver_app.services.database import Clock, Database
from careleaver_app.services.dto import Changes
from careleaver_app.services.people import effective_category
from careleaver_app.services.permissions import Action, Scope, allowed, require, scope_for


@dataclass(frozen=True)
class CatalogueEntry:
    item: OfferItem
    version: int
    times_used: int = 0


@dataclass(frozen=True)
class EntryInput:
    """What a user enters for a ledger entry; money in pence, quantity as Decimal."""

    item_id: int
    on: date
    status: EntryStatus
    amount_pence: int | None = None
    quantity: Decimal | None = None
    note: str = ""
    declined_reason: str = ""
    exception_reason: str = ""


@dataclass(frozen=True)
class LedgerRow:
    id: int
    version: int
    item_id: int
    item_name: str
    kind: EntitlementKind
    unit: str
    on: date
    status: EntryStatus
    amount_pence: int | None
    quantity: Decimal | None
    declined_reason: str
    exception_reason: str
    approved_by: str
    recorded_by: str
    note: str


@dataclass(frozen=True)
class OfferStatement:
    person_id: int
    reference: str
    name: str
    on: date
    category: LeaverCategory
    balances: tuple[Balance, ...]  # eligible items and any item already used, catalogue order
    not_taken_up: tuple[OfferItem, ...]
    entries: tuple[LedgerRow, ...]  # newest first


@dataclass(frozen=True)
class TakeUpReport:
    start: date
    end: date
    scope: str
    people: int
    rows: tuple[TakeUp, ...]


_ITEM_FIELDS = (
    "name",
    "category",
    "kind",
    "amount_pence",
    "quantity_hundredths",
    "unit",
    "min_age",
    "max_age",
    "categories",
    "year_starts_month",
    "condition",
    "active",
    "description",
)
_ENTRY_FIELDS = (
    "person_id",
    "item_id",
    "entry_on",
    "status",
    "amount_pence",
    "quantity_hundredths",
    "declined_reason",
    "exception_reason",
    "approved_by_id",
    "note",
)


class Offer:
    def __init__(self, db: Database, today: Clock) -> None:
        self.db = db
        self.today = today

    # -- the catalogue ----------------------------------------------------------------------

    def catalogue(self, include_retired: bool = True) -> list[CatalogueEntry]:
        """The published offer; anyone signed in may read it."""
        with self.db.transaction(write=False) as session:
            used = dict(
                session.execute(
                    select(OfferLedgerRow.item_id, func.count())
                    .where(OfferLedgerRow.status != EntryStatus.DECLINED.value)
                    .group_by(OfferLedgerRow.item_id)
                ).all()
            )
            return [
                CatalogueEntry(as_item(row), row.version, used.get(row.id, 0))
                for row in _item_rows(session)
                if include_retired or row.active
            ]

    def add_item(self, actor: Actor, item: OfferItem) -> Changes:
        require(actor, Action.MANAGE_CATALOGUE)
        _check_item(item)
        with self.db.transaction() as session:
            _check_unique_name(session, item.name, None)
            order = session.scalar(select(func.max(OfferItemRow.sort_order))) or 0
            row = OfferItemRow(**_item_values(item), sort_order=order + 1)
            audit.record_created(session, actor, "offer_item", row, _ITEM_FIELDS)
            return Changes(row.id, row.version)

    def update_item(
        self, actor: Actor, item_id: int, item: OfferItem, expected_version: int
    ) -> Changes:
        """Change a catalogue item; setting `active` False retires it (its history stays)."""
        require(actor, Action.MANAGE_CATALOGUE)
        _check_item(item)
        with self.db.transaction() as session:
            row = session.get(OfferItemRow, item_id)
            if row is None:
                raise NotFound(f"There is no local-offer item with id {item_id}")
            if row.version != expected_version:
                raise ConflictError(
                    f"'{row.name}' was changed by someone else; reopen it to see their change"
                )
            _check_unique_name(session, item.name, item_id)
            values = _item_values(item)
            if set(row.categories.split(",")) == set(str(values["categories"]).split(",")):
                # The same categories in another order (the seed's) are no change to audit.
                values["categories"] = row.categories
            changes = audit.apply_changes(row, values)
            if changes:
                session.flush()
                audit.record(session, actor, "update", "offer_item", row.id, changes)
            return Changes(row.id, row.version)

    def set_item_active(
        self, actor: Actor, item_id: int, active: bool, expected_version: int
    ) -> Changes:
        entry = next((c for c in self.catalogue() if c.item.id == item_id), None)
        if entry is None:
            raise NotFound(f"There is no local-offer item with id {item_id}")
        return self.update_item(
            actor,
            item_id,
            replace(entry.item, active=active),
            expected_version,
        )

    # -- a young person's ledger -------------------------------------------------------------

    def statement(self, actor: Actor, person_id: int, on: date | None = None) -> OfferStatement:
        """Balances, items not taken up and the ledger on `on` (default today); audited."""
        on = on or self.today()
        with self.db.transaction() as session:
            person = person_for(session, actor, person_id, Action.VIEW_PERSON)
            items = [as_item(r) for r in _item_rows(session)]
            rows = _ledger_rows(session, [person.id])
            entries = [as_entry(r) for r, *_ in rows]
            recipient = _recipients(session, [person], on)[person.id]
            balances = tuple(
                b
                for b in (balance(i, entries, on, recipient) for i in items)
                if b.eligible or b.times_used
            )
            audit.record(session, actor, "view", "young_person", person.id, detail="local offer")
            return OfferStatement(
                person_id=person.id,
                reference=person.reference,
                name=f"{person.first_name} {person.last_name}",
                on=on,
                category=recipient.category,
                balances=balances,
                not_taken_up=tuple(not_taken_up(items, entries, recipient, on)),
                entries=tuple(_ledger_dto(*r) for r in rows),
            )

    def add_entry(self, actor: Actor, person_id: int, entry: EntryInput) -> Changes:
        with self.db.transaction() as session:
            person = person_for(session, actor, person_id, Action.RECORD_OFFER)
            item_row = session.get(OfferItemRow, entry.item_id)
            if item_row is None:
                raise ValidationError(FieldProblem("item", "choose an item from the local offer"))
            self._check_entry(session, actor, person, item_row, entry, None)
            row = OfferLedgerRow(
                person_id=person.id,
                **_entry_values(entry),
                approved_by_id=actor.id if EntryStatus(entry.status).committed else None,
                recorded_by_id=actor.id,
                created_at=audit.now(),
            )
            audit.record_created(session, actor, "offer_entry", row, _ENTRY_FIELDS)
            return Changes(row.id, row.version)

    def update_entry(
        self, actor: Actor, entry_id: int, entry: EntryInput, expected_version: int
    ) -> Changes:
        """Move an entry on (requested -> approved -> paid, or declined) or correct it."""
        with self.db.transaction() as session:
            row = session.get(OfferLedgerRow, entry_id)
            if row is None:
                raise NotFound(f"There is no local-offer entry with id {entry_id}")
            person = person_for(session, actor, row.person_id, Action.RECORD_OFFER)
            if row.version != expected_version:
                raise ConflictError(
                    "This entry was changed by someone else; reopen the record to see their change"
                )
            item_row = session.get(OfferItemRow, entry.item_id)
            if item_row is None:
                raise ValidationError(FieldProblem("item", "choose an item from the local offer"))
            self._check_entry(session, actor, person, item_row, entry, row)
            values = _entry_values(entry)
            status = EntryStatus(entry.status)
            if status.committed and not EntryStatus(row.status).committed:
                values["approved_by_id"] = actor.id
            elif not status.committed:
                values["approved_by_id"] = None
            changes = audit.apply_changes(row, values)
            if changes:
                session.flush()
                audit.record(session, actor, "update", "offer_entry", row.id, changes)
            return Changes(row.id, row.version)

    def _check_entry(
        self,
        session: Session,
        actor: Actor,
        person: YoungPerson,
        item_row: OfferItemRow,
        entry: EntryInput,
        existing: OfferLedgerRow | None,
    ) -> None:
        problems: list[FieldProblem] = []
        status = EntryStatus(entry.status)
        if entry.on > self.today():
            problems.append(FieldProblem("date", "cannot be in the future"))
        if entry.on < person.date_of_birth:
            problems.append(FieldProblem("date", "is before the young person's date of birth"))
        if status is EntryStatus.DECLINED and not entry.declined_reason.strip():
            problems.append(FieldProblem("declined_reason", "is required when declining"))
        if len(entry.note) > 2000:
            problems.append(FieldProblem("note", "must be at most 2,000 characters"))
        exception = bool(entry.exception_reason.strip())
        # Moving a manager's exception on (to paid, say) keeps its reason; only a new or
        # changed reason is an authorisation.
        authorising = exception and (
            existing is None or entry.exception_reason.strip() != existing.exception_reason
        )
        if authorising and not allowed(
            actor, Action.AUTHORISE_OFFER_EXCEPTION, team_id=person.team_id, pa_id=person.pa_id
        ):
            raise PermissionDenied(
                "Only a team manager can authorise an exception to the local offer"
            )
        item = as_item(item_row)
        if (existing is None or existing.item_id != item_row.id) and not item.active:
            problems.append(
                FieldProblem("item", f"{item.name} has been retired from the local offer")
            )
        if problems:
            raise ValidationError(problems)
        others = [as_entry(r) for r, *_ in _ledger_rows(session, [person.id])]
        candidate = LedgerEntry(
            item_id=item_row.id,
            on=entry.on,
            status=status,
            amount_pence=entry.amount_pence,
            quantity=entry.quantity,
            exception=exception,
            id=existing.id if existing else None,
        )
        recipient = _recipients(session, [person], entry.on)[person.id]
        # Moving an entry onto another item is judged like a new entry (a retired item is refused).
        is_new = existing is None or existing.item_id != item_row.id
        problems = check_entry(item, candidate, others, recipient, is_new=is_new)
        if problems:
            raise ValidationError(problems)

    # -- take-up across a caseload -----------------------------------------------------------

    def take_up(
        self, actor: Actor, start: date, end: date, team_id: int | None = None
    ) -> TakeUpReport:
        """How many eligible young people have used each item, and the spend in [start, end]."""
        if end < start:
            raise ValidationError(FieldProblem("to", "must be on or after the 'from' date"))
        scope = scope_for(actor, Action.LIST_PEOPLE)
        if scope is None:
            raise PermissionDenied(f"{actor.role.label} '{actor.username}' may not list people")
        if scope is not Scope.ALL:
            if team_id is not None and team_id != actor.team_id:
                raise PermissionDenied("You may see the take-up of your own team only")
            team_id = actor.team_id
        with self.db.transaction() as session:
            query = select(YoungPerson).where(YoungPerson.closed_on.is_(None))
            if team_id is not None:
                query = query.where(YoungPerson.team_id == team_id)
            people = list(session.scalars(query))
            items = [as_item(r) for r in _item_rows(session)]
            recipients = _recipients(session, people, end)
            entries: dict[int, list[LedgerEntry]] = defaultdict(list)
            for row, *_ in _ledger_rows(session, [p.id for p in people]):
                entries[row.person_id].append(as_entry(row))
            rows = take_up(
                items,
                ((p.id, recipients[p.id], entries.get(p.id, [])) for p in people),
                start,
                end,
            )
            team = session.get(Team, team_id) if team_id is not None else None
            team_name = team.name if team is not None else "All teams"
            audit.record(
                session,
                actor,
                "view",
                "offer_take_up",
                team_id,
                detail=f"{start.isoformat()} to {end.isoformat()}",
            )
            return TakeUpReport(start, end, team_name, len(people), tuple(rows))


# -- loading and converting ---------------------------------------------------------------------


def as_item(row: OfferItemRow) -> OfferItem:
    return OfferItem(
        id=row.id,
        name=row.name,
        category=OfferCategory(row.category),
        kind=EntitlementKind(row.kind),
        amount_pence=row.amount_pence,
        quantity=(
            quantity_from_hundredths(row.quantity_hundredths)
            if row.quantity_hundredths is not None
            else None
        ),
        unit=row.unit,
        min_age=row.min_age,
        max_age=row.max_age,
        categories=frozenset(LeaverCategory(c) for c in row.categories.split(",") if c),
        year_starts_month=row.year_starts_month,
        condition=Condition(row.condition),
        active=row.active,
        description=row.description,
    )


def as_entry(row: OfferLedgerRow) -> LedgerEntry:
    return LedgerEntry(
        id=row.id,
        item_id=row.item_id,
        on=row.entry_on,
        status=EntryStatus(row.status),
        amount_pence=row.amount_pence,
        quantity=(
            quantity_from_hundredths(row.quantity_hundredths)
            if row.quantity_hundredths is not None
            else None
        ),
        exception=bool(row.exception_reason),
    )


def _item_values(item: OfferItem) -> dict[str, object]:
    return {
        "name": item.name.strip(),
        "category": item.category.value,
        "kind": item.kind.value,
        "amount_pence": item.amount_pence,
        "quantity_hundredths": (
            quantity_to_hundredths(item.quantity) if item.quantity is not None else None
        ),
        "unit": item.unit.strip(),
        "min_age": item.min_age,
        "max_age": item.max_age,
        "categories": ",".join(sorted(c.value for c in item.categories)),
        "year_starts_month": item.year_starts_month,
        "condition": item.condition.value,
        "active": item.active,
        "description": item.description.strip(),
    }


def _entry_values(entry: EntryInput) -> dict[str, object]:
    declined = EntryStatus(entry.status) is EntryStatus.DECLINED
    return {
        "item_id": entry.item_id,
        "entry_on": entry.on,
        "status": EntryStatus(entry.status).value,
        "amount_pence": entry.amount_pence,
        "quantity_hundredths": (
            quantity_to_hundredths(entry.quantity) if entry.quantity is not None else None
        ),
        "declined_reason": entry.declined_reason.strip() if declined else "",
        "exception_reason": entry.exception_reason.strip(),
        "note": entry.note.strip(),
    }


def _check_item(item: OfferItem) -> None:
    problems = validate_item(item)
    if problems:
        raise ValidationError(problems)


def _check_unique_name(session: Session, name: str, item_id: int | None) -> None:
    clash = session.scalar(
        select(OfferItemRow.id).where(func.lower(OfferItemRow.name) == name.strip().lower())
    )
    if clash is not None and clash != item_id:
        raise ValidationError(
            FieldProblem("name", f"another item is already called '{name.strip()}'")
        )


def _item_rows(session: Session) -> Sequence[OfferItemRow]:
    return session.scalars(
        select(OfferItemRow).order_by(OfferItemRow.sort_order, OfferItemRow.id)
    ).all()


def _ledger_rows(
    session: Session, person_ids: Sequence[int]
) -> list[tuple[OfferLedgerRow, str, str, str, str, str]]:
    approver = aliased(StaffMember)
    recorder = aliased(StaffMember)
    rows: list[tuple[OfferLedgerRow, str, str, str, str, str]] = []
    for start in range(0, len(person_ids), 5000):
        chunk = person_ids[start : start + 5000]
        result = session.execute(
            select(
                OfferLedgerRow,
                OfferItemRow.name,
                OfferItemRow.kind,
                OfferItemRow.unit,
                approver.display_name,
                recorder.display_name,
            )
            .join(OfferItemRow, OfferItemRow.id == OfferLedgerRow.item_id)
            .outerjoin(approver, approver.id == OfferLedgerRow.approved_by_id)
            .outerjoin(recorder, recorder.id == OfferLedgerRow.recorded_by_id)
            .where(OfferLedgerRow.person_id.in_(chunk))
            .order_by(OfferLedgerRow.entry_on.desc(), OfferLedgerRow.id.desc())
        )
        rows.extend(tuple(r) for r in result)  # type: ignore[misc]
    return rows


def _ledger_dto(
    row: OfferLedgerRow,
    item_name: str,
    kind: str,
    unit: str,
    approver: str | None,
    recorder: str | None,
) -> LedgerRow:
    entry = as_entry(row)
    return LedgerRow(
        id=row.id,
        version=row.version,
        item_id=row.item_id,
        item_name=item_name,
        kind=EntitlementKind(kind),
        unit=unit,
        on=row.entry_on,
        status=entry.status,
        amount_pence=row.amount_pence,
        quantity=entry.quantity,
        declined_reason=row.declined_reason,
        exception_reason=row.exception_reason,
        approved_by=approver or "",
        recorded_by=recorder or "",
        note=row.note,
    )


def _recipients(session: Session, people: Sequence[YoungPerson], on: date) -> dict[int, Recipient]:
    """Date of birth, category on `on` and the end of the first tenancy, for each person."""
    ids = [p.id for p in people]
    periods = repo.care_periods(session, ids)
    activities: dict[int, str] = {}
    tenancies: dict[int, date] = {}
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        activities.update(repo.current_activities(session, chunk, on))
        tenancies.update(
            (person_id, ended)
            for person_id, ended in session.execute(
                select(AccommodationEpisode.person_id, func.min(AccommodationEpisode.end_date))
                .where(
                    AccommodationEpisode.person_id.in_(chunk),
                    AccommodationEpisode.type_code == AccommodationType.INDEPENDENT_LIVING.value,
                    AccommodationEpisode.end_date.is_not(None),
                    AccommodationEpisode.voided_reason.is_(None),
                )
                .group_by(AccommodationEpisode.person_id)
            )
            if ended is not None
        )
    return {
        p.id: Recipient(
            date_of_birth=p.date_of_birth,
            category=effective_category(p, periods.get(p.id, []), activities.get(p.id), on),
            first_tenancy_ended_on=tenancies.get(p.id),
        )
        for p in people
    }


__all__ = [
    "CatalogueEntry",
    "EntryInput",
    "LedgerRow",
    "Offer",
    "OfferStatement",
    "TakeUpReport",
    "ineligibility",
]
