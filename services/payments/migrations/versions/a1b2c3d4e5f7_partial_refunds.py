"""partial refunds (issue 10, K3): several refunds per payment, each under its own request key;
one payout line per refund

Revision ID: a1b2c3d4e5f7
Revises: d4e5a6b7c8d9
Create Date: 2026-12-07 01:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'a1b2c3d4e5f7'
down_revision = 'd4e5a6b7c8d9'
branch_labels = None
depends_on = None

# the first revision's unnamed unique constraint on refunds.payment_id, named for SQLite's
# batch mode (PostgreSQL named it refunds_payment_id_key)
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _drop_unique_payment_id():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint('refunds_payment_id_key', 'refunds', type_='unique')
        return
    with op.batch_alter_table('refunds', naming_convention=NAMING) as batch:
        batch.drop_constraint('uq_refunds_payment_id', type_='unique')


def upgrade():
    _drop_unique_payment_id()
    with op.batch_alter_table('refunds') as batch:
        batch.add_column(sa.Column('request_key', sa.String(length=100), nullable=True))
        batch.create_unique_constraint('uq_refunds_request_key', ['request_key'])
        batch.create_index('ix_refunds_payment_id', ['payment_id'], unique=False)
    with op.batch_alter_table('payout_lines') as batch:
        batch.add_column(sa.Column('refund_id', sa.String(length=40), nullable=False,
                                   server_default=''))
        batch.drop_constraint('uq_payout_lines_payment_kind', type_='unique')
        batch.create_unique_constraint('uq_payout_lines_payment_kind_refund',
                                       ['payment_id', 'kind', 'refund_id'])


def downgrade():
    with op.batch_alter_table('payout_lines') as batch:
        batch.drop_constraint('uq_payout_lines_payment_kind_refund', type_='unique')
        batch.create_unique_constraint('uq_payout_lines_payment_kind', ['payment_id', 'kind'])
        batch.drop_column('refund_id')
    with op.batch_alter_table('refunds') as batch:
        batch.drop_index('ix_refunds_payment_id')
        batch.drop_constraint('uq_refunds_request_key', type_='unique')
        batch.drop_column('request_key')
        batch.create_unique_constraint('refunds_payment_id_key', ['payment_id'])
