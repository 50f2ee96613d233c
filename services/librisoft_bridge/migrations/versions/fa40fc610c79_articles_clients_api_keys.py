"""articles, clients, api keys

Revision ID: fa40fc610c79
Revises:
Create Date: 2026-12-01 20:33:12.010317
"""
from alembic import op
import sqlalchemy as sa

from services.common.messaging_models import create_messaging_tables, drop_messaging_tables


revision = 'fa40fc610c79'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    create_messaging_tables(op)
    op.create_table('api_keys',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('bookshop_code', sa.String(length=50), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key_hash', name='uq_api_keys_key_hash')
    )
    op.create_table('articles',
    sa.Column('ean', sa.String(length=13), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=True),
    sa.Column('publisher', sa.String(length=200), nullable=True),
    sa.Column('collection', sa.String(length=200), nullable=True),
    sa.Column('genre', sa.String(length=100), nullable=True),
    sa.Column('publication_date', sa.Date(), nullable=True),
    sa.Column('format', sa.String(length=50), nullable=True),
    sa.Column('weight_g', sa.Integer(), nullable=True),
    sa.Column('height_mm', sa.Integer(), nullable=True),
    sa.Column('width_mm', sa.Integer(), nullable=True),
    sa.Column('thickness_mm', sa.Integer(), nullable=True),
    sa.Column('price_ttc', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('vat_rate', sa.String(length=3), nullable=False),
    sa.Column('school_book', sa.Boolean(), nullable=False),
    sa.Column('availability', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('ean')
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index('ix_articles_title', ['title'], unique=False)

    op.create_table('clients',
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('addresses', sa.JSON(), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('gencod', sa.String(length=13), nullable=False),
    sa.Column('discount_2_1', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('discount_5_5', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('discount_20', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('discount_school', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('lang_law_warning', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('number')
    )


def downgrade():
    op.drop_table('clients')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index('ix_articles_title')

    op.drop_table('articles')
    op.drop_table('api_keys')
    drop_messaging_tables(op)
