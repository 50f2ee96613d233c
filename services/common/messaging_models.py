"""The tables every service has for reliable messaging (SQLAlchemy Core, one set per MetaData).

- `outbox`: events recorded in the same transaction as the change, relayed to RabbitMQ later.
- `processed_events`: (consumer, event_id) recorded in the same transaction as the effect.
- `dead_letters`: events whose handler kept failing: retried with backoff, then parked for the
  admin to see and replay.
- `idempotent_requests`: (operation, key) of a creating/changing request and its first result,
  written in the same transaction as the change (see `services.common.idempotency`). A service
  that takes idempotency keys creates it in a migration of its own.
"""
from sqlalchemy import (JSON, Column, DateTime, Integer, MetaData, PrimaryKeyConstraint, String,
                        Table, Text, Index)


def add_messaging_tables(base):
    md: MetaData = base.metadata
    Table(
        "outbox", md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("event_type", String(100), nullable=False),
        Column("version", Integer, nullable=False),
        Column("body", JSON, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("published_at", DateTime(timezone=True), nullable=True),
        Column("attempts", Integer, nullable=False, default=0),
        Column("next_attempt_at", DateTime(timezone=True), nullable=False),
        Column("last_error", Text, nullable=True),
        Index("ix_outbox_pending", "published_at", "next_attempt_at"),
    )
    Table(
        "processed_events", md,
        Column("consumer", String(120), nullable=False),
        Column("event_id", String(36), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False),
        PrimaryKeyConstraint("consumer", "event_id"),
    )
    Table(
        "dead_letters", md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("consumer", String(120), nullable=False),
        Column("event_type", String(100), nullable=False),
        Column("event_id", String(36), nullable=True),
        Column("body", JSON, nullable=False),
        Column("error", Text, nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("status", String(20), nullable=False),  # retrying | parked | done
        Column("first_failed_at", DateTime(timezone=True), nullable=False),
        Column("last_failed_at", DateTime(timezone=True), nullable=False),
        Column("next_retry_at", DateTime(timezone=True), nullable=True),
        Index("ix_dead_letters_due", "status", "next_retry_at"),
    )
    Table(
        "idempotent_requests", md,
        Column("operation", String(60), nullable=False),
        Column("key", String(100), nullable=False),
        Column("actor", String(100), nullable=False),
        Column("fingerprint", String(64), nullable=False),
        Column("result_json", Text, nullable=True),  # kombu JSON: types kept as RPC sends them
        Column("created_at", DateTime(timezone=True), nullable=False),
        PrimaryKeyConstraint("operation", "key"),
    )


def messaging_tables(metadata: MetaData):
    return metadata.tables["outbox"], metadata.tables["processed_events"], metadata.tables["dead_letters"]


def create_messaging_tables(op):
    """For a service's FIRST migration: `outbox`, `processed_events` and `dead_letters` exactly as
    every service's first revision created them by hand (columns, types, constraints, index names).
    This is migration history: never edit it; a change to these tables is a new revision in each
    service (then a model change above)."""
    import sqlalchemy as sa
    op.create_table(
        "dead_letters",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("consumer", sa.String(length=120), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=True),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("first_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_retry_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("dead_letters", schema=None) as batch_op:
        batch_op.create_index("ix_dead_letters_due", ["status", "next_retry_at"], unique=False)
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_pending", ["published_at", "next_attempt_at"],
                              unique=False)
    op.create_table(
        "processed_events",
        sa.Column("consumer", sa.String(length=120), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )


def drop_messaging_tables(op):
    """The reverse of `create_messaging_tables`, for the first migration's downgrade."""
    op.drop_table("processed_events")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_pending")
    op.drop_table("outbox")
    with op.batch_alter_table("dead_letters", schema=None) as batch_op:
        batch_op.drop_index("ix_dead_letters_due")
    op.drop_table("dead_letters")


def create_idempotent_requests(op):
    """For a service's migration: the `idempotent_requests` table as defined above."""
    import sqlalchemy as sa
    op.create_table(
        "idempotent_requests",
        sa.Column("operation", sa.String(length=60), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("result_json", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("operation", "key"),
    )


def drop_idempotent_requests(op):
    op.drop_table("idempotent_requests")
