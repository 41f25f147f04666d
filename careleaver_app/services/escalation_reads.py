"""Escalation reads: the queue's statements (latest decision and thresholds folded in), its
count, and the conversion of their plain rows, with level and nights, into QueueRow DTOs."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session, aliased

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
from careleaver_app.domain.codes import AccommodationType, Suitability
from careleaver_app.domain.dates import age_on
from careleaver_app.domain.escalation import (
    DecisionKind,
    Level,
    Thresholds,
    level_on,
    may_resolve,
    nights,
)

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


def open_for_person(session: Session, person_id: int, on: date) -> list[QueueRow]:
    """The young person's open escalations, with level and nights on `on` (no permission check:
    for services that have already checked theirs)."""
    found = session.execute(
        _queue_select().where(Escalation.person_id == person_id, Escalation.status == OPEN)
    ).all()
    return [queue_row(r, on) for r in found]


def row_by_id(session: Session, escalation_id: int, on: date) -> QueueRow:
    """One escalation as the queue shows it on `on` (no permission check)."""
    found = session.execute(_queue_select().where(Escalation.id == escalation_id)).one()
    return queue_row(found, on)


def decision_rows(session: Session, escalation_id: int) -> list[DecisionRow]:
    """An escalation's decisions, oldest first, with who made each (no permission check)."""
    rows = session.execute(
        select(EscalationDecision, StaffMember.display_name)
        .outerjoin(StaffMember, StaffMember.id == EscalationDecision.decided_by_id)
        .where(EscalationDecision.escalation_id == escalation_id)
        .order_by(EscalationDecision.decided_at, EscalationDecision.id)
    ).all()
    return [
        DecisionRow(
            d.id,
            local_date(d.decided_at),
            name or "",
            DecisionKind(d.kind),
            d.note,
            d.reason,
            d.next_check_on,
            Level(d.level),
        )
        for d, name in rows
    ]


def stored_thresholds(session: Session) -> Thresholds:
    row = session.get(Setting, THRESHOLDS_KEY)
    return _parse_thresholds(row.value if row else None)


@functools.lru_cache(maxsize=8)
def _parse_thresholds(value: str | None) -> Thresholds:
    """Thresholds are read afresh with every queue (they ride on its statement, so a change made
    by another process shows at once); only the parsing is remembered, keyed by the stored text.
    """
    return Thresholds(**json.loads(value)) if value else Thresholds()


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
def queue_statement(
    include_resolved: bool,
    scoped: bool,
    by_team: bool,
    by_person: bool,
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
def count_statement(scoped: bool) -> Select:  # type: ignore[type-arg]
    """What `queue_statement(False, scoped, False, False)` lists, counted: the same joins and
    conditions, so the badge never disagrees with the queue."""
    P, E = YoungPerson, AccommodationEpisode
    stmt = (
        select(func.count())
        .select_from(Escalation)
        .join(E, E.id == Escalation.episode_id)
        .where(Escalation.status == OPEN, E.start_date <= bindparam("on"))
    )
    if scoped:
        # Unscoped, the join to the young person drops nothing (every escalation has one), so
        # the national count, an administrator's badge at start-up, reads two tables, not three.
        stmt = stmt.join(P, P.id == Escalation.person_id).where(
            P.team_id == bindparam("scope_team")
        )
    return stmt


def urgency(row: QueueRow) -> tuple[bool, int, int, str]:
    """The queue's sort key: overdue checks, then level, then nights, most first."""
    return (not row.check_overdue, -row.level, -row.nights, row.name)


def queue_row(r: Any, on: date) -> QueueRow:
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
        last_decision_on=None if decided_at is None else local_date(decided_at),
        next_check_on=next_check,
        check_overdue=next_check is not None and next_check < on and status == OPEN,
        status=status,
        resolution=resolution,
        resolved_on=local_date(resolved_at) if resolved_at else None,
    )


def local_date(moment: datetime) -> date:
    """The calendar date a stored (UTC) moment fell on where the app runs."""
    if moment.tzinfo is None:  # SQLite hands back naive values for what was stored in UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().date()
