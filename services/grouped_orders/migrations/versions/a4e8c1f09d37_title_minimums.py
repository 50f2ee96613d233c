"""title minimums: each title of a reading list may have its own minimum of paid copies
(issue 10, « a minimum per title or overall »); none for every existing title.

Revision ID: a4e8c1f09d37
Revises: d15b7a1e2c40
Create Date: 2026-12-07 03:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'a4e8c1f09d37'
down_revision = 'd15b7a1e2c40'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('grouped_order_titles') as batch:
        batch.add_column(sa.Column('min_copies', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('grouped_order_titles') as batch:
        batch.drop_column('min_copies')
