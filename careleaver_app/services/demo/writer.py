"""Writing the demo rows: Core executemany in chunks (never one ORM object at a time), then the
caseload columns brought up to date; reference numbers that continue after those in use; and the
run's one audit event."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, insert, or_, select
from sqlalchemy.orm import Session

from careleaver_app.db.models import (
    AccommodationEpisode,
    ActivityRow,
    CarePeriodRow,
    Contact,
    NeedsAssessment,
    OfferLedgerRow,
    PaAllocation,
    PathwayPlan,
    PathwayReview,
    YoungPerson,
)
from careleaver_app.db.repositories import refresh_summaries
from careleaver_app.services import audit
from careleaver_app.services.actors import Actor
from careleaver_app.services.escalations import open_escalations_for

if TYPE_CHECKING:
    from careleaver_app.services.demo.maker import Generated

CHUNK_ROWS = 5_000  # rows per executemany
REFERENCE_PREFIX = "CL"
_REFERENCE = re.compile(rf"^{REFERENCE_PREFIX}(\d+)$")
# Each young person's own rows, by table, in the order they are inserted.
CHILD_TABLES = {
    "care_periods": CarePeriodRow,
    "pa_allocations": PaAllocation,
    "accommodation_episodes": AccommodationEpisode,
    "activities": ActivityRow,
    "contacts": Contact,
    "needs_assessments": NeedsAssessment,
    "pathway_plans": PathwayPlan,
    "pathway_reviews": PathwayReview,
    "offer_ledger": OfferLedgerRow,
}


def reference(number: int) -> str:
    """'CL' and seven digits, so that references sort in the order they were made."""
    return f"{REFERENCE_PREFIX}{number:07d}"


def insert_people(session: Session, made: Sequence[Generated]) -> dict[str, int]:
    """Insert the young people, then their rows table by table; return the rows per table."""
    conn = session.connection()
    ids = insert_with_ids(conn, YoungPerson, [m.person for m in made])
    counts = {}
    for table, model in CHILD_TABLES.items():
        rows = []
        for person_id, m in zip(ids, made, strict=True):
            for row in m.children[table]:
                row["person_id"] = person_id
                rows.append(row)
        insert_rows(conn, model, rows)
        counts[table] = len(rows)
    # Core inserts bypass the services that keep the caseload columns (current accommodation,
    # in touch) in step with episodes and contacts; the caseload list filters on those columns.
    refresh_summaries(session, ids)
    counts["escalations"] = _escalate(session, ids)
    return counts


def _escalate(session: Session, person_ids: list[int]) -> int:
    """Every B&B, emergency, no-fixed-abode or unsuitable episode gets its escalation, as the
    services would have opened it: open while current, resolved once the placement ended. The
    demo's one audit event covers them."""
    E = AccommodationEpisode
    rows: list[tuple[int, int, bool]] = []
    for i in range(0, len(person_ids), 500):
        chunk = person_ids[i : i + 500]
        rows.extend(
            (episode_id, person_id, end is None)
            for episode_id, person_id, end in session.execute(
                select(E.id, E.person_id, E.end_date).where(
                    E.person_id.in_(chunk),
                    or_(E.type_code.in_(["W", "V", "S"]), E.suitability == "2"),
                )
            )
        )
    return open_escalations_for(session, None, rows, audit_each=False)


def insert_rows(conn: Connection, model: Any, rows: list[dict[str, Any]]) -> None:
    for i in range(0, len(rows), CHUNK_ROWS):
        conn.execute(insert(model), rows[i : i + CHUNK_ROWS])


def insert_with_ids(conn: Connection, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows`; return their new ids in order."""
    if conn.dialect.name == "sqlite":
        # The write transaction began IMMEDIATE, so nobody else can insert before it commits:
        # the ids after the highest are the ones SQLite would give, without a RETURNING
        # round trip per row (SQLite cannot match RETURNING rows to a batch's parameters).
        start = (conn.scalar(select(func.max(model.id))) or 0) + 1
        ids = list(range(start, start + len(rows)))
        for new_id, row in zip(ids, rows, strict=True):
            row["id"] = new_id
        insert_rows(conn, model, rows)
        return ids
    out: list[int] = []
    stmt = insert(model).returning(model.id, sort_by_parameter_order=True)
    for i in range(0, len(rows), CHUNK_ROWS):
        out.extend(conn.execute(stmt, rows[i : i + CHUNK_ROWS]).scalars())
    return out


def next_reference_number(conn: Connection) -> int:
    """One past the highest 'CL' number in use, so a second run adds people instead of clashing."""
    highest = 0
    for existing in conn.scalars(
        select(YoungPerson.reference).where(YoungPerson.reference.like(f"{REFERENCE_PREFIX}%"))
    ):
        match = _REFERENCE.match(existing)
        if match:
            highest = max(highest, int(match.group(1)))
    return highest + 1


def record_run(
    session: Session, actor: Actor, *, seed: int, first: int, last: int, description: str
) -> None:
    """One audit event for the whole run (not one per row), naming the references it added."""
    audit.record(
        session,
        actor,
        "import",
        "demo",
        None,
        detail=(
            f"synthetic demo data (seed {seed}, references {reference(first)} to "
            f"{reference(last)}): {description}"
        ),
    )
