"""pathway planning: needs assessments, plans, reviews, and when a young person became a parent

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('needs_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('completed_by', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['young_people.id'], name=op.f('fk_needs_assessments_person_id_young_people')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff.id'], name=op.f('fk_needs_assessments_recorded_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_needs_assessments'))
    )
    with op.batch_alter_table('needs_assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_needs_assessments_person_id'), ['person_id'], unique=False)

    op.create_table('pathway_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('signed_off_on', sa.Date(), nullable=True),
    sa.Column('signed_off_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['young_people.id'], name=op.f('fk_pathway_plans_person_id_young_people')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff.id'], name=op.f('fk_pathway_plans_recorded_by_id_staff')),
    sa.ForeignKeyConstraint(['signed_off_by_id'], ['staff.id'], name=op.f('fk_pathway_plans_signed_off_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pathway_plans'))
    )
    with op.batch_alter_table('pathway_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pathway_plans_person_id'), ['person_id'], unique=False)

    op.create_table('pathway_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('attendees', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['young_people.id'], name=op.f('fk_pathway_reviews_person_id_young_people')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff.id'], name=op.f('fk_pathway_reviews_recorded_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pathway_reviews'))
    )
    with op.batch_alter_table('pathway_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pathway_reviews_person_id'), ['person_id'], unique=False)

    # A plain ADD COLUMN: a batch (copy-and-rename) would drop the search-index triggers.
    op.add_column('young_people', sa.Column('became_parent_on', sa.Date(), nullable=True))

def downgrade() -> None:
    op.drop_column('young_people', 'became_parent_on')

    with op.batch_alter_table('pathway_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pathway_reviews_person_id'))

    op.drop_table('pathway_reviews')
    with op.batch_alter_table('pathway_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pathway_plans_person_id'))

    op.drop_table('pathway_plans')
    with op.batch_alter_table('needs_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_needs_assessments_person_id'))

    op.drop_table('needs_assessments')
