"""idempotent requests: a retried request with the same key gets its first result back

Revision ID: c41d7e5a9b10
Revises: b2ab41e107fe
Create Date: 2026-12-06 21:20:00
"""
from services.common.messaging_models import (create_idempotent_requests,
                                              drop_idempotent_requests)
from alembic import op


revision = 'c41d7e5a9b10'
down_revision = 'b2ab41e107fe'
branch_labels = None
depends_on = None


def upgrade():
    create_idempotent_requests(op)


def downgrade():
    drop_idempotent_requests(op)
