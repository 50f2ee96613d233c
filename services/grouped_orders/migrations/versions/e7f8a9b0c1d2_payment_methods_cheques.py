"""payment methods: what a grouped order allows (online, cheque, cash), a sub-order's method and
its cheque number (issue 9, reference 003 step 1)

Revision ID: e7f8a9b0c1d2
Revises: e7a1c0d2b3f4
Create Date: 2026-12-07 00:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'e7f8a9b0c1d2'
down_revision = 'e7a1c0d2b3f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('grouped_orders') as batch:
        batch.add_column(sa.Column('payment_methods', sa.String(length=40), nullable=False,
                                   server_default='online'))
    with op.batch_alter_table('sub_orders') as batch:
        batch.add_column(sa.Column('payment_method', sa.String(length=10), nullable=False,
                                   server_default='online'))
        batch.add_column(sa.Column('cheque_number', sa.String(length=7), nullable=True))


def downgrade():
    with op.batch_alter_table('sub_orders') as batch:
        batch.drop_column('cheque_number')
        batch.drop_column('payment_method')
    with op.batch_alter_table('grouped_orders') as batch:
        batch.drop_column('payment_methods')
