"""collectivity clients: « Client bloqué » from Librisoft (no order placed for it)

Revision ID: b7c8d9e0f1a2
Revises: 5d0c3e9a41b7
Create Date: 2026-12-08 01:30:00
"""
import sqlalchemy as sa
from alembic import op


revision = 'b7c8d9e0f1a2'
down_revision = '5d0c3e9a41b7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('clients') as batch:
        batch.add_column(sa.Column('blocked', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('clients') as batch:
        batch.drop_column('blocked')
