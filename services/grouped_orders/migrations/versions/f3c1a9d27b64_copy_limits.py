"""copy limits: a grouped order's optional minimum of paid copies to go ahead and maximum of
copies held (issue 10, "Beyond every peer")

Revision ID: f3c1a9d27b64
Revises: f1a2b3c4d5e6
Create Date: 2026-12-07 01:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'f3c1a9d27b64'
down_revision = 'f1a2b3c4d5e6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('grouped_orders') as batch:
        batch.add_column(sa.Column('min_copies', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('max_copies', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('grouped_orders') as batch:
        batch.drop_column('max_copies')
        batch.drop_column('min_copies')
