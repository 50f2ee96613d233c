"""invoiced orders: the sub-orders invoicing has invoiced (invoice_issued), locked while live

Revision ID: e7a1c0d2b3f4
Revises: c3d4e5f6a7b8
Create Date: 2026-12-07 00:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'e7a1c0d2b3f4'
down_revision = 'c3d4e5f6a7b8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'invoiced_orders',
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('invoice_number', sa.String(length=20), nullable=False),
        sa.Column('live', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('kind', 'number'))


def downgrade():
    op.drop_table('invoiced_orders')
