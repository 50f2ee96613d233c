"""the SMS outbox (issue 9: new-order alerts by SMS)

Revision ID: b9c4d2e1f0a3
Revises: f2b3c4d5e6f7
Create Date: 2026-12-06 23:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'b9c4d2e1f0a3'
down_revision = 'f2b3c4d5e6f7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sms_outbox',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('kind', sa.String(length=60), nullable=False),
        sa.Column('event_id', sa.String(length=36), nullable=False),
        sa.Column('to_number', sa.String(length=32), nullable=False),
        sa.Column('text', sa.String(length=160), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('event_id', 'to_number', name='uq_sms_event_recipient'))
    op.create_index('ix_sms_pending', 'sms_outbox', ['sent_at', 'next_attempt_at'])


def downgrade():
    op.drop_index('ix_sms_pending', table_name='sms_outbox')
    op.drop_table('sms_outbox')
