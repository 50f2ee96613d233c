"""refunds: late (a success after a failure, refunded automatically)

Revision ID: b7e1c2d3a4f5
Revises: 468d3f1a7c7f
Create Date: 2026-12-06 21:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'b7e1c2d3a4f5'
down_revision = '468d3f1a7c7f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('refunds') as batch:
        batch.add_column(sa.Column('late', sa.Boolean(), server_default=sa.false(),
                                   nullable=False))


def downgrade():
    with op.batch_alter_table('refunds') as batch:
        batch.drop_column('late')
