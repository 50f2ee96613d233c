"""Sending the SMS that are due, through the provider (`adapters.sms`), as mails are sent
(`sending.send_due`): claimed with SKIP LOCKED on PostgreSQL and leased before the provider is
called, so two instances never send one SMS twice; a 4xx is a failure for good, a 5xx or a
timeout is retried with the mails' backoff."""
from ..adapters.sms import is_permanent, sms_id
from ..domain import SEND_LEASE
from ..models import Sms
from .sending import RETRY, SENDING, SENT, claim_next, record_outcome


def send_due_sms(db, provider, now_fn, limit=50) -> int:
    """Send pending SMS whose time has come, one at a time: claim (committed before the HTTP
    call), send outside any transaction, record sent / failed for good / retry later. An
    interrupted attempt is sent again with the same `id` (at least once, recognisable)."""
    sent = 0
    for _ in range(limit):
        with db.transaction() as session:
            sms = claim_next(db, session, Sms, now_fn())
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
        outcome = record_outcome(db, Sms, row_id, error, is_permanent, now_fn)
        if outcome == RETRY:  # the provider is down: try again later
            return sent
        sent += outcome == SENT
    return sent
