"""the progress states' history (who, when, from -> to, comment) and the moves asked of the
owners from the desk

Revision ID: d1e5a0c0a101
Revises: d1e5a0c0a001
Create Date: 2026-12-07 00:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'd1e5a0c0a101'
down_revision = 'd1e5a0c0a001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'progress_history',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('from_status', sa.String(length=20), nullable=True),
        sa.Column('to_status', sa.String(length=20), nullable=False),
        sa.Column('by', sa.String(length=254), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('comment', sa.String(length=1000), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('progress_history', schema=None) as batch_op:
        batch_op.create_index('ix_progress_history_order', ['kind', 'number'], unique=False)
    op.create_table(
        'progress_requests',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('to_status', sa.String(length=20), nullable=False),
        sa.Column('by', sa.String(length=254), nullable=False),
        sa.Column('comment', sa.String(length=1000), nullable=False),
        sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('progress_requests', schema=None) as batch_op:
        batch_op.create_index('ix_progress_requests_order', ['kind', 'number', 'to_status'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('progress_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_progress_requests_order')
    op.drop_table('progress_requests')
    with op.batch_alter_table('progress_history', schema=None) as batch_op:
        batch_op.drop_index('ix_progress_history_order')
    op.drop_table('progress_history')
