"""The audit trail: written in the same transaction as the change it records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from careleaver_app.db.models import AuditEvent
from careleaver_app.services.actors import Actor


def now() -> datetime:
    return datetime.now(UTC)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return ",".join(sorted(_text(v) or "" for v in value))
    return str(value)


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: int | None,
    changes: Mapping[str, tuple[Any, Any]] | None = None,
    detail: str = "",
) -> None:
    """One event per changed field (old and new value), or one event when nothing changed."""
    at = now()
    actor_id = actor.id if actor else None
    if changes:
        session.add_all(
            AuditEvent(
                at=at,
                actor_id=actor_id,
                action=action,
                entity=entity,
                entity_id=entity_id,
                field=field,
                old_value=_text(old),
                new_value=_text(new),
                detail=detail,
            )
            for field, (old, new) in changes.items()
        )
    else:
        session.add(
            AuditEvent(
                at=at,
                actor_id=actor_id,
                action=action,
                entity=entity,
                entity_id=entity_id,
                detail=detail,
            )
        )


def record_created(
    session: Session,
    actor: Actor | None,
    entity: str,
    row: Any,
    fields: Iterable[str],
    detail: str = "",
) -> None:
    """Add a new row and audit its creation with the values of `fields` (flushes for the id)."""
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "create",
        entity,
        row.id,
        {field: (None, getattr(row, field)) for field in fields},
        detail,
    )


def record_many(
    session: Session,
    actor: Actor | None,
    action: str,
    events: Iterable[tuple[str, int | None, str]],
) -> int:
    """One event per (entity, entity_id, detail), inserted in bulk: for imports of thousands."""
    at = now()
    actor_id = actor.id if actor else None
    rows = [
        {
            "at": at,
            "actor_id": actor_id,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "field": None,
            "old_value": None,
            "new_value": None,
            "detail": detail,
        }
        for entity, entity_id, detail in events
    ]
    for start in range(0, len(rows), 5000):
        session.execute(insert(AuditEvent), rows[start : start + 5000])
    return len(rows)


def apply_changes(row: Any, values: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Set each value on `row`; return {field: (old, new)} for those that differ."""
    changes: dict[str, tuple[Any, Any]] = {}
    for field, new in values.items():
        old = getattr(row, field)
        if old != new:
            setattr(row, field, new)
            changes[field] = (old, new)
    return changes
