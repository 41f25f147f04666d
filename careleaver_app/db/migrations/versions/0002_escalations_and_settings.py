"""escalations and settings

Every existing B&B, emergency, no-fixed-abode or unsuitable episode gets an escalation, so no such
placement is left without one: open for current placements, so a manager reviews them; recorded
as resolved, saying why, for placements that had already ended before escalations existed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('escalations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['episode_id'], ['accommodation_episodes.id'], name=op.f('fk_escalations_episode_id_accommodation_episodes')),
    sa.ForeignKeyConstraint(['person_id'], ['young_people.id'], name=op.f('fk_escalations_person_id_young_people')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['staff.id'], name=op.f('fk_escalations_resolved_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalations'))
    )
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalations_episode_id'), ['episode_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_status'), ['status'], unique=False)

    op.create_table('escalation_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('escalation_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('next_check_on', sa.Date(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['staff.id'], name=op.f('fk_escalation_decisions_decided_by_id_staff')),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalations.id'], name=op.f('fk_escalation_decisions_escalation_id_escalations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation_decisions'))
    )
    with op.batch_alter_table('escalation_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalation_decisions_escalation_id'), ['escalation_id'], unique=False)

    op.execute(
        """INSERT INTO escalations
               (episode_id, person_id, opened_at, status, resolved_at, resolution, version)
           SELECT id, person_id, created_at,
                  CASE WHEN end_date IS NULL THEN 'open' ELSE 'resolved' END,
                  CASE WHEN end_date IS NULL THEN NULL ELSE created_at END,
                  CASE WHEN end_date IS NULL THEN ''
                       ELSE 'Placement ended before escalations were recorded (migration 0002)'
                  END,
                  1
           FROM accommodation_episodes
           WHERE voided_reason IS NULL AND (type_code IN ('W', 'V', 'S') OR suitability = '2')"""
    )


def downgrade() -> None:
    with op.batch_alter_table('escalation_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalation_decisions_escalation_id'))

    op.drop_table('escalation_decisions')
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalations_status'))
        batch_op.drop_index(batch_op.f('ix_escalations_person_id'))
        batch_op.drop_index(batch_op.f('ix_escalations_episode_id'))

    op.drop_table('escalations')
    op.drop_table('settings')
