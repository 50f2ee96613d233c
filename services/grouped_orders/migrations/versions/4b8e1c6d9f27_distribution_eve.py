"""the distribution's eve: the date each buyer was reminded of the day before (once per
date, the timer's guarded claim); none for the existing sub-orders.

Revision ID: 4b8e1c6d9f27
Revises: 9d3f5a7c2e18
Create Date: 2026-12-07 06:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '4b8e1c6d9f27'
down_revision = '9d3f5a7c2e18'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sub_orders') as batch:
        batch.add_column(sa.Column('eve_reminded_for', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('sub_orders') as batch:
        batch.drop_column('eve_reminded_for')
