"""messaging tables

Revision ID: 3da753713023
Revises: 
Create Date: 2026-12-01 20:23:27.954617
"""
from alembic import op

from services.common.messaging_models import create_messaging_tables, drop_messaging_tables


revision = '3da753713023'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    create_messaging_tables(op)


def downgrade():
    drop_messaging_tables(op)
