"""distribution day (issue 10 K5): each sub-order's ticks (« venu », « a tout retiré »), the
refunds and extra payments noted at pickup, and the distribution's validation (once per
grouped order).

Revision ID: d15b7a1e2c40
Revises: f3a4b5c6d7e8
Create Date: 2026-12-07 01:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'd15b7a1e2c40'
down_revision = 'f3a4b5c6d7e8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'distribution_marks',
        sa.Column('sub_order_number', sa.Integer(), nullable=False),
        sa.Column('grouped_order_number', sa.Integer(), nullable=False),
        sa.Column('came', sa.Boolean(), nullable=False),
        sa.Column('collected_all', sa.Boolean(), nullable=False),
        sa.Column('marked_by', sa.String(length=254), nullable=False),
        sa.Column('marked_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['grouped_order_number'], ['grouped_orders.number']),
        sa.ForeignKeyConstraint(['sub_order_number'], ['sub_orders.number']),
        sa.PrimaryKeyConstraint('sub_order_number'))
    op.create_index(op.f('ix_distribution_marks_grouped_order_number'), 'distribution_marks',
                    ['grouped_order_number'], unique=False)
    op.create_table(
        'distribution_notes',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('sub_order_number', sa.Integer(), nullable=False),
        sa.Column('grouped_order_number', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('amount', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('noted_by', sa.String(length=254), nullable=False),
        sa.Column('noted_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['grouped_order_number'], ['grouped_orders.number']),
        sa.ForeignKeyConstraint(['sub_order_number'], ['sub_orders.number']),
        sa.PrimaryKeyConstraint('id'))
    op.create_index(op.f('ix_distribution_notes_grouped_order_number'), 'distribution_notes',
                    ['grouped_order_number'], unique=False)
    op.create_index(op.f('ix_distribution_notes_sub_order_number'), 'distribution_notes',
                    ['sub_order_number'], unique=False)
    op.create_table(
        'distributions',
        sa.Column('grouped_order_number', sa.Integer(), nullable=False),
        sa.Column('validated_by', sa.String(length=254), nullable=False),
        sa.Column('validated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('absent', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['grouped_order_number'], ['grouped_orders.number']),
        sa.PrimaryKeyConstraint('grouped_order_number'))


def downgrade():
    op.drop_table('distributions')
    op.drop_index(op.f('ix_distribution_notes_sub_order_number'), table_name='distribution_notes')
    op.drop_index(op.f('ix_distribution_notes_grouped_order_number'),
                  table_name='distribution_notes')
    op.drop_table('distribution_notes')
    op.drop_index(op.f('ix_distribution_marks_grouped_order_number'),
                  table_name='distribution_marks')
    op.drop_table('distribution_marks')
