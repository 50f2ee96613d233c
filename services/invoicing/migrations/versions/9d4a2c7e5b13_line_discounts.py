"""an invoice line keeps the collectivity's discount it was sold with (its public price TTC and
the discount rate), printed with the line (CGI art. 242 nonies A); none for existing lines.

Revision ID: 9d4a2c7e5b13
Revises: 7c2e9b4d1a60
Create Date: 2026-12-07 07:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '9d4a2c7e5b13'
down_revision = '7c2e9b4d1a60'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invoice_lines') as batch:
        batch.add_column(sa.Column('public_price_ttc', sa.Numeric(10, 2), nullable=True))
        batch.add_column(sa.Column('discount_percent', sa.Numeric(5, 2), nullable=True))


def downgrade():
    with op.batch_alter_table('invoice_lines') as batch:
        batch.drop_column('discount_percent')
        batch.drop_column('public_price_ttc')
