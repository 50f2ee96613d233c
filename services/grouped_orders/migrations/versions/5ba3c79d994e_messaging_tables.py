"""messaging tables

Revision ID: 5ba3c79d994e
Revises: 
Create Date: 2026-12-01 20:27:40.754268
"""
from alembic import op

from services.common.messaging_models import create_messaging_tables, drop_messaging_tables


revision = '5ba3c79d994e'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    create_messaging_tables(op)


def downgrade():
    drop_messaging_tables(op)
