"""a parent's order names its pupil (and class), optional: the sign-in sheet, the distribution
page and the CSV show it (reference 004: the teacher checks who comes for which child)

Revision ID: d8e1f2a3b4c5
Revises: c7d2e9a4b1f0
Create Date: 2026-12-07 23:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'd8e1f2a3b4c5'
down_revision = 'c7d2e9a4b1f0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sub_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pupil', sa.String(length=100), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('sub_orders', schema=None) as batch_op:
        batch_op.drop_column('pupil')
