"""sign-in (password hash, lock-out), deactivation date, housing and special category fields

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26

Plain add_column, never a batch copy of young_people: a copy would drop the search triggers.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_PEOPLE_TEXT = (
    ('housing_support_needs', sa.Text()),
    ('ethnicity', sa.String(length=80)),
    ('religion', sa.String(length=80)),
    ('immigration_status', sa.String(length=120)),
    ('health_needs', sa.Text()),
)


def upgrade() -> None:
    op.add_column('staff', sa.Column('password_hash', sa.String(length=200), nullable=True))
    op.add_column('staff', sa.Column('password_set_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        'staff', sa.Column('failed_sign_ins', sa.JSON(), nullable=False, server_default='[]')
    )
    op.add_column('staff', sa.Column('deactivated_at', sa.DateTime(timezone=True), nullable=True))
    for name, kind in _PEOPLE_TEXT:
        op.add_column(
            'young_people', sa.Column(name, kind, nullable=False, server_default='')
        )


def downgrade() -> None:
    with op.batch_alter_table('young_people', schema=None) as batch_op:
        for name, _kind in reversed(_PEOPLE_TEXT):
            batch_op.drop_column(name)
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_column('deactivated_at')
        batch_op.drop_column('failed_sign_ins')
        batch_op.drop_column('password_set_at')
        batch_op.drop_column('password_hash')
