"""the register keeps who placed a collectivity's order and who made its basket (besides its
client's contact): the desk's progress mails go to them too

Revision ID: d1e5a0c0a301
Revises: d1e5a0c0a201
Create Date: 2026-12-07 23:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'd1e5a0c0a301'
down_revision = 'd1e5a0c0a201'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('register', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cc_emails', sa.String(length=600), nullable=True))


def downgrade():
    with op.batch_alter_table('register', schema=None) as batch_op:
        batch_op.drop_column('cc_emails')
