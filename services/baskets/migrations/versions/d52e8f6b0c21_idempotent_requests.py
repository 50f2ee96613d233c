"""idempotent requests: a retried request with the same key gets its first result back

Revision ID: d52e8f6b0c21
Revises: b785b4dc2a42
Create Date: 2026-12-06 21:20:00
"""
from services.common.messaging_models import (create_idempotent_requests,
                                              drop_idempotent_requests)
from alembic import op


revision = 'd52e8f6b0c21'
down_revision = 'b785b4dc2a42'
branch_labels = None
depends_on = None


def upgrade():
    create_idempotent_requests(op)


def downgrade():
    drop_idempotent_requests(op)
