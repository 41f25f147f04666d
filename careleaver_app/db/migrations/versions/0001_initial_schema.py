"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


AUDIT_TRIGGERS = {
    "sqlite": [
        """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
           BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
        """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
           BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
    ],
    "postgresql": [
        """CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$""",
        """CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
           FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
        """CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
           FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()""",
    ],
}


# SQLite only: a trigram full-text index over young_people.search_text, kept in step by
# triggers, so that search-as-you-type stays fast at national scale. PostgreSQL scans the column.
SEARCH_INDEX = [
    """CREATE VIRTUAL TABLE people_search USING fts5(search_text, content='young_people',
       content_rowid='id', tokenize='trigram', detail='none')""",
    """CREATE TRIGGER young_people_search_insert AFTER INSERT ON young_people BEGIN
       INSERT INTO people_search(rowid, search_text) VALUES (new.id, new.search_text); END""",
    """CREATE TRIGGER young_people_search_delete AFTER DELETE ON young_people BEGIN
       INSERT INTO people_search(people_search, rowid, search_text)
       VALUES ('delete', old.id, old.search_text); END""",
    """CREATE TRIGGER young_people_search_update AFTER UPDATE OF search_text ON young_people BEGIN
       INSERT INTO people_search(people_search, rowid, search_text)
       VALUES ('delete', old.id, old.search_text);
       INSERT INTO people_search(rowid, search_text) VALUES (new.id, new.search_text); END""",
]


def _has_fts5() -> bool:
    options = {row[0] for row in op.get_bind().exec_driver_sql("PRAGMA compile_options")}
    return "ENABLE_FTS5" in options


def upgrade() -> None:
    op.create_table('teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams')),
    sa.UniqueConstraint('name', name=op.f('uq_teams_name'))
    )
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_staff_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('username', name=op.f('uq_staff_username'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_team_id'), ['team_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('field', sa.String(length=64), nullable=True),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['staff.id'], name=op.f('fk_audit_events_actor_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_entity_entity_id'), ['entity', 'entity_id'], unique=False)

    op.create_table('young_people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=32), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('preferred_name', sa.String(length=100), nullable=False),
    sa.Column('search_text', sa.String(length=400), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('gender', sa.String(length=40), nullable=False),
    sa.Column('first_language', sa.String(length=60), nullable=False),
    sa.Column('interpreter_needed', sa.Boolean(), nullable=False),
    sa.Column('uasc', sa.Boolean(), nullable=False),
    sa.Column('pregnant_or_parenting', sa.Boolean(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('contact_address', sa.Text(), nullable=False),
    sa.Column('housing_consent', sa.Boolean(), nullable=False),
    sa.Column('requested_pa_support', sa.Boolean(), nullable=False),
    sa.Column('detained_or_in_hospital_on_16th_birthday', sa.Boolean(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('pa_id', sa.Integer(), nullable=True),
    sa.Column('accommodation_code', sa.String(length=2), nullable=False),
    sa.Column('accommodation_since', sa.Date(), nullable=True),
    sa.Column('in_touch', sa.String(length=4), nullable=True),
    sa.Column('last_contact_on', sa.Date(), nullable=True),
    sa.Column('attention', sa.Integer(), nullable=False),
    sa.Column('category_override', sa.String(length=32), nullable=True),
    sa.Column('category_override_reason', sa.Text(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('closed_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['pa_id'], ['staff.id'], name=op.f('fk_young_people_pa_id_staff')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_young_people_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_young_people')),
    sa.UniqueConstraint('reference', name=op.f('uq_young_people_reference'))
    )
    with op.batch_alter_table('young_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_young_people_accommodation_code'), ['accommodation_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_young_people_accommodation_since'), ['accommodation_since'], unique=False)
        batch_op.create_index(batch_op.f('ix_young_people_attention'), ['attention'], unique=False)
        batch_op.create_index(batch_op.f('ix_young_people_closed_on_search_text'), ['closed_on', 'search_text'], unique=False)
        batch_op.create_index(batch_op.f('ix_young_people_in_touch'), ['in_touch'], unique=False)
        batch_op.create_index(batch_op.f('ix_young_people_last_name_first_name'), ['last_name', 'first_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_young_people_pa_id'), ['pa_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_young_people_team_id'), ['team_id'], unique=False)

    op.create_table('accommodation_episodes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('type_code', sa.String(length=1), nullable=False),
    sa.Column('suitability', sa.String(length=1), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=False),
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('placed_by', sa.String(length=200), nullable=False),
    sa.Column('concerns', sa.JSON(), nullable=False),
    sa.Column('suitability_notes', sa.Text(), nullable=False),
    sa.Column('voided_reason', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], name=op.f('fk_accommodation_episodes_created_by_id_staff')),
    sa.ForeignKeyConstraint(['person_id'], ['young_people.id'], name=op.f('fk_accommodation_episodes_person_id_young_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accommodation_episodes'))
    )
    with op.batch_alter_table('accommodation_episodes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accommodation_episodes_person_id_start_date'), ['person_id', 'start_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_accommodation_episodes_type_code_end_date'), ['type_code', 'end_date'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('activity', sa.String(length=2), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['young_people.id'], name=op.f('fk_activities_person_id_young_people')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff.id'], name=op.f('fk_activities_recorded_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_person_id_start_date'), ['person_id', 'start_date'], unique=False)

    op.create_table('care_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['young_people.id'], name=op.f('fk_care_periods_person_id_young_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_periods'))
    )
    with op.batch_alter_table('care_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_periods_person_id'), ['person_id'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('contact_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('in_touch', sa.String(length=4), nullable=False),
    sa.Column('seen_at_home', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['young_people.id'], name=op.f('fk_contacts_person_id_young_people')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff.id'], name=op.f('fk_contacts_recorded_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_person_id_contact_date'), ['person_id', 'contact_date'], unique=False)

    op.create_table('pa_allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('allocated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['allocated_by_id'], ['staff.id'], name=op.f('fk_pa_allocations_allocated_by_id_staff')),
    sa.ForeignKeyConstraint(['person_id'], ['young_people.id'], name=op.f('fk_pa_allocations_person_id_young_people')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_pa_allocations_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pa_allocations'))
    )
    with op.batch_alter_table('pa_allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pa_allocations_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pa_allocations_staff_id'), ['staff_id'], unique=False)

    for statement in AUDIT_TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    if op.get_bind().dialect.name == "sqlite" and _has_fts5():
        for statement in SEARCH_INDEX:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS young_people_search_{trigger}")
        op.execute("DROP TABLE IF EXISTS people_search")
        op.execute("DROP TRIGGER audit_events_no_update")
        op.execute("DROP TRIGGER audit_events_no_delete")
    elif op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_events_no_change ON audit_events")
        op.execute("DROP TRIGGER audit_events_no_truncate ON audit_events")
        op.execute("DROP FUNCTION audit_events_append_only()")
    with op.batch_alter_table('pa_allocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pa_allocations_staff_id'))
        batch_op.drop_index(batch_op.f('ix_pa_allocations_person_id'))

    op.drop_table('pa_allocations')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_person_id_contact_date'))

    op.drop_table('contacts')
    with op.batch_alter_table('care_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_periods_person_id'))

    op.drop_table('care_periods')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_person_id_start_date'))

    op.drop_table('activities')
    with op.batch_alter_table('accommodation_episodes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accommodation_episodes_type_code_end_date'))
        batch_op.drop_index(batch_op.f('ix_accommodation_episodes_person_id_start_date'))

    op.drop_table('accommodation_episodes')
    with op.batch_alter_table('young_people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_young_people_team_id'))
        batch_op.drop_index(batch_op.f('ix_young_people_pa_id'))
        batch_op.drop_index(batch_op.f('ix_young_people_last_name_first_name'))
        batch_op.drop_index(batch_op.f('ix_young_people_in_touch'))
        batch_op.drop_index(batch_op.f('ix_young_people_closed_on_search_text'))
        batch_op.drop_index(batch_op.f('ix_young_people_attention'))
        batch_op.drop_index(batch_op.f('ix_young_people_accommodation_since'))
        batch_op.drop_index(batch_op.f('ix_young_people_accommodation_code'))

    op.drop_table('young_people')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_entity_entity_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))

    op.drop_table('audit_events')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_team_id'))

    op.drop_table('staff')
    op.drop_table('teams')
