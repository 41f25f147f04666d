"""The demo run: one transaction that adds teams, staff and young people, chunk by chunk."""

from __future__ import annotations

import gc
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from careleaver_app.db.models import OfferItemRow
from careleaver_app.db.repositories import update_statistics
from careleaver_app.domain.errors import FieldProblem, ValidationError
from careleaver_app.services import audit
from careleaver_app.services.actors import Actor
from careleaver_app.services.demo.maker import Maker
from careleaver_app.services.demo.staff import create_staff
from careleaver_app.services.demo.writer import (
    CHILD_TABLES,
    insert_people,
    next_reference_number,
    record_run,
    reference,
)
from careleaver_app.services.offer import as_item
from careleaver_app.services.permissions import Action, require

if TYPE_CHECKING:
    from careleaver_app.services.container import Services

CHUNK_PEOPLE = 5_000  # young people generated and inserted per round


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """How many rows of each kind one demo run added."""

    teams: int
    staff: int
    people: int
    episodes: int
    contacts: int
    activities: int
    care_periods: int
    allocations: int = 0
    escalations: int = 0
    offer_entries: int = 0

    def describe(self) -> str:
        parts = [
            _n(self.contacts, "contact"),
            _n(self.activities, "activity record"),
            _n(self.care_periods, "care period"),
        ]
        if self.offer_entries:
            parts.append(_n(self.offer_entries, "local-offer entry", "local-offer entries"))
        escalations = f" ({_n(self.escalations, 'escalation')})" if self.escalations else ""
        return (
            f"Added demo data: {_n(self.people, 'young person', 'young people')} with "
            f"{_n(self.episodes, 'accommodation episode')}{escalations}, "
            f"{', '.join(parts[:-1])} and {parts[-1]}, "
            f"in {_n(self.teams, 'team')} with {self.staff:,} new staff."
        )


def _n(count: int, singular: str, plural: str = "") -> str:
    return f"{count:,} {singular if count == 1 else plural or singular + 's'}"


def generate_demo(
    services: Services, actor: Actor, *, people: int, seed: int, today: date
) -> DemoSummary:
    """Add `people` synthetic young people, with the teams and staff to hold their caseloads.

    A database that already has people gets more: references continue after the highest 'CL'
    number and staff usernames after the highest 'demo-' number, and the random sequence is
    keyed on where numbering starts so that the new people are not copies of the first ones.
    """
    require(actor, Action.IMPORT_DATA)
    if people < 1:
        raise ValidationError(FieldProblem("people", "must be at least 1"))
    now = audit.now()
    with _gc_paused(), services.db.transaction() as session:
        conn = session.connection()
        first = next_reference_number(conn)
        rng = random.Random(seed if first == 1 else f"{seed}:{first}")
        catalogue = [
            as_item(row)
            for row in session.scalars(select(OfferItemRow).order_by(OfferItemRow.sort_order))
        ]
        maker = Maker(rng, today, now, catalogue)
        teams, staff, caseloads = create_staff(conn, rng, now, people)
        slots = [pa for pa, load in caseloads for _ in range(load)]
        rng.shuffle(slots)
        totals = dict.fromkeys([*CHILD_TABLES, "escalations"], 0)
        for begin in range(0, people, CHUNK_PEOPLE):
            made = [
                maker.person(reference(first + i), slots[i])
                for i in range(begin, min(begin + CHUNK_PEOPLE, people))
            ]
            for table, count in insert_people(session, made).items():
                totals[table] += count
        summary = DemoSummary(
            teams=teams,
            staff=staff,
            people=people,
            episodes=totals["accommodation_episodes"],
            contacts=totals["contacts"],
            activities=totals["activities"],
            care_periods=totals["care_periods"],
            allocations=totals["pa_allocations"],
            escalations=totals["escalations"],
            offer_entries=totals["offer_ledger"],
        )
        update_statistics(session)
        record_run(
            session,
            actor,
            seed=seed,
            first=first,
            last=first + people - 1,
            description=summary.describe(),
        )
    return summary


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, which would otherwise re-scan the millions of new,
    acyclic row dicts again and again (a fifth of the run); reference counting still frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
