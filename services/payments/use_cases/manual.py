"""Manual payments (reference 003 step 1, issue 9): the bookshop received a cheque or cash for a
reference and records it. One per reference, ever: the payment's idempotency key is the
reference's manual key (unique), so two clicks, or two instances at once, record one payment,
one `payment_succeeded`, one `payment_state_changed`; the other is refused (409)."""
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.common.errors import conflict

from .. import domain
from ..models import Payment
from ..presenters import payment_succeeded_event, payment_view
from .common import entered

def _already(existing: Payment):
    what = f"chèque n° {existing.cheque_number}" if existing.method == domain.CHEQUE else \
        domain.METHOD_LABELS.get(existing.method, existing.method).lower()
    return conflict(f"Le paiement de cette commande est déjà enregistré ({what}) : rechargez "
                    "la page.")


def record_manual_payment(session, reference_kind, reference_id, amount, method, cheque_number,
                          by, now, record) -> dict:
    """Record a cheque or cash received by the bookshop: a payment created succeeded (no
    provider, no fee, no payout), `payment_state_changed` and `payment_succeeded` (with the
    method and the cheque number) in the same transaction."""
    manual = domain.manual_payment(reference_kind, reference_id, amount, method, cheque_number,
                                   by)
    existing = session.scalar(select(Payment).where(Payment.idempotency_key == manual.key))
    if existing is not None:
        raise _already(existing)
    domain.check_reference_payable(
        (p.state, any(r.late for r in p.refunds)) for p in session.scalars(select(Payment).where(
            Payment.reference_kind == manual.reference_kind,
            Payment.reference_id == manual.reference_id)))
    payment = Payment(id="pay_" + secrets.token_urlsafe(16),
                      reference_kind=manual.reference_kind, reference_id=manual.reference_id,
                      amount=manual.amount, description=manual.description,
                      customer_email="", return_url="", idempotency_key=manual.key,
                      provider=domain.MANUAL_PROVIDER, state=domain.SUCCEEDED,
                      method=manual.method, cheque_number=manual.cheque_number or None,
                      recorded_by=manual.by, created_at=now, updated_at=now)
    try:  # a concurrent twin waits on the unique key (PostgreSQL), then is refused here
        with session.begin_nested():
            session.add(payment)
            session.flush()
    except IntegrityError:
        existing = session.scalar(select(Payment).where(Payment.idempotency_key == manual.key))
        if existing is None:
            raise
        raise _already(existing) from None
    entered(session, payment, now, record)  # succeeded: « Paiement confirmé »
    record(session, "payment_succeeded", payment_succeeded_event(payment, now))
    return payment_view(payment)
