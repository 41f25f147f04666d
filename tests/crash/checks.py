"""What must hold in the crash-test database after every kill: SQLite's own checks pass, every
acknowledged transaction is there, and no transaction is there in part.

The partial-transaction invariants are the ones each service call in writer.py guarantees by
writing everything in one transaction: a young person with their care period, PA allocation and
audit events; a move with the previous episode closed, its escalation when it needs one and the
caseload summary refreshed; a contact, an offer entry or an edit with their audit events.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from writer import OFFER_ITEMS

from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.offer import _ENTRY_FIELDS

Row = sqlite3.Row

PERSON_FIELDS = {f.name for f in fields(PersonDetails)} | {"team_id", "pa_id"}
CARE_FIELDS = {"person_id", "kind", "start_date", "end_date"}
CONTACT_FIELDS = {"person_id", "contact_date", "kind", "in_touch"}
ESCALATION_FIELDS = {"episode_id", "person_id", "status"}
OFFER_FIELDS = set(_ENTRY_FIELDS)
EPISODE_FIELDS = {"type_code", "suitability", "start_date"}
EPISODE_OPTIONAL = ("address", "postcode", "provider", "placed_by", "suitability_notes")
ESCALATING_TYPES = {"W", "V", "S"}  # B&B, emergency, no fixed abode (or any unsuitable)
# Audited entities and their tables: an audit event for a row that is not there is a partial.
TABLES = {
    "young_person": "young_people",
    "care_period": "care_periods",
    "accommodation_episode": "accommodation_episodes",
    "escalation": "escalations",
    "contact": "contacts",
    "offer_entry": "offer_ledger",
}


@dataclass
class CheckResult:
    acknowledged: Counter[str] = field(default_factory=Counter)  # complete ack lines by kind
    lost: list[str] = field(default_factory=list)  # acknowledged, not in the database
    partial: list[str] = field(default_factory=list)  # a transaction there only in part
    integrity: list[str] = field(default_factory=list)  # SQLite's checks, the search index
    malformed: list[str] = field(default_factory=list)  # complete ack lines we cannot read
    # Committed but never acknowledged: the kill came between the commit and the ack's fsync.
    # A writer has one such moment at most, so this can never exceed the number of kills.
    unacknowledged: int = 0

    @property
    def ok(self) -> bool:
        return not (self.lost or self.partial or self.integrity or self.malformed)


def ack_lines(ack_file: Path) -> list[str]:
    """The complete lines; an unfinished last one (the kill tore it) is left out."""
    if not ack_file.exists():
        return []
    text = ack_file.read_text(encoding="utf-8", errors="replace")
    return text.split("\n")[:-1]


def cut_torn_line(ack_file: Path) -> bool:
    """Drop an unfinished last line, so the next writer's first line starts on its own line."""
    if not ack_file.exists():
        return False
    data = ack_file.read_bytes()
    end = data.rfind(b"\n") + 1
    if end == len(data):
        return False
    with open(ack_file, "r+b") as f:
        f.truncate(end)
    return True


def check(db_file: Path, ack_file: Path) -> CheckResult:
    result = CheckResult()
    conn = sqlite3.connect(db_file, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        result.integrity = sqlite_problems(conn)
        conn.execute("BEGIN")  # one snapshot for everything below
        snap = Snapshot(conn)
        conn.execute("COMMIT")
    finally:
        conn.close()
    for line in ack_lines(ack_file):
        kind = line.split(" ", 1)[0]
        try:
            present = snap.acknowledged(line)
        except (KeyError, ValueError, TypeError):
            result.malformed.append(line)
            continue
        result.acknowledged[kind] += 1
        if not present:
            result.lost.append(line)
    present = sum(result.acknowledged.values()) - len(result.lost)
    result.unacknowledged = snap.transactions() - present
    result.partial = snap.partial_problems()
    return result


def sqlite_problems(conn: sqlite3.Connection) -> list[str]:
    problems = []
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    if rows != ["ok"]:
        problems += [f"integrity_check: {r}" for r in rows]
    problems += [
        f"foreign_key_check: {r[0]} rowid {r[1]} has no row in {r[2]}"
        for r in conn.execute("PRAGMA foreign_key_check")
    ]
    try:
        # The trigram index against young_people (rank 1 compares it with the content table).
        conn.execute("INSERT INTO people_search(people_search, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as exc:
        problems.append(f"people_search integrity-check: {exc}")
    return problems


def _by(rows: list[Row], key: str) -> dict[Any, list[Row]]:
    out: dict[Any, list[Row]] = defaultdict(list)
    for r in rows:
        out[r[key]].append(r)
    return out


class Snapshot:
    """The rows the writer touches, read in one transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        def rows(sql: str) -> list[Row]:
            return conn.execute(sql).fetchall()

        self.people = {r["id"]: r for r in rows("SELECT * FROM young_people")}
        self.by_ref = {r["reference"]: r for r in self.people.values()}
        self.care = _by(rows("SELECT * FROM care_periods"), "person_id")
        self.allocations = Counter(r[0] for r in rows("SELECT person_id FROM pa_allocations"))
        episodes = rows("SELECT * FROM accommodation_episodes ORDER BY start_date, id")
        self.episodes = {r["id"]: r for r in episodes}
        self.episodes_of = _by(episodes, "person_id")
        self.escalations = {r["id"]: r for r in rows("SELECT * FROM escalations")}
        self.escalations_of = _by(list(self.escalations.values()), "episode_id")
        contacts = rows("SELECT * FROM contacts ORDER BY contact_date, id")
        self.contacts = {r["id"]: r for r in contacts}
        self.contacts_of = _by(contacts, "person_id")
        self.contact_by_note = {r["note"]: r for r in contacts}
        self.ledger = {r["id"]: r for r in rows("SELECT * FROM offer_ledger")}
        self.ledger_by_note = {r["note"]: r for r in self.ledger.values()}
        self.item_names = {r["id"]: r["name"] for r in rows("SELECT id, name FROM offer_items")}
        self.audit: dict[tuple[str, int], list[Row]] = defaultdict(list)
        for r in rows("SELECT * FROM audit_events ORDER BY id"):
            self.audit[(r["entity"], r["entity_id"])].append(r)

    def transactions(self) -> int:
        """How many of the writer's transactions the database holds (each edit bumps the
        version; each other action adds one row of its own)."""
        edits = sum(p["version"] - 1 for p in self.people.values())
        return len(self.people) + len(self.episodes) + len(self.contacts) + len(self.ledger) + edits

    # -- acknowledged transactions ------------------------------------------------------------

    def acknowledged(self, line: str) -> bool:
        """Is what this ack line promises in the database? (KeyError/ValueError: malformed.)"""
        kind, *parts = line.split(" ")
        if kind == "person":
            reference, dob, care_start, care_end = parts
            person = self.by_ref.get(reference)
            return person is not None and (
                person["date_of_birth"] == dob
                and any(
                    (c["start_date"], c["end_date"]) == (care_start, care_end)
                    for c in self.care[person["id"]]
                )
            )
        if kind == "move":
            reference, start, code = parts
            person = self.by_ref.get(reference)
            return person is not None and any(
                e["start_date"] == start and e["type_code"] + e["suitability"] == code
                for e in self.episodes_of[person["id"]]
            )
        if kind == "contact":
            reference, on, contact_kind, in_touch, note = parts
            person, row = self.by_ref.get(reference), self.contact_by_note.get(note)
            return (
                person is not None
                and row is not None
                and (row["person_id"], row["contact_date"], row["kind"], row["in_touch"])
                == (person["id"], on, contact_kind, in_touch)
            )
        if kind == "offer":
            reference, on, item, status, note = parts
            person, row = self.by_ref.get(reference), self.ledger_by_note.get(note)
            return (
                person is not None
                and row is not None
                and (row["person_id"], row["entry_on"], row["status"]) == (person["id"], on, status)
                and self.item_names[row["item_id"]] == OFFER_ITEMS[item]
            )
        if kind == "update":
            reference, version, preferred = parts
            person = self.by_ref.get(reference)
            return (
                person is not None
                and person["version"] >= int(version)
                and any(
                    e["action"] == "update"
                    and e["field"] == "preferred_name"
                    and e["new_value"] == preferred
                    for e in self.audit[("young_person", person["id"])]
                )
            )
        raise KeyError(kind)

    # -- transactions applied in part -----------------------------------------------------------

    def partial_problems(self) -> list[str]:
        problems: list[str] = []
        for person in self.people.values():
            problems += self._person(person)
        for episode in self.episodes.values():
            problems += self._episode(episode)
        for escalation in self.escalations.values():
            what = f"escalation {escalation['id']}"
            problems += _created(
                self._events("escalation", escalation["id"]), ESCALATION_FIELDS, what
            )
            episode = self.episodes.get(escalation["episode_id"])
            if episode is not None and episode["person_id"] != escalation["person_id"]:
                problems.append(f"{what}: for another person than its episode")
        for contact in self.contacts.values():
            problems += _created(
                self._events("contact", contact["id"]), CONTACT_FIELDS, f"contact {contact['id']}"
            )
        for entry in self.ledger.values():
            problems += _created(
                self._events("offer_entry", entry["id"]), OFFER_FIELDS, f"offer entry {entry['id']}"
            )
        rows_of = {
            "young_person": self.people,
            "care_period": {c["id"] for cs in self.care.values() for c in cs},
            "accommodation_episode": self.episodes,
            "escalation": self.escalations,
            "contact": self.contacts,
            "offer_entry": self.ledger,
        }
        for entity, entity_id in self.audit:
            if entity in rows_of and entity_id not in rows_of[entity]:
                problems.append(f"audit events for {entity} {entity_id}, which is not there")
        return problems

    def _events(self, entity: str, entity_id: int) -> list[Row]:
        return self.audit.get((entity, entity_id), [])

    def _person(self, person: Row) -> list[str]:
        pid, what = person["id"], f"young person {person['reference']}"
        events = self._events("young_person", pid)
        problems = _created(events, PERSON_FIELDS, what)
        care = self.care[pid]
        if len(care) != 1:
            problems.append(f"{what}: {len(care)} care periods, created with 1")
        for period in care:
            problems += _created(
                self._events("care_period", period["id"]),
                CARE_FIELDS,
                f"care period {period['id']}",
            )
        if self.allocations[pid] != 1:
            problems.append(f"{what}: {self.allocations[pid]} PA allocations, created with 1")
        # Every edit bumps the version and writes its audit events in the same transaction.
        edits = _by([e for e in events if e["action"] == "update"], "at")
        if len(edits) != person["version"] - 1:
            problems.append(f"{what}: version {person['version']} but {len(edits)} audited edits")
        preferred = [e for e in events if e["field"] == "preferred_name"]
        if preferred and (preferred[-1]["new_value"] or "") != person["preferred_name"]:
            problems.append(f"{what}: preferred name is not the one last audited")
        return problems + self._summary(person)

    def _summary(self, person: Row) -> list[str]:
        """The caseload columns are refreshed in the transaction that changes what they sum up."""
        pid, what = person["id"], f"young person {person['reference']}"
        problems = []
        episodes = [e for e in self.episodes_of[pid] if e["voided_reason"] is None]
        for before, after in itertools.pairwise(episodes):
            if before["end_date"] != after["start_date"]:
                problems.append(
                    f"{what}: episode {before['id']} ends {before['end_date']}, "
                    f"but the next one starts {after['start_date']}"
                )
        if episodes and episodes[-1]["end_date"] is not None:
            problems.append(f"{what}: the latest episode {episodes[-1]['id']} is closed")
        current = episodes[-1] if episodes else None
        contacts = self.contacts_of[pid]
        code = current["type_code"] + current["suitability"] if current else ""
        in_touch = contacts[-1]["in_touch"] if contacts else None
        expected = {
            "accommodation_code": code,
            "accommodation_since": current["start_date"] if current else None,
            "in_touch": in_touch,
            "last_contact_on": max(c["contact_date"] for c in contacts) if contacts else None,
            "attention": _attention(code, in_touch),
        }
        for column, value in expected.items():
            if person[column] != value:
                problems.append(f"{what}: {column} is {person[column]!r}, expected {value!r}")
        return problems

    def _episode(self, episode: Row) -> list[str]:
        eid, what = episode["id"], f"episode {episode['id']}"
        events = self._events("accommodation_episode", eid)
        wanted = EPISODE_FIELDS | {k for k in EPISODE_OPTIONAL if episode[k]}
        if json.loads(episode["concerns"] or "[]"):
            wanted.add("concerns")
        problems = _created(events, wanted, what)
        closed = [e for e in events if e["action"] == "update" and e["field"] == "end_date"]
        if episode["end_date"] is None and closed:
            problems.append(f"{what}: audited as closed, but open")
        if episode["end_date"] is not None and [e["new_value"] for e in closed] != [
            episode["end_date"]
        ]:
            problems.append(f"{what}: closed on {episode['end_date']} without its audit event")
        escalates = (
            episode["type_code"] in ESCALATING_TYPES or episode["suitability"] == "2"
        ) and episode["voided_reason"] is None
        found = len(self.escalations_of[eid])
        if found != int(escalates):
            problems.append(
                f"{what} ({episode['type_code']}{episode['suitability']}): {found} escalations"
            )
        return problems


def _created(events: list[Row], wanted: set[str], what: str) -> list[str]:
    """Created in one transaction, with one audit event for each field it records."""
    creates = [e for e in events if e["action"] == "create"]
    got = sorted(e["field"] or "" for e in creates)
    if got != sorted(wanted):
        return [f"{what}: audited creation of {got}, expected {sorted(wanted)}"]
    if len({e["at"] for e in creates}) != 1:
        return [f"{what}: creation audited in more than one transaction"]
    return []


def _attention(code: str, in_touch: str | None) -> int:
    """repositories.attention_rank, in Python."""
    if code[:1] in ("W", "V", "S", "X"):
        return 0
    if code[1:2] == "2":
        return 1
    if in_touch is not None and in_touch != "YES":
        return 2
    return 3
