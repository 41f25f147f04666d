"""Reading the audit trail: a record's history for its manager, a search for administrators.

Reading the trail is itself audited, like any other view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from careleaver_app.db.models import (
    AccommodationEpisode,
    ActivityRow,
    AuditEvent,
    CarePeriodRow,
    Contact,
    Escalation,
    EscalationDecision,
    NeedsAssessment,
    OfferLedgerRow,
    PathwayPlan,
    PathwayReview,
    StaffMember,
)
from careleaver_app.domain.errors import FieldProblem, ValidationError
from careleaver_app.services import audit
from careleaver_app.services.access import person_for
from careleaver_app.services.actors import Actor
from careleaver_app.services.database import Database
from careleaver_app.services.permissions import Action, require

MAX_ROWS = 5000

# Audit entity name -> the table whose rows belong to one young person through person_id.
_CHILD_ENTITIES: dict[str, Any] = {
    "accommodation_episode": AccommodationEpisode,
    "activity": ActivityRow,
    "care_period": CarePeriodRow,
    "contact": Contact,
    "escalation": Escalation,
    "needs_assessment": NeedsAssessment,
    "offer_entry": OfferLedgerRow,
    "pathway_plan": PathwayPlan,
    "pathway_review": PathwayReview,
}


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    field: str | None
    old_value: str | None
    new_value: str | None
    detail: str


@dataclass(frozen=True)
class AuditQuery:
    username: str = ""
    action: str = ""
    entity: str = ""
    entity_id: int | None = None
    text: str = ""  # matched in the detail, the old and the new value
    since: date | None = None
    until: date | None = None  # inclusive
    limit: int = 1000


class AuditTrail:
    def __init__(self, db: Database) -> None:
        self.db = db

    def history(self, actor: Actor, person_id: int, limit: int = MAX_ROWS) -> list[AuditRow]:
        """Every event about the young person and the records that belong to them, newest
        first: creates, changes (field, old, new), views, prints and exports."""
        with self.db.transaction() as session:
            person = person_for(session, actor, person_id, Action.VIEW_RECORD_HISTORY)
            conditions = [
                (AuditEvent.entity == "young_person") & (AuditEvent.entity_id == person.id)
            ]
            for entity, table in _CHILD_ENTITIES.items():
                ids = select(table.id).where(table.person_id == person.id)
                conditions.append((AuditEvent.entity == entity) & AuditEvent.entity_id.in_(ids))
            decisions = (
                select(EscalationDecision.id)
                .join(Escalation, Escalation.id == EscalationDecision.escalation_id)
                .where(Escalation.person_id == person.id)
            )
            conditions.append(
                (AuditEvent.entity == "escalation_decision") & AuditEvent.entity_id.in_(decisions)
            )
            rows = _rows(session, _events().where(or_(*conditions)), limit)
            audit.record(session, actor, "view", "young_person", person.id, detail="history")
            return rows

    def search(self, actor: Actor, query: AuditQuery) -> list[AuditRow]:
        """The administrators' search of the whole trail."""
        require(actor, Action.SEARCH_AUDIT)
        if query.since and query.until and query.until < query.since:
            raise ValidationError(FieldProblem("until", "must be on or after 'since'"))
        if not 1 <= query.limit <= MAX_ROWS:
            raise ValidationError(FieldProblem("limit", f"must be between 1 and {MAX_ROWS}"))
        stmt = _events()
        if query.username.strip():
            stmt = stmt.where(StaffMember.username == query.username.strip())
        if query.action.strip():
            stmt = stmt.where(AuditEvent.action == query.action.strip())
        if query.entity.strip():
            stmt = stmt.where(AuditEvent.entity == query.entity.strip())
        if query.entity_id is not None:
            stmt = stmt.where(AuditEvent.entity_id == query.entity_id)
        if query.text.strip():
            pattern = f"%{query.text.strip()}%"
            stmt = stmt.where(
                or_(
                    AuditEvent.detail.ilike(pattern),
                    AuditEvent.old_value.ilike(pattern),
                    AuditEvent.new_value.ilike(pattern),
                )
            )
        if query.since:
            stmt = stmt.where(AuditEvent.at >= _start_of(query.since))
        if query.until:
            stmt = stmt.where(AuditEvent.at < _start_of(query.until + timedelta(days=1)))
        with self.db.transaction() as session:
            rows = _rows(session, stmt, query.limit)
            audit.record(session, actor, "search", "audit_events", None, detail=_describe(query))
            return rows

    def actions(self) -> list[str]:
        """The action names in the trail, for a search form's chooser."""
        with self.db.transaction(write=False) as session:
            return sorted(session.scalars(select(AuditEvent.action).distinct()).all())


def _events() -> Select:  # type: ignore[type-arg]
    return select(AuditEvent, StaffMember.display_name, StaffMember.username).outerjoin(
        StaffMember, StaffMember.id == AuditEvent.actor_id
    )


def _rows(session: Session, stmt: Select, limit: int) -> list[AuditRow]:  # type: ignore[type-arg]
    found = session.execute(stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit))
    return [
        AuditRow(
            id=e.id,
            at=e.at if e.at.tzinfo else e.at.replace(tzinfo=UTC),
            actor=f"{name} ({username})" if name else "system",
            action=e.action,
            entity=e.entity,
            entity_id=e.entity_id,
            field=e.field,
            old_value=e.old_value,
            new_value=e.new_value,
            detail=e.detail,
        )
        for e, name, username in found
    ]


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone(UTC)


def _describe(query: AuditQuery) -> str:
    parts = [
        f"{name}={value}"
        for name, value in (
            ("user", query.username),
            ("action", query.action),
            ("entity", query.entity),
            ("id", query.entity_id),
            ("text", query.text),
            ("since", query.since),
            ("until", query.until),
        )
        if value not in ("", None)
    ]
    return ", ".join(parts) or "everything"
