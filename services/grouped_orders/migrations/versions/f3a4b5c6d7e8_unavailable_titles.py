"""a title becomes unavailable (issue 10, K3): the copies a title will actually get, and each
sub-order's line changed by it (before → after, the money owed back and how)

Revision ID: f3a4b5c6d7e8
Revises: f3c1a9d27b64
Create Date: 2026-12-07 01:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'f3a4b5c6d7e8'
down_revision = 'f3c1a9d27b64'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'title_availabilities',
        sa.Column('title_id', sa.Integer(), nullable=False),
        sa.Column('grouped_order_number', sa.Integer(), nullable=False),
        sa.Column('available', sa.Integer(), nullable=False),
        sa.Column('adjusted_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['grouped_order_number'], ['grouped_orders.number']),
        sa.ForeignKeyConstraint(['title_id'], ['grouped_order_titles.id']),
        sa.PrimaryKeyConstraint('title_id'))
    op.create_index(op.f('ix_title_availabilities_grouped_order_number'),
                    'title_availabilities', ['grouped_order_number'], unique=False)
    op.create_table(
        'sub_order_adjustments',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('sub_order_number', sa.Integer(), nullable=False),
        sa.Column('title_id', sa.Integer(), nullable=False),
        sa.Column('available', sa.Integer(), nullable=False),
        sa.Column('quantity_before', sa.Integer(), nullable=False),
        sa.Column('quantity_after', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column('money_way', sa.String(length=20), nullable=False),
        sa.Column('refund_state', sa.String(length=20), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['sub_order_number'], ['sub_orders.number']),
        sa.ForeignKeyConstraint(['title_id'], ['grouped_order_titles.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('sub_order_number', 'title_id', 'available',
                            name='uq_sub_order_adjustments_step'))
    op.create_index(op.f('ix_sub_order_adjustments_sub_order_number'),
                    'sub_order_adjustments', ['sub_order_number'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_sub_order_adjustments_sub_order_number'),
                  table_name='sub_order_adjustments')
    op.drop_table('sub_order_adjustments')
    op.drop_index(op.f('ix_title_availabilities_grouped_order_number'),
                  table_name='title_availabilities')
    op.drop_table('title_availabilities')
