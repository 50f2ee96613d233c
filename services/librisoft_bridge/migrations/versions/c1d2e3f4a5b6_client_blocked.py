"""collectivity clients: « Client bloqué » as Librisoft sends it

Revision ID: c1d2e3f4a5b6
Revises: f3c4d5e6f7a8
Create Date: 2026-12-08 01:30:00
"""
import sqlalchemy as sa
from alembic import op


revision = 'c1d2e3f4a5b6'
down_revision = 'f3c4d5e6f7a8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('clients') as batch:
        batch.add_column(sa.Column('blocked', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('clients') as batch:
        batch.drop_column('blocked')
