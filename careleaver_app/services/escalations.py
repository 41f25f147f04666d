"""Escalations of B&B and unsuitable placements: opened automatically, decided and resolved by
managers, listed most urgent first. The ladder itself is domain.escalation."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Select, bindparam, func, insert, select
from sqlalchemy.orm import Session, aliased

from careleaver_app.db.engine import WRITE
from careleaver_app.db.models import (
    AccommodationEpisode,
    Escalation,
    EscalationDecision,
    Setting,
    StaffMember,
    Team,
    YoungPerson,
)
from careleaver_app.domain.accommodation import Episode, opens_escalation
from careleaver_app.domain.codes import AccommodationType, Role, Suitability
from careleaver_app.domain.dates import age_on
from careleaver_app.domain.errors import (
    ConflictError,
    FieldProblem,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from careleaver_app.domain.escalation import (
    DecisionKind,
    Level,
    Thresholds,
    level_on,
    may_resolve,
    nights,
)
from careleaver_app.services import audit
from careleaver_app.services.actors import Actor
from careleaver_app.services.database import Clock, Database
from careleaver_app.services.permissions import Action, Scope, require

THRESHOLDS_KEY = "escalation_thresholds"
OPEN, RESOLVED = "open", "resolved"


@functools.cache
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays of one year, from the maintained `holidays` package
    (imported here, on first use: it takes tenths of a second that start-up need not pay)."""
    import holidays as holiday_library

    return frozenset(holiday_library.country_holidays("GB", subdiv="ENG", years=year))


def holidays_between(first: date, last: date) -> frozenset[date]:
    return _holidays_in_years(first.year, last.year)


@functools.cache
def _holidays_in_years(first_year: int, last_year: int) -> frozenset[date]:
    out: set[date] = set()
    for year in range(first_year, last_year + 1):
        out |= bank_holidays(year)
    return frozenset(out)


def open_escalation(session: Session, actor: Actor | None, row: AccommodationEpisode) -> bool:
    """Open an escalation for `row` if it needs one and has none open; True when opened.

    Called in the same transaction as every write that creates or re-judges an episode.
    """
    from careleaver_app.services.accommodation import as_episode

    if row.voided_reason is not None or not opens_escalation(as_episode(row)):
        return False
    already = session.scalar(
        select(Escalation.id).where(Escalation.episode_id == row.id, Escalation.status == OPEN)
    )
    if already is not None:
        return False
    escalation = Escalation(
        episode_id=row.id, person_id=row.person_id, opened_at=audit.now(), status=OPEN
    )
    audit.record_created(
        session,
        actor,
        "escalation",
        escalation,
        ("episode_id", "person_id", "status"),
        detail="opened automatically",
    )
    return True


def open_escalations_for(
    session: Session,
    actor: Actor | None,
    rows: Iterable[tuple[int, int, bool]],
    *,
    audit_each: bool = True,
) -> int:
    """Bulk form for imports and demo data: (episode_id, person_id, still current) triples.

    A placement that had already ended when it was loaded is recorded as resolved, saying so;
    a current one is open for a manager.
    """
    now = audit.now()
    values = [
        {
            "episode_id": episode_id,
            "person_id": person_id,
            "opened_at": now,
            "status": OPEN if current else RESOLVED,
            "resolved_at": None if current else now,
            "resolution": "" if current else "Placement had ended when its record was loaded",
            "version": 1,
        }
        for episode_id, person_id, current in rows
    ]
    for start in range(0, len(values), 5000):
        session.execute(insert(Escalation), values[start : start + 5000])
    if audit_each:
        audit.record_many(
            session,
            actor,
            "create",
            (
                ("escalation", None, f"opened for episode {v['episode_id']} ({v['status']})")
                for v in values
            ),
        )
    return len(values)


@dataclass(frozen=True)
class QueueRow:
    id: int
    version: int
    person_id: int
    reference: str
    name: str
    age: int
    pa_name: str
    team_name: str
    episode_id: int
    type: AccommodationType
    suitability: Suitability
    start_date: date
    end_date: date | None
    nights: int
    level: Level
    ready_to_resolve: bool
    last_decision: DecisionKind | None
    last_decision_on: date | None
    next_check_on: date | None
    check_overdue: bool
    status: str
    resolution: str = ""
    resolved_on: date | None = None

    @property
    def code_903(self) -> str:
        return f"{self.type.value}{self.suitability.value}"


@dataclass(frozen=True)
class DecisionRow:
    id: int
    decided_on: date
    decided_by: str
    kind: DecisionKind
    note: str
    reason: str
    next_check_on: date | None
    level: Level


@dataclass(frozen=True)
class DecisionInput:
    kind: DecisionKind
    note: str = ""
    reason: str = ""
    next_check_on: date | None = None


class Escalations:
    def __init__(self, db: Database, today: Clock) -> None:
        self.db = db
        self.today = today

    # -- settings -----------------------------------------------------------------------

    def thresholds(self) -> Thresholds:
        with self.db.transaction(write=False) as session:
            return _thresholds(session)

    def set_thresholds(self, actor: Actor, thresholds: Thresholds) -> Thresholds:
        require(actor, Action.MANAGE_SETTINGS)
        problems = thresholds.problems()
        if problems:
            raise ValidationError([FieldProblem(*p.split(": ", 1)) for p in problems])
        with self.db.transaction() as session:
            before = _thresholds(session)
            row = session.get(Setting, THRESHOLDS_KEY)
            value = json.dumps(asdict(thresholds), sort_keys=True)
            if row is None:
                session.add(Setting(key=THRESHOLDS_KEY, value=value))
            else:
                row.value = value
            session.flush()
            changes = {
                k: (v, getattr(thresholds, k))
                for k, v in asdict(before).items()
                if v != getattr(thresholds, k)
            }
            audit.record(session, actor, "update", "setting", None, changes, detail=THRESHOLDS_KEY)
            return thresholds

    # -- reads --------------------------------------------------------------------------

    def queue(
        self,
        actor: Actor,
        *,
        as_of: date | None = None,
        team_id: int | None = None,
        level: Level | None = None,
        person_id: int | None = None,
        include_resolved: bool = False,
    ) -> list[QueueRow]:
        """Open escalations, most urgent first: overdue checks, then level, then nights."""
        scope = require(actor, Action.VIEW_ESCALATIONS, team_id=actor.team_id, pa_id=actor.id)
        on = as_of or self.today()
        scoped = scope is not Scope.ALL
        stmt = _queue_statement(
            include_resolved, scoped, team_id is not None, person_id is not None
        )
        params = {"on": on, "scope_team": actor.team_id, "team": team_id, "person": person_id}
        with self._reading() as conn:
            found = conn.execute(stmt, params).all()
        rows = [_queue_row(r, on) for r in found]
        if level is not None:
            rows = [r for r in rows if r.level == level]
        rows.sort(key=_urgency)
        return rows

    def open_count(self, actor: Actor, *, as_of: date | None = None) -> int:
        """How many open escalations `queue(actor)` would list, counted by the database (no
        levels, no holidays): what the window's badge shows. Refused as `queue` is."""
        scope = require(actor, Action.VIEW_ESCALATIONS, team_id=actor.team_id, pa_id=actor.id)
        on = as_of or self.today()
        stmt = _count_statement(scope is not Scope.ALL)
        with self._reading() as conn:
            return int(conn.execute(stmt, {"on": on, "scope_team": actor.team_id}).scalar_one())

    def _reading(self) -> Connection:
        """A read-only transaction on a plain connection, for the queue and its count: one
        statement of plain rows needs no ORM session, whose set-up and commit were a third of
        a team queue's time. Closing it ends the transaction (a rollback: nothing was written).
        """
        return self.db.engine.connect().execution_options(**{WRITE: False})

    def decisions(self, actor: Actor, escalation_id: int) -> list[DecisionRow]:
        with self.db.transaction() as session:
            esc, _person = _load(session, actor, escalation_id, Action.VIEW_ESCALATIONS)
            audit.record(session, actor, "view", "escalation", esc.id)
            rows = session.execute(
                select(EscalationDecision, StaffMember.display_name)
                .outerjoin(StaffMember, StaffMember.id == EscalationDecision.decided_by_id)
                .where(EscalationDecision.escalation_id == esc.id)
                .order_by(EscalationDecision.decided_at, EscalationDecision.id)
            ).all()
            return [
                DecisionRow(
                    d.id,
                    _local_date(d.decided_at),
                    name or "",
                    DecisionKind(d.kind),
                    d.note,
                    d.reason,
                    d.next_check_on,
                    Level(d.level),
                )
                for d, name in rows
            ]

    # -- writes -------------------------------------------------------------------------

    def record_decision(
        self, actor: Actor, escalation_id: int, decision: DecisionInput, expected_version: int
    ) -> QueueRow:
        on = self.today()
        problems = []
        if decision.kind is DecisionKind.EXCEPTION_AUTHORISED and not decision.reason.strip():
            problems.append(FieldProblem("reason", "is required to authorise an exception"))
        if decision.next_check_on is not None and decision.next_check_on < on:
            problems.append(FieldProblem("next_check_on", "is in the past"))
        if problems:
            raise ValidationError(problems)
        with self.db.transaction() as session:
            esc, person = _load(session, actor, escalation_id, Action.DECIDE_ESCALATION)
            _check_open_and_current(esc, expected_version)
            ep = session.get(AccommodationEpisode, esc.episode_id)
            assert ep is not None
            thresholds = _thresholds(session)
            level = _level(ep, person, on, thresholds)
            decision_row = EscalationDecision(
                escalation_id=esc.id,
                decided_at=audit.now(),
                decided_by_id=actor.id,
                kind=decision.kind.value,
                note=decision.note.strip(),
                reason=decision.reason.strip(),
                next_check_on=decision.next_check_on,
                level=int(level),
            )
            audit.record_created(
                session,
                actor,
                "escalation_decision",
                decision_row,
                ("escalation_id", "kind", "note", "reason", "next_check_on", "level"),
            )
            return self._row(session, esc.id, on)

    def resolve(
        self, actor: Actor, escalation_id: int, rationale: str, expected_version: int
    ) -> QueueRow:
        if not rationale.strip():
            raise ValidationError(FieldProblem("rationale", "is required to resolve"))
        on = self.today()
        with self.db.transaction() as session:
            esc, _person = _load(session, actor, escalation_id, Action.RESOLVE_ESCALATION)
            if actor.role is not Role.TEAM_MANAGER:
                raise PermissionDenied("Only a team manager can resolve an escalation")
            _check_open_and_current(esc, expected_version)
            ep = session.get(AccommodationEpisode, esc.episode_id)
            assert ep is not None
            if not _ready_to_resolve(ep, on):
                raise ValidationError(
                    FieldProblem(
                        "status",
                        "can be resolved only once the placement has ended or been re-judged "
                        "suitable",
                    )
                )
            changes = audit.apply_changes(
                esc,
                {
                    "status": RESOLVED,
                    "resolved_at": audit.now(),
                    "resolved_by_id": actor.id,
                    "resolution": rationale.strip(),
                },
            )
            session.flush()
            audit.record(session, actor, "update", "escalation", esc.id, changes)
            return self._row(session, esc.id, on)

    def _row(self, session: Session, escalation_id: int, on: date) -> QueueRow:
        found = session.execute(_queue_select().where(Escalation.id == escalation_id)).one()
        return _queue_row(found, on)


def open_for_person(session: Session, person_id: int, on: date) -> list[QueueRow]:
    """The young person's open escalations, with level and nights on `on` (no permission check:
    for services that have already checked theirs)."""
    found = session.execute(
        _queue_select().where(Escalation.person_id == person_id, Escalation.status == OPEN)
    ).all()
    return [_queue_row(r, on) for r in found]


def _thresholds(session: Session) -> Thresholds:
    row = session.get(Setting, THRESHOLDS_KEY)
    return _parse_thresholds(row.value if row else None)


@functools.lru_cache(maxsize=8)
def _parse_thresholds(value: str | None) -> Thresholds:
    """Thresholds are read afresh with every queue (they ride on its statement, so a change made
    by another process shows at once); only the parsing is remembered, keyed by the stored text.
    """
    return Thresholds(**json.loads(value)) if value else Thresholds()


def _load(
    session: Session, actor: Actor, escalation_id: int, action: Action
) -> tuple[Escalation, YoungPerson]:
    esc = session.get(Escalation, escalation_id)
    if esc is None:
        raise NotFound(f"There is no escalation with id {escalation_id}")
    person = session.get(YoungPerson, esc.person_id)
    assert person is not None
    require(actor, action, team_id=person.team_id, pa_id=person.pa_id)
    return esc, person


def _check_open_and_current(esc: Escalation, expected_version: int) -> None:
    if esc.status != OPEN:
        raise ValidationError(FieldProblem("status", "this escalation is already resolved"))
    if esc.version != expected_version:
        raise ConflictError(
            "Someone else changed this escalation after you opened it; nothing was saved."
        )


def _ready_to_resolve(ep: Any, on: date) -> bool:
    """Ended, voided, or re-judged so that it no longer escalates (any row with the columns)."""
    ended = ep.end_date is not None and ep.end_date <= on
    episode = Episode(
        type=AccommodationType(ep.type_code),
        start=ep.start_date,
        end=ep.end_date,
        suitability=Suitability(ep.suitability),
    )
    return may_resolve(ended or ep.voided_reason is not None, opens_escalation(episode))


def _level(ep: Any, person: Any, on: date, thresholds: Thresholds) -> Level:
    return level_on(
        ep.start_date,
        ep.end_date,
        on,
        date_of_birth=person.date_of_birth,
        pregnant_or_parenting=person.pregnant_or_parenting,
        holidays=holidays_between(ep.start_date, max(on, ep.start_date)),
        thresholds=thresholds,
    )


def _queue_select() -> Select:  # type: ignore[type-arg]
    """One row per escalation with just the columns the queue shows (no ORM objects: the
    national list can hold thousands), its latest decision and the ladder's thresholds.

    Folded into the one statement rather than read by three (thresholds, rows, decisions by
    `IN`): the latest decision is a correlated subquery on its primary key, which SQLite and
    PostgreSQL both answer from the index on `escalation_id`; the thresholds are an uncorrelated
    scalar subquery, evaluated once per statement, so every queue sees the current settings
    whoever changed them (another window, another computer) with no cache to invalidate.
    """
    P, E = YoungPerson, AccommodationEpisode
    D, latest = EscalationDecision, aliased(EscalationDecision)
    latest_id = (
        select(latest.id)
        .where(latest.escalation_id == Escalation.id)
        .order_by(latest.decided_at.desc(), latest.id.desc())
        .limit(1)
        .correlate(Escalation)
        .scalar_subquery()
    )
    thresholds = select(Setting.value).where(Setting.key == THRESHOLDS_KEY).scalar_subquery()
    return (
        select(
            Escalation.id,
            Escalation.version,
            Escalation.status,
            Escalation.resolution,
            Escalation.resolved_at,
            E.id.label("episode_id"),
            E.type_code,
            E.suitability,
            E.start_date,
            E.end_date,
            E.voided_reason,
            P.id.label("person_id"),
            P.reference,
            P.first_name,
            P.last_name,
            P.date_of_birth,
            P.pregnant_or_parenting,
            StaffMember.display_name.label("pa_name"),
            Team.name.label("team_name"),
            D.kind.label("decision_kind"),
            D.decided_at.label("decided_at"),
            D.next_check_on.label("next_check_on"),
            thresholds.label("thresholds"),
        )
        .join(E, E.id == Escalation.episode_id)
        .join(P, P.id == Escalation.person_id)
        .outerjoin(StaffMember, StaffMember.id == P.pa_id)
        .outerjoin(Team, Team.id == P.team_id)
        .outerjoin(D, D.id == latest_id)
    )


@functools.cache
def _queue_statement(
    include_resolved: bool, scoped: bool, by_team: bool, by_person: bool
) -> Select:  # type: ignore[type-arg]
    """The queue's statement for one combination of filters, built once per process (the
    values are bound parameters), so a call pays neither for building it nor for compiling it:
    SQLAlchemy's compiled cache is keyed by the statement's structure."""
    P = YoungPerson
    stmt = _queue_select().where(AccommodationEpisode.start_date <= bindparam("on"))
    if not include_resolved:
        stmt = stmt.where(Escalation.status == OPEN)
    if scoped:
        stmt = stmt.where(P.team_id == bindparam("scope_team"))
    if by_team:
        stmt = stmt.where(P.team_id == bindparam("team"))
    if by_person:
        stmt = stmt.where(P.id == bindparam("person"))
    return stmt


@functools.cache
def _count_statement(scoped: bool) -> Select:  # type: ignore[type-arg]
    """What `_queue_statement(False, scoped, False, False)` lists, counted: the same joins and
    conditions, so the badge never disagrees with the queue."""
    P, E = YoungPerson, AccommodationEpisode
    stmt = (
        select(func.count())
        .select_from(Escalation)
        .join(E, E.id == Escalation.episode_id)
        .join(P, P.id == Escalation.person_id)
        .where(Escalation.status == OPEN, E.start_date <= bindparam("on"))
    )
    if scoped:
        stmt = stmt.where(P.team_id == bindparam("scope_team"))
    return stmt


def _urgency(row: QueueRow) -> tuple[bool, int, int, str]:
    return (not row.check_overdue, -row.level, -row.nights, row.name)


def _queue_row(r: Any, on: date) -> QueueRow:
    # Unpacked by position (the order of `_queue_select`'s columns): a national queue builds
    # fifteen thousand of these, and a Row's attribute lookups were a third of the time.
    (
        esc_id,
        version,
        status,
        resolution,
        resolved_at,
        episode_id,
        type_code,
        suitability_code,
        start,
        end,
        voided,
        person_id,
        reference,
        first_name,
        last_name,
        born,
        pregnant,
        pa_name,
        team_name,
        kind,
        decided_at,
        next_check,
        thresholds,
    ) = r
    type_ = AccommodationType(type_code)
    suitability = Suitability(suitability_code)
    ended = (end is not None and end <= on) or voided is not None
    episode = Episode(type=type_, start=start, end=end, suitability=suitability)
    return QueueRow(
        id=esc_id,
        version=version,
        person_id=person_id,
        reference=reference,
        name=f"{first_name} {last_name}",
        age=age_on(born, max(on, born)),
        pa_name=pa_name or "",
        team_name=team_name or "",
        episode_id=episode_id,
        type=type_,
        suitability=suitability,
        start_date=start,
        end_date=end,
        nights=nights(start, end, on),
        level=level_on(
            start,
            end,
            on,
            date_of_birth=born,
            pregnant_or_parenting=pregnant,
            holidays=holidays_between(start, max(on, start)),
            thresholds=_parse_thresholds(thresholds),
        ),
        ready_to_resolve=may_resolve(ended, opens_escalation(episode)),
        last_decision=None if kind is None else DecisionKind(kind),
        last_decision_on=None if decided_at is None else _local_date(decided_at),
        next_check_on=next_check,
        check_overdue=next_check is not None and next_check < on and status == OPEN,
        status=status,
        resolution=resolution,
        resolved_on=_local_date(resolved_at) if resolved_at else None,
    )


def _local_date(moment: datetime) -> date:
    """The calendar date a stored (UTC) moment fell on where the app runs."""
    if moment.tzinfo is None:  # SQLite hands back naive values for what was stored in UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().date()


__all__ = ["DecisionInput", "Escalations", "QueueRow", "open_escalation"]
