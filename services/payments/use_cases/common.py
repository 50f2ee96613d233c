"""What the payments use cases share: loading a payment, moving it (guarded) with its event
(and, once confirmed, its payout line)."""
from services.common.errors import not_found
from services.common.guards import transition

from .. import domain
from ..models import Payment
from ..presenters import payment_event, payment_failed_event
from . import payouts


def load(session, payment_id, lock=False) -> Payment:
    payment = None
    if isinstance(payment_id, str) and len(payment_id) <= 40:
        payment = session.get(Payment, payment_id, with_for_update=lock or None)
    if payment is None:
        raise not_found("Paiement introuvable.")
    return payment


def move(session, p: Payment, target, occurred_at, now, record):
    """Move the payment and publish what the move means, in the same transaction."""
    transition(session, Payment, p.id, [p.state],
               {"state": domain.move(p.state, target), "updated_at": now}, column="state",
               message="Ce paiement vient de changer d'état : rechargez la page.")
    if target == domain.SUCCEEDED:
        payouts.add_payment(session, p, now)  # paid out to the bookshop (reference 002 §3)
        record(session, "payment_succeeded", payment_event(p, occurred_at))
    elif target in domain.FAILED_STATES:
        record(session, "payment_failed", payment_failed_event(p, occurred_at))
