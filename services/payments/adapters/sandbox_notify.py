"""How the sandbox calls back: each notification is stored (`sandbox_notifications`) in the
same transaction as the buyer's choice, then POSTed over real HTTP (requests) to the payments
callback endpoint with a fresh `Sandbox-Signature`, from a spawned greenthread so that the
buyer's redirect does not wait: 3 tries at once (tenacity), then again every few seconds with a
growing delay from the service's timer, like a real provider's webhook retries, until a 2xx.
A notification delivered twice is harmless: the endpoint takes each event id once."""
import json
import logging
from datetime import timedelta, timezone

import requests
from sqlalchemy import select
from tenacity import Retrying, stop_after_attempt, wait_exponential

from services.common.clock import utcnow

from ..models import SandboxNotification
from . import signatures

log = logging.getLogger(__name__)

FIRST_REDELIVERY = timedelta(seconds=30)   # the spawned sender has this long before the timer
LEASE = timedelta(seconds=60)              # a claimed notification is not claimed again before
MAX_ATTEMPTS = 30
TIMEOUT = 5


def _as_utc(value):
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def redelivery_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(600, 5 * 2 ** min(attempts, 10)))


def queue(session, notification: dict, now) -> SandboxNotification:
    row = SandboxNotification(event_id=notification["event_id"],
                              body=json.dumps(notification, separators=(",", ":")),
                              created_at=now, attempts=0, next_attempt_at=now + FIRST_REDELIVERY)
    session.add(row)
    session.flush()
    return row


def post(settings, raw_body: bytes, http=None) -> int:
    """One signed POST; raises unless the endpoint answers 2xx. Returns the status."""
    headers = {"Content-Type": "application/json",
               signatures.HEADER: signatures.header_value(settings.secret,
                                                          int(utcnow().timestamp()), raw_body)}
    response = (http or requests).post(settings.callback_url, data=raw_body, headers=headers,
                                       timeout=TIMEOUT)
    if not 200 <= response.status_code < 300:
        raise RuntimeError(f"callback answered {response.status_code}: {response.text[:200]}")
    return response.status_code


def deliver(db, settings, notification_id, tries=3, wait_base=0.2, http=None) -> bool:
    """POST one notification (outside any transaction: the endpoint may be this very process),
    then mark it delivered, or schedule its next attempt."""
    with db.transaction() as session:
        row = session.get(SandboxNotification, notification_id)
        if row is None or row.delivered_at is not None:
            return True
        body = row.body.encode()
    attempt = Retrying(stop=stop_after_attempt(tries), reraise=True,
                       wait=wait_exponential(multiplier=wait_base, max=2))
    error = None
    try:
        attempt(post, settings, body, http)
    except Exception as exc:
        error = repr(exc)[:2000]
        log.warning("sandbox: notification %s not delivered yet: %s", notification_id, error)
    with db.transaction() as session:
        row = session.get(SandboxNotification, notification_id)
        row.attempts += tries if error else 1
        if error is None:
            row.delivered_at, row.last_error = utcnow(), None
        else:
            row.last_error = error
            row.next_attempt_at = utcnow() + redelivery_delay(row.attempts)
    return error is None


def claim_due(db, now, limit=20) -> list:
    """Notifications whose time has come, leased so that no other sender takes them meanwhile
    (SKIP LOCKED on PostgreSQL)."""
    with db.transaction() as session:
        query = (select(SandboxNotification)
                 .where(SandboxNotification.delivered_at.is_(None),
                        SandboxNotification.next_attempt_at <= now,
                        SandboxNotification.attempts < MAX_ATTEMPTS)
                 .order_by(SandboxNotification.id).limit(limit))
        if db.is_postgres:
            query = query.with_for_update(skip_locked=True)
        rows = session.scalars(query).all()
        for row in rows:
            row.next_attempt_at = now + LEASE
        return [row.id for row in rows]


def deliver_due(db, settings, now=None, http=None) -> int:
    return sum(1 for i in claim_due(db, now or utcnow()) if deliver(db, settings, i, 1, http=http))


def pending(db) -> list:
    """Undelivered notifications (for tests and diagnostics)."""
    with db.transaction() as session:
        rows = session.scalars(select(SandboxNotification)
                               .where(SandboxNotification.delivered_at.is_(None))).all()
        return [{"id": r.id, "event_id": r.event_id, "attempts": r.attempts,
                 "next_attempt_at": _as_utc(r.next_attempt_at).isoformat()} for r in rows]
