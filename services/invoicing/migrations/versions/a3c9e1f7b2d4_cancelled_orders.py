"""cancelled_orders: the orders their owners cancelled, recorded under the series' lock, so that
an invoice and its order's cancellation at the same moment end with no live invoice of a
cancelled order, whichever comes first

Revision ID: a3c9e1f7b2d4
Revises: f6a1c3e8d205
Create Date: 2026-12-07 22:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'a3c9e1f7b2d4'
down_revision = 'f6a1c3e8d205'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cancelled_orders',
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('number', sa.String(length=20), nullable=False),
        sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('kind', 'number'))


def downgrade():
    op.drop_table('cancelled_orders')
