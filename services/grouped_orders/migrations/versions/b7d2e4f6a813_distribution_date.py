"""distribution date: the day (and an optional time slot) the books are handed out, set by the
initiator or the bookshop once the grouped order is validated; whether buyers are mailed when
their books are ready (None: the default of the pickup kind, see domain.ready_mails_on).

Revision ID: b7d2e4f6a813
Revises: a4e8c1f09d37
Create Date: 2026-12-07 04:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'b7d2e4f6a813'
down_revision = 'a4e8c1f09d37'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('grouped_orders') as batch:
        batch.add_column(sa.Column('distribution_date', sa.Date(), nullable=True))
        batch.add_column(sa.Column('distribution_slot', sa.String(length=100), nullable=False,
                                   server_default=''))
        batch.add_column(sa.Column('buyer_ready_mails', sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table('grouped_orders') as batch:
        batch.drop_column('buyer_ready_mails')
        batch.drop_column('distribution_slot')
        batch.drop_column('distribution_date')
