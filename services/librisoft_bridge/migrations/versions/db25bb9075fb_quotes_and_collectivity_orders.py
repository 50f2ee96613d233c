"""quotes and collectivity orders: their reference, contact, HT and VAT totals, and the
frozen line prices (public price, discount, HT, VAT); all nullable, grouped orders have none

Revision ID: db25bb9075fb
Revises: 4148cfde8ecf
Create Date: 2026-12-01 21:28:59.596762
"""
from alembic import op
import sqlalchemy as sa


revision = 'db25bb9075fb'
down_revision = '4148cfde8ecf'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_price_ttc', sa.Numeric(precision=10, scale=2), nullable=True))
        batch_op.add_column(sa.Column('discount_percent', sa.Numeric(precision=5, scale=2), nullable=True))
        batch_op.add_column(sa.Column('discount_amount', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.add_column(sa.Column('total_ht', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.add_column(sa.Column('vat_amount', sa.Numeric(precision=14, scale=2), nullable=True))

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('reference', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('discount_total', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.add_column(sa.Column('subtotal_ht', sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.add_column(sa.Column('vat_total', sa.Numeric(precision=14, scale=2), nullable=True))


def downgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('vat_total')
        batch_op.drop_column('subtotal_ht')
        batch_op.drop_column('discount_total')
        batch_op.drop_column('reference')
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('contact_name')

    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_column('vat_amount')
        batch_op.drop_column('total_ht')
        batch_op.drop_column('discount_amount')
        batch_op.drop_column('discount_percent')
        batch_op.drop_column('public_price_ttc')
