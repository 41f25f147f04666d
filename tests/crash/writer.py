"""Crash-test writer: real user actions through the services, forever, until it is killed.

Run as `python tests/crash/writer.py DATA_DIR SEED ACK_FILE` on a database the harness has set
up. Each action is one service call, so one transaction; only after the call has returned (the
commit is acknowledged) is a line appended to ACK_FILE and fsynced, saying what the database must
now hold. A line can be torn by the kill; the harness ignores an unfinished last line.

Ack lines (space-separated; no field holds a space):
    person  <reference> <date_of_birth> <care_start> <care_end>
    move    <reference> <start_date> <type><suitability>
    contact <reference> <contact_date> <kind> <in_touch> <note>
    offer   <reference> <entry_on> <item_key> <status> <note>
    update  <reference> <version> <preferred_name>
"""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from careleaver_app.db.models import AccommodationEpisode, YoungPerson  # noqa: E402
from careleaver_app.domain.categories import CarePeriod  # noqa: E402
from careleaver_app.domain.codes import (  # noqa: E402
    AccommodationType,
    ContactKind,
    InTouch,
    Suitability,
    SuitabilityFactor,
)
from careleaver_app.domain.errors import DomainError  # noqa: E402
from careleaver_app.domain.offer import EntryStatus  # noqa: E402
from careleaver_app.domain.people import PersonDetails  # noqa: E402
from careleaver_app.paths import AppPaths  # noqa: E402
from careleaver_app.services.actors import Actor  # noqa: E402
from careleaver_app.services.container import Services, open_services  # noqa: E402
from careleaver_app.services.dto import ContactInput, MoveInput  # noqa: E402
from careleaver_app.services.offer import EntryInput  # noqa: E402

TODAY = date(2026, 11, 26)  # injected, so every run is reproducible from its seed
PA_USERNAME = "pa1"
READY = "ready"  # printed once the services are open, just before the first write
# Offer items by a short key (for the ack line) and their catalogue name.
OFFER_ITEMS = {
    "interpreter": "Interpreter / translated material",  # non-financial: never refused
    "leisure": "Leisure funding",  # £20 a month: refused once the month is used up
}
# (type, suitability, weight): B&B, emergency, no fixed abode and unsuitable ones escalate.
MOVES = [
    (AccommodationType.INDEPENDENT_LIVING, Suitability.SUITABLE, 4),
    (AccommodationType.SEMI_INDEPENDENT, Suitability.SUITABLE, 3),
    (AccommodationType.SUPPORTED_LODGINGS, Suitability.SUITABLE, 2),
    (AccommodationType.WITH_PARENTS_OR_RELATIVES, Suitability.SUITABLE, 2),
    (AccommodationType.SEMI_INDEPENDENT, Suitability.UNSUITABLE, 1),
    (AccommodationType.BED_AND_BREAKFAST, Suitability.UNSUITABLE, 2),
    (AccommodationType.BED_AND_BREAKFAST, Suitability.SUITABLE, 1),
    (AccommodationType.EMERGENCY, Suitability.UNSUITABLE, 1),
    (AccommodationType.NO_FIXED_ABODE, Suitability.UNSUITABLE, 1),
]
ACTIONS = {"create": 5, "move": 5, "contact": 4, "offer": 3, "update": 3}


@dataclass
class Person:
    id: int
    reference: str
    date_of_birth: date
    version: int
    last_move: date | None


def load_people(services: Services) -> list[Person]:
    """What earlier runs left: the writer is the only writer, so this stays true as it goes."""
    episode = AccommodationEpisode
    with services.db.transaction(write=False) as session:
        last_moves = dict(
            session.execute(
                select(episode.person_id, func.max(episode.start_date)).group_by(episode.person_id)
            ).all()
        )
        rows = session.execute(
            select(
                YoungPerson.id,
                YoungPerson.reference,
                YoungPerson.date_of_birth,
                YoungPerson.version,
            ).order_by(YoungPerson.id)
        ).all()
    return [Person(i, ref, dob, version, last_moves.get(i)) for i, ref, dob, version in rows]


def acknowledge(ack: TextIO, line: str) -> None:
    ack.write(line + "\n")
    ack.flush()
    os.fsync(ack.fileno())


class Writer:
    def __init__(self, services: Services, actor: Actor, seed: int, people: list[Person]) -> None:
        self.s = services
        self.actor = actor
        self.seed = seed
        self.rng = random.Random(seed)
        self.people = people
        self.count = 0
        self.items = {
            key: next(c.item.id for c in services.offer.catalogue() if c.item.name == name)
            for key, name in OFFER_ITEMS.items()
        }

    def token(self, prefix: str) -> str:
        """Unique across runs (the harness gives every run its own seed)."""
        self.count += 1
        return f"{prefix}{self.seed}-{self.count}"

    def day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def step(self) -> str | None:
        """One action; its ack line, or None when the services refused it (nothing saved).

        Only an over-allowance offer entry is refused; any other refusal stops the writer,
        which the harness reports."""
        kind = self.rng.choices(list(ACTIONS), weights=list(ACTIONS.values()))[0]
        if kind == "create" or not self.people:
            return self.create()
        if kind == "move":
            movable = [p for p in self.people if p.last_move is None or p.last_move < TODAY]
            return self.move(self.rng.choice(movable)) if movable else self.create()
        return getattr(self, kind)(self.rng.choice(self.people))

    def create(self) -> str:
        reference = self.token("P")
        # 18 to 21 today; looked after from 15 until 18, so former relevant.
        dob = self.day_between(TODAY - timedelta(days=21 * 365), TODAY - timedelta(days=18 * 366))
        care = CarePeriod(dob + timedelta(days=15 * 365 + 4), dob + timedelta(days=18 * 365 + 5))
        details = PersonDetails(
            reference=reference,
            first_name=self.rng.choice(["Alex", "Sam", "Jordan", "Chloé", "Ïsla", "Kai"]),
            last_name=self.rng.choice(["Okafor", "Smith", "Nowak", "O'Brien", "Begum"]),
            date_of_birth=dob,
            phone="07700 900" + f"{self.rng.randint(0, 999):03d}",
            housing_support_needs=self.rng.choice(["", "Budgeting", "Tenancy sustainment"]),
        )
        changes = self.s.people.create(
            self.actor, details, pa_id=self.actor.id, care_periods=(care,)
        )
        self.people.append(Person(changes.entity_id, reference, dob, changes.version, None))
        return f"person {reference} {dob} {care.start} {care.end}"

    def move(self, person: Person) -> str:
        if person.last_move is None:
            start = self.day_between(person.date_of_birth + timedelta(days=17 * 365), TODAY)
        else:
            start = min(TODAY, person.last_move + timedelta(days=self.rng.randint(1, 20)))
        kind, suitability, _ = self.rng.choices(MOVES, weights=[m[2] for m in MOVES])[0]
        detailed = self.rng.random() < 0.5
        move = MoveInput(
            type=kind,
            start_date=start,
            suitability=suitability,
            concerns=(
                frozenset({SuitabilityFactor.FACILITIES})
                if suitability is Suitability.UNSUITABLE and detailed
                else frozenset()
            ),
            address=f"{self.rng.randint(1, 200)} High Street" if detailed else "",
            postcode="AB1 2CD" if detailed else "",
            provider="Crash Housing" if detailed else "",
        )
        self.s.accommodation.record_move(self.actor, person.id, move)
        person.last_move = start
        return f"move {person.reference} {start} {kind.value}{suitability.value}"

    def contact(self, person: Person) -> str:
        note = self.token("C")
        on = self.day_between(max(person.date_of_birth, TODAY - timedelta(days=200)), TODAY)
        kind = self.rng.choice(list(ContactKind))
        in_touch = self.rng.choices([InTouch.YES, InTouch.NO, InTouch.REFUSED], [6, 2, 1])[0]
        contact = ContactInput(on, kind, in_touch, self.rng.random() < 0.3, note)
        self.s.contacts.log_contact(self.actor, person.id, contact)
        return f"contact {person.reference} {on} {kind.value} {in_touch.value} {note}"

    def offer(self, person: Person) -> str | None:
        note = self.token("O")
        on = self.day_between(TODAY - timedelta(days=90), TODAY)
        key = self.rng.choice(list(OFFER_ITEMS))
        status = self.rng.choice(list(EntryStatus))
        entry = EntryInput(
            item_id=self.items[key],
            on=on,
            status=status,
            amount_pence=self.rng.randint(100, 900) if key == "leisure" else None,
            note=note,
            declined_reason="Not needed now" if status is EntryStatus.DECLINED else "",
        )
        try:
            self.s.offer.add_entry(self.actor, person.id, entry)
        except DomainError:
            # Leisure funding past the month's allowance is refused, and must leave nothing.
            if key != "leisure":
                raise
            return None
        return f"offer {person.reference} {on} {key} {status.value} {note}"

    def update(self, person: Person) -> str:
        preferred = self.token("U")
        details = PersonDetails(
            reference=person.reference,
            first_name="Updated",
            last_name="Person",
            date_of_birth=person.date_of_birth,
            preferred_name=preferred,
            phone="07700 900" + f"{self.rng.randint(0, 999):03d}",
        )
        changes = self.s.people.update(self.actor, person.id, details, person.version)
        person.version = changes.version
        return f"update {person.reference} {changes.version} {preferred}"


def write(
    services: Services,
    seed: int,
    ack: TextIO,
    steps: int | None = None,
    ready: Callable[[], None] = lambda: None,
) -> None:
    """Act as the PA, acknowledging each committed action; forever unless `steps` is given.

    `ready` is called just before the first write, once the reads that set up the stream (the
    catalogue, the people so far) are done.
    """
    writer = Writer(services, services.staffing.actor(PA_USERNAME), seed, load_people(services))
    ready()
    done = 0
    while steps is None or done < steps:
        line = writer.step()
        if line is not None:
            acknowledge(ack, line)
        done += 1


def main(argv: list[str]) -> None:
    data_dir, seed, ack_file = Path(argv[1]), int(argv[2]), Path(argv[3])
    services = open_services(AppPaths(data_dir), None, lambda: TODAY)
    with open(ack_file, "a", encoding="utf-8") as ack:
        write(services, seed, ack, ready=lambda: print(READY, flush=True))


if __name__ == "__main__":
    main(sys.argv)
