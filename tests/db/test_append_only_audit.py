"""The audit trail is append-only in the database itself, not only by the services' habit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from careleaver_app.db.migrate import migrate
from careleaver_app.db.models import AuditEvent


@pytest.fixture
def audited(engine):  # type: ignore[no-untyped-def]
    """A migrated database holding one audit event; returns (engine, event id)."""
    migrate(engine)
    with engine.begin() as conn:
        event_id = conn.execute(
            insert(AuditEvent)
            .values(
                at=datetime(2026, 11, 26, 9, 30, tzinfo=UTC),
                action="view",
                entity="young_person",
                entity_id=1,
                detail="",
            )
            .returning(AuditEvent.id)
        ).scalar_one()
    return engine, event_id


def events(engine) -> list[tuple]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(AuditEvent.id, AuditEvent.action))]


def test_audit_events_cannot_be_updated(audited):
    engine, event_id = audited
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(update(AuditEvent).where(AuditEvent.id == event_id).values(action="edit"))
    assert events(engine) == [(event_id, "view")]


def test_audit_events_cannot_be_deleted(audited):
    engine, event_id = audited
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(delete(AuditEvent))
    assert events(engine) == [(event_id, "view")]


def test_audit_events_can_still_be_added(audited):
    engine, _ = audited
    with engine.begin() as conn:
        conn.execute(
            insert(AuditEvent).values(
                at=datetime(2026, 11, 26, 10, 0, tzinfo=UTC),
                action="create",
                entity="young_person",
                entity_id=2,
                detail="",
            )
        )
    assert len(events(engine)) == 2


@pytest.mark.postgres
def test_audit_events_cannot_be_truncated_on_postgresql(pg_url):
    from careleaver_app.db.engine import make_engine

    engine = make_engine(pg_url)
    try:
        migrate(engine)
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text("TRUNCATE audit_events"))
    finally:
        engine.dispose()
