"""What the payments RPCs answer and what its events carry (dicts for the wire; money as
strings in answers, as Decimal in event payloads, which the contracts turn into strings)."""
from datetime import timezone

from services.common.money import money_str

from . import domain
from .models import Payment, Refund


def _iso(value):
    return (value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value).isoformat()


def refund_view(r: Refund) -> dict:
    return {"refund_id": r.id, "amount": money_str(r.amount), "state": r.state,
            "reason": r.reason, "late": bool(r.late), "created_at": _iso(r.created_at)}


def payment_view(p: Payment) -> dict:
    return {"payment_id": p.id, "reference_kind": p.reference_kind,
            "reference_id": p.reference_id, "amount": money_str(p.amount),
            "state": p.state, "state_label": domain.state_label(p.state), "provider": p.provider,
            "created_at": _iso(p.created_at), "updated_at": _iso(p.updated_at),
            "refunds": [refund_view(r) for r in p.refunds]}


def start_view(p: Payment) -> dict:
    return {"payment_id": p.id, "state": p.state, "state_label": domain.state_label(p.state),
            "redirect_url": p.redirect_url}


def payment_event(p: Payment, occurred_at, amount=None) -> dict:
    """`payment_succeeded`'s payload (and the common part of the others)."""
    return {"payment_id": p.id, "reference_kind": p.reference_kind,
            "reference_id": p.reference_id, "amount": p.amount if amount is None else amount,
            "provider": p.provider, "occurred_at": occurred_at.isoformat()}


def payment_failed_event(p: Payment, occurred_at) -> dict:
    return dict(payment_event(p, occurred_at), state=p.state,
                reason=domain.FAILURE_REASONS[p.state], customer_email=p.customer_email,
                description=p.description, return_url=p.return_url)


def payment_refunded_event(p: Payment, refund: Refund, now) -> dict:
    return dict(payment_event(p, now, refund.amount), refund_id=refund.id, reason=refund.reason,
                late=refund.late)
