"""invoicing: messaging tables, idempotent requests, the invoice series' counter, invoices and credit notes, lines

Revision ID: 3f0c1a9e7b21
Revises:
Create Date: 2026-12-07 00:10:00
"""
from alembic import op
import sqlalchemy as sa

from services.common.messaging_models import (create_idempotent_requests,
                                              create_messaging_tables,
                                              drop_idempotent_requests, drop_messaging_tables)


revision = '3f0c1a9e7b21'
down_revision = None
branch_labels = None
depends_on = None

MONEY = sa.Numeric(10, 2)


def upgrade():
    create_messaging_tables(op)
    create_idempotent_requests(op)
    counters = op.create_table(
        'invoice_counters',
        sa.Column('name', sa.String(length=20), nullable=False),
        sa.Column('last_sequence', sa.Integer(), nullable=False),
        sa.Column('last_issued_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('name'))
    op.bulk_insert(counters, [{'name': 'invoices', 'last_sequence': 0, 'last_issued_at': None}])
    op.create_table(
        'invoices',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('number', sa.String(length=20), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('order_kind', sa.String(length=30), nullable=False),
        sa.Column('order_number', sa.String(length=64), nullable=False),
        sa.Column('invoice_id', sa.Integer(), nullable=True),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sale_date', sa.Date(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('paid', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('reference', sa.String(length=200), server_default='', nullable=False),
        sa.Column('customer_name', sa.String(length=300), nullable=False),
        sa.Column('customer_email', sa.String(length=254), server_default='', nullable=False),
        sa.Column('customer_address', sa.Text(), server_default='', nullable=False),
        sa.Column('client_number', sa.String(length=40), server_default='', nullable=False),
        sa.Column('siret', sa.String(length=20), server_default='', nullable=False),
        sa.Column('chorus_service_code', sa.String(length=100), server_default='',
                  nullable=False),
        sa.Column('public_buyer', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('payment_method', sa.String(length=40), server_default='', nullable=False),
        sa.Column('payment_label', sa.String(length=100), server_default='', nullable=False),
        sa.Column('cheque_number', sa.String(length=40), server_default='', nullable=False),
        sa.Column('total_ht', MONEY, nullable=False),
        sa.Column('vat_total', MONEY, nullable=False),
        sa.Column('total_ttc', MONEY, nullable=False),
        sa.Column('reason', sa.Text(), server_default='', nullable=False),
        sa.Column('issued_by', sa.String(length=64), server_default='', nullable=False),
        sa.Column('cancelled', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('number'),
        sa.UniqueConstraint('sequence'))
    op.create_index('uq_invoices_live_order', 'invoices', ['order_kind', 'order_number'],
                    unique=True,
                    postgresql_where=sa.text("kind = 'invoice' AND cancelled = false"),
                    sqlite_where=sa.text("kind = 'invoice' AND cancelled = 0"))
    op.create_index('ix_invoices_order', 'invoices', ['order_kind', 'order_number'])
    op.create_index('ix_invoices_issued_at', 'invoices', ['issued_at'])
    op.create_table(
        'invoice_lines',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('invoice_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('ean', sa.String(length=20), server_default='', nullable=False),
        sa.Column('title', sa.String(length=500), nullable=False),
        sa.Column('publisher', sa.String(length=200), server_default='', nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('vat_rate', sa.Numeric(4, 1), nullable=False),
        sa.Column('unit_price_ht', MONEY, nullable=False),
        sa.Column('unit_price_ttc', MONEY, nullable=False),
        sa.Column('total_ht', MONEY, nullable=False),
        sa.Column('vat_amount', MONEY, nullable=False),
        sa.Column('total_ttc', MONEY, nullable=False),
        sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id']),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_invoice_lines_invoice_id', 'invoice_lines', ['invoice_id'])


def downgrade():
    op.drop_index('ix_invoice_lines_invoice_id', table_name='invoice_lines')
    op.drop_table('invoice_lines')
    op.drop_index('ix_invoices_issued_at', table_name='invoices')
    op.drop_index('ix_invoices_order', table_name='invoices')
    op.drop_index('uq_invoices_live_order', table_name='invoices')
    op.drop_table('invoices')
    op.drop_table('invoice_counters')
    drop_idempotent_requests(op)
    drop_messaging_tables(op)
