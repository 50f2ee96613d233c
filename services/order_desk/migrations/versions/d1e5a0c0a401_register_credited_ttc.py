"""the register keeps what partial credit notes took off an order's live invoice: the calendar
and the list count the order for the rest

Revision ID: d1e5a0c0a401
Revises: d1e5a0c0a301
Create Date: 2026-12-08 02:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'd1e5a0c0a401'
down_revision = 'd1e5a0c0a301'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('register', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credited_ttc', sa.Numeric(precision=12, scale=2),
                                      nullable=False, server_default='0'))


def downgrade():
    with op.batch_alter_table('register', schema=None) as batch_op:
        batch_op.drop_column('credited_ttc')
