"""Escalations of B&B and unsuitable placements: opened automatically, decided and resolved by
managers, listed most urgent first. The ladder itself is domain.escalation."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

import holidays as holiday_library
from sqlalchemy import Select, insert, select
from sqlalchemy.orm import Session

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


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays of one year, from the maintained `holidays` package."""
    return frozenset(holiday_library.country_holidays("GB", subdiv="ENG", years=year))


def holidays_between(first: date, last: date) -> frozenset[date]:
    return _holidays_in_years(first.year, last.year)


@cache
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
        P = YoungPerson
        stmt = _queue_select()
        if not include_resolved:
            stmt = stmt.where(Escalation.status == OPEN)
        if scope is not Scope.ALL:
            stmt = stmt.where(P.team_id == actor.team_id)
        if team_id is not None:
            stmt = stmt.where(P.team_id == team_id)
        if person_id is not None:
            stmt = stmt.where(P.id == person_id)
        with self.db.transaction(write=False) as session:
            thresholds = _thresholds(session)
            found = session.execute(stmt).all()
            last = _last_decisions(session, [r.id for r in found])
            rows = [
                _queue_row(r, last.get(r.id), on, thresholds) for r in found if r.start_date <= on
            ]
        if level is not None:
            rows = [r for r in rows if r.level == level]
        rows.sort(key=lambda r: (not r.check_overdue, -r.level, -r.nights, r.name))
        return rows

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
        last = _last_decisions(session, [escalation_id]).get(escalation_id)
        return _queue_row(found, last, on, _thresholds(session))


def open_for_person(session: Session, person_id: int, on: date) -> list[QueueRow]:
    """The young person's open escalations, with level and nights on `on` (no permission check:
    for services that have already checked theirs)."""
    found = session.execute(
        _queue_select().where(Escalation.person_id == person_id, Escalation.status == OPEN)
    ).all()
    last = _last_decisions(session, [r.id for r in found])
    thresholds = _thresholds(session)
    return [_queue_row(r, last.get(r.id), on, thresholds) for r in found]


def _thresholds(session: Session) -> Thresholds:
    row = session.get(Setting, THRESHOLDS_KEY)
    return Thresholds(**json.loads(row.value)) if row else Thresholds()


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


def _last_decisions(session: Session, escalation_ids: list[int]) -> dict[int, EscalationDecision]:
    out: dict[int, EscalationDecision] = {}
    for chunk in (escalation_ids[i : i + 500] for i in range(0, len(escalation_ids), 500)):
        for d in session.scalars(
            select(EscalationDecision)
            .where(EscalationDecision.escalation_id.in_(chunk))
            .order_by(EscalationDecision.decided_at, EscalationDecision.id)
        ):
            out[d.escalation_id] = d
    return out


def _queue_select() -> Select:  # type: ignore[type-arg]
    """One row per escalation with just the columns the queue shows (no ORM objects: the
    national list can hold thousands)."""
    P, E = YoungPerson, AccommodationEpisode
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
        )
        .join(E, E.id == Escalation.episode_id)
        .join(P, P.id == Escalation.person_id)
        .outerjoin(StaffMember, StaffMember.id == P.pa_id)
        .outerjoin(Team, Team.id == P.team_id)
    )


def _queue_row(
    r: Any, last: EscalationDecision | None, on: date, thresholds: Thresholds
) -> QueueRow:
    next_check = last.next_check_on if last else None
    return QueueRow(
        id=r.id,
        version=r.version,
        person_id=r.person_id,
        reference=r.reference,
        name=f"{r.first_name} {r.last_name}",
        age=age_on(r.date_of_birth, max(on, r.date_of_birth)),
        pa_name=r.pa_name or "",
        team_name=r.team_name or "",
        episode_id=r.episode_id,
        type=AccommodationType(r.type_code),
        suitability=Suitability(r.suitability),
        start_date=r.start_date,
        end_date=r.end_date,
        nights=nights(r.start_date, r.end_date, on),
        level=_level(r, r, on, thresholds),
        ready_to_resolve=_ready_to_resolve(r, on),
        last_decision=DecisionKind(last.kind) if last else None,
        last_decision_on=_local_date(last.decided_at) if last else None,
        next_check_on=next_check,
        check_overdue=next_check is not None and next_check < on and r.status == OPEN,
        status=r.status,
        resolution=r.resolution,
        resolved_on=_local_date(r.resolved_at) if r.resolved_at else None,
    )


def _local_date(moment: datetime) -> date:
    """The calendar date a stored (UTC) moment fell on where the app runs."""
    if moment.tzinfo is None:  # SQLite hands back naive values for what was stored in UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().date()


__all__ = ["DecisionInput", "Escalations", "QueueRow", "open_escalation"]
