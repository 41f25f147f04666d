"""caseload paging index; PostgreSQL trigram search index

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

The caseload's name index becomes (last_name, first_name, id, closed_on, search_text): the list,
sorted by name with the id breaking ties, pages through it from the index alone (OFFSET skips
index entries, so a page far down a national list costs milliseconds, not a join of every row
before it), and a short search (one or two letters, too short for a trigram) filters names
without reading rows. The statistics are refreshed so that the planner knows it from the start.

On PostgreSQL a pg_trgm GIN index answers the search's `search_text LIKE '%word%'` conditions,
as the FTS5 trigram table does on SQLite. Creating the extension needs a role allowed to (a
database owner may since PostgreSQL 13): where it is refused, search still works by scanning,
so the index is skipped and the reason logged rather than failing the whole migration.
"""

from __future__ import annotations

import logging

from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

OLD_NAME_INDEX = 'ix_young_people_last_name_first_name'
NAME_INDEX = 'ix_young_people_last_name_first_name_id_closed_on_search_text'
NAME_COLUMNS = ['last_name', 'first_name', 'id', 'closed_on', 'search_text']
TRIGRAM_INDEX = 'ix_young_people_search_text_trgm'  # left out of model comparison (migrate.py)

log = logging.getLogger(__name__)


def upgrade() -> None:
    op.drop_index(OLD_NAME_INDEX, table_name='young_people')
    op.create_index(NAME_INDEX, 'young_people', NAME_COLUMNS)
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        _postgres_trigram_index(bind)
    op.execute('ANALYZE young_people')


def _postgres_trigram_index(bind) -> None:  # type: ignore[no-untyped-def]
    savepoint = bind.begin_nested()
    try:
        bind.exec_driver_sql('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        bind.exec_driver_sql(
            f'CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON young_people '
            'USING gin (search_text gin_trgm_ops)'
        )
    except Exception as exc:  # noqa: BLE001 - any refusal leaves search working without it
        savepoint.rollback()
        log.warning('PostgreSQL trigram search index not created (%s); search will scan', exc)
    else:
        savepoint.commit()


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f'DROP INDEX IF EXISTS {TRIGRAM_INDEX}')
    op.drop_index(NAME_INDEX, table_name='young_people')
    op.create_index(OLD_NAME_INDEX, 'young_people', ['last_name', 'first_name'])
