"""messaging tables

Revision ID: 3c1a9e5b7d20
Revises: 
Create Date: 2026-12-06 23:59:00.000000
"""
from alembic import op

from services.common.messaging_models import (create_idempotent_requests,
                                              create_messaging_tables, drop_idempotent_requests,
                                              drop_messaging_tables)


revision = '3c1a9e5b7d20'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    create_messaging_tables(op)
    create_idempotent_requests(op)


def downgrade():
    drop_idempotent_requests(op)
    drop_messaging_tables(op)
