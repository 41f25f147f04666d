"""Local-offer ledgers: setting-up-home payments when a first tenancy (U) starts, a second
bursary after it ends, monthly leisure and broadband, driving-lesson hours, bursaries while in
education, the non-financial items, and a few requests declined with a reason or not yet decided.

Each entry is proposed from the young person's own history and kept only if the item is theirs
on that day (the domain's own eligibility rule, on their category that day) and its period's
allowance has room (a running total; the tests hold every entry to the domain's check_entry), so
the demo never over-spends nor pays an item outside its ages and categories. Items are found by
their seeded names; one an administrator renamed or retired is simply left out.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from careleaver_app.domain.categories import CareHistory, CarePeriod, category_on
from careleaver_app.domain.codes import EDUCATION_OR_TRAINING_ACTIVITIES, CareKind, LeaverCategory
from careleaver_app.domain.dates import add_months, birthday
from careleaver_app.domain.money import quantity_to_hundredths
from careleaver_app.domain.offer import (
    EntryStatus,
    OfferItem,
    Recipient,
    ineligibility,
    period_for,
)
from careleaver_app.services.demo.draws import Rand
from careleaver_app.services.demo.staff import Pa

_DECLINED = {
    "Leisure funding": (
        "Activity already paid for by the college",
        "Gym membership asked for is outside the leisure policy",
    ),
    "Driving lessons": ("No provisional licence yet", "Instructor is not on the approved list"),
    "Setting-up-home allowance": (
        "Quote was for items the allowance does not cover",
        "Tenancy not yet signed",
    ),
    "Broadband / Wi-Fi": ("Broadband is included in the rent",),
}
_DECLINED_ITEMS = sorted(_DECLINED)
_HOME_NOTES = ("Bed, sofa and white goods", "Furniture pack", "Kitchen starter pack", "Carpets")
_PAID, _APPROVED, _REQUESTED, _DECLINED_ = (
    EntryStatus.PAID,
    EntryStatus.APPROVED,
    EntryStatus.REQUESTED,
    EntryStatus.DECLINED,
)


@dataclass(frozen=True, slots=True)
class _Proposal:
    item: OfferItem
    on: date
    status: EntryStatus
    amount_pence: int | None = None
    quantity: Decimal | None = None
    declined_reason: str = ""
    note: str = ""


class Ledgers:
    """Proposes and checks one young person's ledger at a time."""

    def __init__(self, catalogue: Sequence[OfferItem], today: date, now: datetime) -> None:
        self.items = {i.name: i for i in catalogue if i.active and i.id is not None}
        self.today = today
        self.now = now

    def entries(
        self,
        reference: str,
        person: dict[str, Any],
        children: dict[str, list[dict[str, Any]]],
        pa: Pa,
    ) -> list[dict[str, Any]]:
        """The ledger rows of one young person, from a generator of their own so that adding
        the ledger left every other row of every seed as it was."""
        if not self.items:
            return []
        g = Rand(random.Random(f"{reference}:offer"))
        dob: date = person["date_of_birth"]
        history = CareHistory(
            dob,
            [
                CarePeriod(p["start_date"], p["end_date"], CareKind(p["kind"]))
                for p in children["care_periods"]
            ],
        )
        activities = [(a["start_date"], a["activity"]) for a in children["activities"]]
        episodes = children["accommodation_episodes"]
        tenancies = [e for e in episodes if e["type_code"] == "U"]
        ended = min((e["end_date"] for e in tenancies if e["end_date"]), default=None)
        support = person["requested_pa_support"]

        categories: dict[date, LeaverCategory] = {}  # entries share days: leisure, broadband

        def category(on: date) -> LeaverCategory:
            if on not in categories:
                code = next((c for start, c in reversed(activities) if start <= on), None)
                categories[on] = category_on(
                    history,
                    on,
                    in_education_or_training=code in EDUCATION_OR_TRAINING_ACTIVITIES,
                    requested_pa_support=support,
                )
            return categories[on]

        proposals = self._propose(g, dob, activities, tenancies, ended, person)
        proposals.sort(key=lambda p: p.on)
        # What each allowance has given in each of its periods (the domain's check_entry, done
        # as a running total: it costs a fifth as much, and 100,000 people have 300,000 entries).
        given: dict[tuple[int | None, date | None], int | Decimal] = {}
        rows = []
        for p in proposals:
            item, on = p.item, p.on
            if on > self.today or on < dob:
                continue
            # A refusal uses nothing, but is still only asked for while the item is theirs.
            if ineligibility(item, Recipient(dob, category(on), ended), on):
                continue
            amount, quantity = p.amount_pence, p.quantity
            allowance = item.allowance
            if p.status is not _DECLINED_ and allowance is not None:
                period = period_for(item, on)
                key = (item.id, period.start if period else None)
                before = given.get(key, 0)
                wanted = quantity if quantity is not None else amount or 0
                if before + wanted > allowance:
                    if quantity is not None or before >= allowance:
                        continue
                    amount = wanted = int(allowance - before)  # pay what is left
                given[key] = before + wanted
            rows.append(
                {
                    "person_id": None,
                    "item_id": item.id,
                    "entry_on": on,
                    "status": p.status.value,
                    "amount_pence": amount,
                    "quantity_hundredths": (
                        None if quantity is None else quantity_to_hundredths(quantity)
                    ),
                    "declined_reason": p.declined_reason,
                    "exception_reason": "",
                    "approved_by_id": pa.manager_id if p.status.committed else None,
                    "note": p.note,
                    "recorded_by_id": pa.id,
                    "created_at": self.now,
                    "version": 1,
                }
            )
        return rows

    def _status(self, g: Rand, on: date) -> EntryStatus:
        """Paid once a month has gone by; before that approved, or still requested."""
        if on <= self.today - timedelta(days=30):
            return _PAID
        return _REQUESTED if g.random() < 0.4 else _APPROVED

    def _propose(
        self,
        g: Rand,
        dob: date,
        activities: list[tuple[date, str]],
        tenancies: list[dict[str, Any]],
        ended: date | None,
        person: dict[str, Any],
    ) -> list[_Proposal]:
        items, today = self.items, self.today
        out: list[_Proposal] = []
        home = items.get("Setting-up-home allowance")
        if home and home.amount_pence and tenancies and g.random() < 0.85:
            start = tenancies[0]["start_date"]
            total = int(home.amount_pence * g.choice((1, 1, 0.9, 0.75, 0.6, 0.5))) // 1000 * 1000
            parts = g.choice((1, 1, 2))
            for i, offset in enumerate(sorted(g.int(0, 150) for _ in range(parts))):
                on = start + timedelta(days=offset)
                amount = total // parts + (total % parts if i == 0 else 0)
                note = g.choice(_HOME_NOTES)
                out.append(_Proposal(home, on, self._status(g, on), amount, note=note))
        second = items.get("Second setting-up-home bursary")
        if second and second.amount_pence and ended:
            later = [t["start_date"] for t in tenancies if t["start_date"] >= ended]
            if later and g.random() < 0.6:
                on = later[0] + timedelta(days=g.int(0, 45))
                out.append(_Proposal(second, on, self._status(g, on), second.amount_pence))
        self._education(g, activities, out)
        payday = g.int(1, 10)  # monthly payments go out on the same day each month
        self._monthly(g, "Leisure funding", 0.25, 4, dob, payday, out)
        if tenancies and tenancies[-1]["end_date"] is None:
            since = tenancies[-1]["start_date"]
            self._monthly(g, "Broadband / Wi-Fi", 0.4, 4, since, payday, out)
        lessons = items.get("Driving lessons")
        if lessons and lessons.quantity and g.random() < 0.12:
            on = max(birthday(dob, 17), today - timedelta(days=540))
            for _ in range(g.int(1, 4)):
                on += timedelta(days=g.int(7, 90))
                hours = Decimal(g.choice(("1", "1.5", "2", "2", "3")))
                cost = int(hours * 3_200)  # £32 an hour
                out.append(_Proposal(lessons, on, self._status(g, on), cost, hours))
        tax = items.get("Council tax exemption")
        if tax and tenancies and g.random() < 0.5:
            on = tenancies[0]["start_date"] + timedelta(days=g.int(0, 60))
            out.append(_Proposal(tax, on, _APPROVED))
        interpreter = items.get("Interpreter / translated material")
        if interpreter and person["interpreter_needed"] and g.random() < 0.7:
            on = activities[0][0] + timedelta(days=g.int(0, 200))
            out.append(_Proposal(interpreter, on, _APPROVED))
        apprenticeship = items.get("Ring-fenced apprenticeship offer")
        trainee = [start for start, code in activities if code in ("F4", "P4")]
        if apprenticeship and trainee and g.random() < 0.15:
            out.append(_Proposal(apprenticeship, trainee[0], _APPROVED))
        if g.random() < 0.04:
            name = g.choice(_DECLINED_ITEMS)
            item = items.get(name)
            if item is not None:
                on = today - timedelta(days=g.int(0, 400))
                asked = item.amount_pence if item.kind.is_money else None
                quantity = Decimal(2) if item.quantity else None
                reason = g.choice(_DECLINED[name])
                out.append(_Proposal(item, on, _DECLINED_, asked, quantity, reason))
        return out

    def _monthly(
        self,
        g: Rand,
        name: str,
        share: float,
        most: int,
        since: date,
        payday: int,
        out: list[_Proposal],
    ) -> None:
        """Up to `most` months of payments, ending this month (still undecided, perhaps)."""
        item = self.items.get(name)
        if item is None or not item.amount_pence or g.random() >= share:
            return
        months = g.int(1, most)
        first = add_months(self.today.replace(day=1), 1 - months)
        for k in range(months):
            on = add_months(first, k).replace(day=payday)
            if on >= since:
                full = g.random() < 0.85
                amount = item.amount_pence if full else item.amount_pence * 3 // 4
                out.append(_Proposal(item, on, self._status(g, on), amount))

    def _education(self, g: Rand, activities: list[tuple[date, str]], out: list[_Proposal]) -> None:
        """The higher education bursary in two instalments from the start of a degree; the
        16–19 bursary once a year while at college (the age check stops it at 19)."""
        ends = [start for start, _ in activities[1:]] + [self.today + timedelta(days=1)]
        higher = self.items.get("Higher education bursary")
        college = self.items.get("16–19 bursary")
        for (start, code), end in zip(activities, ends, strict=True):
            if higher and higher.amount_pence and code in ("F1", "P1") and g.random() < 0.8:
                half = higher.amount_pence // 2
                for on in (
                    start + timedelta(g.int(7, 40)),
                    start + timedelta(g.int(120, 160)),
                ):
                    out.append(_Proposal(higher, on, self._status(g, on), half))
                higher = None  # once in a lifetime
            if college and college.amount_pence and code in ("F2", "P2") and g.random() < 0.6:
                for year in range(start.year - 1, end.year + 1):
                    on = max(start, date(year, 9, 20))
                    if on < end and on < date(year + 1, 9, 1):
                        out.append(
                            _Proposal(college, on, self._status(g, on), college.amount_pence)
                        )
