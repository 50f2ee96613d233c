"""What payments tells grouped_orders (payment_succeeded, payment_failed, payment_refunded):
each event's decision is the domain's (domain.payments); these load, persist and record."""
from services.common.money import money

from .. import domain
from ..models import PaymentAttempt
from ..presenters import (refund_requested_event, sub_order_paid_event, sub_order_refunded_event,
                          sub_total)
from . import credit_refunds, unavailability
from .bookshop import pay_by_hand
from .load import sub_for_payment


def _attempt_of(session, sub, attempt, payload, now):
    """The attempt a payment belongs to; one is recorded if the payment was never attached
    (grouped_orders stopped between starting it and attaching it)."""
    if attempt is None:
        attempt = PaymentAttempt(sub_order_number=sub.number, payment_id=payload["payment_id"],
                                 idempotency_key=f"sub-{sub.number}-{payload['payment_id']}"[:80],
                                 state="succeeded", created_at=now)
        session.add(attempt)
    return attempt


def on_payment_succeeded(session, payload, now, record, public_url):
    sub, attempt = sub_for_payment(session, payload)
    if sub is None:
        return
    if attempt is not None:
        attempt.state = "succeeded"
    go = sub.grouped_order
    manual = domain.is_offline(payload.get("method"))
    decision = domain.settle_payment(
        sub.status, go.status, payload["amount"], sub_total(sub),
        payload["payment_id"], sub.paid_payment_id,
        refund_asked=attempt is not None and attempt.refund_state is not None, manual=manual)
    if decision.pays and manual:  # a cheque or cash the bookshop recorded (issue 9)
        pay_by_hand(session, sub, go, payload["payment_id"], payload["method"],
                     payload.get("cheque_number") or None, now, record, public_url)
    elif decision.pays:
        sub.status, sub.paid_at = domain.PAID, now
        sub.paid_payment_id = payload["payment_id"]
        sub.last_payment_state = "succeeded"
        sub.payment_method = domain.ONLINE  # a cheque buyer who paid online after all
        record(session, "sub_order_paid", sub_order_paid_event(sub, go, public_url, now))
    elif decision.refunds:  # cancelled meanwhile, paid twice, or a wrong amount
        attempt = _attempt_of(session, sub, attempt, payload, now)
        attempt.refund_state, attempt.refund_reason = "requested", decision.reason
        attempt.refund_amount = money(payload["amount"])
        record(session, "refund_requested", refund_requested_event(
            payload["payment_id"], payload["amount"],
            f"Remboursement automatique : {decision.reason}.", sub))


def on_payment_failed(session, payload):
    sub, attempt = sub_for_payment(session, payload)
    if attempt is not None:
        attempt.state = payload["state"]
    if sub is not None and domain.failure_shown(sub.status):
        sub.last_payment_state = payload["state"]


def on_payment_refunded(session, payload, now=None, record=None, public_url=""):
    """The money is back with the buyer: the sub-order's own payment (it was cancelled), or a
    payment it did not count (after a cancellation or a refusal, twice), refunded
    automatically. Either way the buyer is told by mail (sub_order_refunded), once."""
    sub, attempt = sub_for_payment(session, payload)
    if sub is None:
        return
    if payload.get("partial"):  # a title cut (issue 10, K3): the buyer was told already;
        # a credit note's refund: the buyer is told now
        if not credit_refunds.on_refunded(session, payload, sub, now or sub.created_at, record,
                                          public_url):
            unavailability.on_partial_refund(session, payload, sub, now)
        return
    go = sub.grouped_order
    decision = domain.settle_refund(
        payload["payment_id"], sub.paid_payment_id, sub.refund_state, sub.cancel_reason,
        go.cancel_reason, attempt.refund_state if attempt is not None else None,
        attempt.refund_reason if attempt is not None else None, sub.status, go.status,
        late=bool(payload.get("late")))
    if decision.action == domain.RefundDecision.DONE:
        return
    amount = money(payload["amount"])
    automatic = decision.action == domain.RefundDecision.AUTOMATIC
    if automatic:
        attempt = _attempt_of(session, sub, attempt, payload, now)
        attempt.refund_reason = decision.reason
        attempt.refund_state, attempt.refunded_at = "refunded", now
        attempt.refund_amount = amount
    else:
        sub.refund_state, sub.refunded_at = "refunded", now
    if record is not None:
        record(session, "sub_order_refunded", sub_order_refunded_event(
            sub, go, public_url, payload["payment_id"], amount, decision.reason, automatic,
            now or sub.created_at))
