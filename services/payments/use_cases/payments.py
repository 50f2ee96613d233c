"""Starting a payment (its provider checkout), reading payments."""
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.common.errors import invalid

from .. import domain
from ..adapters.providers import CheckoutRequest, ProviderError
from ..models import Payment
from ..presenters import payment_view, start_view
from .common import entered, load, move

MAX_LISTED = 200


def _by_key(session, req):
    """The payment already started with this idempotency key (the same request, or conflict)."""
    existing = session.scalar(select(Payment).where(
        Payment.idempotency_key == req.idempotency_key))
    if existing is not None:
        domain.same_request(domain.StartRequest(
            existing.reference_kind, existing.reference_id, existing.amount,
            existing.description, existing.customer_email, existing.return_url,
            existing.idempotency_key), req)
    return existing


def start_payment(session, provider, data, now, record) -> dict:
    """A new payment and its provider checkout; the same idempotency key gives the same payment."""
    req = domain.start_request(data)
    existing = _by_key(session, req)
    if existing is not None:
        return start_view(existing)
    domain.check_reference_payable(
        (p.state, any(r.late for r in p.refunds)) for p in session.scalars(select(Payment).where(
            Payment.reference_kind == req.reference_kind,
            Payment.reference_id == req.reference_id)))
    payment = Payment(id="pay_" + secrets.token_urlsafe(16), reference_kind=req.reference_kind,
                      reference_id=req.reference_id, amount=req.amount,
                      description=req.description, customer_email=req.customer_email,
                      return_url=req.return_url, idempotency_key=req.idempotency_key,
                      provider=provider.name, state=domain.PENDING, created_at=now,
                      updated_at=now)
    if session.get_bind().dialect.name == "postgresql":
        try:  # a concurrent twin with the same key waits here, then finds the first payment
            with session.begin_nested():
                session.add(payment)
                session.flush()
        except IntegrityError:
            existing = _by_key(session, req)
            if existing is None:
                raise
            return start_view(existing)
    else:  # SQLite: the service's transactions are serialised
        session.add(payment)
        session.flush()
    entered(session, payment, now, record)  # pending
    try:
        checkout = provider.create_checkout(session, CheckoutRequest(
            payment.id, payment.amount, payment.description, payment.customer_email,
            payment.return_url))
    except ProviderError:
        move(session, payment, domain.ERROR, now, now, record)
        return start_view(payment)
    payment.checkout_id, payment.redirect_url = checkout.checkout_id, checkout.redirect_url
    payment.state = domain.move(payment.state, domain.PROCESSING)
    entered(session, payment, now, record)  # processing: on the provider's page
    return start_view(payment)


def get_payment(session, payment_id) -> dict:
    return payment_view(load(session, payment_id))


def list_payments(session, reference_kind, reference_id) -> list:
    if not isinstance(reference_kind, str) or not isinstance(reference_id, str):
        raise invalid("Référence attendue : reference_kind et reference_id en texte.")
    payments = session.scalars(
        select(Payment).where(Payment.reference_kind == reference_kind,
                              Payment.reference_id == reference_id)
        .order_by(Payment.created_at.desc()).limit(MAX_LISTED))
    return [payment_view(p) for p in payments]
