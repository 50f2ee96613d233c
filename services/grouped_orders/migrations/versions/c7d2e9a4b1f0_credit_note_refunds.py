"""a credit note's refund: the money a credit note on a sub-order's paid invoice gives back,
asked of payments once, then refunded

Revision ID: c7d2e9a4b1f0
Revises: 4b8e1c6d9f27
Create Date: 2026-12-07 21:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'c7d2e9a4b1f0'
down_revision = '4b8e1c6d9f27'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'credit_note_refunds',
        sa.Column('credit_note_number', sa.String(length=20), nullable=False),
        sa.Column('sub_order_number', sa.Integer(), nullable=False),
        sa.Column('invoice_number', sa.String(length=20), nullable=False),
        sa.Column('amount', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('refund_state', sa.String(length=20), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('refunded_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['sub_order_number'], ['sub_orders.number']),
        sa.PrimaryKeyConstraint('credit_note_number'))
    op.create_index(op.f('ix_credit_note_refunds_sub_order_number'), 'credit_note_refunds',
                    ['sub_order_number'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_credit_note_refunds_sub_order_number'),
                  table_name='credit_note_refunds')
    op.drop_table('credit_note_refunds')
