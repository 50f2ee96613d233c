"""reminders before the deadline (issue 10, K1): when the initiator's and each sub-order's
reminder went, and whether the bookshop lets buyers be reminded

Revision ID: f1a2b3c4d5e6
Revises: e10a7b3c5d21
Create Date: 2026-12-07 01:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'f1a2b3c4d5e6'
down_revision = 'e10a7b3c5d21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('grouped_orders') as batch:
        batch.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('buyer_reminders', sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
    with op.batch_alter_table('sub_orders') as batch:
        batch.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('sub_orders') as batch:
        batch.drop_column('reminded_at')
    with op.batch_alter_table('grouped_orders') as batch:
        batch.drop_column('buyer_reminders')
        batch.drop_column('reminded_at')
