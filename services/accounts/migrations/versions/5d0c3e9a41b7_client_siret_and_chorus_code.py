"""collectivity clients: SIRET and Chorus Pro service code, set by the bookshop (issue 9)

Revision ID: 5d0c3e9a41b7
Revises: e63f9a7c1d32
Create Date: 2026-12-06 23:55:00
"""
import sqlalchemy as sa
from alembic import op


revision = '5d0c3e9a41b7'
down_revision = 'e63f9a7c1d32'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('clients') as batch:
        batch.add_column(sa.Column('siret', sa.String(length=14), nullable=True))
        batch.add_column(sa.Column('chorus_service_code', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('clients') as batch:
        batch.drop_column('chorus_service_code')
        batch.drop_column('siret')
