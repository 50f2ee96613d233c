"""What the mails say and what the RPCs answer. `render` puts a mail together: its recipients,
subject and words from the domain (`domain.mails`), its body from `templates/<kind>.txt`, dates
and amounts written the French way (babel); `mail_view` is a mail row for the admin's page."""
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from services.common import config, french
from services.common.clock import PARIS
from services.common.money import eur

from . import domain
from .models import Mail, Sms


def paris_time(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso), "d MMMM y 'à' HH:mm",
                           tzinfo=PARIS, locale="fr_FR")


def stamp(iso: str) -> str:
    """The reference's "30/03/2022 (à 11:51:45)"."""
    return format_datetime(datetime.fromisoformat(iso), "dd/MM/y '(à' HH:mm:ss')'",
                           tzinfo=PARIS, locale="fr_FR")


def day(iso: str) -> str:
    return format_date(date.fromisoformat(iso[:10]), "dd/MM/y", locale="fr_FR")


def percent(value) -> str:
    """A rate as French writes it: « 9 % », « 12,5 % » (the mails said « 9.00 % »)."""
    return format_decimal(Decimal(str(value)), format="#,##0.##", locale="fr_FR") + "\u00a0%"


_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
_env.filters.update(stamp=stamp, day=day, eur=eur, paris_time=paris_time, percent=percent,
                    de=french.of)


def bookshop_email() -> str:
    """The bookshop's own address, told of every new quote request and order."""
    return config.env("BOOKSHOP_EMAIL", domain.BOOKSHOP_DEFAULT_EMAIL)


def render(kind: str, payload: dict, public_url: str, to_bookshop=False) -> tuple:
    """(to — an address or a list —, subject, body) for an event of type `kind`.
    `to_bookshop`: the bookshop's own copy of a quote request or an order (`domain.DOCUMENT`),
    which says whose it is rather than « votre commande », with the admin's page."""
    context = dict(payload, public_url=public_url.rstrip("/"), bookshop=config.bookshop(),
                   to_bookshop=to_bookshop, **domain.wording(kind, payload))
    if to_bookshop:
        context["admin_url"] = public_url.rstrip("/") + domain.admin_path(kind, payload)
    if kind == "password_reset_requested":
        context["expires_at_label"] = paris_time(payload["expires_at"])
    if kind == "sub_order_refunded":
        context["amount_label"] = eur(payload["amount"])
        # the buyer's own lines (an older event has none), their total to the cent
        context["lines_total"] = sum((Decimal(str(x["total_ttc"]))
                                      for x in payload.get("lines") or ()), Decimal("0.00"))
        # a cheque or cash handed back by the bookshop (issue 9), not a card refund
        context["by_hand"] = payload.get("payment_method") in ("cheque", "cash") and \
            not payload.get("automatic")
    if kind == "invoice_issued":  # a credit note's part already handed back at pickup
        handed = Decimal(str(payload.get("total_ttc") or 0)) - Decimal(
            str(payload.get("to_refund") or 0))
        context["handed_back"] = handed if payload.get("credit_mode") == "refund" and \
            Decimal(str(payload.get("to_refund") or 0)) > 0 and handed > 0 else None
        context["handed_back_plural"] = handed >= 2
    body = _env.get_template(f"{kind}.txt").render(**context)
    subject = domain.subject(kind).format(**context)
    if to_bookshop:  # as every new-order alert: one subject for the bookshop's mail filters
        alert = domain.order_alert(kind, payload)
        subject = (f"{domain.alert_heading(alert)} ({alert['customer']}) — "
                   f"{eur(alert['total_ttc'])} TTC")
    return domain.recipients(kind, payload, bookshop_email()), subject, body


def render_alert(alert: dict, public_url: str) -> tuple:
    """(subject, body) of the bookshop's mail for a new order (`domain.order_alert`)."""
    shop = config.bookshop()
    body = _env.get_template(f"{domain.ALERT_MAIL_KIND}.txt").render(
        alert=alert, bookshop=shop, admin_url=public_url.rstrip("/") + alert["admin_path"])
    return (f"{domain.alert_heading(alert)} — {eur(alert['total_ttc'])} TTC", body)


def sms_view(s: Sms) -> dict:
    return {"id": s.id, "kind": s.kind, "to": s.to_number, "text": s.text,
            "created_at": s.created_at.isoformat(),
            "sent_at": s.sent_at.isoformat() if s.sent_at else None,
            "failed_at": s.failed_at.isoformat() if s.failed_at else None,
            "attempts": s.attempts, "last_error": s.last_error}


def mail_view(m: Mail, with_body=False) -> dict:
    view = {"id": m.id, "kind": m.kind, "to": m.to_addr, "subject": m.subject,
            "created_at": m.created_at.isoformat(),
            "sent_at": m.sent_at.isoformat() if m.sent_at else None,
            "failed_at": m.failed_at.isoformat() if m.failed_at else None,
            "attempts": m.attempts, "last_error": m.last_error}
    if with_body:
        view["body"] = m.body
    return view
