"""manual payments: a payment's method (online, cheque, cash), its cheque number and who recorded
it (issue 9, reference 003 step 1)

Revision ID: d4e5a6b7c8d9
Revises: c9d8e7f6a5b4
Create Date: 2026-12-07 00:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'd4e5a6b7c8d9'
down_revision = 'c9d8e7f6a5b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('payments') as batch:
        batch.add_column(sa.Column('method', sa.String(length=10), nullable=False,
                                   server_default='online'))
        batch.add_column(sa.Column('cheque_number', sa.String(length=7), nullable=True))
        batch.add_column(sa.Column('recorded_by', sa.String(length=254), nullable=True))


def downgrade():
    with op.batch_alter_table('payments') as batch:
        batch.drop_column('recorded_by')
        batch.drop_column('cheque_number')
        batch.drop_column('method')
