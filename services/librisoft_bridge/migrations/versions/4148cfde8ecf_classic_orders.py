"""classic orders

Revision ID: 4148cfde8ecf
Revises: fa40fc610c79
Create Date: 2026-12-01 20:59:22.223481
"""
from alembic import op
import sqlalchemy as sa


revision = '4148cfde8ecf'
down_revision = 'fa40fc610c79'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('orders',
    sa.Column('number', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('source_kind', sa.String(length=30), nullable=False),
    sa.Column('source_number', sa.Integer(), nullable=False),
    sa.Column('client_number', sa.String(length=50), nullable=False),
    sa.Column('client_name', sa.String(length=200), nullable=False),
    sa.Column('initiator_email', sa.String(length=254), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('pickup_label', sa.Text(), nullable=False),
    sa.Column('billing_label', sa.Text(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('total_ttc', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('picked_up_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('librisoft_number', sa.String(length=40), nullable=True),
    sa.Column('librisoft_status', sa.String(length=100), nullable=True),
    sa.Column('status_updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('placed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('number'),
    sa.UniqueConstraint('source_kind', 'source_number', name='uq_orders_source')
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index('ix_orders_state', ['state', 'number'], unique=False)

    op.create_table('order_lines',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('order_number', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('ean', sa.String(length=13), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('vat_rate', sa.String(length=3), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_ttc', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('total_ttc', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['order_number'], ['orders.number'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('order_number', 'position', name='uq_order_lines_position')
    )


def downgrade():
    op.drop_table('order_lines')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_state')

    op.drop_table('orders')
