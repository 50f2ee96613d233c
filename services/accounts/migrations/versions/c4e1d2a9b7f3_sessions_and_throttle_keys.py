"""server-side sessions (sign-out ends one) and the keys that serialise login throttling

Revision ID: c4e1d2a9b7f3
Revises: 84df2dfaf663
Create Date: 2026-12-06 21:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'c4e1d2a9b7f3'
down_revision = '84df2dfaf663'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account_sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash')
    )
    op.create_index(op.f('ix_account_sessions_account_id'), 'account_sessions', ['account_id'],
                    unique=False)
    op.create_table('login_throttle_keys',
    sa.Column('key', sa.String(length=330), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )


def downgrade():
    op.drop_table('login_throttle_keys')
    op.drop_index(op.f('ix_account_sessions_account_id'), table_name='account_sessions')
    op.drop_table('account_sessions')
