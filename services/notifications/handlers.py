"""notifications use cases: turn an event into a mail row (same transaction as the event's
processed mark), send due mails, list them for the admin's dev page."""
import logging
from datetime import timedelta

from sqlalchemy import func, select

from services.common.errors import not_found

from . import mails
from .models import Mail
from .transport import build_message, is_permanent

log = logging.getLogger(__name__)


def queue_mail(session, kind, payload, envelope, now, public_url) -> list:
    """One mail row per recipient, in the event's transaction."""
    recipients, subject, body = mails.render(kind, payload, public_url)
    if isinstance(recipients, str):
        recipients = [recipients]
    queued = []
    for to_addr in dict.fromkeys(r.strip().lower() for r in recipients if r and r.strip()):
        mail = Mail(kind=kind, event_id=envelope.get("event_id"), to_addr=to_addr,
                    subject=subject, body=body, created_at=now, next_attempt_at=now,
                    attempts=0)
        session.add(mail)
        queued.append(mail)
    return queued


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(600, 2 ** attempts))


# `last_error` of a mail whose send has started and not been recorded yet
SENDING = "envoi en cours"
# how long a mail stays claimed by the sender that marked it "sending" (longer than an SMTP
# exchange); a mail still "sending" after that was interrupted (its process died)
SEND_LEASE = timedelta(seconds=60)


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
    repeat recognisable as such, never lost."""
    sent = 0
    for _ in range(limit):
        with db.transaction() as session:
            q = (select(Mail).where(Mail.sent_at.is_(None), Mail.failed_at.is_(None),
                                    Mail.next_attempt_at <= now_fn())
                 .order_by(Mail.id).limit(1))
            if db.is_postgres:
                q = q.with_for_update(skip_locked=True)
            mail = session.scalar(q)
            if mail is None:
                return sent
            interrupted = mail.last_error == SENDING
            mail.attempts += 1
            try:
                msg = build_message(mail.id, mail.to_addr, mail.subject, mail.body,
                                    mail.event_id)
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
        with db.transaction() as session:
            mail = session.get(Mail, mail_id)
            if error is not None:
                mail.last_error = repr(error)[:2000]
                if is_permanent(error):  # refused for good (5xx): failed, shown to the admin
                    mail.failed_at = now_fn()
                    continue
                # SMTP down: keep it, try again later
                mail.next_attempt_at = now_fn() + retry_delay(mail.attempts)
                return sent
            mail.sent_at = now_fn()
            mail.last_error = None
        sent += 1
    return sent


def mail_view(m: Mail, with_body=False) -> dict:
    view = {"id": m.id, "kind": m.kind, "to": m.to_addr, "subject": m.subject,
            "created_at": m.created_at.isoformat(),
            "sent_at": m.sent_at.isoformat() if m.sent_at else None,
            "failed_at": m.failed_at.isoformat() if m.failed_at else None,
            "attempts": m.attempts, "last_error": m.last_error}
    if with_body:
        view["body"] = m.body
    return view


def list_mails(session, limit=100, to=None) -> dict:
    q = select(Mail).order_by(Mail.id.desc()).limit(min(int(limit), 500))
    if to:
        q = q.where(Mail.to_addr == to.strip().lower())
    pending = session.scalar(select(func.count()).select_from(Mail).where(
        Mail.sent_at.is_(None), Mail.failed_at.is_(None)))
    return {"mails": [mail_view(m) for m in session.scalars(q)], "pending": pending}


def get_mail(session, mail_id) -> dict:
    mail = session.get(Mail, int(mail_id))
    if mail is None:
        raise not_found("Message introuvable.")
    return mail_view(mail, with_body=True)


