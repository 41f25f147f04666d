"""What others changed since a point in the audit trail, as ids only: the app polls this every
few seconds to refresh its lists and open records (SQLite and PostgreSQL alike).

The change counter is the audit trail's primary key: every change is audited in its own
transaction, so the id of the newest change event says "something changed" and the events after
a known id say what. Views, searches, sign-ins, locks and refusals are not changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from careleaver_app.db.models import AuditEvent, Escalation, EscalationDecision
from careleaver_app.services import audit
from careleaver_app.services.actors import Actor
from careleaver_app.services.audit_trail import _CHILD_ENTITIES
from careleaver_app.services.database import Database

# Audit actions that change data. A list of what counts, not of what does not: a new kind of
# read (a print, an export) must never make every open window re-read, and so audit a view,
# and so make every other window re-read, and so on.
CHANGE_ACTIONS = frozenset({"create", "update", "void", "purge", "import"})
# More events than this since the last poll (a big import, a laptop back from sleep): the batch
# lists what it read and says `overflow`, and the caller refreshes everything it shows.
BATCH = 2000
# On PostgreSQL ids come from a sequence when a row is inserted, not when it commits, so a
# missing id may belong to a transaction still in flight. The feed does not move past a missing
# id until this long after the event that followed it (a rolled-back transaction leaves its id
# missing for ever).
SETTLE = timedelta(seconds=10)
_IN_CHUNK = 500  # ids per IN (...) list, well inside every backend's limit on parameters


@dataclass(frozen=True)
class ChangeBatch:
    """The changes after one poll's starting id: which young people, which kinds of record.

    `last_id` is where the next poll starts. `kinds` are audit entity names ("young_person",
    "accommodation_episode", "escalation", "staff", "setting", ...).
    """

    last_id: int
    person_ids: frozenset[int] = frozenset()
    kinds: frozenset[str] = frozenset()
    overflow: bool = False  # more changed than one batch lists: refresh everything shown

    @property
    def changed(self) -> bool:
        return bool(self.kinds) or self.overflow


class ChangeFeed:
    """Any signed-in user may poll it: it hands out ids and entity names, never personal data."""

    def __init__(
        self,
        db: Database,
        *,
        settle: timedelta = SETTLE,
        batch: int = BATCH,
        now: Callable[[], datetime] = audit.now,
    ) -> None:
        self.db = db
        self.settle = settle
        self.batch = batch
        self.now = now

    def latest(self, actor: Actor) -> int:
        """The id of the newest audit event that records a change (0 when there is none)."""
        with self.db.transaction(write=False) as session:
            newest = session.scalar(
                select(AuditEvent.id)
                .where(AuditEvent.action.in_(CHANGE_ACTIONS))
                .order_by(AuditEvent.id.desc())
                .limit(1)
            )
            return newest or 0

    def since(self, actor: Actor, after_id: int, *, others_only: bool = False) -> ChangeBatch:
        """Changes in events after `after_id`, by anyone, or (`others_only`) by anyone but
        `actor`: a window refreshes itself after its own saves."""
        with self.db.transaction(write=False) as session:
            # A range of the primary key, read in order: cheap however long the trail is.
            rows: Sequence[Any] = session.execute(
                select(
                    AuditEvent.id,
                    AuditEvent.at,
                    AuditEvent.action,
                    AuditEvent.entity,
                    AuditEvent.entity_id,
                    AuditEvent.actor_id,
                )
                .where(AuditEvent.id > after_id)
                .order_by(AuditEvent.id)
                .limit(self.batch + 1)
            ).all()
            overflow = len(rows) > self.batch
            if overflow:
                rows = rows[: self.batch]
                last_id = session.scalar(select(func.max(AuditEvent.id))) or after_id
            else:
                if self.db.dialect == "postgresql":
                    rows = self._settled(rows, after_id)
                last_id = rows[-1].id if rows else after_id
            changes = [
                r
                for r in rows
                if r.action in CHANGE_ACTIONS and not (others_only and r.actor_id == actor.id)
            ]
            ids_by_entity: dict[str, set[int]] = defaultdict(set)
            for r in changes:
                if r.entity_id is not None:
                    ids_by_entity[r.entity].add(r.entity_id)
            return ChangeBatch(
                last_id=last_id,
                person_ids=frozenset(_people_concerned(session, ids_by_entity)),
                kinds=frozenset(r.entity for r in changes),
                overflow=overflow,
            )

    def _settled(self, rows: Sequence[Any], after_id: int) -> Sequence[Any]:
        """The rows before the first missing id that may still be in flight."""
        now = self.now()
        expected = after_id + 1
        for i, row in enumerate(rows):
            if row.id != expected and now - _aware(row.at) < self.settle:
                return rows[:i]
            expected = row.id + 1
        return rows


def _people_concerned(session: Session, ids_by_entity: dict[str, set[int]]) -> set[int]:
    """The young people the changed rows belong to (rows since deleted by a purge drop out)."""
    people = set(ids_by_entity.get("young_person", ()))
    for entity, ids in ids_by_entity.items():
        table = _CHILD_ENTITIES.get(entity)
        if table is not None:
            for chunk in _chunks(ids):
                people.update(session.scalars(select(table.person_id).where(table.id.in_(chunk))))
    for chunk in _chunks(ids_by_entity.get("escalation_decision", ())):
        people.update(
            session.scalars(
                select(Escalation.person_id)
                .join(EscalationDecision, EscalationDecision.escalation_id == Escalation.id)
                .where(EscalationDecision.id.in_(chunk))
            )
        )
    return people


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), _IN_CHUNK):
        yield ordered[start : start + _IN_CHUNK]


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)
