"""a title cut's partial refund: when payments gave it back (the buyer's own page says it);
none for the existing ones.

Revision ID: 9d3f5a7c2e18
Revises: b7d2e4f6a813
Create Date: 2026-12-07 06:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '9d3f5a7c2e18'
down_revision = 'b7d2e4f6a813'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sub_order_adjustments') as batch:
        batch.add_column(sa.Column('refunded_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('sub_order_adjustments') as batch:
        batch.drop_column('refunded_at')
