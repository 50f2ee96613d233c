"""invoiced orders: the collectivity orders invoicing has invoiced (invoice_issued), locked while live

Revision ID: f8b2d1e3c4a5
Revises: d52e8f6b0c21
Create Date: 2026-12-07 00:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'f8b2d1e3c4a5'
down_revision = 'd52e8f6b0c21'
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
