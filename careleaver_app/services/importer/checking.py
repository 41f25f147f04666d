"""Checking every row against the domain rules and the database, and planning the writes.

The checks read the database in the import's own transaction; they add problems rather than
raise, and what they return is written only when no problem was found.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from careleaver_app.db.models import (
    AccommodationEpisode,
    ActivityRow,
    StaffMember,
    Team,
    YoungPerson,
)
from careleaver_app.domain.accommodation import Episode, find_overlaps, validate_episode
from careleaver_app.domain.categories import CarePeriod
from careleaver_app.domain.codes import Activity, Role
from careleaver_app.domain.people import PersonDetails, validate_details
from careleaver_app.services.accommodation import as_episode
from careleaver_app.services.dto import ContactInput, MoveInput
from careleaver_app.services.importer import ledger, planning
from careleaver_app.services.importer.columns import (
    ACCOMMODATION,
    ACTIVITY,
    ASSESSMENTS,
    CONTACTS,
    FILES,
    OFFER_LEDGER,
    PEOPLE,
    PLANS,
    REVIEWS,
)
from careleaver_app.services.importer.ledger import NewEntry
from careleaver_app.services.importer.planning import NewAssessment, NewPlan, NewReview
from careleaver_app.services.importer.reading import Files, Row
from careleaver_app.services.importer.results import Problems

CHUNK = 500  # references per IN (...) query: well under SQLite's and PostgreSQL's limits


@dataclass(frozen=True, slots=True)
class NewPerson:
    row: int
    details: PersonDetails
    team_id: int | None
    pa_id: int | None
    care: CarePeriod | None


@dataclass(frozen=True, slots=True)
class Plan:
    people: list[NewPerson]
    # (row, reference, the episode as a move dialog gives it, the episode as the rules see it)
    episodes: list[tuple[int, str, MoveInput, Episode]]
    contacts: list[tuple[int, str, ContactInput]]
    activities: list[tuple[int, str, Activity, date, str]]
    assessments: list[NewAssessment]
    plans: list[NewPlan]
    reviews: list[NewReview]
    offer_entries: list[NewEntry]
    existing_ids: dict[str, int]
    ignored_columns: tuple[str, ...]


class Checker:
    """Checks every row; state shared between files lives here for the one import."""

    def __init__(self, session: Session, today: date, problems: Problems) -> None:
        self.session = session
        self.today = today
        self.problems = problems
        self.dob: dict[str, date | None] = {}  # reference -> date of birth, None if unknown
        self.existing: dict[str, tuple[int, date]] = {}
        # Without a readable people.csv a mistyped reference cannot be told from a new person.
        self.people_unreadable = False

    def run(self, files: Files) -> Plan:
        tables = files.rows
        people_rows: list[Row] = tables.get(PEOPLE) or []
        refs = {
            r.values["reference"]
            for name in FILES
            for r in tables.get(name) or ()
            if r.values.get("reference")
        }
        self.existing = _existing_people(self.session, refs)
        self.people_unreadable = PEOPLE in tables and tables[PEOPLE] is None
        people = self.people(people_rows)
        for ref, (_, dob) in self.existing.items():
            self.dob.setdefault(ref, dob)
        episodes = self.episodes(tables.get(ACCOMMODATION) or [])
        contacts = self.contacts(tables.get(CONTACTS) or [])
        activities = self.activities(tables.get(ACTIVITY) or [])
        plans = planning.plans(self, tables.get(PLANS) or [])
        return Plan(
            people=people,
            episodes=episodes,
            contacts=contacts,
            activities=activities,
            assessments=planning.assessments(self, tables.get(ASSESSMENTS) or []),
            plans=plans,
            reviews=planning.reviews(
                self, tables.get(REVIEWS) or [], plans, PLANS in tables and tables[PLANS] is None
            ),
            # Eligibility depends on the care, activity and tenancy rows planned above.
            offer_entries=ledger.entries(
                self, tables.get(OFFER_LEDGER) or [], people, episodes, activities
            ),
            existing_ids={ref: pid for ref, (pid, _) in self.existing.items()},
            ignored_columns=files.ignored_columns,
        )

    def add(self, file: str, row: int, column: str, reason: str) -> None:
        self.problems.add(file, row, column, reason)

    def check_date(self, file: str, r: Row, column: str, dob: date | None) -> None:
        day = r.values.get(column)
        if day is None:
            return
        if day > self.today:
            self.add(file, r.row, column, "is in the future")
        elif dob is not None and day < dob:
            self.add(file, r.row, column, "is before the date of birth")

    def person_of(self, file: str, r: Row) -> str | None:
        """The reference of the row's young person if known (a problem is added if not)."""
        ref = r.values.get("reference")
        if not ref:
            return None
        if ref not in self.dob:
            if not self.people_unreadable:
                self.add(file, r.row, "reference", "is not in people.csv or the database")
            return None
        return ref

    def in_chunks(self, query: Callable[[list[Any]], Any], keys: list[Any]) -> list[Any]:
        return _in_chunks(self.session, query, keys)

    def people(self, rows: list[Row]) -> list[NewPerson]:
        staff = {s.username: s for s in self.session.scalars(select(StaffMember))}
        teams = {t.name.casefold(): t for t in self.session.scalars(select(Team))}
        detail_fields = {f.name for f in dataclasses.fields(PersonDetails)}
        first_row: dict[str, int] = {}
        planned = []
        for r in rows:
            v = r.values
            dob = v.get("date_of_birth")
            details = PersonDetails(
                **{
                    "reference": "",
                    "first_name": "",
                    "last_name": "",
                    **{k: x for k, x in v.items() if k in detail_fields},
                    # A stand-in so the other fields are still checked; the date's own
                    # problem has been reported.
                    "date_of_birth": dob or self.today,
                }
            )
            for p in validate_details(details, self.today):
                self.add(PEOPLE, r.row, p.field, p.message)
            ref = v.get("reference")
            if ref and ref in first_row:
                self.add(PEOPLE, r.row, "reference", f"is repeated: row {first_row[ref]} has it")
                ref = None
            elif ref and ref in self.existing:
                self.add(
                    PEOPLE,
                    r.row,
                    "reference",
                    "is already used by a young person in the database "
                    "(people.csv adds new young people only)",
                )
            if ref:
                first_row[ref] = r.row
                self.dob[ref] = dob
            care = self._care(r, dob)
            team_id, pa_id = self._team_and_pa(r, staff, teams)
            if ref:
                planned.append(NewPerson(r.row, details, team_id, pa_id, care))
        return planned

    def _care(self, r: Row, dob: date | None) -> CarePeriod | None:
        for column in ("care_started_on", "care_ended_on"):
            self.check_date(PEOPLE, r, column, dob)
        start, end = r.values.get("care_started_on"), r.values.get("care_ended_on")
        if r.raw["care_ended_on"] and not r.raw["care_started_on"]:
            self.add(PEOPLE, r.row, "care_ended_on", "needs care_started_on")
        if start is not None and end is not None and end < start:
            self.add(PEOPLE, r.row, "care_ended_on", "is before care_started_on")
        return CarePeriod(start, end) if start is not None else None

    def _team_and_pa(
        self, r: Row, staff: dict[str, StaffMember], teams: dict[str, Team]
    ) -> tuple[int | None, int | None]:
        username, team_name = r.raw["pa_username"], r.raw["team"]
        if not username and not team_name:
            self.add(
                PEOPLE,
                r.row,
                "pa_username",
                "give a pa_username or a team: without either, only administrators "
                "could see the record",
            )
            return None, None
        pa = staff.get(username) or _only_casefold_match(staff, username)
        if username and (pa is None or not pa.active or pa.role != Role.PERSONAL_ADVISER.value):
            self.add(
                PEOPLE, r.row, "pa_username", f"'{username}' is not an active personal adviser"
            )
            pa = None
        team = teams.get(team_name.casefold())
        if team_name and (team is None or not team.active):
            self.add(PEOPLE, r.row, "team", f"there is no active team called '{team_name}'")
            team = None
        if pa is not None and team is not None and pa.team_id != team.id:
            self.add(PEOPLE, r.row, "pa_username", f"'{username}' is not in team '{team.name}'")
        team_id = team.id if team is not None else pa.team_id if pa is not None else None
        return team_id, pa.id if pa is not None else None

    def episodes(self, rows: list[Row]) -> list[tuple[int, str, MoveInput, Episode]]:
        planned = []
        for r in rows:
            ref = self.person_of(ACCOMMODATION, r)
            dob = self.dob.get(ref) if ref else None
            for column in ("start_date", "end_date"):
                self.check_date(ACCOMMODATION, r, column, dob)
            v = r.values
            wanted = ("start_date", "end_date", "type_code", "suitable", "concerns")
            if ref is None or any(c not in v for c in wanted):
                continue  # cannot build the episode; what is wrong is reported
            move = build_move(v)
            # A negative id marks an episode from the file (minus its row) among those already
            # in the database, so that an overlap can be reported on the right row.
            episode = Episode(
                move.type, move.start_date, move.suitability, move.end_date, move.concerns, -r.row
            )
            for p in validate_episode(episode, dob or date.min):
                column = "suitable" if p.field == "suitability" else p.field
                self.add(ACCOMMODATION, r.row, column, p.message)
            planned.append((r.row, ref, move, episode))
        self._overlaps(planned)
        return planned

    def _overlaps(self, planned: list[tuple[int, str, MoveInput, Episode]]) -> None:
        by_person: dict[str, list[Episode]] = defaultdict(list)
        for _, ref, _, episode in planned:
            by_person[ref].append(episode)
        ids = {self.existing[ref][0]: ref for ref in by_person if ref in self.existing}
        for row in _in_chunks(
            self.session,
            lambda chunk: select(AccommodationEpisode).where(
                AccommodationEpisode.person_id.in_(chunk),
                AccommodationEpisode.voided_reason.is_(None),
            ),
            list(ids),
        ):
            by_person[ids[row.person_id]].append(as_episode(row))
        for episodes in by_person.values():
            for first, second in find_overlaps(episodes):
                if second.id is not None and second.id < 0:
                    self.add(ACCOMMODATION, -second.id, "start_date", _overlap(first))
                elif first.id is not None and first.id < 0:
                    column = "end_date" if first.end is not None else "start_date"
                    self.add(ACCOMMODATION, -first.id, column, _overlap(second))

    def contacts(self, rows: list[Row]) -> list[tuple[int, str, ContactInput]]:
        planned = []
        for r in rows:
            ref = self.person_of(CONTACTS, r)
            self.check_date(CONTACTS, r, "contact_date", self.dob.get(ref) if ref else None)
            v = r.values
            if ref and all(c in v for c in ("contact_date", "kind", "in_touch", "seen_at_home")):
                contact = ContactInput(
                    v["contact_date"],
                    v["kind"],
                    v["in_touch"],
                    v["seen_at_home"],
                    v.get("note", ""),
                )
                planned.append((r.row, ref, contact))
        return planned

    def activities(self, rows: list[Row]) -> list[tuple[int, str, Activity, date, str]]:
        ids = {self.existing[ref][0]: ref for ref in self.existing}
        taken: dict[tuple[str, date], str] = {
            (ids[pid], day): "one already recorded"
            for pid, day in _in_chunks(
                self.session,
                lambda chunk: select(ActivityRow.person_id, ActivityRow.start_date).where(
                    ActivityRow.person_id.in_(chunk)
                ),
                list(ids),
            )
        }
        planned = []
        for r in rows:
            ref = self.person_of(ACTIVITY, r)
            self.check_date(ACTIVITY, r, "start_date", self.dob.get(ref) if ref else None)
            v = r.values
            if not ref or "start_date" not in v or "activity" not in v:
                continue
            if (ref, v["start_date"]) in taken:
                self.add(
                    ACTIVITY,
                    r.row,
                    "start_date",
                    "another activity of this young person starts on the same day "
                    f"({taken[ref, v['start_date']]})",
                )
            taken[ref, v["start_date"]] = f"row {r.row}"
            planned.append((r.row, ref, v["activity"], v["start_date"], v.get("note", "")))
        return planned


def build_move(values: dict[str, Any]) -> MoveInput:
    """The episode a row of accommodation.csv describes, as a 'Record a move' dialog would."""
    return MoveInput(
        type=values["type_code"],
        start_date=values["start_date"],
        end_date=values["end_date"],
        suitability=values["suitable"],
        concerns=values["concerns"],
        suitability_notes=values.get("suitability_notes", ""),
        address=values.get("address", ""),
        postcode=values.get("postcode", ""),
        provider=values.get("provider", ""),
        placed_by=values.get("placed_by", ""),
    )


def _overlap(other: Episode) -> str:
    span = f"from {other.start.isoformat()}" + (
        f" to {other.end.isoformat()}" if other.end else ", still open"
    )
    which = (
        f"the episode on row {-other.id}"
        if other.id is not None and other.id < 0
        else "an episode already recorded"
    )
    hint = "; only the latest episode may have an empty end_date" if other.end is None else ""
    return f"overlaps {which} ({span}){hint}"


def _only_casefold_match(staff: dict[str, StaffMember], username: str) -> StaffMember | None:
    matches = [s for name, s in staff.items() if name.casefold() == username.casefold()]
    return matches[0] if len(matches) == 1 else None


def _in_chunks(session: Session, query: Callable[[list[Any]], Any], keys: list[Any]) -> list[Any]:
    out: list[Any] = []
    for i in range(0, len(keys), CHUNK):
        result = session.execute(query(keys[i : i + CHUNK]))
        out.extend(result.scalars() if len(result.keys()) == 1 else result.all())
    return out


def _existing_people(session: Session, refs: Iterable[str]) -> dict[str, tuple[int, date]]:
    rows = _in_chunks(
        session,
        lambda chunk: select(
            YoungPerson.reference, YoungPerson.id, YoungPerson.date_of_birth
        ).where(YoungPerson.reference.in_(chunk)),
        sorted(refs),
    )
    return {ref: (pid, dob) for ref, pid, dob in rows}
