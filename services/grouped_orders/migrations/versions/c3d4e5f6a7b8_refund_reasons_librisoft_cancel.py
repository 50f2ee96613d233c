"""automatic refunds of payments not owed (reason, amount, when), sub-orders' refund date,
and whether Librisoft was told of a cancellation

Revision ID: c3d4e5f6a7b8
Revises: c41d7e5a9b10
Create Date: 2026-12-06 21:15:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'c3d4e5f6a7b8'
down_revision = 'c41d7e5a9b10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('payment_attempts') as batch:
        batch.add_column(sa.Column('refund_state', sa.String(length=20), nullable=True))
        batch.add_column(sa.Column('refund_reason', sa.String(length=200), nullable=False,
                                   server_default=''))
        batch.add_column(sa.Column('refund_amount', sa.Numeric(precision=10, scale=2),
                                   nullable=True))
        batch.add_column(sa.Column('refunded_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('sub_orders') as batch:
        batch.add_column(sa.Column('refunded_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('grouped_orders') as batch:
        batch.add_column(sa.Column('librisoft_cancel_told_at', sa.DateTime(timezone=True),
                                   nullable=True))
        batch.add_column(sa.Column('librisoft_cancel_done_at', sa.DateTime(timezone=True),
                                   nullable=True))


def downgrade():
    with op.batch_alter_table('grouped_orders') as batch:
        batch.drop_column('librisoft_cancel_done_at')
        batch.drop_column('librisoft_cancel_told_at')
    with op.batch_alter_table('sub_orders') as batch:
        batch.drop_column('refunded_at')
    with op.batch_alter_table('payment_attempts') as batch:
        batch.drop_column('refunded_at')
        batch.drop_column('refund_amount')
        batch.drop_column('refund_reason')
        batch.drop_column('refund_state')
