"""documents.search_key: a quote or an order found by its collectivity's name (folded: accents
and case ignored), its client number, reference, contact and e-mails; the existing documents'
keys computed here

Revision ID: a7c3e9d1f2b4
Revises: f8b2d1e3c4a5
Create Date: 2026-12-07 12:30:00
"""
from alembic import op
import sqlalchemy as sa
from unidecode import unidecode


revision = 'a7c3e9d1f2b4'
down_revision = 'f8b2d1e3c4a5'
branch_labels = None
depends_on = None

# services/baskets/domain/filters.py SEARCHED and search_key, as they were written (a migration
# does not follow the code's later changes)
SEARCHED = ("client_name", "client_number", "reference", "contact_name", "contact_email",
            "basket_creator_email", "placed_by_email")


def _key(row):
    text = " ".join(str(getattr(row, name) or "") for name in SEARCHED)
    return " ".join(unidecode(text).lower().split())[:800]


def upgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_key', sa.String(length=800), server_default='',
                                      nullable=False))
    documents = sa.table('documents', sa.column('id', sa.Integer),
                         sa.column('search_key', sa.String),
                         *(sa.column(name, sa.String) for name in SEARCHED))
    bind = op.get_bind()
    rows = bind.execute(sa.select(documents.c.id, *(documents.c[n] for n in SEARCHED))).all()
    for row in rows:
        bind.execute(documents.update().where(documents.c.id == row.id)
                     .values(search_key=_key(row)))


def downgrade():
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('search_key')
