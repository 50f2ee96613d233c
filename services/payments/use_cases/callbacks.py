"""A provider's verified notification, applied once (its event id recorded with the change)."""
from sqlalchemy import select

from services.common.errors import not_found

from .. import domain
from ..adapters.providers import PAYMENT_EVENTS, REFUND_SUCCEEDED, CallbackEvent
from ..models import Payment, ProviderEvent
from .common import move
from .refunds import confirm_refund, refund_late_success


def apply_callback(session, provider, event: CallbackEvent, now, record) -> dict:
    """Apply a verified notification once: its event id is recorded with the state change. A
    duplicate changes nothing; what the notification does is `domain.decide_callback`'s (a
    move backwards is ignored; a success after a failure is refunded at once through
    `provider`, answered "refunded", never kept)."""
    provider_name = provider.name
    payment = session.scalar(select(Payment).where(
        Payment.provider == provider_name, Payment.checkout_id == event.checkout_id)
        .with_for_update())  # concurrent notifications of one payment run one after the other
    if payment is None:
        raise not_found("Aucun paiement ne correspond à ce checkout.")
    if session.scalar(select(ProviderEvent.id).where(ProviderEvent.provider == provider_name,
                                                     ProviderEvent.event_id == event.event_id)):
        return {"status": "duplicate"}
    if event.type == REFUND_SUCCEEDED:
        outcome = confirm_refund(session, payment, event.refund_ref, now, record)
    else:
        domain.check_notified_amount(event.amount, payment.amount)
        target = PAYMENT_EVENTS[event.type]
        decision = domain.decide_callback(payment.state, target)
        if decision.capture:
            _captured(session, provider, payment)
        if decision.outcome == domain.APPLIED:
            move(session, payment, target, event.occurred_at, now, record)
        elif decision.outcome == domain.REFUNDED_AT_ONCE:
            refund_late_success(session, provider, payment, now, record)
        outcome = decision.outcome
    session.add(ProviderEvent(provider=provider_name, event_id=event.event_id, type=event.type,
                              payment_id=payment.id, outcome=outcome, received_at=now))
    session.flush()
    return {"status": outcome, "payment_id": payment.id, "state": payment.state}


def _captured(session, provider, payment):
    """A provider that keeps its own records (the sandbox) learns that its signed success
    notification was taken: the money is captured, and can be refunded."""
    hook = getattr(provider, "captured", None)
    if hook is not None:
        hook(session, payment.checkout_id)
