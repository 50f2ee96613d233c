"""payments use cases. Each takes a SQLAlchemy session (the unit of work, committed by the
caller), a provider (see `providers`), the time and `record(session, event_type, payload)` for
events; the same functions serve RPC, the callback endpoint, events and tests."""
import secrets
from datetime import timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.common.errors import invalid, not_found
from services.common.guards import transition

from . import domain
from .models import Payment, ProviderEvent, Refund
from .providers import (PAYMENT_EVENTS, REFUND_SUCCEEDED, CallbackEvent, CheckoutRequest,
                        ProviderError, RefundRequest)

MAX_LISTED = 200


def _iso(value):
    return (value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value).isoformat()


def refund_view(r: Refund) -> dict:
    return {"refund_id": r.id, "amount": domain.money_str(r.amount), "state": r.state,
            "reason": r.reason, "late": bool(r.late), "created_at": _iso(r.created_at)}


def payment_view(p: Payment) -> dict:
    return {"payment_id": p.id, "reference_kind": p.reference_kind,
            "reference_id": p.reference_id, "amount": domain.money_str(p.amount),
            "state": p.state, "state_label": domain.state_label(p.state), "provider": p.provider,
            "created_at": _iso(p.created_at), "updated_at": _iso(p.updated_at),
            "refunds": [refund_view(r) for r in p.refunds]}


def start_view(p: Payment) -> dict:
    return {"payment_id": p.id, "state": p.state, "state_label": domain.state_label(p.state),
            "redirect_url": p.redirect_url}


def _result(p: Payment, occurred_at, amount=None) -> dict:
    return {"payment_id": p.id, "reference_kind": p.reference_kind,
            "reference_id": p.reference_id, "amount": p.amount if amount is None else amount,
            "provider": p.provider, "occurred_at": occurred_at.isoformat()}


def _failed(p: Payment, occurred_at) -> dict:
    return dict(_result(p, occurred_at), state=p.state, reason=domain.FAILURE_REASONS[p.state],
                customer_email=p.customer_email, description=p.description,
                return_url=p.return_url)


def _move(session, p: Payment, target, occurred_at, now, record):
    """Move the payment and publish what the move means, in the same transaction."""
    transition(session, Payment, p.id, [p.state],
               {"state": domain.move(p.state, target), "updated_at": now}, column="state",
               message="Ce paiement vient de changer d'état : rechargez la page.")
    if target == domain.SUCCEEDED:
        record(session, "payment_succeeded", _result(p, occurred_at))
    elif target in domain.FAILED_STATES:
        record(session, "payment_failed", _failed(p, occurred_at))


def _load(session, payment_id, lock=False) -> Payment:
    payment = None
    if isinstance(payment_id, str) and len(payment_id) <= 40:
        payment = session.get(Payment, payment_id, with_for_update=lock or None)
    if payment is None:
        raise not_found("Paiement introuvable.")
    return payment


# ---- starting a payment ---------------------------------------------------------------------
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
    domain.check_not_already_paid(  # money taken late and given back does not count
        p.state for p in session.scalars(select(Payment).where(
            Payment.reference_kind == req.reference_kind,
            Payment.reference_id == req.reference_id))
        if not any(r.late for r in p.refunds))
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
    try:
        checkout = provider.create_checkout(session, CheckoutRequest(
            payment.id, payment.amount, payment.description, payment.customer_email,
            payment.return_url))
    except ProviderError:
        _move(session, payment, domain.ERROR, now, now, record)
        return start_view(payment)
    payment.checkout_id, payment.redirect_url = checkout.checkout_id, checkout.redirect_url
    payment.state = domain.move(payment.state, domain.PROCESSING)
    return start_view(payment)


def get_payment(session, payment_id) -> dict:
    return payment_view(_load(session, payment_id))


def list_payments(session, reference_kind, reference_id) -> list:
    if not isinstance(reference_kind, str) or not isinstance(reference_id, str):
        raise invalid("Référence attendue : reference_kind et reference_id en texte.")
    payments = session.scalars(
        select(Payment).where(Payment.reference_kind == reference_kind,
                              Payment.reference_id == reference_id)
        .order_by(Payment.created_at.desc()).limit(MAX_LISTED))
    return [payment_view(p) for p in payments]


# ---- provider notifications -----------------------------------------------------------------
def apply_callback(session, provider, event: CallbackEvent, now, record) -> dict:
    """Apply a verified notification once: its event id is recorded with the state change. A
    duplicate changes nothing; a notification that would move the state backwards is ignored,
    except a success after a failure: that money is refunded at once through `provider`
    (answered "refunded"), never kept."""
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
        outcome = _confirm_refund(session, payment, event.refund_ref, now, record)
    else:
        if event.amount != payment.amount:
            raise invalid("Le montant notifié ne correspond pas au montant du paiement.")
        target = PAYMENT_EVENTS[event.type]
        outcome = "ignored"
        if target == domain.SUCCEEDED and (domain.can_move(payment.state, target) or
                                           domain.late_success(payment.state, target)):
            _captured(session, provider, payment)
        if domain.can_move(payment.state, target):
            _move(session, payment, target, event.occurred_at, now, record)
            outcome = "applied"
        elif domain.late_success(payment.state, target):
            _refund_late_success(session, provider, payment, now, record)
            outcome = "refunded"
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


# ---- refunds --------------------------------------------------------------------------------
def _refund_succeeded(session, payment, refund, now, record):
    refund.state, refund.updated_at = "succeeded", now
    _move(session, payment, domain.REFUNDED, now, now, record)
    record(session, "payment_refunded", dict(_result(payment, now, refund.amount),
                                             refund_id=refund.id, reason=refund.reason,
                                             late=refund.late))


def _refund_late_success(session, provider, payment, now, record):
    """The money of a payment the buyer was told had failed: recorded as taken (no
    payment_succeeded: nothing is paid by it) and given back in full at once."""
    payment.state, payment.updated_at = domain.SUCCEEDED, now
    _refund(session, provider, payment, payment.amount, domain.LATE_SUCCESS_REASON, now, record,
            late=True)


def _confirm_refund(session, payment, provider_ref, now, record) -> str:
    refund = next((r for r in payment.refunds if r.provider_ref == provider_ref), None)
    if refund is None:
        raise not_found("Aucun remboursement ne correspond à cette notification.")
    if refund.state != "pending" or not domain.can_move(payment.state, domain.REFUNDED):
        return "ignored"
    _refund_succeeded(session, payment, refund, now, record)
    return "applied"


def refund_payment(session, provider, payment_id, amount, reason, now, record,
                   reference=None) -> dict:
    """Refund `amount` (None: all that was paid) once. A payment already refunded, or whose
    refund awaits the provider's confirmation, is returned unchanged."""
    payment = _load(session, payment_id, lock=True)
    if reference is not None and tuple(reference) != (payment.reference_kind,
                                                      payment.reference_id):
        raise invalid("La demande de remboursement ne correspond pas à la référence du paiement.")
    amount = payment.amount if amount is None else domain.parse_money(amount)
    if any(r.state == "pending" for r in payment.refunds) or \
            not domain.refund_needed(payment.state, payment.amount, amount):
        return payment_view(payment)
    _refund(session, provider, payment, amount, reason, now, record)
    session.flush()
    return payment_view(payment)


def _refund(session, provider, payment, amount, reason, now, record, late=False):
    if provider.name != payment.provider:
        raise ProviderError(f"payment {payment.id} belongs to provider {payment.provider}")
    result = provider.refund(session, RefundRequest(payment.id, payment.checkout_id, amount,
                                                    reason or ""))
    refund = Refund(id="rfn_" + secrets.token_urlsafe(12), payment=payment, amount=amount,
                    reason=(reason or "")[:500], state="pending", late=late,
                    provider_ref=result.provider_ref, created_at=now, updated_at=now)
    session.add(refund)
    if result.confirmed:
        _refund_succeeded(session, payment, refund, now, record)
