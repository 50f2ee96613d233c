"""mails refused for good are marked failed (failed_at) instead of retried forever

Revision ID: e7b3c1f05a92
Revises: a8174d49432d
Create Date: 2026-12-06 21:12:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'e7b3c1f05a92'
down_revision = 'a8174d49432d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mails') as batch_op:
        batch_op.add_column(sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('mails') as batch_op:
        batch_op.drop_column('failed_at')
