"""Migrations: the models and the Alembic history agree; an upgrade backs up first; a database
from a newer version of the app is refused and left alone."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text

from careleaver_app.db import migrate as migrate_module
from careleaver_app.db.engine import make_engine, sqlite_url
from careleaver_app.db.migrate import (
    DatabaseTooNew,
    backup_sqlite,
    current_revision,
    head_revision,
    include_name,
    migrate,
)
from careleaver_app.db.models import Base, Team
from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.container import open_services

FUTURE_REVISION = "ffff_from_a_newer_app"
PROBE_REVISION = "9001"
PROBE_SOURCE = '''"""a later schema change, used only by the tests"""
import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down_revision}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("migration_probe", sa.Column("id", sa.Integer(), primary_key=True))
    {extra}


def downgrade():
    op.drop_table("migration_probe")
'''


def schema_differences(engine: Engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": include_name}
        )
        return compare_metadata(context, Base.metadata)


def snapshot(engine: Engine) -> dict[str, list]:
    """Every table's rows, alembic_version included: equal snapshots mean nothing changed."""
    with engine.connect() as conn:
        tables = sorted(inspect(conn).get_table_names())
        return {
            t: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{t}"'))), key=repr)
            for t in tables
        }


def table_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def sqlite_scalar(path: Path, sql: str):  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def add_person(services, staff, reference: str = "CL0001") -> int:  # type: ignore[no-untyped-def]
    details = PersonDetails(reference, "Zoë", "Example", date(2008, 5, 1))
    return services.people.create(staff.manager, details).entity_id


@pytest.fixture
def later_revision(monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    """Make the app see one more revision after today's head, as a newer release would.

    `extra` is a line of Python added to the new revision's upgrade(), e.g. to make it fail.
    """

    def install(extra: str = "") -> str:
        source = Path(str(resources.files("careleaver_app.db").joinpath("migrations")))
        scripts = tmp_path / "migrations"
        shutil.copytree(source, scripts, ignore=shutil.ignore_patterns("__pycache__"))
        (scripts / "versions" / f"{PROBE_REVISION}_probe.py").write_text(
            PROBE_SOURCE.format(
                revision=PROBE_REVISION, down_revision=head_revision(), extra=extra or "pass"
            )
        )

        def config() -> Config:
            cfg = Config()
            cfg.set_main_option("script_location", str(scripts))
            return cfg

        monkeypatch.setattr(migrate_module, "alembic_config", config)
        # A newer release also ships its newer head as SCHEMA_HEAD.
        monkeypatch.setattr(migrate_module, "SCHEMA_HEAD", PROBE_REVISION)
        return PROBE_REVISION

    return install


# -- models and migrations agree ----------------------------------------------------------


def test_migrated_schema_matches_the_models(engine):
    """After migrate(), autogenerate finds nothing to add: every model change has a revision."""
    migrate(engine)
    assert current_revision(engine) == head_revision()
    differences = schema_differences(engine)
    assert differences == [], f"models and migrations differ: {differences}"


def test_schema_comparison_notices_a_missing_index(engine):
    """The check above is not vacuous: a schema that lost an index is reported."""
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_contacts_person_id_contact_date"))
    differences = schema_differences(engine)
    assert [d[0] for d in differences] == ["add_index"]


def test_migrations_downgrade_to_nothing_and_upgrade_again(engine):
    """Every revision's downgrade() works, so a bad release can be stepped back."""
    migrate(engine)
    cfg = migrate_module.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(engine)
    assert schema_differences(engine) == []


def test_migrating_at_head_changes_nothing(engine):
    first = migrate(engine)
    assert first.before is None and first.after == head_revision()
    again = migrate(engine)
    assert (again.before, again.after, again.backup) == (head_revision(), head_revision(), None)


# -- backups before an upgrade (SQLite) ---------------------------------------------------


def test_backup_sqlite_is_a_complete_consistent_copy_while_in_use(services, staff, paths, tmp_path):
    """The online backup has every row, even rows still in the WAL, and passes integrity_check."""
    add_person(services, staff)
    source = paths.database_file
    with services.db.engine.connect() as busy:  # another user has the database open
        busy.execute(select(Team.id)).all()
        target = backup_sqlite(source, tmp_path / "copies" / "copy.sqlite3")
    assert sqlite_scalar(target, "PRAGMA integrity_check") == "ok"
    assert table_counts(target) == table_counts(source)
    assert table_counts(target)["young_people"] == 1
    assert target.stat().st_mode & 0o777 == 0o600


def test_new_database_is_created_without_a_backup(paths):
    services = open_services(paths, None, lambda: date(2026, 11, 26))
    try:
        assert services.migration is not None
        assert services.migration.before is None
        assert services.migration.backup is None
    finally:
        services.close()
    assert not any(paths.backups_dir.iterdir())


def test_upgrade_of_a_database_with_data_backs_it_up_first(services, staff, paths, later_revision):
    """The backup holds the database exactly as it was before the upgrade, owner-only."""
    add_person(services, staff)
    services.close()
    old = head_revision()
    counts = table_counts(paths.database_file)
    new = later_revision()

    engine = make_engine(sqlite_url(paths.database_file))
    try:
        result = migrate(engine, paths.backups_dir)
    finally:
        engine.dispose()

    assert (result.before, result.after) == (old, new)
    assert result.backup is not None
    assert result.backup.parent == paths.backups_dir
    assert result.backup.name.startswith(f"before-migration-{old}-")
    assert result.backup.stat().st_mode & 0o777 == 0o600
    # The copy is the old schema with all the data; the live file has moved on.
    assert sqlite_scalar(result.backup, "SELECT version_num FROM alembic_version") == old
    assert table_counts(result.backup) == counts
    assert sqlite_scalar(result.backup, "PRAGMA integrity_check") == "ok"
    assert sqlite_scalar(paths.database_file, "SELECT version_num FROM alembic_version") == new
    assert "migration_probe" in table_counts(paths.database_file)


def test_failed_upgrade_leaves_the_database_as_it_was(services, staff, paths, later_revision):
    """A revision that fails halfway is rolled back whole; the backup is there too."""
    add_person(services, staff)
    services.close()
    old = head_revision()
    later_revision(extra='raise RuntimeError("revision failed halfway")')

    engine = make_engine(sqlite_url(paths.database_file))
    try:
        before = snapshot(engine)
        with pytest.raises(RuntimeError, match="halfway"):
            migrate(engine, paths.backups_dir)
        assert snapshot(engine) == before
        assert current_revision(engine) == old
    finally:
        engine.dispose()
    backups = list(paths.backups_dir.glob(f"before-migration-{old}-*.sqlite3"))
    assert len(backups) == 1


# -- a database from a newer version -------------------------------------------------------


def test_database_from_a_newer_version_is_refused_and_left_unchanged(engine, paths):
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO teams (name, active, version) VALUES ('North', true, 1)"))
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": FUTURE_REVISION})
    before = snapshot(engine)

    with pytest.raises(DatabaseTooNew) as refused:
        migrate(engine, paths.backups_dir)

    message = str(refused.value)
    assert "newer version" in message
    assert FUTURE_REVISION in message
    assert "nothing was changed" in message
    assert snapshot(engine) == before
    assert not paths.backups_dir.exists() or not any(paths.backups_dir.iterdir())


def test_opening_a_database_from_a_newer_version_fails_before_any_change(engine, db_url, paths):
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": FUTURE_REVISION})
    before = snapshot(engine)
    with pytest.raises(DatabaseTooNew, match=FUTURE_REVISION):
        open_services(paths, db_url, lambda: date(2026, 11, 26))
    assert snapshot(engine) == before


def test_schema_head_constant_is_the_newest_migration():
    """Start-up skips Alembic when a database is at SCHEMA_HEAD, so it must be the real head."""
    assert head_revision() == migrate_module.SCHEMA_HEAD


@pytest.mark.postgres
def test_postgres_search_has_a_trigram_index_that_answers_substring_searches(pg_url):
    """Migration 0006 gives PostgreSQL a pg_trgm index on search_text, used by `LIKE '%..%'`;
    the model comparison leaves it out (no model can describe it) but still sees other indexes."""
    engine = make_engine(pg_url)
    try:
        migrate(engine)
        with engine.begin() as conn:
            indexes = {i["name"] for i in inspect(conn).get_indexes("young_people")}
            assert "ix_young_people_search_text_trgm" in indexes
            # An empty table: forbid the other ways in so that the plan shows the index can
            # answer the condition at all (with rows, the planner prefers it by itself).
            for way in ("seqscan", "indexscan", "indexonlyscan"):
                conn.execute(text(f"SET LOCAL enable_{way} = off"))
            plan = "\n".join(
                conn.execute(
                    text("EXPLAIN SELECT id FROM young_people WHERE search_text LIKE '%ann%'")
                ).scalars()
            )
        assert "ix_young_people_search_text_trgm" in plan
        assert schema_differences(engine) == []
        assert not include_name("ix_young_people_search_text_trgm", "index", {})
        assert include_name(
            "ix_young_people_last_name_first_name_id_closed_on_search_text", "index", {}
        )
    finally:
        engine.dispose()
