"""Import young people and their histories from a folder of CSV files, all or nothing.

Every file is read and every row checked, against the domain rules and the database, before
anything is written; then everything is written in one transaction. docs/import.md is the
user's reference for the files and their columns.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from careleaver_app.db.models import (
    AccommodationEpisode,
    ActivityRow,
    AuditEvent,
    CarePeriodRow,
    Contact,
    PaAllocation,
    StaffMember,
    Team,
    YoungPerson,
)
from careleaver_app.domain.accommodation import (
    Episode,
    find_overlaps,
    opens_escalation,
    validate_episode,
)
from careleaver_app.domain.categories import CarePeriod
from careleaver_app.domain.codes import (
    AccommodationType,
    Activity,
    ContactKind,
    InTouch,
    Role,
    Suitability,
    SuitabilityFactor,
)
from careleaver_app.domain.errors import DomainError
from careleaver_app.domain.people import PersonDetails, normalise_postcode, validate_details
from careleaver_app.services import audit
from careleaver_app.services.accommodation import as_episode, move_values
from careleaver_app.services.actors import Actor
from careleaver_app.services.container import Services
from careleaver_app.services.dto import ContactInput, MoveInput
from careleaver_app.services.people import search_text
from careleaver_app.services.permissions import Action, require

PEOPLE = "people.csv"
ACCOMMODATION = "accommodation.csv"
CONTACTS = "contacts.csv"
ACTIVITY = "activity.csv"
FILES = (PEOPLE, ACCOMMODATION, CONTACTS, ACTIVITY)
CHUNK = 500  # references per IN (...) query: well under SQLite's and PostgreSQL's limits


# -- what the caller sees --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One thing wrong; row is the spreadsheet row (header = 1), None for a whole file."""

    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file} row {self.row}"
        return (
            f"{where}, {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"
        )


class ImportFailed(DomainError):
    """The files have problems; nothing was written. `problems` lists every one."""

    def __init__(self, problems: Iterable[ImportProblem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        heading = f"Nothing was imported: {count} problem{'' if count == 1 else 's'} found"
        super().__init__("\n".join([heading, *(str(p) for p in self.problems)]))


@dataclass(frozen=True, slots=True)
class ImportSummary:
    people: int = 0
    care_periods: int = 0
    allocations: int = 0
    episodes: int = 0
    episodes_to_review: int = 0  # would open an escalation: W, V, S or unsuitable
    contacts: int = 0
    activities: int = 0
    ignored_columns: tuple[str, ...] = ()  # "people.csv: nhs_number"

    def describe(self) -> str:
        review = (
            f" ({self.episodes_to_review} B&B, emergency, no fixed abode or unsuitable)"
            if self.episodes_to_review
            else ""
        )
        text = (
            f"Imported {_count(self.people, 'young person', 'young people')}, "
            f"{_count(self.episodes, 'accommodation episode')}{review}, "
            f"{_count(self.contacts, 'contact')} and {_count(self.activities, 'activity record')}."
        )
        if self.ignored_columns:
            text += f" Ignored unknown columns: {'; '.join(self.ignored_columns)}."
        return text


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


# -- reading values --------------------------------------------------------------------------
# A parser takes the trimmed, non-empty cell and returns the value or raises ValueError(reason).

DATE_HELP = "is not a date (use YYYY-MM-DD or DD/MM/YYYY)"
_ISO = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_UK = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def parse_date(text: str) -> date:
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _UK.match(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise ValueError(DATE_HELP)
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"is not a real date ('{text}')") from None


def parse_yes_no(text: str) -> bool:
    value = text.casefold()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(f"must be yes or no, not '{text}'")


def parse_suitable(text: str) -> Suitability:
    """yes/no as elsewhere, or the 903 suitability digit (1 suitable, 2 unsuitable)."""
    value = text.casefold()
    if value in {"yes", "y", "true", "1", "suitable"}:
        return Suitability.SUITABLE
    if value in {"no", "n", "false", "2", "unsuitable"}:
        return Suitability.UNSUITABLE
    raise ValueError(f"must be yes (suitable) or no (unsuitable), not '{text}'")


def parse_type_code(text: str) -> AccommodationType:
    try:
        return AccommodationType(text.upper())
    except ValueError:
        pass
    if len(text) == 2 and text[1] in "12":
        raise ValueError(f"is the letter alone ('{text[0].upper()}'); give 1 or 2 as `suitable`")
    codes = ", ".join(t.value for t in AccommodationType)
    raise ValueError(f"'{text}' is not an SSDA903 accommodation type ({codes})")


def _code(enum: Any, what: str, fold: Callable[[str], str]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            return enum(fold(text))
        except ValueError:
            codes = ", ".join(e.value for e in enum)
            raise ValueError(f"'{text}' is not {what} ({codes})") from None

    return parse


def parse_concerns(text: str) -> frozenset[SuitabilityFactor]:
    """Schedule 2 factors, by code or label, separated by ; or ,"""
    by_name = {f.value: f for f in SuitabilityFactor} | {
        f.label.casefold(): f for f in SuitabilityFactor
    }
    found = set()
    for part in re.split(r"[;,]", text):
        name = part.strip().casefold()
        if name and name not in by_name:
            codes = ", ".join(f.value for f in SuitabilityFactor)
            raise ValueError(f"'{part.strip()}' is not a suitability factor ({codes})")
        if name:
            found.add(by_name[name])
    return frozenset(found)


def parse_postcode(text: str) -> str:
    return normalise_postcode(text)  # its ValueError already says "is not a UK postcode"


def _text(limit: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if len(text) > limit:
            raise ValueError(f"is longer than {limit} characters")
        return text

    return parse


# -- files and columns -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    parse: Callable[[str], Any]
    required: bool = False  # the column must be present and every row must fill it in
    default: Any = ""


SPECS: dict[str, tuple[Column, ...]] = {
    PEOPLE: (
        Column("reference", _text(32), required=True),
        Column("first_name", _text(100), required=True),
        Column("last_name", _text(100), required=True),
        Column("date_of_birth", parse_date, required=True),
        Column("preferred_name", _text(100)),
        Column("gender", _text(40)),
        Column("first_language", _text(60)),
        Column("interpreter_needed", parse_yes_no, default=False),
        Column("uasc", parse_yes_no, default=False),
        Column("pregnant_or_parenting", parse_yes_no, default=False),
        Column("housing_consent", parse_yes_no, default=False),
        Column("requested_pa_support", parse_yes_no, default=False),
        Column("phone", _text(40)),
        Column("email", _text(200)),
        Column("contact_address", _text(1000)),
        Column("care_started_on", parse_date, default=None),
        Column("care_ended_on", parse_date, default=None),
        Column("pa_username", _text(64)),
        Column("team", _text(100)),
    ),
    ACCOMMODATION: (
        Column("reference", _text(32), required=True),
        Column("start_date", parse_date, required=True),
        Column("end_date", parse_date, default=None),
        Column("type_code", parse_type_code, required=True),
        Column("suitable", parse_suitable, required=True),
        Column("concerns", parse_concerns, default=frozenset()),
        Column("suitability_notes", _text(4000)),
        Column("address", _text(1000)),
        Column("postcode", parse_postcode),
        Column("provider", _text(200)),
        Column("placed_by", _text(200)),
    ),
    CONTACTS: (
        Column("reference", _text(32), required=True),
        Column("contact_date", parse_date, required=True),
        Column("kind", _code(ContactKind, "a contact kind", str.casefold), required=True),
        Column("in_touch", _code(InTouch, "an SSDA903 in-touch code", str.upper), required=True),
        Column("seen_at_home", parse_yes_no, default=False),
        Column("note", _text(4000)),
    ),
    ACTIVITY: (
        Column("reference", _text(32), required=True),
        Column("start_date", parse_date, required=True),
        Column("activity", _code(Activity, "an SSDA903 activity code", str.upper), required=True),
        Column("note", _text(4000)),
    ),
}


class _Problems:
    """Collects problems; keeps the first per cell so that one mistake gives one line."""

    def __init__(self) -> None:
        self._items: list[ImportProblem] = []
        self._cells: set[tuple[str, int | None, str]] = set()

    def add(self, file: str, row: int | None, column: str | None, reason: str) -> None:
        if column is not None:
            if (file, row, column) in self._cells:
                return
            self._cells.add((file, row, column))
        self._items.append(ImportProblem(file, row, column, reason))

    def __bool__(self) -> bool:
        return bool(self._items)

    def in_order(self) -> list[ImportProblem]:
        """By file, row and column as the spreadsheet has them; a whole file or row first."""
        files = {name: i for i, name in enumerate(FILES)}
        columns = {(file, c.name): i for file, spec in SPECS.items() for i, c in enumerate(spec)}
        seq = {id(p): i for i, p in enumerate(self._items)}
        return sorted(
            self._items,
            key=lambda p: (
                files.get(p.file, len(FILES)),
                p.row or 0,
                columns.get((p.file, p.column or ""), -1),
                seq[id(p)],
            ),
        )


@dataclass(frozen=True, slots=True)
class _Row:
    row: int  # as a spreadsheet shows it
    raw: dict[str, str]  # column -> trimmed text, "" when empty or absent
    values: dict[str, Any]  # column -> parsed value; a column whose text was wrong is absent


def _header_name(text: str) -> str:
    return re.sub(r"[\s-]+", "_", text.strip().casefold())


def _read_table(path: Path, file: str, problems: _Problems) -> tuple[list[_Row], list[str]] | None:
    """The file's rows, parsed, and its unknown columns; None when the rows cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add(file, None, None, f"cannot be read: {exc.strerror or exc}")
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add(file, None, None, "is UTF-16 text; save it as 'CSV UTF-8' instead")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.add(
            file, None, None, f"is not UTF-8 text (line {line}); save it as 'CSV UTF-8' instead"
        )
        return None
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records.extend(reader)
    except csv.Error as exc:
        problems.add(file, len(records) + 1, None, f"cannot be read as CSV: {exc}")
        return None
    if not records or not any(cell.strip() for cell in records[0]):
        problems.add(file, None, None, "is empty: the first row must be the column headings")
        return None
    header = [_header_name(cell) for cell in records[0]]
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        problems.add(file, 1, None, "columns must be separated by commas")
        return None
    columns = SPECS[file]
    known = {c.name for c in columns}
    index: dict[str, int] = {}
    ignored: list[str] = []
    for i, name in enumerate(header):
        if name in index:
            problems.add(file, 1, name, "the column appears twice")
        elif name in known:
            index[name] = i
        elif name:
            ignored.append(records[0][i].strip())
    missing = [c.name for c in columns if c.required and c.name not in index]
    for name in missing:
        problems.add(file, 1, name, "required column is missing")
    if missing:
        return None
    rows = []
    for number, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank line, or a row of empty cells a spreadsheet left behind
        if any(cell.strip() for cell in cells[len(header) :]):
            problems.add(file, number, None, "has more values than there are column headings")
        raw = {name: cells[i].strip() if i < len(cells) else "" for name, i in index.items()}
        rows.append(_parse_row(file, number, raw, columns, problems))
    return rows, ignored


def _parse_row(
    file: str, number: int, raw: dict[str, str], columns: Sequence[Column], problems: _Problems
) -> _Row:
    values: dict[str, Any] = {}
    for column in columns:
        text = raw.setdefault(column.name, "")
        if not text:
            if column.required:
                problems.add(file, number, column.name, "is required")
            else:
                values[column.name] = column.default
            continue
        try:
            values[column.name] = column.parse(text)
        except ValueError as exc:
            problems.add(file, number, column.name, str(exc))
    return _Row(number, raw, values)


@dataclass(frozen=True, slots=True)
class _Files:
    rows: dict[str, list[_Row] | None]  # each file present -> its rows, None if unreadable
    ignored_columns: tuple[str, ...]


def _read_directory(directory: Path, problems: _Problems) -> _Files:
    """Read and parse every file present; raises at once when there is nothing to read."""
    where = str(directory)
    if not directory.is_dir():
        reason = "is not a folder" if directory.exists() else "there is no such folder"
        raise ImportFailed([ImportProblem(where, None, None, reason)])
    try:
        entries = sorted(directory.iterdir())
    except OSError as exc:
        raise ImportFailed([ImportProblem(where, None, None, f"cannot be read: {exc}")]) from exc
    found: dict[str, Path] = {}
    for entry in entries:
        # Lock and hidden files that spreadsheet programs leave beside the ones they open.
        if entry.name.startswith((".", "~$")) or entry.suffix.lower() != ".csv":
            continue
        if not entry.is_file():
            continue
        name = entry.name.casefold()
        if name not in SPECS:
            problems.add(
                entry.name, None, None, f"is not a file the import reads ({', '.join(FILES)})"
            )
        elif name in found:
            problems.add(entry.name, None, None, f"is a second {name} (names ignore case)")
        else:
            found[name] = entry
    if not found:
        problems.add(where, None, None, f"holds none of {', '.join(FILES)}")
        raise ImportFailed(problems.in_order())
    tables: dict[str, list[_Row] | None] = {}
    ignored: list[str] = []
    for name in FILES:
        if name in found:
            result = _read_table(found[name], name, problems)
            tables[name] = result[0] if result else None
            ignored.extend(f"{name}: {column}" for column in (result[1] if result else ()))
    return _Files(tables, tuple(ignored))


# -- checking against the rules and the database --------------------------------------------


@dataclass(frozen=True, slots=True)
class _NewPerson:
    row: int
    details: PersonDetails
    team_id: int | None
    pa_id: int | None
    care: CarePeriod | None


@dataclass(frozen=True, slots=True)
class _Plan:
    people: list[_NewPerson]
    # (row, reference, the episode as a move dialog gives it, the episode as the rules see it)
    episodes: list[tuple[int, str, MoveInput, Episode]]
    contacts: list[tuple[int, str, ContactInput]]
    activities: list[tuple[int, str, Activity, date, str]]
    existing_ids: dict[str, int]
    ignored_columns: tuple[str, ...]


class _Checker:
    """Checks every row; state shared between files lives here for the one import."""

    def __init__(self, session: Session, today: date, problems: _Problems) -> None:
        self.session = session
        self.today = today
        self.problems = problems
        self.dob: dict[str, date | None] = {}  # reference -> date of birth, None if unknown
        self.existing: dict[str, tuple[int, date]] = {}
        # Without a readable people.csv a mistyped reference cannot be told from a new person.
        self.people_unreadable = False

    def run(self, files: _Files) -> _Plan:
        tables = files.rows
        people_rows: list[_Row] = tables.get(PEOPLE) or []
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
        return _Plan(
            people=people,
            episodes=self.episodes(tables.get(ACCOMMODATION) or []),
            contacts=self.contacts(tables.get(CONTACTS) or []),
            activities=self.activities(tables.get(ACTIVITY) or []),
            existing_ids={ref: pid for ref, (pid, _) in self.existing.items()},
            ignored_columns=files.ignored_columns,
        )

    def _add(self, file: str, row: int, column: str, reason: str) -> None:
        self.problems.add(file, row, column, reason)

    def _check_date(self, file: str, r: _Row, column: str, dob: date | None) -> None:
        day = r.values.get(column)
        if day is None:
            return
        if day > self.today:
            self._add(file, r.row, column, "is in the future")
        elif dob is not None and day < dob:
            self._add(file, r.row, column, "is before the date of birth")

    def _person_of(self, file: str, r: _Row) -> str | None:
        """The reference of the row's young person if known (a problem is added if not)."""
        ref = r.values.get("reference")
        if not ref:
            return None
        if ref not in self.dob:
            if not self.people_unreadable:
                self._add(file, r.row, "reference", "is not in people.csv or the database")
            return None
        return ref

    def people(self, rows: list[_Row]) -> list[_NewPerson]:
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
                self._add(PEOPLE, r.row, p.field, p.message)
            ref = v.get("reference")
            if ref and ref in first_row:
                self._add(PEOPLE, r.row, "reference", f"is repeated: row {first_row[ref]} has it")
                ref = None
            elif ref and ref in self.existing:
                self._add(
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
                planned.append(_NewPerson(r.row, details, team_id, pa_id, care))
        return planned

    def _care(self, r: _Row, dob: date | None) -> CarePeriod | None:
        for column in ("care_started_on", "care_ended_on"):
            self._check_date(PEOPLE, r, column, dob)
        start, end = r.values.get("care_started_on"), r.values.get("care_ended_on")
        if r.raw["care_ended_on"] and not r.raw["care_started_on"]:
            self._add(PEOPLE, r.row, "care_ended_on", "needs care_started_on")
        if start is not None and end is not None and end < start:
            self._add(PEOPLE, r.row, "care_ended_on", "is before care_started_on")
        return CarePeriod(start, end) if start is not None else None

    def _team_and_pa(
        self, r: _Row, staff: dict[str, StaffMember], teams: dict[str, Team]
    ) -> tuple[int | None, int | None]:
        username, team_name = r.raw["pa_username"], r.raw["team"]
        if not username and not team_name:
            self._add(
                PEOPLE,
                r.row,
                "pa_username",
                "give a pa_username or a team: without either, only administrators "
                "could see the record",
            )
            return None, None
        pa = staff.get(username) or _only_casefold_match(staff, username)
        if username and (pa is None or not pa.active or pa.role != Role.PERSONAL_ADVISER.value):
            self._add(
                PEOPLE, r.row, "pa_username", f"'{username}' is not an active personal adviser"
            )
            pa = None
        team = teams.get(team_name.casefold())
        if team_name and (team is None or not team.active):
            self._add(PEOPLE, r.row, "team", f"there is no active team called '{team_name}'")
            team = None
        if pa is not None and team is not None and pa.team_id != team.id:
            self._add(PEOPLE, r.row, "pa_username", f"'{username}' is not in team '{team.name}'")
        team_id = team.id if team is not None else pa.team_id if pa is not None else None
        return team_id, pa.id if pa is not None else None

    def episodes(self, rows: list[_Row]) -> list[tuple[int, str, MoveInput, Episode]]:
        planned = []
        for r in rows:
            ref = self._person_of(ACCOMMODATION, r)
            dob = self.dob.get(ref) if ref else None
            for column in ("start_date", "end_date"):
                self._check_date(ACCOMMODATION, r, column, dob)
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
                self._add(ACCOMMODATION, r.row, column, p.message)
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
                    self._add(ACCOMMODATION, -second.id, "start_date", _overlap(first))
                elif first.id is not None and first.id < 0:
                    column = "end_date" if first.end is not None else "start_date"
                    self._add(ACCOMMODATION, -first.id, column, _overlap(second))

    def contacts(self, rows: list[_Row]) -> list[tuple[int, str, ContactInput]]:
        planned = []
        for r in rows:
            ref = self._person_of(CONTACTS, r)
            self._check_date(CONTACTS, r, "contact_date", self.dob.get(ref) if ref else None)
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

    def activities(self, rows: list[_Row]) -> list[tuple[int, str, Activity, date, str]]:
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
            ref = self._person_of(ACTIVITY, r)
            self._check_date(ACTIVITY, r, "start_date", self.dob.get(ref) if ref else None)
            v = r.values
            if not ref or "start_date" not in v or "activity" not in v:
                continue
            if (ref, v["start_date"]) in taken:
                self._add(
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


# -- writing ---------------------------------------------------------------------------------


def import_directory(services: Services, actor: Actor, directory: Path | str) -> ImportSummary:
    """Read people.csv, accommodation.csv, contacts.csv and activity.csv from `directory`.

    Administrators only. Raises ImportFailed listing every problem, having written nothing;
    otherwise writes everything in one transaction and returns what was written.
    """
    require(actor, Action.IMPORT_DATA)
    directory = Path(directory)
    today = services.people.today()
    problems = _Problems()
    files = _read_directory(directory, problems)
    # Checks and writes share one transaction (on SQLite it holds the write lock), so nobody
    # can add a clashing reference or episode between the check and the write.
    with services.db.transaction() as session:
        plan = _Checker(session, today, problems).run(files)
        if problems:
            raise ImportFailed(problems.in_order())
        return _write(session, actor, plan, today, directory)


def _write(
    session: Session, actor: Actor, plan: _Plan, today: date, directory: Path
) -> ImportSummary:
    now = audit.now()
    people = [
        (
            f"{PEOPLE} row {p.row}",
            {
                **{f.name: getattr(p.details, f.name) for f in dataclasses.fields(p.details)},
                "search_text": search_text(
                    p.details.first_name,
                    p.details.last_name,
                    p.details.preferred_name,
                    p.details.reference,
                ),
                "team_id": p.team_id,
                "pa_id": p.pa_id,
                "created_at": now,
                "updated_at": now,
            },
        )
        for p in plan.people
    ]
    created = _create(session, YoungPerson, "young_person", people)
    ids = plan.existing_ids | {
        p.details.reference: pid for p, (_, pid, _) in zip(plan.people, created, strict=True)
    }
    periods = [
        (
            f"{PEOPLE} row {p.row}",
            {
                "person_id": ids[p.details.reference],
                "kind": p.care.kind.value,
                "start_date": p.care.start,
                "end_date": p.care.end,
            },
        )
        for p in plan.people
        if p.care is not None
    ]
    created += _create(session, CarePeriodRow, "care_period", periods)
    # The real allocation date is not in the files: the allocation history starts today.
    allocations = [
        (
            f"{PEOPLE} row {p.row}",
            {
                "person_id": ids[p.details.reference],
                "staff_id": p.pa_id,
                "start_date": today,
                "allocated_by_id": actor.id,
            },
        )
        for p in plan.people
        if p.pa_id is not None
    ]
    created += _create(session, PaAllocation, "pa_allocation", allocations)
    episodes = write_episodes(session, actor, plan.episodes, ids)
    created += [
        ("accommodation_episode", eid, f"{ACCOMMODATION} row {n}") for n, eid, _ in episodes
    ]
    contacts = [
        (
            f"{CONTACTS} row {n}",
            {
                "person_id": ids[ref],
                "contact_date": c.contact_date,
                "kind": c.kind.value,
                "in_touch": c.in_touch.value,
                "seen_at_home": c.seen_at_home,
                "note": c.note,
                "recorded_by_id": actor.id,
                "created_at": now,
            },
        )
        for n, ref, c in plan.contacts
    ]
    created += _create(session, Contact, "contact", contacts)
    activities = [
        (
            f"{ACTIVITY} row {n}",
            {
                "person_id": ids[ref],
                "activity": activity.value,
                "start_date": start,
                "note": note,
                "recorded_by_id": actor.id,
                "created_at": now,
            },
        )
        for n, ref, activity, start, note in plan.activities
    ]
    created += _create(session, ActivityRow, "activity", activities)
    # One 'import' event per record created, naming the file and row it came from: the same
    # shape audit.record writes, inserted in bulk because an import creates thousands.
    if created:
        session.execute(
            insert(AuditEvent),
            [
                {
                    "at": now,
                    "actor_id": actor.id,
                    "action": "import",
                    "entity": entity,
                    "entity_id": entity_id,
                    "detail": f"from {where}",
                }
                for entity, entity_id, where in created
            ],
        )
    summary = ImportSummary(
        people=len(people),
        care_periods=len(periods),
        allocations=len(allocations),
        episodes=len(episodes),
        episodes_to_review=sum(opens_escalation(e) for _, _, e in episodes),
        contacts=len(contacts),
        activities=len(activities),
        ignored_columns=plan.ignored_columns,
    )
    audit.record(
        session, actor, "import", "import", None, detail=f"{directory}: {summary.describe()}"
    )
    return summary


def _create(
    session: Session, model: Any, entity: str, rows: Sequence[tuple[str, dict[str, Any]]]
) -> list[tuple[str, int, str]]:
    """Insert rows in bulk (a few statements, not one per row); (entity, id, source) each."""
    if not rows:
        return []
    stmt = insert(model).returning(model.id, sort_by_parameter_order=True)
    # render_nulls keeps every row's parameters alike (None as NULL, not left out), so the rows
    # go in a few multi-row statements instead of one statement each.
    ids = session.scalars(
        stmt, [values for _, values in rows], execution_options={"render_nulls": True}
    ).all()
    return [(entity, new_id, where) for (where, _), new_id in zip(rows, ids, strict=True)]


def write_episodes(
    session: Session,
    actor: Actor,
    planned: Sequence[tuple[int, str, MoveInput, Episode]],
    person_ids: dict[str, int],
) -> list[tuple[int, int, Episode]]:
    """Insert the episodes; (row in the file, new id, episode) for each.

    The seam for escalations: an episode for which `opens_escalation(episode)` holds (W, V, S or
    unsuitable) is imported like any other; the escalation issue opens one per such episode here.
    """
    now = audit.now()
    rows = [
        (
            f"{ACCOMMODATION} row {n}",
            {
                "person_id": person_ids[ref],
                "created_by_id": actor.id,
                "created_at": now,
                **move_values(move),
            },
        )
        for n, ref, move, _ in planned
    ]
    created = _create(session, AccommodationEpisode, "accommodation_episode", rows)
    return [
        (n, new_id, episode)
        for (n, _, _, episode), (_, new_id, _) in zip(planned, created, strict=True)
    ]
