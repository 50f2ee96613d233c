"""sandbox_refunds.idempotency_key: the sandbox, as a real provider, answers the same refund to
the same key (a refund asked again after a transaction that called it was rolled back)

Revision ID: b7e3f1a9c4d2
Revises: a1b2c3d4e5f7
Create Date: 2026-12-07 21:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'b7e3f1a9c4d2'
down_revision = 'a1b2c3d4e5f7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sandbox_refunds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idempotency_key', sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint('uq_sandbox_refunds_idempotency_key',
                                          ['idempotency_key'])


def downgrade():
    with op.batch_alter_table('sandbox_refunds', schema=None) as batch_op:
        batch_op.drop_constraint('uq_sandbox_refunds_idempotency_key', type_='unique')
        batch_op.drop_column('idempotency_key')
