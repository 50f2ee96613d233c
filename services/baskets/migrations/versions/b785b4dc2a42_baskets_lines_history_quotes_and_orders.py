"""baskets, lines, history, quotes and orders

Revision ID: b785b4dc2a42
Revises: 3da753713023
Create Date: 2026-12-01 21:14:09.761930
"""
from alembic import op
import sqlalchemy as sa


revision = 'b785b4dc2a42'
down_revision = '3da753713023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('baskets',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('client_number', sa.String(length=40), nullable=False),
    sa.Column('client_name', sa.String(length=200), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('owner_email', sa.String(length=254), nullable=False),
    sa.Column('owner_role', sa.String(length=20), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('path', sa.JSON(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('discounts', sa.JSON(), nullable=False),
    sa.Column('document_kind', sa.String(length=20), nullable=True),
    sa.Column('document_number', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('transformed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('baskets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_baskets_client_number'), ['client_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_baskets_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_baskets_owner_id'), ['owner_id'], unique=False)

    op.create_table('document_counters',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind')
    )
    op.create_table('documents',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('client_number', sa.String(length=40), nullable=False),
    sa.Column('client_name', sa.String(length=200), nullable=False),
    sa.Column('basket_id', sa.Integer(), nullable=False),
    sa.Column('basket_name', sa.String(length=100), nullable=False),
    sa.Column('basket_creator_id', sa.Integer(), nullable=False),
    sa.Column('basket_creator_email', sa.String(length=254), nullable=False),
    sa.Column('placed_by_id', sa.Integer(), nullable=False),
    sa.Column('placed_by_email', sa.String(length=254), nullable=False),
    sa.Column('reference', sa.String(length=50), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('delivery_label', sa.Text(), nullable=False),
    sa.Column('billing_label', sa.Text(), nullable=False),
    sa.Column('delivery_client_number', sa.String(length=40), nullable=False),
    sa.Column('billing_client_number', sa.String(length=40), nullable=False),
    sa.Column('delivery_mode', sa.String(length=20), nullable=False),
    sa.Column('payment_mode', sa.String(length=40), nullable=False),
    sa.Column('line_count', sa.Integer(), nullable=False),
    sa.Column('article_count', sa.Integer(), nullable=False),
    sa.Column('discount_total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('subtotal_ht', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('vat_total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('subtotal_ttc', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('total_ttc', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('placed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('classic_order_number', sa.Integer(), nullable=True),
    sa.Column('librisoft_number', sa.String(length=40), nullable=True),
    sa.Column('librisoft_status', sa.String(length=100), nullable=True),
    sa.Column('librisoft_updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('picked_up_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('made_available_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('shipped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'number', name='uq_documents_kind_number')
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_client_number'), ['client_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_librisoft_number'), ['librisoft_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_placed_at'), ['placed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_reference'), ['reference'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_status'), ['status'], unique=False)

    op.create_table('basket_history',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('basket_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('actor_email', sa.String(length=254), nullable=False),
    sa.Column('actor_role', sa.String(length=20), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_level', sa.Integer(), nullable=False),
    sa.Column('to_level', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['basket_id'], ['baskets.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('basket_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_basket_history_basket_id'), ['basket_id'], unique=False)

    op.create_table('basket_lines',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('basket_id', sa.Integer(), nullable=False),
    sa.Column('ean', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('author', sa.String(length=300), nullable=False),
    sa.Column('publisher', sa.String(length=300), nullable=False),
    sa.Column('price_ttc', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('vat_rate', sa.String(length=5), nullable=False),
    sa.Column('school_book', sa.Boolean(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('priced_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['basket_id'], ['baskets.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('basket_id', 'ean', name='uq_basket_lines_ean')
    )
    with op.batch_alter_table('basket_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_basket_lines_basket_id'), ['basket_id'], unique=False)

    op.create_table('document_history',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_email', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=False),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('document_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_history_document_id'), ['document_id'], unique=False)

    op.create_table('document_lines',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('ean', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('author', sa.String(length=300), nullable=False),
    sa.Column('publisher', sa.String(length=300), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('vat_rate', sa.String(length=5), nullable=False),
    sa.Column('school_book', sa.Boolean(), nullable=False),
    sa.Column('public_price_ttc', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('public_price_ht', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('unit_price_ttc', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('discount_percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('discount_amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('total_ttc', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('total_ht', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('vat_amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('lang_law_capped', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('document_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_lines_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_lines_ean'), ['ean'], unique=False)

    # documents are numbered per kind, from 1 (the UPDATE of a counter row takes its lock)
    counters = sa.table('document_counters', sa.column('kind', sa.String),
                        sa.column('last', sa.Integer))
    op.bulk_insert(counters, [{'kind': 'quote', 'last': 0}, {'kind': 'order', 'last': 0}])


def downgrade():
    with op.batch_alter_table('document_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_lines_ean'))
        batch_op.drop_index(batch_op.f('ix_document_lines_document_id'))

    op.drop_table('document_lines')
    with op.batch_alter_table('document_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_history_document_id'))

    op.drop_table('document_history')
    with op.batch_alter_table('basket_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_basket_lines_basket_id'))

    op.drop_table('basket_lines')
    with op.batch_alter_table('basket_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_basket_history_basket_id'))

    op.drop_table('basket_history')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_status'))
        batch_op.drop_index(batch_op.f('ix_documents_reference'))
        batch_op.drop_index(batch_op.f('ix_documents_placed_at'))
        batch_op.drop_index(batch_op.f('ix_documents_librisoft_number'))
        batch_op.drop_index(batch_op.f('ix_documents_client_number'))

    op.drop_table('documents')
    op.drop_table('document_counters')
    with op.batch_alter_table('baskets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_baskets_owner_id'))
        batch_op.drop_index(batch_op.f('ix_baskets_level'))
        batch_op.drop_index(batch_op.f('ix_baskets_client_number'))

    op.drop_table('baskets')
