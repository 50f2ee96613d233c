"""the order desk's first tables: the messaging tables and the register of every order

Revision ID: d1e5a0c0a001
Revises:
Create Date: 2026-12-06 23:55:00
"""
from alembic import op
import sqlalchemy as sa

from services.common.messaging_models import (create_idempotent_requests,
                                              create_messaging_tables,
                                              drop_idempotent_requests, drop_messaging_tables)


revision = 'd1e5a0c0a001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    create_messaging_tables(op)
    create_idempotent_requests(op)
    op.create_table(
        'register',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('grouped_order_number', sa.Integer(), nullable=True),
        sa.Column('customer_name', sa.String(length=200), nullable=False),
        sa.Column('customer_email', sa.String(length=254), nullable=False),
        sa.Column('client_name', sa.String(length=200), nullable=False),
        sa.Column('client_number', sa.String(length=40), nullable=False),
        sa.Column('search_key', sa.String(length=700), nullable=False),
        sa.Column('total_ttc', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('placed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('placed_day', sa.Date(), nullable=True),
        sa.Column('payment_state', sa.String(length=20), nullable=True),
        sa.Column('payment_label', sa.String(length=60), nullable=True),
        sa.Column('payment_method', sa.String(length=20), nullable=True),
        sa.Column('cheque_number', sa.String(length=40), nullable=True),
        sa.Column('payment_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('progress', sa.String(length=20), nullable=False),
        sa.Column('progress_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('invoice_number', sa.String(length=20), nullable=True),
        sa.Column('batch_number', sa.Integer(), nullable=True),
        sa.Column('detail_url', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('kind', 'number', name='uq_register_kind_number'),
    )
    with op.batch_alter_table('register', schema=None) as batch_op:
        batch_op.create_index('ix_register_placed_day', ['placed_day'], unique=False)
        batch_op.create_index('ix_register_placed_at', ['placed_at'], unique=False)


def downgrade():
    with op.batch_alter_table('register', schema=None) as batch_op:
        batch_op.drop_index('ix_register_placed_at')
        batch_op.drop_index('ix_register_placed_day')
    op.drop_table('register')
    drop_idempotent_requests(op)
    drop_messaging_tables(op)
