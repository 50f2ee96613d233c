"""An event becomes mail rows (in the event's own transaction, so one event gives one mail per
recipient), and the admin's dev page lists them."""
from sqlalchemy import func, select

from services.common.errors import not_found

from .. import domain
from ..models import Mail
from ..presenters import bookshop_email, mail_view, render


def mail_for_event(session, kind, payload, envelope, now, public_url) -> list:
    """The mails an event gives, if it gives any (`domain.wanted`)."""
    if not domain.wanted(kind, payload):
        return []
    return queue_mail(session, kind, payload, envelope, now, public_url)


def gives_anything(kind, payload) -> bool:
    """Whether an event of type `kind` gives a mail (`domain.wanted`) or the bookshop's alert:
    the consumer's cheap test before any transaction (an online buyer's `sub_order_placed`
    gives nothing: the provider's page, then `sub_order_paid`)."""
    return domain.wanted(kind, payload) or domain.is_alert(kind)


def mails_for_distribution(session, payload, envelope, now, public_url) -> list:
    """« Valider la distribution » (grouped_order_distributed): the recap to the initiator,
    and to each buyer who did not come a mail saying their books wait at the pickup place."""
    queued = queue_mail(session, "grouped_order_distributed", payload, envelope, now,
                        public_url)
    for absent in payload.get("absent", []):
        queued += queue_mail(session, "grouped_order_distributed_absent",
                             absent_mail_payload(payload, absent), envelope, now, public_url)
    return queued


def absent_mail_payload(payload, absent) -> dict:
    """What an absent buyer's mail says: theirs, and `owing` when they pay at pickup and have
    not paid yet (the mail says how much is still to pay, and how)."""
    owing = {a["sub_order_number"] for a in payload.get("absent_owing", [])}
    return dict(payload, **absent, owing=absent["sub_order_number"] in owing)


def queue_mail(session, kind, payload, envelope, now, public_url) -> list:
    """One mail row per recipient, in the event's transaction. The bookshop's own copy of a
    quote request or an order is worded for the bookshop (`render(..., to_bookshop=True)`)."""
    recipients, subject, body = render(kind, payload, public_url)
    if isinstance(recipients, str):
        recipients = [recipients]
    shop_copy = None
    if domain.copied_to_bookshop(kind):  # (its subject, its body)
        shop_copy = render(kind, payload, public_url, to_bookshop=True)[1:]
    shop = bookshop_email().strip().lower()
    queued = []
    for to_addr in dict.fromkeys(r.strip().lower() for r in recipients if r and r.strip()):
        subject_to, body_to = shop_copy if shop_copy and to_addr == shop else (subject, body)
        mail = Mail(kind=kind, event_id=envelope.get("event_id"), to_addr=to_addr,
                    subject=subject_to, body=body_to,
                    created_at=now, next_attempt_at=now, attempts=0)
        session.add(mail)
        queued.append(mail)
    return queued


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
