"""invoices.search_key: the register found by words of the customer, the client number, SIRET,
reference, order or number (folded: accents and case ignored); the existing documents' keys
computed here

Revision ID: b5e1f3a8c204
Revises: 9d4a2c7e5b13
Create Date: 2026-12-07 13:40:00
"""
from alembic import op
import sqlalchemy as sa
from unidecode import unidecode


revision = 'b5e1f3a8c204'
down_revision = '9d4a2c7e5b13'
branch_labels = None
depends_on = None

# services/invoicing/domain/register.py SEARCHED and search_key as they were written (a
# migration does not follow the code's later changes)
SEARCHED = ("number", "customer_name", "customer_email", "client_number", "siret",
            "reference", "title", "order_number")


def _key(row):
    text = " ".join(str(getattr(row, name) or "") for name in SEARCHED)
    return " ".join(unidecode(text).lower().split())[:600]


def upgrade():
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_key', sa.String(length=600), server_default='',
                                      nullable=False))
    invoices = sa.table('invoices', sa.column('id', sa.Integer),
                        sa.column('search_key', sa.String),
                        *(sa.column(name, sa.String) for name in SEARCHED))
    bind = op.get_bind()
    rows = bind.execute(sa.select(invoices.c.id, *(invoices.c[n] for n in SEARCHED))).all()
    for row in rows:
        bind.execute(invoices.update().where(invoices.c.id == row.id)
                     .values(search_key=_key(row)))


def downgrade():
    with op.batch_alter_table('invoices', schema=None) as batch_op:
        batch_op.drop_column('search_key')
