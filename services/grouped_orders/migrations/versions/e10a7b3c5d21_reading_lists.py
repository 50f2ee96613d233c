"""reading lists (issue 10): a grouped order's titles, a sub-order's lines, the sub-order's
total, the opening date. Every grouped order of one article becomes a list of that one title
(required, at its unit price), every sub-order one line of its quantity at its unit price and a
total of unit price × quantity: the figures are unchanged.

Revision ID: e10a7b3c5d21
Revises: e7f8a9b0c1d2
Create Date: 2026-12-07 00:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'e10a7b3c5d21'
down_revision = 'e7f8a9b0c1d2'
branch_labels = None
depends_on = None

grouped_orders = sa.table('grouped_orders', sa.column('number', sa.Integer),
                          sa.column('article', sa.JSON), sa.column('unit_price', sa.Numeric))
titles = sa.table('grouped_order_titles', sa.column('id', sa.Integer),
                  sa.column('grouped_order_number', sa.Integer),
                  sa.column('position', sa.Integer), sa.column('ean', sa.String),
                  sa.column('title', sa.Text), sa.column('author', sa.Text),
                  sa.column('publisher', sa.Text), sa.column('vat_rate', sa.String),
                  sa.column('price_ttc', sa.Numeric), sa.column('required', sa.Boolean),
                  sa.column('article', sa.JSON))


def upgrade():
    op.create_table(
        'grouped_order_titles',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('grouped_order_number', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('ean', sa.String(length=20), nullable=False),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('author', sa.Text(), nullable=False),
        sa.Column('publisher', sa.Text(), nullable=False),
        sa.Column('vat_rate', sa.String(length=10), nullable=False),
        sa.Column('price_ttc', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column('required', sa.Boolean(), nullable=False),
        sa.Column('article', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['grouped_order_number'], ['grouped_orders.number']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('grouped_order_number', 'ean'),
        sa.UniqueConstraint('grouped_order_number', 'position'))
    op.create_index(op.f('ix_grouped_order_titles_grouped_order_number'),
                    'grouped_order_titles', ['grouped_order_number'], unique=False)
    op.create_table(
        'sub_order_lines',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('sub_order_number', sa.Integer(), nullable=False),
        sa.Column('title_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('unit_price', sa.Numeric(precision=10, scale=2), nullable=False),
        sa.ForeignKeyConstraint(['sub_order_number'], ['sub_orders.number']),
        sa.ForeignKeyConstraint(['title_id'], ['grouped_order_titles.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('sub_order_number', 'title_id'))
    op.create_index(op.f('ix_sub_order_lines_sub_order_number'), 'sub_order_lines',
                    ['sub_order_number'], unique=False)
    op.create_index(op.f('ix_sub_order_lines_title_id'), 'sub_order_lines', ['title_id'],
                    unique=False)
    with op.batch_alter_table('grouped_orders') as batch:
        batch.add_column(sa.Column('opens_on', sa.Date(), nullable=True))
    with op.batch_alter_table('sub_orders') as batch:
        batch.add_column(sa.Column('total', sa.Numeric(precision=10, scale=2), nullable=True))

    bind = op.get_bind()
    for number, article, unit_price in bind.execute(sa.select(
            grouped_orders.c.number, grouped_orders.c.article, grouped_orders.c.unit_price)):
        article = article or {}
        bind.execute(titles.insert().values(
            grouped_order_number=number, position=1, ean=str(article.get('ean') or ''),
            title=article.get('title') or '', author=article.get('author') or '',
            publisher=article.get('publisher') or '',
            vat_rate=str(article.get('vat_rate') or '5.5'), price_ttc=unit_price,
            required=True, article=article))
    bind.execute(sa.text(
        "INSERT INTO sub_order_lines (sub_order_number, title_id, position, quantity, "
        "unit_price) SELECT s.number, t.id, 1, s.quantity, s.unit_price FROM sub_orders s "
        "JOIN grouped_order_titles t ON t.grouped_order_number = s.grouped_order_number "
        "AND t.position = 1"))
    bind.execute(sa.text("UPDATE sub_orders SET total = ROUND(unit_price * quantity, 2)"))
    with op.batch_alter_table('sub_orders') as batch:
        batch.alter_column('total', existing_type=sa.Numeric(precision=10, scale=2),
                           nullable=False)
        batch.drop_column('unit_price')


def downgrade():
    """Back to one article per grouped order: a sub-order keeps its total copies at its first
    line's price (a reading list of several titles cannot be told in the old shape)."""
    with op.batch_alter_table('sub_orders') as batch:
        batch.add_column(sa.Column('unit_price', sa.Numeric(precision=10, scale=2),
                                   nullable=True))
    op.get_bind().execute(sa.text(
        "UPDATE sub_orders SET unit_price = (SELECT l.unit_price FROM sub_order_lines l "
        "WHERE l.sub_order_number = sub_orders.number ORDER BY l.position LIMIT 1)"))
    with op.batch_alter_table('sub_orders') as batch:
        batch.alter_column('unit_price', existing_type=sa.Numeric(precision=10, scale=2),
                           nullable=False)
        batch.drop_column('total')
    with op.batch_alter_table('grouped_orders') as batch:
        batch.drop_column('opens_on')
    op.drop_index(op.f('ix_sub_order_lines_title_id'), table_name='sub_order_lines')
    op.drop_index(op.f('ix_sub_order_lines_sub_order_number'), table_name='sub_order_lines')
    op.drop_table('sub_order_lines')
    op.drop_index(op.f('ix_grouped_order_titles_grouped_order_number'),
                  table_name='grouped_order_titles')
    op.drop_table('grouped_order_titles')
