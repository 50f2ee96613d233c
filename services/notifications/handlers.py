"""notifications use cases: turn an event into a mail row (same transaction as the event's
processed mark), send due mails, list them for the admin's dev page."""
from datetime import timedelta

from sqlalchemy import func, select

from services.common.errors import not_found

from . import mails
from .models import Mail
from .transport import build_message, is_permanent


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


def send_due(db, transport, now_fn, limit=50) -> int:
    """Send pending mails whose time has come. Each mail is claimed in its own transaction
    (SKIP LOCKED on PostgreSQL), so two instances never send the same one."""
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
            mail.attempts += 1
            try:
                message = build_message(mail.id, mail.to_addr, mail.subject, mail.body)
            except Exception as exc:  # e.g. a CR/LF in the address: no retry will help
                mail.last_error = repr(exc)[:2000]
                mail.failed_at = now_fn()
                continue
            try:
                transport.send(mail.id, message)
            except Exception as exc:
                mail.last_error = repr(exc)[:2000]
                if is_permanent(exc):  # refused for good (5xx): failed, shown to the admin
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


