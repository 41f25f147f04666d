"""Moving a database whole into an empty one (a PA's pilot onto the team's PostgreSQL server,
and back): every row, ids kept, counts checked, in one transaction, administrators only."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import func, select, text

from careleaver_app.db.engine import make_engine, sqlite_url
from careleaver_app.db.models import AuditEvent, Base, OfferItemRow, YoungPerson
from careleaver_app.domain.errors import DomainError, PermissionDenied
from careleaver_app.domain.people import PersonDetails
from careleaver_app.paths import AppPaths
from careleaver_app.services.container import open_services
from careleaver_app.services.demo import generate_demo
from careleaver_app.services.people import PeopleQuery
from careleaver_app.services.transfer import TransferReport, transfer
from tests.conftest import TODAY


@pytest.fixture
def source(services, staff):  # type: ignore[no-untyped-def]
    """The PA's pilot: staff, synthetic young people with histories, ledgers and escalations."""
    generate_demo(services, staff.admin, people=15, seed=7, today=TODAY)
    return services


def table_counts(services) -> dict[str, int]:
    with services.db.transaction(write=False) as session:
        return {
            t.name: session.scalar(select(func.count()).select_from(t))
            for t in Base.metadata.sorted_tables
        }


def records(services, actor) -> dict[int, object]:
    people = services.people.list(actor, PeopleQuery(include_closed=True))
    return {row.id: services.people.get(actor, row.id) for row in people.rows}


def audit_moments(services) -> list:
    with services.db.transaction(write=False) as session:
        return [
            (e.id, e.at if e.at.tzinfo else e.at.replace(tzinfo=UTC), e.detail)
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


def opened(tmp_path, url: str, name: str):  # type: ignore[no-untyped-def]
    return open_services(AppPaths(tmp_path / name), url, lambda: TODAY)


def test_a_local_database_is_copied_whole_into_an_empty_sqlite_file(source, staff, tmp_path):
    people_before = records(source, staff.admin)  # viewing is audited: count after it
    events_before = audit_moments(source)
    before = table_counts(source)
    target_url = sqlite_url(tmp_path / "team.sqlite3")

    report = transfer(source.db, target_url, staff.admin)

    assert isinstance(report, TransferReport)
    assert report.counts == before
    assert report.rows == sum(before.values())
    assert "every table's row count matches" in report.describe()
    target = opened(tmp_path, target_url, "team")
    try:
        after = table_counts(target)
        assert after.pop("audit_events") == before.pop("audit_events") + 1  # the import
        assert after == before
        assert records(target, staff.admin) == people_before  # same ids, same records
        assert audit_moments(target)[: len(events_before)] == events_before
        # The full-text index was built for the copied young people.
        first = next(iter(people_before.values()))
        found = target.people.list(staff.admin, PeopleQuery(search=first.last_name))
        assert first.id in {row.id for row in found.rows}
        with target.db.transaction(write=False) as session:
            imported = session.get(AuditEvent, events_before[-1][0] + 1)
        assert (imported.action, imported.actor_id) == ("import", staff.admin.id)
    finally:
        target.close()
    with source.db.transaction(write=False) as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert last.action == "export" and "team.sqlite3" in last.detail


def test_only_an_administrator_may_transfer(source, staff, tmp_path):
    target = tmp_path / "team.sqlite3"
    for actor in (staff.pa, staff.manager):
        with pytest.raises(PermissionDenied):
            transfer(source.db, sqlite_url(target), actor)
    assert not target.exists()


def test_a_target_with_records_is_refused_and_left_alone(source, staff, tmp_path):
    target_url = sqlite_url(tmp_path / "used.sqlite3")
    used = opened(tmp_path, target_url, "used")
    try:
        admin = used.staffing.ensure_first_administrator("someone")
        used.staffing.create_team(admin, "Already here")
        counts = table_counts(used)
    finally:
        used.close()
    with pytest.raises(DomainError, match="not empty: table 'teams' has 1 rows"):
        transfer(source.db, target_url, staff.admin)
    used = opened(tmp_path, target_url, "used")
    try:
        assert table_counts(used) == counts
    finally:
        used.close()


def test_a_freshly_migrated_target_counts_as_empty(source, staff, tmp_path):
    """The catalogue the migrations seed is replaced by the source's own (here, edited)."""
    with source.db.transaction() as session:
        item = session.scalars(select(OfferItemRow).order_by(OfferItemRow.id)).first()
        item.description = "Edited in the pilot"
    target_url = sqlite_url(tmp_path / "fresh.sqlite3")
    opened(tmp_path, target_url, "fresh").close()  # migrated, catalogue seeded, no records
    transfer(source.db, target_url, staff.admin)
    target = opened(tmp_path, target_url, "fresh")
    try:
        with target.db.transaction(write=False) as session:
            copied = session.get(OfferItemRow, item.id)
            assert copied.description == "Edited in the pilot"
            assert (
                session.scalar(select(func.count()).select_from(OfferItemRow))
                == (table_counts(source)["offer_items"])
            )
    finally:
        target.close()


def test_the_database_cannot_be_copied_onto_itself(source, staff, paths):
    with pytest.raises(DomainError, match="being copied"):
        transfer(source.db, sqlite_url(paths.database_file), staff.admin)


# -- PostgreSQL ------------------------------------------------------------------------------


def test_round_trip_sqlite_to_postgresql_and_back(source, staff, pg_url, tmp_path):
    people_before = records(source, staff.admin)
    events_before = audit_moments(source)
    before = table_counts(source)

    to_server = transfer(source.db, pg_url, staff.admin)
    assert to_server.counts == before

    server = open_services(AppPaths(tmp_path / "server"), pg_url, lambda: TODAY)
    try:
        assert records(server, staff.admin) == people_before
        assert audit_moments(server)[: len(events_before)] == events_before
        # Sequences start after the copied ids: the team can carry on adding records.
        highest = max(people_before)
        new_id = server.people.create(
            staff.pa, PersonDetails("CL-NEW", "Nova", "Newcomer", TODAY.replace(year=2008))
        ).entity_id
        assert new_id == highest + 1
        team = server.staffing.create_team(staff.admin, "After the move")
        assert team.id == before["teams"] + 1
        server_people = records(server, staff.admin)
        server_events = audit_moments(server)
        server_counts = table_counts(server)

        back_url = sqlite_url(tmp_path / "back.sqlite3")
        back_report = transfer(server.db, back_url, staff.admin)
        assert back_report.counts == server_counts
    finally:
        server.close()

    back = opened(tmp_path, back_url, "back")
    try:
        assert records(back, staff.admin) == server_people
        assert {k: v for k, v in records(back, staff.admin).items() if k != new_id} == (
            people_before
        )
        assert audit_moments(back)[: len(server_events)] == server_events
        found = back.people.list(staff.admin, PeopleQuery(search="Newcomer"))
        assert [row.id for row in found.rows] == [new_id]
    finally:
        back.close()


def test_a_row_the_server_refuses_leaves_the_server_empty(source, staff, pg_url):
    """SQLite does not hold text to its declared length; PostgreSQL does. The copy stops at that
    row and nothing of it stays on the server."""
    with source.db.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE young_people SET preferred_name = :long "
                "WHERE id = (SELECT max(id) FROM young_people)"
            ),
            {"long": "x" * 500},
        )
    with pytest.raises(DomainError, match=r"refused a row of 'young_people'.*nothing was copied"):
        transfer(source.db, pg_url, staff.admin)
    engine = make_engine(pg_url)
    try:
        with engine.connect() as conn:
            for table in Base.metadata.sorted_tables:
                rows = conn.execute(select(func.count()).select_from(table)).scalar_one()
                assert rows == 0 or table.name == "offer_items", table.name
            assert conn.execute(select(func.count()).select_from(YoungPerson)).scalar_one() == 0
    finally:
        engine.dispose()


def test_a_server_database_in_use_is_refused(source, staff, pg_url, tmp_path):
    server = open_services(AppPaths(tmp_path / "server"), pg_url, lambda: TODAY)
    try:
        server.staffing.ensure_first_administrator("admin")
    finally:
        server.close()
    with pytest.raises(DomainError, match="table 'staff' has 1 rows"):
        transfer(source.db, pg_url, staff.admin)
