"""payouts: what the provider pays out to the bookshop, by due date, and their lines (issue 9)

Revision ID: c9d8e7f6a5b4
Revises: f1a2b3c4d5e6
Create Date: 2026-12-06 23:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'c9d8e7f6a5b4'
down_revision = 'f1a2b3c4d5e6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'payouts',
        sa.Column('id', sa.String(length=40), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('paid_key', sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_payouts_due_on', 'payouts', ['due_on', 'status'])
    op.create_index('uq_payouts_open_due_on', 'payouts', ['due_on'], unique=True,
                    postgresql_where=sa.text("status = 'open'"),
                    sqlite_where=sa.text("status = 'open'"))
    op.create_table(
        'payout_lines',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('payout_id', sa.String(length=40), nullable=False),
        sa.Column('payment_id', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('amount', sa.Numeric(10, 2), nullable=False),
        sa.Column('fee', sa.Numeric(10, 2), nullable=False),
        sa.Column('reference_kind', sa.String(length=40), nullable=False),
        sa.Column('reference_id', sa.String(length=64), nullable=False),
        sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['payout_id'], ['payouts.id']),
        sa.ForeignKeyConstraint(['payment_id'], ['payments.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('payment_id', 'kind', name='uq_payout_lines_payment_kind'))


def downgrade():
    op.drop_table('payout_lines')
    op.drop_index('uq_payouts_open_due_on', table_name='payouts')
    op.drop_index('ix_payouts_due_on', table_name='payouts')
    op.drop_table('payouts')
