"""caseload paging index; PostgreSQL trigram search index

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

(closed_on, last_name, first_name) lets the caseload page through open records by name from an
index alone, so a page far down the list no longer reads every row before it. On PostgreSQL a
pg_trgm GIN index answers the search's `search_text LIKE '%word%'` conditions, as the FTS5
trigram table does on SQLite. Creating the extension needs a role allowed to (a database owner
may since PostgreSQL 13): where it is refused, search still works by scanning, so the index is
skipped and the reason logged rather than failing the whole migration.
"""

from __future__ import annotations

import logging

from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

PAGING_INDEX = 'ix_young_people_closed_on_last_name_first_name'
TRIGRAM_INDEX = 'ix_young_people_search_text_trgm'  # left out of model comparison (migrate.py)

log = logging.getLogger(__name__)


def upgrade() -> None:
    op.create_index(PAGING_INDEX, 'young_people', ['closed_on', 'last_name', 'first_name'])
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
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
    op.drop_index(PAGING_INDEX, table_name='young_people')
