"""the register knows an order whose invoice credit notes took entirely (« annulée par avoir »):
the calendar leaves it out of the day's figures

Revision ID: d1e5a0c0a201
Revises: d1e5a0c0a101
Create Date: 2026-12-07 12:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'd1e5a0c0a201'
down_revision = 'd1e5a0c0a101'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('register', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credited_invoice', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('register', schema=None) as batch_op:
        batch_op.drop_column('credited_invoice')
