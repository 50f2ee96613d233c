"""What the payments use cases share: loading a payment, moving it (guarded) with its events
(and, once an online payment is confirmed, its payout line), and `entered`: the one place that
records `payment_state_changed` — the state a payment enters, at its creation and at each
move, online and manual, in the same transaction (issue 9: the order desk's payment column);
since issue 11 a payment started publishes one (`processing`, from `pending`), not two."""
from services.common.db import get_by_text_id
from services.common.guards import transition

from .. import domain
from ..models import Payment
from ..presenters import (payment_failed_event, payment_state_changed_event,
                          payment_succeeded_event)
from . import payouts


def load(session, payment_id, lock=False) -> Payment:
    return get_by_text_id(session, Payment, payment_id, "Paiement introuvable.", lock)


def entered(session, p: Payment, occurred_at, record, previous=None):
    """`p` has just entered `p.state` (created in it: `previous` None, or moved to it from
    `previous`): one `payment_state_changed`, with reference 003's label. A payment started
    is created pending and sent to the provider's page in one transaction: one event,
    `processing` from `pending` (use_cases.payments.start_payment)."""
    record(session, "payment_state_changed",
           payment_state_changed_event(p, occurred_at, previous))


def move(session, p: Payment, target, occurred_at, now, record):
    """Move the payment and publish what the move means, in the same transaction."""
    previous = p.state
    transition(session, Payment, p.id, [p.state],
               {"state": domain.move(p.state, target), "updated_at": now}, column="state",
               message="Ce paiement vient de changer d'état : rechargez la page.")
    entered(session, p, occurred_at, record, previous)
    if target == domain.SUCCEEDED:
        if domain.paid_out(p.method):
            payouts.add_payment(session, p, now)  # paid out to the bookshop (reference 002 §3)
        record(session, "payment_succeeded", payment_succeeded_event(p, occurred_at))
    elif target in domain.FAILED_STATES:
        record(session, "payment_failed", payment_failed_event(p, occurred_at))
