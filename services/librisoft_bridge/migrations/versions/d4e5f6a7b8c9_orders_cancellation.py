"""classic orders: cancellation (when, why, when Librisoft acknowledged it)

Revision ID: d4e5f6a7b8c9
Revises: db25bb9075fb
Create Date: 2026-12-06 21:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'd4e5f6a7b8c9'
down_revision = 'db25bb9075fb'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('orders') as batch:
        batch.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('cancel_reason', sa.Text(), nullable=True))
        batch.add_column(sa.Column('cancellation_acknowledged_at', sa.DateTime(timezone=True),
                                   nullable=True))


def downgrade():
    with op.batch_alter_table('orders') as batch:
        batch.drop_column('cancellation_acknowledged_at')
        batch.drop_column('cancel_reason')
        batch.drop_column('cancelled_at')
