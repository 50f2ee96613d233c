"""Delivering batches to the logistician (`LOGISTICIAN_URL`): each `deliveries` row, written
with its batch, is POSTed (signed, `adapters.logistician`) by the service's timer until the
logistician answers 2xx. Safe with several instances: due rows are claimed with
`FOR UPDATE SKIP LOCKED` (PostgreSQL) and leased (`next_attempt_at` pushed `LEASE` ahead,
committed) BEFORE the HTTP call, which runs outside any transaction; the outcome is recorded
after it: acknowledged, or the error and the next attempt (domain.delivery.retry_delay)."""
from sqlalchemy import select

from ..domain import delivery as rules
from ..models import Batch, Delivery


def claim_due(db, now, limit=10) -> list:
    """(delivery id, batch number, url, body) of the due deliveries, each leased to this
    caller and counted as an attempt."""
    with db.transaction() as session:
        query = (select(Delivery).where(Delivery.acknowledged_at.is_(None),
                                        Delivery.next_attempt_at <= now)
                 .order_by(Delivery.id).limit(limit))
        if db.is_postgres:
            query = query.with_for_update(skip_locked=True)
        claimed = []
        for row in session.scalars(query).all():
            row.next_attempt_at = now + rules.LEASE
            row.attempts += 1
            batch = session.get(Batch, row.batch_number)
            claimed.append((row.id, row.batch_number, row.url, batch.json_file.encode("utf-8")))
        return claimed


def record_outcome(db, delivery_id, status, error, now) -> bool:
    """Acknowledged (a 2xx) or not: the error kept and the next attempt scheduled."""
    with db.transaction() as session:
        row = session.get(Delivery, delivery_id, with_for_update=True)
        if row is None or row.acknowledged_at is not None:
            return True
        row.first_sent_at = row.first_sent_at or now
        row.sent_at = now
        row.last_status = status
        if status is not None and rules.acknowledged(status):
            row.acknowledged_at, row.last_error = now, None
            return True
        row.last_error = (error or f"HTTP {status}")[:2000]
        row.next_attempt_at = now + rules.retry_delay(row.attempts)
        return False


def deliver_due(db, logistician, now_fn, limit=10) -> int:
    """Send what is due; the number acknowledged."""
    done = 0
    for delivery_id, batch_number, url, body in claim_due(db, now_fn(), limit):
        status, error = logistician.post(url, body, batch_number)
        done += record_outcome(db, delivery_id, status, error, now_fn())
    return done
