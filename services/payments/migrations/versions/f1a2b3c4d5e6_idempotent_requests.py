"""idempotent requests: the shared messaging table every service's models carry (a retried
request with the same key gets its first result back)

Revision ID: f1a2b3c4d5e6
Revises: b7e1c2d3a4f5
Create Date: 2026-12-06 22:00:00
"""
from services.common.messaging_models import (create_idempotent_requests,
                                              drop_idempotent_requests)
from alembic import op


revision = 'f1a2b3c4d5e6'
down_revision = 'b7e1c2d3a4f5'
branch_labels = None
depends_on = None


def upgrade():
    create_idempotent_requests(op)


def downgrade():
    drop_idempotent_requests(op)
