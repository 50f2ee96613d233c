"""idempotent requests: a retried request with the same key gets its first result back

Revision ID: e63f9a7c1d32
Revises: c4e1d2a9b7f3
Create Date: 2026-12-06 21:20:00
"""
from services.common.messaging_models import (create_idempotent_requests,
                                              drop_idempotent_requests)
from alembic import op


revision = 'e63f9a7c1d32'
down_revision = 'c4e1d2a9b7f3'
branch_labels = None
depends_on = None


def upgrade():
    create_idempotent_requests(op)


def downgrade():
    drop_idempotent_requests(op)
