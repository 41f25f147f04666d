"""Escalations of B&B and unsuitable placements: opened automatically, decided and resolved by
managers, listed most urgent first. The ladder itself is domain.escalation; the queue's
statements and rows are services.escalation_reads."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from careleaver_app.db.engine import WRITE
from careleaver_app.db.models import (
    AccommodationEpisode,
    Escalation,
    EscalationDecision,
    Setting,
    YoungPerson,
)
from careleaver_app.domain.accommodation import Episode, opens_escalation
from careleaver_app.domain.codes import AccommodationType, Role, Suitability
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
)
from careleaver_app.services import audit
from careleaver_app.services.actors import Actor
from careleaver_app.services.database import Clock, Database
from careleaver_app.services.escalation_reads import (  # re-exported: the reads' DTOs and helpers
    OPEN,
    RESOLVED,
    THRESHOLDS_KEY,
    DecisionRow,
    QueueRow,
    bank_holidays,
    count_statement,
    decision_rows,
    holidays_between,
    open_for_person,
    queue_row,
    queue_statement,
    row_by_id,
    stored_thresholds,
    urgency,
)
from careleaver_app.services.permissions import Action, Scope, require


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
            return stored_thresholds(session)

    def set_thresholds(self, actor: Actor, thresholds: Thresholds) -> Thresholds:
        require(actor, Action.MANAGE_SETTINGS)
        problems = thresholds.problems()
        if problems:
            raise ValidationError([FieldProblem(*p.split(": ", 1)) for p in problems])
        with self.db.transaction() as session:
            before = stored_thresholds(session)
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
        stmt = queue_statement(include_resolved, scoped, team_id is not None, person_id is not None)
        params = {"on": on, "scope_team": actor.team_id, "team": team_id, "person": person_id}
        with self._reading() as conn:
            found = conn.execute(stmt, params).all()
        rows = [queue_row(r, on) for r in found]
        if level is not None:
            rows = [r for r in rows if r.level == level]
        rows.sort(key=urgency)
        return rows

    def open_count(self, actor: Actor, *, as_of: date | None = None) -> int:
        """How many open escalations `queue(actor)` would list, counted by the database (no
        levels, no holidays): what the window's badge shows. Refused as `queue` is."""
        scope = require(actor, Action.VIEW_ESCALATIONS, team_id=actor.team_id, pa_id=actor.id)
        on = as_of or self.today()
        stmt = count_statement(scope is not Scope.ALL)
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
            return decision_rows(session, esc.id)

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
            thresholds = stored_thresholds(session)
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
            return row_by_id(session, esc.id, on)

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
            return row_by_id(session, esc.id, on)


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


__all__ = [
    "OPEN",
    "RESOLVED",
    "THRESHOLDS_KEY",
    "DecisionInput",
    "DecisionRow",
    "Escalations",
    "QueueRow",
    "bank_holidays",
    "holidays_between",
    "open_escalation",
    "open_escalations_for",
    "open_for_person",
]
