"""invoices.settled_at, settled_note: an invoice on account (a collectivity's) marked paid by the
bookshop when its transfer or cheque came in (« Marquer réglée »), and how

Revision ID: f6a1c3e8d205
Revises: e4b8d2c61a97
Create Date: 2026-12-07 21:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'f6a1c3e8d205'
down_revision = 'e4b8d2c61a97'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('settled_note', sa.String(length=200), server_default='',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_column('settled_note')
        batch_op.drop_column('settled_at')
