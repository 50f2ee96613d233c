"""sub_order_credits: the copies a credit note took off a sub-order's lines

Revision ID: a9b8c7d6e5f4
Revises: d8e1f2a3b4c5
Create Date: 2026-12-08 01:40:00
"""
import sqlalchemy as sa
from alembic import op


revision = 'a9b8c7d6e5f4'
down_revision = 'd8e1f2a3b4c5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sub_order_credits',
        sa.Column('credit_note_number', sa.String(length=20), nullable=False),
        sa.Column('sub_order_number', sa.Integer(), nullable=False),
        sa.Column('copies', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['sub_order_number'], ['sub_orders.number']),
        sa.PrimaryKeyConstraint('credit_note_number'))
    op.create_index(op.f('ix_sub_order_credits_sub_order_number'), 'sub_order_credits',
                    ['sub_order_number'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_sub_order_credits_sub_order_number'), table_name='sub_order_credits')
    op.drop_table('sub_order_credits')
