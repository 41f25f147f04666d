"""local offer: catalogue and ledger

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

Seeds the catalogue with the defaults of DESIGN 3.5; the data is written out here so that a later
change to the defaults in the code never changes what this revision did.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('offer_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('amount_pence', sa.Integer(), nullable=True),
    sa.Column('quantity_hundredths', sa.Integer(), nullable=True),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('min_age', sa.Integer(), nullable=False),
    sa.Column('max_age', sa.Integer(), nullable=False),
    sa.Column('categories', sa.String(length=120), nullable=False),
    sa.Column('year_starts_month', sa.Integer(), nullable=False),
    sa.Column('condition', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offer_items')),
    sa.UniqueConstraint('name', name=op.f('uq_offer_items_name'))
    )
    op.create_table('offer_ledger',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('entry_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('amount_pence', sa.Integer(), nullable=True),
    sa.Column('quantity_hundredths', sa.Integer(), nullable=True),
    sa.Column('declined_reason', sa.Text(), nullable=False),
    sa.Column('exception_reason', sa.Text(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['staff.id'], name=op.f('fk_offer_ledger_approved_by_id_staff')),
    sa.ForeignKeyConstraint(['item_id'], ['offer_items.id'], name=op.f('fk_offer_ledger_item_id_offer_items')),
    sa.ForeignKeyConstraint(['person_id'], ['young_people.id'], name=op.f('fk_offer_ledger_person_id_young_people')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff.id'], name=op.f('fk_offer_ledger_recorded_by_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offer_ledger'))
    )
    with op.batch_alter_table('offer_ledger', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offer_ledger_item_id_entry_on'), ['item_id', 'entry_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_offer_ledger_person_id'), ['person_id'], unique=False)

    items = sa.table(
        'offer_items',
        *(sa.column(name) for name in (
            'name', 'category', 'kind', 'amount_pence', 'quantity_hundredths', 'unit', 'min_age',
            'max_age', 'categories', 'year_starts_month', 'condition', 'active', 'description',
            'sort_order', 'version',
        )),
    )
    op.bulk_insert(items, [
        {**row, 'sort_order': n, 'version': 1, 'active': True}
        for n, row in enumerate(SEED, start=1)
    ])


_SUPPORTED = 'eligible,relevant,former_relevant'
_ALL = 'eligible,relevant,former_relevant,qualifying'


def _item(name, category, kind, *, amount=None, hours=None, unit='', min_age=16, max_age=25,
          categories=_SUPPORTED, year_month=4, condition='none', description=''):
    return {
        'name': name, 'category': category, 'kind': kind, 'amount_pence': amount,
        'quantity_hundredths': hours * 100 if hours is not None else None, 'unit': unit,
        'min_age': min_age, 'max_age': max_age, 'categories': categories,
        'year_starts_month': year_month, 'condition': condition, 'description': description,
    }


SEED = [
    _item('Setting-up-home allowance', 'housing', 'lifetime', amount=300_000,
          description='To furnish and equip a first home (DfE minimum from April 2023).'),
    _item('Second setting-up-home bursary', 'housing', 'lifetime', amount=50_000,
          condition='after_tenancy_ends',
          description='When a first tenancy has ended and the young person sets up home again.'),
    _item('Higher education bursary', 'education_and_work', 'lifetime', amount=200_000,
          min_age=18, categories='former_relevant',
          description='Statutory bursary for a former relevant young person in higher education.'),
    _item('16–19 bursary', 'education_and_work', 'per_year', amount=120_000, max_age=19,
          categories=_ALL, year_month=9,
          description='Per academic year (from 1 September) while in further education.'),
    _item('Leisure funding', 'leisure', 'per_month', amount=2_000),
    _item('Driving lessons', 'education_and_work', 'quantity', hours=10, unit='hours',
          min_age=17,
          description='Paid lessons with an approved instructor, kept apart from leisure funding.'),
    _item('Broadband / Wi-Fi', 'digital', 'per_month', amount=2_500),
    _item('Council tax exemption', 'housing', 'non_financial', min_age=18,
          categories='former_relevant', description='Exemption from council tax to age 25.'),
    _item('Ring-fenced apprenticeship offer', 'education_and_work', 'non_financial',
          categories=_ALL),
    _item('Interpreter / translated material', 'other', 'non_financial', categories=_ALL,
          description="An interpreter at meetings and material in the young person's language."),
]



def downgrade() -> None:
    with op.batch_alter_table('offer_ledger', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offer_ledger_person_id'))
        batch_op.drop_index(batch_op.f('ix_offer_ledger_item_id_entry_on'))

    op.drop_table('offer_ledger')
    op.drop_table('offer_items')
