"""Young people: create, edit, view (audited), list and search, allocate, close."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session

from careleaver_app.db import repositories as repo
from careleaver_app.db.models import (
    AccommodationEpisode,
    CarePeriodRow,
    PaAllocation,
    StaffMember,
    Team,
    YoungPerson,
)
from careleaver_app.domain.accommodation import (
    Episode,
    episode_flags,
    opens_escalation,
    validate_history,
)
from careleaver_app.domain.categories import CareHistory, CarePeriod, category_on
from careleaver_app.domain.codes import (
    AccommodationType,
    Activity,
    CareKind,
    ContactKind,
    InTouch,
    LeaverCategory,
    Role,
    Suitability,
    SuitabilityFactor,
)
from careleaver_app.domain.dates import age_on
from careleaver_app.domain.errors import ConflictError, FieldProblem, NotFound, ValidationError
from careleaver_app.domain.flags import FLAG_REVIEW_OVERDUE, caseload_flags
from careleaver_app.domain.people import PersonDetails, validate_details
from careleaver_app.domain.retention import may_purge, retention_date
from careleaver_app.domain.text import fold
from careleaver_app.services import audit
from careleaver_app.services.access import person_for
from careleaver_app.services.accommodation import as_episode
from careleaver_app.services.actors import Actor
from careleaver_app.services.database import Clock, Database
from careleaver_app.services.dto import (
    ActivityDTO,
    AllocationDTO,
    CarePeriodDTO,
    Changes,
    ContactDTO,
    EpisodeDTO,
    PersonPage,
    PersonRecord,
    PersonRow,
)
from careleaver_app.services.pathway_reads import review_dates
from careleaver_app.services.permissions import Action, Scope, require


class CaseloadScope(StrEnum):
    MINE = "mine"
    TEAM = "team"
    EVERYONE = "everyone"


class SortKey(StrEnum):
    NAME = "name"
    REFERENCE = "reference"
    AGE = "age"
    PA = "pa"
    ACCOMMODATION = "accommodation"
    DAYS = "days"
    IN_TOUCH = "in_touch"
    FLAGS = "flags"


@dataclass(frozen=True)
class PeopleQuery:
    search: str = ""
    scope: CaseloadScope = CaseloadScope.EVERYONE
    in_bnb_or_emergency: bool = False
    unsuitable: bool = False
    not_in_touch: bool = False
    include_closed: bool = False
    sort: SortKey = SortKey.NAME
    descending: bool = False
    offset: int = 0
    limit: int | None = 200
    # Count the matches of a search only up to count_limit past this page's last row: a broad
    # search typed a letter at a time would otherwise count most of a national database on
    # every keystroke.
    count_limit: int | None = None


def search_text(first: str, last: str, preferred: str, reference: str) -> str:
    return fold(f"{first} {last} {preferred} {reference}")


class CategoryFacts(Protocol):
    """What the category is worked out from: a record, or a row of its columns."""

    @property
    def date_of_birth(self) -> date: ...
    @property
    def detained_or_in_hospital_on_16th_birthday(self) -> bool: ...
    @property
    def requested_pa_support(self) -> bool: ...
    @property
    def category_override(self) -> str | None: ...


class PeriodFacts(Protocol):
    @property
    def start_date(self) -> date: ...
    @property
    def end_date(self) -> date | None: ...
    @property
    def kind(self) -> str: ...


def care_history(person: CategoryFacts, periods: Sequence[PeriodFacts]) -> CareHistory:
    return CareHistory(
        date_of_birth=person.date_of_birth,
        periods=[CarePeriod(p.start_date, p.end_date, CareKind(p.kind)) for p in periods],
        detained_or_in_hospital_on_16th_birthday=person.detained_or_in_hospital_on_16th_birthday,
    )


def episode_dto(row: AccommodationEpisode, today: date) -> EpisodeDTO:
    episode = Episode(
        type=AccommodationType(row.type_code),
        start=row.start_date,
        end=row.end_date,
        suitability=Suitability(row.suitability),
        concerns=frozenset(SuitabilityFactor(c) for c in row.concerns or ()),
    )
    return EpisodeDTO(
        id=row.id,
        type=episode.type,
        suitability=episode.suitability,
        start_date=row.start_date,
        end_date=row.end_date,
        nights=episode.nights(today),
        address=row.address,
        postcode=row.postcode,
        provider=row.provider,
        placed_by=row.placed_by,
        concerns=episode.concerns,
        suitability_notes=row.suitability_notes,
        version=row.version,
        opens_escalation=opens_escalation(episode),
        flags=tuple(episode_flags(episode)),
    )


def _details_values(details: PersonDetails) -> dict[str, object]:
    values = asdict(details)
    for key in ("reference", "first_name", "last_name", "preferred_name"):
        values[key] = str(values[key]).strip()
    values["search_text"] = search_text(
        values["first_name"], values["last_name"], values["preferred_name"], values["reference"]
    )
    return values


class People:
    def __init__(self, db: Database, today: Clock) -> None:
        self.db = db
        self.today = today

    # -- writes ---------------------------------------------------------------------------

    def create(
        self,
        actor: Actor,
        details: PersonDetails,
        *,
        team_id: int | None = None,
        pa_id: int | None = None,
        care_periods: tuple[CarePeriod, ...] = (),
    ) -> Changes:
        today = self.today()
        problems = validate_details(details, today)
        team_id = team_id if team_id is not None else actor.team_id
        with self.db.transaction() as session:
            require(actor, Action.CREATE_PERSON, team_id=team_id, pa_id=pa_id)
            if repo.person_by_reference(session, details.reference.strip()) is not None:
                problems.append(FieldProblem("reference", "is already used by another record"))
            if pa_id is not None:
                problems.extend(_check_pa(session, pa_id, team_id))
            problems.extend(_check_periods(care_periods, details.date_of_birth))
            if problems:
                raise ValidationError(problems)
            now = audit.now()
            person = YoungPerson(
                **_details_values(details),
                team_id=team_id,
                pa_id=pa_id,
                created_at=now,
                updated_at=now,
            )
            session.add(person)
            session.flush()
            for period in care_periods:
                _add_care_period(session, actor, person.id, period)
            if pa_id is not None:
                session.add(
                    PaAllocation(
                        person_id=person.id,
                        staff_id=pa_id,
                        start_date=today,
                        allocated_by_id=actor.id,
                    )
                )
            audit.record(
                session,
                actor,
                "create",
                "young_person",
                person.id,
                {k: (None, v) for k, v in _details_values(details).items() if k != "search_text"}
                | {"team_id": (None, team_id), "pa_id": (None, pa_id)},
            )
            return Changes(person.id, person.version)

    def update(
        self, actor: Actor, person_id: int, details: PersonDetails, expected_version: int
    ) -> Changes:
        problems = validate_details(details, self.today())
        with self.db.transaction() as session:
            person = person_for(session, actor, person_id, Action.EDIT_PERSON)
            _check_version(person.version, expected_version)
            other = repo.person_by_reference(session, details.reference.strip())
            if other is not None and other.id != person.id:
                problems.append(FieldProblem("reference", "is already used by another record"))
            if details.date_of_birth != person.date_of_birth:
                problems.extend(_history_against_birth(session, person, details.date_of_birth))
            if problems:
                raise ValidationError(problems)
            changes = audit.apply_changes(person, _details_values(details))
            changes.pop("search_text", None)
            if changes:
                person.updated_at = audit.now()
                session.flush()
                audit.record(session, actor, "update", "young_person", person.id, changes)
            return Changes(person.id, person.version)

    def allocate_pa(self, actor: Actor, person_id: int, staff_id: int, on: date) -> Changes:
        with self.db.transaction() as session:
            person = person_for(session, actor, person_id, Action.ALLOCATE_PA)
            staff = session.get(StaffMember, staff_id)
            if staff is None or not staff.active or staff.role != Role.PERSONAL_ADVISER:
                raise ValidationError(FieldProblem("pa", "is not an active personal adviser"))
            # A manager allocates within the team; moving a young person to another team is
            # for an administrator, so nobody hands a record out of their own sight by mistake.
            require(actor, Action.ALLOCATE_PA, team_id=staff.team_id, pa_id=staff.id)
            if on > self.today():
                raise ValidationError(FieldProblem("date", "is in the future"))
            if person.pa_id == staff_id:
                return Changes(person.id, person.version)
            current = session.scalar(
                select(PaAllocation).where(
                    PaAllocation.person_id == person.id, PaAllocation.end_date.is_(None)
                )
            )
            if current is not None:
                if on < current.start_date:
                    raise ValidationError(
                        FieldProblem("date", "is before the current allocation started")
                    )
                current.end_date = on
            session.add(
                PaAllocation(
                    person_id=person.id,
                    staff_id=staff_id,
                    start_date=on,
                    allocated_by_id=actor.id,
                )
            )
            changes = audit.apply_changes(person, {"pa_id": staff_id, "team_id": staff.team_id})
            person.updated_at = audit.now()
            session.flush()
            audit.record(session, actor, "update", "young_person", person.id, changes)
            return Changes(person.id, person.version)

    def add_care_period(self, actor: Actor, person_id: int, period: CarePeriod) -> Changes:
        with self.db.transaction() as session:
            person = person_for(session, actor, person_id, Action.EDIT_CARE_HISTORY)
            existing = repo.care_periods(session, [person.id]).get(person.id, [])
            problems = _check_periods(
                (
                    *[CarePeriod(p.start_date, p.end_date, CareKind(p.kind)) for p in existing],
                    period,
                ),
                person.date_of_birth,
            )
            if problems:
                raise ValidationError(problems)
            row = _add_care_period(session, actor, person.id, period)
            return Changes(row.id, row.version)

    def override_category(
        self,
        actor: Actor,
        person_id: int,
        category: LeaverCategory | None,
        reason: str,
        expected_version: int,
    ) -> Changes:
        if category is not None and not reason.strip():
            raise ValidationError(FieldProblem("reason", "is required to override the category"))
        with self.db.transaction() as session:
            person = person_for(session, actor, person_id, Action.OVERRIDE_CATEGORY)
            _check_version(person.version, expected_version)
            changes = audit.apply_changes(
                person,
                {
                    "category_override": category.value if category else None,
                    "category_override_reason": reason.strip() if category else "",
                },
            )
            session.flush()
            audit.record(session, actor, "update", "young_person", person.id, changes)
            return Changes(person.id, person.version)

    def close(self, actor: Actor, person_id: int, on: date, reason: str) -> Changes:
        """Close (archive) a record; nothing is deleted and it can be listed on request."""
        if not reason.strip():
            raise ValidationError(FieldProblem("reason", "is required to close a record"))
        with self.db.transaction() as session:
            person = person_for(session, actor, person_id, Action.CLOSE_PERSON)
            if on < person.date_of_birth:
                raise ValidationError(FieldProblem("closed_on", "is before the date of birth"))
            if on > self.today():
                raise ValidationError(FieldProblem("closed_on", "is in the future"))
            if person.closed_on is not None:
                raise ValidationError(
                    FieldProblem(
                        "closed_on",
                        f"the record was already closed on {person.closed_on.isoformat()}",
                    )
                )
            changes = audit.apply_changes(
                person, {"closed_on": on, "closed_reason": reason.strip()}
            )
            session.flush()
            audit.record(session, actor, "update", "young_person", person.id, changes)
            return Changes(person.id, person.version)

    def purge(self, actor: Actor, person_id: int, reason: str) -> None:
        """Erase a record past its retention date (the 75th birthday): administrators only.

        This is the one hard delete in the product. The audit trail keeps the purge itself (and,
        being append-only, the events before it).
        """
        if not reason.strip():
            raise ValidationError(FieldProblem("reason", "is required to purge a record"))
        with self.db.transaction() as session:
            person = person_for(session, actor, person_id, Action.PURGE_PERSON)
            if not may_purge(person.date_of_birth, self.today()):
                raise ValidationError(
                    FieldProblem(
                        "retention_date",
                        "this record must be kept until "
                        f"{retention_date(person.date_of_birth):%d/%m/%Y}",
                    )
                )
            reference = person.reference
            repo.delete_person(session, person.id)
            audit.record(
                session,
                actor,
                "purge",
                "young_person",
                person_id,
                detail=f"{reference}: {reason.strip()}",
            )

    # -- reads ----------------------------------------------------------------------------

    def find_id(self, actor: Actor, reference: str) -> int:
        with self.db.transaction(write=False) as session:
            person = repo.person_by_reference(session, reference.strip())
            if person is None:
                raise NotFound(f"There is no young person with reference '{reference}'")
            require(actor, Action.VIEW_PERSON, team_id=person.team_id, pa_id=person.pa_id)
            return person.id

    def get(self, actor: Actor, person_id: int) -> PersonRecord:
        """The whole record; the view itself is audited."""
        today = self.today()
        with self.db.transaction() as session:
            person = person_for(session, actor, person_id, Action.VIEW_PERSON)
            audit.record(session, actor, "view", "young_person", person.id)
            return _record(session, person, today)

    def list(self, actor: Actor, query: PeopleQuery) -> PersonPage:
        today = self.today()
        scope = require(actor, Action.LIST_PEOPLE, team_id=actor.team_id, pa_id=actor.id)
        P = YoungPerson
        accommodation, since, in_touch = P.accommodation_code, P.accommodation_since, P.in_touch
        conditions = []
        if query.scope is CaseloadScope.MINE:
            conditions.append(P.pa_id == actor.id)
        if query.scope is CaseloadScope.TEAM or scope is not Scope.ALL:
            # `team_id == NULL` matches nothing: someone without a team has no team list.
            conditions.append(P.team_id == actor.team_id if actor.team_id else false())
        if not query.include_closed:
            conditions.append(P.closed_on.is_(None))
        tokens = fold(query.search).split()
        if tokens:
            conditions.append(repo.search_condition(tokens, self.db.has_search_index))
        if query.in_bnb_or_emergency:
            conditions.append(accommodation.in_(["W1", "W2", "V1", "V2"]))
        if query.unsuitable:
            conditions.append(accommodation.like("_2"))
        if query.not_in_touch:
            conditions.append(in_touch != InTouch.YES.value)
        # (expression, descending by default): age ascending is date of birth descending.
        orders: dict[SortKey, list[tuple[Any, bool]]] = {
            SortKey.NAME: [(P.last_name, False), (P.first_name, False)],
            SortKey.REFERENCE: [(P.reference, False)],
            SortKey.AGE: [(P.date_of_birth, True)],
            SortKey.PA: [(StaffMember.display_name, False)],
            SortKey.ACCOMMODATION: [(accommodation, False)],
            SortKey.DAYS: [(since, True)],
            SortKey.IN_TOUCH: [(in_touch, False)],
            SortKey.FLAGS: [(P.attention, False)],
        }
        order = orders[query.sort]
        order_by = [e.desc() if desc != query.descending else e.asc() for e, desc in order]
        # The id breaks ties in the sort's own direction, so that the name index serves both.
        order_by.append(P.id.desc() if order[-1][1] != query.descending else P.id.asc())
        with self.db.transaction(write=False) as session:
            total, exact = _count(session, conditions, query)
            # The page's ids first, from the indexes alone where they cover the sort, then the
            # rows for just those ids: OFFSET then skips index entries, not built rows, so a
            # page at row 90,000 costs milliseconds rather than a join of everything before it.
            page_ids = select(P.id).where(*conditions)
            if query.sort is SortKey.PA:
                page_ids = page_ids.outerjoin(StaffMember, StaffMember.id == P.pa_id)
            page_ids = page_ids.order_by(*order_by).offset(query.offset).limit(query.limit)
            stmt = (
                select(*_LIST_COLUMNS, StaffMember.display_name, Team.name.label("team_name"))
                .outerjoin(StaffMember, StaffMember.id == P.pa_id)
                .outerjoin(Team, Team.id == P.team_id)
                .where(P.id.in_(page_ids))
                .order_by(*order_by)
            )
            rows = _person_rows(session, session.execute(stmt).all(), today)
            return PersonPage(tuple(rows), total, exact)


# What a caseload row shows and its category and review date are worked out from: plain columns,
# not whole records (a page is read at every keystroke of a search).
_LIST_COLUMNS = (
    YoungPerson.id,
    YoungPerson.reference,
    YoungPerson.first_name,
    YoungPerson.last_name,
    YoungPerson.preferred_name,
    YoungPerson.date_of_birth,
    YoungPerson.accommodation_code,
    YoungPerson.accommodation_since,
    YoungPerson.in_touch,
    YoungPerson.closed_on,
    YoungPerson.became_parent_on,
    YoungPerson.category_override,
    YoungPerson.requested_pa_support,
    YoungPerson.detained_or_in_hospital_on_16th_birthday,
)


def _person_rows(session: Session, fetched: Sequence[Any], today: date) -> list[PersonRow]:
    ids = [r.id for r in fetched]
    periods = repo.care_periods(session, ids)
    activities = repo.current_activities(session, ids, today)
    escalated = repo.with_open_escalations(session, ids)
    reviews = review_dates(session, fetched, today)
    rows = []
    for r in fetched:
        code, start, touch = r.accommodation_code, r.accommodation_since, r.in_touch
        closed = r.closed_on is not None
        review_due, review_overdue = reviews.get(r.id, (None, False))
        rows.append(
            PersonRow(
                id=r.id,
                reference=r.reference,
                first_name=r.first_name,
                last_name=r.last_name,
                preferred_name=r.preferred_name,
                date_of_birth=r.date_of_birth,
                age=age_on(r.date_of_birth, max(today, r.date_of_birth)),
                category=effective_category(r, periods.get(r.id, []), activities.get(r.id), today),
                pa_name=r.display_name or "",
                team_name=r.team_name or "",
                accommodation=code,
                days_in_accommodation=(today - start).days if start else None,
                in_touch=InTouch(touch) if touch else None,
                closed=closed,
                flags=caseload_flags(
                    AccommodationType(code[0]) if code else None,
                    Suitability(code[1]) if code else None,
                    InTouch(touch) if touch else None,
                    closed,
                    r.id in escalated,
                )
                + ((FLAG_REVIEW_OVERDUE,) if review_overdue else ()),
                next_review_due=review_due,
                review_overdue=review_overdue,
            )
        )
    return rows


def _count(session: Session, conditions: list[Any], query: PeopleQuery) -> tuple[int, bool]:
    """How many young people match, and whether that is exact or a lower bound (a search with
    a count limit that has at least that many matches)."""
    if query.count_limit is None or query.limit is None or not query.search.strip():
        everyone = select(func.count()).select_from(YoungPerson).where(*conditions)
        return session.scalar(everyone) or 0, True
    matching = select(YoungPerson.id).where(*conditions)
    cap = query.offset + query.limit + query.count_limit
    counted = session.scalar(select(func.count()).select_from(matching.limit(cap).subquery())) or 0
    return counted, counted < cap


def effective_category(
    person: CategoryFacts, periods: Sequence[PeriodFacts], activity: str | None, today: date
) -> LeaverCategory:
    """The manager's override if there is one, else the category computed on `today`."""
    if person.category_override:
        return LeaverCategory(person.category_override)
    return computed_category(person, periods, activity, today)


def computed_category(
    person: CategoryFacts, periods: Sequence[PeriodFacts], activity: str | None, today: date
) -> LeaverCategory:
    return category_on(
        care_history(person, periods),
        today,
        in_education_or_training=bool(activity and Activity(activity).is_education_or_training),
        requested_pa_support=person.requested_pa_support,
    )


def _history_against_birth(session: Session, person: YoungPerson, dob: date) -> list[FieldProblem]:
    """A new date of birth must still come before everything recorded for the young person."""
    problems = []
    episodes = [as_episode(e) for e in repo.live_episodes(session, person.id)]
    if validate_history(episodes, dob):
        problems.append(
            FieldProblem("date_of_birth", "does not fit the recorded accommodation history")
        )
    dated = [
        *(p.start_date for p in repo.care_periods(session, [person.id]).get(person.id, [])),
        *(c.contact_date for c in repo.contacts(session, person.id)),
        *(a.start_date for a in repo.activities(session, person.id)),
        *([person.closed_on] if person.closed_on else []),
    ]
    first = min(dated, default=None)
    if first is not None and first < dob:
        problems.append(
            FieldProblem("date_of_birth", f"is after a date already recorded ({first.isoformat()})")
        )
    return problems


def _add_care_period(
    session: Session, actor: Actor, person_id: int, period: CarePeriod
) -> CarePeriodRow:
    """Add one care period and its audit event (the caller has checked it)."""
    row = CarePeriodRow(
        person_id=person_id, kind=period.kind.value, start_date=period.start, end_date=period.end
    )
    audit.record_created(
        session, actor, "care_period", row, ("person_id", "kind", "start_date", "end_date")
    )
    return row


def _check_version(actual: int, expected: int) -> None:
    if actual != expected:
        raise ConflictError(
            "Someone else saved this record after you opened it; nothing was saved. "
            "Reopen it to see their changes."
        )


def _check_pa(session: Session, pa_id: int, team_id: int | None) -> list[FieldProblem]:
    staff = session.get(StaffMember, pa_id)
    if staff is None or not staff.active or staff.role != Role.PERSONAL_ADVISER:
        return [FieldProblem("pa", "is not an active personal adviser")]
    if team_id is not None and staff.team_id != team_id:
        return [FieldProblem("pa", "is not in the young person's team")]
    return []


def _check_periods(periods: tuple[CarePeriod, ...], dob: date) -> list[FieldProblem]:
    problems = []
    for p in periods:
        if p.start < dob:
            problems.append(FieldProblem("care_started_on", "is before the date of birth"))
        if p.end is not None and p.end < p.start:
            problems.append(FieldProblem("care_ended_on", "is before care started"))
    looked_after = sorted(
        (p for p in periods if p.kind is CareKind.LOOKED_AFTER), key=lambda p: p.start
    )
    for a, b in itertools.pairwise(looked_after):
        if a.end is None or b.start < a.end:
            problems.append(
                FieldProblem("care_started_on", f"care periods overlap at {b.start.isoformat()}")
            )
    return problems


def _record(session: Session, person: YoungPerson, today: date) -> PersonRecord:
    periods = repo.care_periods(session, [person.id]).get(person.id, [])
    acts = repo.activities(session, person.id)
    current_activity = next((a.activity for a in reversed(acts) if a.start_date <= today), None)
    computed = computed_category(person, periods, current_activity, today)
    category = effective_category(person, periods, current_activity, today)
    episodes = tuple(episode_dto(e, today) for e in repo.live_episodes(session, person.id))
    contact_rows = repo.contacts(session, person.id)
    wanted = {person.pa_id, *(c.recorded_by_id for c in contact_rows)} - {None}
    staff_names = dict(
        session.execute(
            select(StaffMember.id, StaffMember.display_name).where(StaffMember.id.in_(wanted))
        ).all()
    )
    contacts = tuple(
        ContactDTO(
            id=c.id,
            contact_date=c.contact_date,
            kind=ContactKind(c.kind),
            in_touch=InTouch(c.in_touch),
            seen_at_home=c.seen_at_home,
            note=c.note,
            recorded_by=staff_names.get(c.recorded_by_id, "") if c.recorded_by_id else "",
        )
        for c in contact_rows
    )
    current = next((e for e in reversed(episodes) if e.end_date is None), None)
    team = session.get(Team, person.team_id) if person.team_id else None
    return PersonRecord(
        id=person.id,
        version=person.version,
        reference=person.reference,
        first_name=person.first_name,
        last_name=person.last_name,
        preferred_name=person.preferred_name,
        date_of_birth=person.date_of_birth,
        age=age_on(person.date_of_birth, max(today, person.date_of_birth)),
        gender=person.gender,
        first_language=person.first_language,
        interpreter_needed=person.interpreter_needed,
        uasc=person.uasc,
        pregnant_or_parenting=person.pregnant_or_parenting,
        phone=person.phone,
        email=person.email,
        contact_address=person.contact_address,
        housing_consent=person.housing_consent,
        requested_pa_support=person.requested_pa_support,
        detained_or_in_hospital_on_16th_birthday=person.detained_or_in_hospital_on_16th_birthday,
        housing_support_needs=person.housing_support_needs,
        ethnicity=person.ethnicity,
        religion=person.religion,
        immigration_status=person.immigration_status,
        health_needs=person.health_needs,
        team_id=person.team_id,
        team_name=team.name if team else "",
        pa_id=person.pa_id,
        pa_name=staff_names.get(person.pa_id, "") if person.pa_id else "",
        category=category,
        computed_category=computed,
        category_override_reason=person.category_override_reason,
        closed_on=person.closed_on,
        closed_reason=person.closed_reason,
        retention_date=retention_date(person.date_of_birth),
        episodes=episodes,
        contacts=contacts,
        activities=tuple(
            ActivityDTO(a.id, Activity(a.activity), a.start_date, a.note) for a in acts
        ),
        care_periods=tuple(
            CarePeriodDTO(p.id, CareKind(p.kind), p.start_date, p.end_date) for p in periods
        ),
        allocations=tuple(
            AllocationDTO(name, a.start_date, a.end_date)
            for a, name in repo.allocations(session, person.id)
        ),
        flags=caseload_flags(
            current.type if current else None,
            current.suitability if current else None,
            contacts[-1].in_touch if contacts else None,
            person.closed_on is not None,
            person.id in repo.with_open_escalations(session, [person.id]),
        ),
    )
