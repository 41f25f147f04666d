"""Checking offer_ledger.csv: local-offer entries, by the rules the Offer service applies.

An item is found by its catalogue name; a retired item takes no new entries; a declined row
needs its reason; and an entry that counts must be for an item the young person could have on
its date and must not take the period past the allowance, counting the entries already in the
database and the file's earlier rows, unless the row gives the exception_reason a manager
recorded. Eligibility depends on the young person's category on the entry's date, so the care
periods, activities and first tenancy come from the database and from the other files alike.
Used by checking.Checker, whose state these functions share.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from careleaver_app.db.models import (
    AccommodationEpisode,
    ActivityRow,
    CarePeriodRow,
    OfferItemRow,
    OfferLedgerRow,
    YoungPerson,
)
from careleaver_app.domain.categories import CareHistory, CarePeriod, category_on
from careleaver_app.domain.codes import AccommodationType, Activity, CareKind, LeaverCategory
from careleaver_app.domain.offer import (
    EntryStatus,
    LedgerEntry,
    OfferItem,
    Recipient,
    check_entry,
    validate_entry_values,
)
from careleaver_app.services.importer.columns import OFFER_LEDGER
from careleaver_app.services.importer.reading import Row
from careleaver_app.services.offer import as_entry, as_item

if TYPE_CHECKING:
    from careleaver_app.domain.accommodation import Episode
    from careleaver_app.services.dto import MoveInput
    from careleaver_app.services.importer.checking import Checker, NewPerson

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")  # hyphen, en and em dashes, minus sign


@dataclass(frozen=True, slots=True)
class NewEntry:
    row: int
    reference: str
    item_id: int
    on: date
    status: EntryStatus
    amount_pence: int | None
    quantity: Decimal | None
    declined_reason: str
    exception_reason: str
    note: str


@dataclass
class _Profile:
    """What eligibility depends on, for one young person, from the database and the files."""

    date_of_birth: date
    requested_pa_support: bool = False
    detained: bool = False
    override: LeaverCategory | None = None
    periods: list[CarePeriod] = field(default_factory=list)
    activities: list[tuple[date, int, str]] = field(default_factory=list)  # start, order, code
    tenancy_ended: date | None = None
    entries: list[LedgerEntry] = field(default_factory=list)

    def recipient(self, on: date) -> Recipient:
        if self.override is not None:
            category = self.override
        else:
            current = max((a for a in self.activities if a[0] <= on), default=None)
            category = category_on(
                CareHistory(self.date_of_birth, self.periods, self.detained),
                on,
                in_education_or_training=bool(
                    current and Activity(current[2]).is_education_or_training
                ),
                requested_pa_support=self.requested_pa_support,
            )
        return Recipient(self.date_of_birth, category, self.tenancy_ended)


def item_key(name: str) -> str:
    """Names match in any case, with any dash for a hyphen and spaces evened out."""
    return " ".join(_DASHES.sub("-", name).casefold().split())


def entries(
    checker: Checker,
    rows: list[Row],
    people: list[NewPerson],
    episodes: list[tuple[int, str, MoveInput, Episode]],
    activities: list[tuple[int, str, Activity, date, str]],
) -> list[NewEntry]:
    items = [
        as_item(r)
        for r in checker.session.scalars(
            select(OfferItemRow).order_by(OfferItemRow.sort_order, OfferItemRow.id)
        )
    ]
    by_name = {item_key(i.name): i for i in items}
    names = "; ".join(i.name for i in items if i.active)
    wanted = {r.values["reference"] for r in rows if r.values.get("reference")}
    profiles = _profiles(checker, wanted, people, episodes, activities)
    planned = []
    for r in rows:
        ref = checker.person_of(OFFER_LEDGER, r)
        dob = checker.dob.get(ref) if ref else None
        checker.check_date(OFFER_LEDGER, r, "date", dob)
        v = r.values
        item: OfferItem | None = None
        if "item" in v:
            item = by_name.get(item_key(v["item"]))
            if item is None:
                reason = f"'{v['item']}' is not in the local-offer catalogue ({names})"
                checker.add(OFFER_LEDGER, r.row, "item", reason)
            elif not item.active:
                reason = f"{item.name} has been retired from the local offer"
                checker.add(OFFER_LEDGER, r.row, "item", reason)
                item = None
        status = v.get("status")
        declined = status is EntryStatus.DECLINED
        if declined and not v.get("declined_reason"):
            checker.add(OFFER_LEDGER, r.row, "declined_reason", "is required when declined")
        elif status is not None and not declined and v.get("declined_reason"):
            checker.add(OFFER_LEDGER, r.row, "declined_reason", "is only for a declined row")
        on = v.get("date")
        needed = ("amount", "quantity", "declined_reason", "exception_reason", "note")
        if ref is None or item is None or status is None or on is None:
            continue
        if any(c not in v for c in needed):
            continue  # a value could not be read: its problem is reported
        candidate = LedgerEntry(
            item_id=item.id or 0,
            on=on,
            status=status,
            amount_pence=v["amount"],
            quantity=v["quantity"],
            exception=bool(v["exception_reason"]),
            id=-r.row,
        )
        profile = profiles.get(ref)
        dated = on <= checker.today and (dob is None or on >= dob)
        problems = validate_entry_values(item, candidate)
        if not problems and profile is not None and dated:
            problems = check_entry(
                item, candidate, profile.entries, profile.recipient(on), is_new=True
            )
        for problem in problems:
            checker.add(OFFER_LEDGER, r.row, problem.field, problem.message)
        if problems:
            continue
        if profile is not None:
            # Only a row that passed counts against the rows after it, so that one mistake
            # is not reported again on every later row of that item.
            profile.entries.append(candidate)
        planned.append(
            NewEntry(
                r.row,
                ref,
                candidate.item_id,
                on,
                status,
                candidate.amount_pence,
                candidate.quantity,
                v["declined_reason"] if declined else "",
                v["exception_reason"],
                v["note"],
            )
        )
    return planned


def _profiles(
    checker: Checker,
    refs: set[str],
    people: list[NewPerson],
    episodes: list[tuple[int, str, MoveInput, Episode]],
    activities: list[tuple[int, str, Activity, date, str]],
) -> dict[str, _Profile]:
    """Profiles of the file's young people whose date of birth is known."""
    profiles: dict[str, _Profile] = {}
    for p in people:
        ref, dob = p.details.reference, checker.dob.get(p.details.reference)
        if ref in refs and dob is not None:
            profiles[ref] = _Profile(
                dob,
                p.details.requested_pa_support,
                p.details.detained_or_in_hospital_on_16th_birthday,
                periods=[p.care] if p.care is not None else [],
            )
    ids = {checker.existing[ref][0]: ref for ref in refs if ref in checker.existing}
    for row in checker.in_chunks(
        lambda chunk: select(YoungPerson).where(YoungPerson.id.in_(chunk)), list(ids)
    ):
        profiles[ids[row.id]] = _Profile(
            row.date_of_birth,
            row.requested_pa_support,
            row.detained_or_in_hospital_on_16th_birthday,
            LeaverCategory(row.category_override) if row.category_override else None,
        )
    for row in checker.in_chunks(
        lambda chunk: (
            select(CarePeriodRow)
            .where(CarePeriodRow.person_id.in_(chunk))
            .order_by(CarePeriodRow.start_date)
        ),
        list(ids),
    ):
        profiles[ids[row.person_id]].periods.append(
            CarePeriod(row.start_date, row.end_date, CareKind(row.kind))
        )
    for pid, start, row_id, code in checker.in_chunks(
        lambda chunk: select(
            ActivityRow.person_id, ActivityRow.start_date, ActivityRow.id, ActivityRow.activity
        ).where(ActivityRow.person_id.in_(chunk)),
        list(ids),
    ):
        profiles[ids[pid]].activities.append((start, row_id, code))
    independent = AccommodationType.INDEPENDENT_LIVING.value
    for pid, ended in checker.in_chunks(
        lambda chunk: (
            select(AccommodationEpisode.person_id, func.min(AccommodationEpisode.end_date))
            .where(
                AccommodationEpisode.person_id.in_(chunk),
                AccommodationEpisode.type_code == independent,
                AccommodationEpisode.end_date.is_not(None),
                AccommodationEpisode.voided_reason.is_(None),
            )
            .group_by(AccommodationEpisode.person_id)
        ),
        list(ids),
    ):
        profiles[ids[pid]].tenancy_ended = ended
    by_person: dict[int, list[LedgerEntry]] = defaultdict(list)
    for row in checker.in_chunks(
        lambda chunk: select(OfferLedgerRow).where(OfferLedgerRow.person_id.in_(chunk)),
        list(ids),
    ):
        by_person[row.person_id].append(as_entry(row))
    for pid, found in by_person.items():
        profiles[ids[pid]].entries.extend(found)
    # The other files' rows count too; a later activity in the file wins a tie by its row.
    for n, ref, activity, start, _ in activities:
        if ref in profiles:
            profiles[ref].activities.append((start, 1 << 40 | n, activity.value))
    for _, ref, move, _ in episodes:
        profile = profiles.get(ref)
        tenancy = move.type is AccommodationType.INDEPENDENT_LIVING
        if profile is not None and tenancy and move.end_date is not None:
            ended = profile.tenancy_ended
            profile.tenancy_ended = min(move.end_date, ended or move.end_date)
    return profiles
