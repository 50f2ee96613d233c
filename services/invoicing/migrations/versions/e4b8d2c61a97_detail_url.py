"""invoices.detail_url: the customer's own page of the order (the parent's link, the
collectivity's order page), where the mail of an invoice or a credit note sends them

Revision ID: e4b8d2c61a97
Revises: b5e1f3a8c204
Create Date: 2026-12-07 21:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'e4b8d2c61a97'
down_revision = 'b5e1f3a8c204'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('detail_url', sa.String(length=500), server_default='',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_column('detail_url')
