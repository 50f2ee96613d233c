"""Sending the mails that are due, through the transport (`adapters.transport`)."""
import logging

from sqlalchemy import select

from ..adapters.transport import build_message, is_permanent
from ..domain import SEND_LEASE, message_key, retry_delay
from ..models import Mail

log = logging.getLogger(__name__)

# `last_error` of a mail whose send has started and not been recorded yet
SENDING = "envoi en cours"


def claim_next(db, session, model, now):
    """The oldest pending row of an outbox (`Mail`, `Sms`) whose time has come, locked for this
    transaction; SKIP LOCKED on PostgreSQL, so two instances never take the same one."""
    q = (select(model).where(model.sent_at.is_(None), model.failed_at.is_(None),
                             model.next_attempt_at <= now)
         .order_by(model.id).limit(1))
    if db.is_postgres:
        q = q.with_for_update(skip_locked=True)
    return session.scalar(q)


def send_due(db, transport, now_fn, limit=50) -> int:
    """Send pending mails whose time has come, one at a time, in three steps:

    1. claim it (SKIP LOCKED on PostgreSQL, so two instances never take the same one) and mark it
       "sending" for SEND_LEASE, committed *before* the SMTP call;
    2. send it, outside any transaction, with its deterministic Message-ID;
    3. record the outcome: sent; failed for good (a message that cannot be built, e.g. a CR/LF in
       the address, or an SMTP 5xx: `failed_at`, shown to the admin, never retried); or the
       error and when to try again (SMTP down, a 4xx).

    If the process dies between 2 and 3 the mail stays "sending" until its lease ends; the next
    attempt then asks the transport whether the earlier one got through (the file transport can
    tell; SMTP cannot) and otherwise sends it again with the same Message-ID: at least once, a
    repeat recognisable as such, never lost.

    Its own transactions (not one unit of work): the SMTP call happens between them."""
    sent = 0
    for _ in range(limit):
        with db.transaction() as session:
            mail = claim_next(db, session, Mail, now_fn())
            if mail is None:
                return sent
            interrupted = mail.last_error == SENDING
            mail.attempts += 1
            try:
                msg = build_message(mail.id, mail.to_addr, mail.subject, mail.body,
                                    message_key(mail.kind, mail.event_id))
            except Exception as exc:  # e.g. a CR/LF in the address: no retry will help
                mail.last_error = repr(exc)[:2000]
                mail.failed_at = now_fn()
                continue
            mail.last_error = SENDING
            mail.next_attempt_at = now_fn() + SEND_LEASE
            mail_id, event_id = mail.id, mail.event_id
        error = None
        already_sent = getattr(transport, "already_sent", None)
        if interrupted and already_sent is not None and already_sent(mail_id, msg):
            log.warning("mail %s: an interrupted attempt had got through; not sent again", mail_id)
        else:
            if interrupted:
                log.warning("mail %s (event %s): an attempt was interrupted; sent again with "
                            "the same Message-ID %s", mail_id, event_id, msg["Message-ID"])
            try:
                transport.send(mail_id, msg)
            except Exception as exc:
                error = exc
        outcome = record_outcome(db, Mail, mail_id, error, is_permanent, now_fn)
        if outcome == RETRY:  # SMTP down: keep it, try again later
            return sent
        sent += outcome == SENT
    return sent


SENT, FAILED, RETRY = "sent", "failed", "retry"


def record_outcome(db, model, row_id, error, is_permanent, now_fn) -> str:
    """Record an outbox row's attempt: SENT; FAILED for good (`is_permanent(error)`: an SMTP
    5xx, an HTTP 4xx: `failed_at`, shown to the admin, never retried); or RETRY after
    `retry_delay` (the relay or provider down)."""
    with db.transaction() as session:
        row = session.get(model, row_id)
        if error is None:
            row.sent_at, row.last_error = now_fn(), None
            return SENT
        row.last_error = repr(error)[:2000]
        if is_permanent(error):
            row.failed_at = now_fn()
            log.warning("%s %s refused for good: %r", model.__name__, row_id, error)
            return FAILED
        row.next_attempt_at = now_fn() + retry_delay(row.attempts)
        return RETRY
