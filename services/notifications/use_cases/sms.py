"""Sending the SMS that are due, through the provider (`adapters.sms`), as mails are sent
(`sending.send_due`): claimed with SKIP LOCKED on PostgreSQL and leased before the provider is
called, so two instances never send one SMS twice; a 4xx is a failure for good, a 5xx or a
timeout is retried with the mails' backoff."""
import logging

from sqlalchemy import select

from ..adapters.sms import is_permanent, sms_id
from ..domain import SEND_LEASE, retry_delay
from ..models import Sms
from .sending import SENDING

log = logging.getLogger(__name__)


def send_due_sms(db, provider, now_fn, limit=50) -> int:
    """Send pending SMS whose time has come, one at a time: claim (committed before the HTTP
    call), send outside any transaction, record sent / failed for good / retry later. An
    interrupted attempt is sent again with the same `id` (at least once, recognisable)."""
    sent = 0
    for _ in range(limit):
        with db.transaction() as session:
            q = (select(Sms).where(Sms.sent_at.is_(None), Sms.failed_at.is_(None),
                                   Sms.next_attempt_at <= now_fn())
                 .order_by(Sms.id).limit(1))
            if db.is_postgres:
                q = q.with_for_update(skip_locked=True)
            sms = session.scalar(q)
            if sms is None:
                return sent
            sms.attempts += 1
            sms.last_error = SENDING
            sms.next_attempt_at = now_fn() + SEND_LEASE
            row_id, to, text = sms.id, sms.to_number, sms.text
            ident = sms_id(sms.event_id, to)
        error = None
        try:
            provider.send(row_id, to, text, ident)
        except Exception as exc:
            error = exc
        with db.transaction() as session:
            sms = session.get(Sms, row_id)
            if error is not None:
                sms.last_error = repr(error)[:2000]
                if is_permanent(error):  # refused for good (4xx): failed, shown to the admin
                    sms.failed_at = now_fn()
                    log.warning("SMS %s refused for good: %r", row_id, error)
                    continue
                sms.next_attempt_at = now_fn() + retry_delay(sms.attempts)
                return sent
            sms.sent_at = now_fn()
            sms.last_error = None
        sent += 1
    return sent
