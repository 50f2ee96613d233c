"""New-order alerts (issue 9, reference 002 §1): in the event's own transaction, a mail to the
bookshop's order desk (`BOOKSHOP_EMAIL`, where quote requests and collectivity orders are
already mailed: those get no second mail) and, when `BOOKSHOP_MOBILE` is set, an SMS row in the
SMS outbox; the admin's dev page lists the SMS."""
from sqlalchemy import func, select

from services.common import config

from .. import domain
from ..models import Mail, Sms
from ..presenters import bookshop_email, render_alert, sms_view


def alert_for_event(session, kind, payload, envelope, now, public_url) -> list:
    """The bookshop's mail (and SMS) for an event that is a new order; [] for other events.
    Idempotent per (event, recipient): the consumer runs once per event, and the SMS outbox's
    unique (event_id, to_number) refuses a second row."""
    if not domain.is_alert(kind):
        return []
    shop = config.bookshop()
    alert = domain.order_alert(kind, payload)
    event_id = envelope.get("event_id")
    subject, body = render_alert(alert, public_url)
    orders_desk = bookshop_email().strip().lower()
    rows = []
    if not _already_mailed(kind, payload, orders_desk):
        rows.append(Mail(kind=domain.ALERT_MAIL_KIND, event_id=event_id, to_addr=orders_desk,
                         subject=subject, body=body, created_at=now, next_attempt_at=now,
                         attempts=0))
    mobile = domain.mobile_number(shop["mobile"])
    if mobile:
        rows.append(Sms(kind=kind, event_id=event_id, to_number=mobile,
                        text=domain.sms_text(alert, shop["name"]), created_at=now,
                        next_attempt_at=now, attempts=0))
    session.add_all(rows)
    return rows


def _already_mailed(kind, payload, address) -> bool:
    """Whether the event's own mail already goes to the bookshop's order desk (a quote request
    or a collectivity order does): then the alert adds no second mail, only the SMS."""
    if kind not in domain.KINDS:
        return False
    recipients = domain.recipients(kind, payload, address)
    recipients = [recipients] if isinstance(recipients, str) else recipients
    return address in {r.strip().lower() for r in recipients if r}


def list_sms(session, limit=100) -> dict:
    q = select(Sms).order_by(Sms.id.desc()).limit(min(int(limit), 500))
    pending = session.scalar(select(func.count()).select_from(Sms).where(
        Sms.sent_at.is_(None), Sms.failed_at.is_(None)))
    return {"sms": [sms_view(s) for s in session.scalars(q)], "pending": pending}
