"""an invoice freezes the money handed back, or paid more, at pickup (distribution day's notes
of a sub-order): it says the net paid and the balance; 0 for every existing invoice.

Revision ID: 7c2e9b4d1a60
Revises: 3f0c1a9e7b21
Create Date: 2026-12-07 06:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '7c2e9b4d1a60'
down_revision = '3f0c1a9e7b21'
branch_labels = None
depends_on = None

MONEY = sa.Numeric(10, 2)


def upgrade():
    with op.batch_alter_table('invoices') as batch:
        batch.add_column(sa.Column('refunded_at_pickup', MONEY, server_default='0',
                                   nullable=False))
        batch.add_column(sa.Column('extra_at_pickup', MONEY, server_default='0',
                                   nullable=False))


def downgrade():
    with op.batch_alter_table('invoices') as batch:
        batch.drop_column('extra_at_pickup')
        batch.drop_column('refunded_at_pickup')
