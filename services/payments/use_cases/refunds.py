"""Refunds: asked for over RPC or by `refund_requested`, and the late success given back at once."""
import secrets

from services.common.errors import not_found

from .. import domain
from ..adapters.providers import ProviderError, RefundRequest
from ..models import Refund
from ..presenters import payment_refunded_event, payment_view
from . import payouts
from .common import entered, load, move


def refund_payment(session, provider, payment_id, amount, reason, now, record,
                   reference=None, request_key="") -> dict:
    """Refund `amount` (None: all that was paid) once. A payment already refunded, or whose
    refund awaits the provider's confirmation, is returned unchanged. With a `request_key`, a
    PARTIAL refund (issue 10, K3): once per key, at most what is left refundable."""
    payment = load(session, payment_id, lock=True)
    domain.check_refund_reference(reference, (payment.reference_kind, payment.reference_id))
    amount = payment.amount if amount is None else domain.parse_money(amount)
    if request_key:
        return refund_part(session, provider, payment, amount, reason, now, record, request_key)
    if payment.refunds:
        # after earlier refunds (pending ones count: their money is asked for already), the
        # whole payment is what is left of it, and no refund goes beyond that
        left = domain.refundable_left(payment.amount,
                                      [(r.state, r.amount) for r in payment.refunds])
        amount = left if amount == payment.amount else min(amount, left)
        if amount <= 0 and payment.state == domain.SUCCEEDED:
            return payment_view(payment)  # all of it given back (or asked for) already
    # only a whole refund awaiting its confirmation makes this one a duplicate: a partial one
    # still pending at the provider must not swallow the cancellation's refund of the rest
    if not domain.refund_needed(payment.state, payment.amount, amount,
                                awaiting_confirmation=any(r.state == "pending" and
                                                          not r.request_key
                                                          for r in payment.refunds)):
        return payment_view(payment)
    refund(session, provider, payment, amount, reason, now, record)
    session.flush()
    return payment_view(payment)


def refund_part(session, provider, payment, amount, reason, now, record, request_key) -> dict:
    """One partial refund under `request_key` (the payment's row is locked: two at once are one
    after the other; the key is unique besides): a duplicate key changes nothing."""
    key = domain.check_partial_key(request_key)
    done = any(r.request_key == key for r in payment.refunds)
    if domain.partial_refund_needed(payment.state, payment.amount,
                                    [(r.state, r.amount) for r in payment.refunds], amount, done):
        refund(session, provider, payment, amount, reason, now, record, request_key=key)
        session.flush()
    return payment_view(payment)


def refund(session, provider, payment, amount, reason, now, record, late=False,
           request_key=None):
    """Ask the provider to give `amount` back; recorded as succeeded when it confirms at once.
    A cheque or cash is given back by the bookshop itself: refunded at once, no provider."""
    if domain.given_back_by_hand(payment.method):
        row = Refund(id="rfn_" + secrets.token_urlsafe(12), payment=payment, amount=amount,
                     reason=(reason or "")[:500], state="pending", late=False,
                     provider_ref=f"by-hand:{payment.id}:{request_key or 'all'}"[:100],
                     request_key=request_key, created_at=now, updated_at=now)
        session.add(row)
        refund_succeeded(session, payment, row, now, record)
        return
    if provider.name != payment.provider:
        raise ProviderError(f"payment {payment.id} belongs to provider {payment.provider}")
    result = provider.refund(session, RefundRequest(
        payment.id, payment.checkout_id, amount, reason or "",
        idempotency_key=domain.refund_key(payment.id, request_key, late)))
    row = Refund(id="rfn_" + secrets.token_urlsafe(12), payment=payment, amount=amount,
                 reason=(reason or "")[:500], state="pending", late=late,
                 provider_ref=result.provider_ref, request_key=request_key, created_at=now,
                 updated_at=now)
    session.add(row)
    if result.confirmed:
        refund_succeeded(session, payment, row, now, record)


def refund_succeeded(session, payment, row: Refund, now, record):
    row.state, row.updated_at = "succeeded", now
    if payment.state != domain.REFUNDED and domain.fully_refunded(
            payment.amount, [(r.state, r.amount) for r in payment.refunds]):
        # the payment is « refunded » once its refunds add up to all that was paid: a refund of
        # the rest (a cancellation's, without a key) that came before a credit note's partial
        # one closed it, and the partial one was then refused for good
        move(session, payment, domain.REFUNDED, now, now, record)
    payouts.add_refund(session, payment, row.amount, now, refund_id=row.id)  # payout reduced
    record(session, "payment_refunded", payment_refunded_event(payment, row, now))


def refund_late_success(session, provider, payment, now, record):
    """The money of a payment the buyer was told had failed: recorded as taken (no
    payment_succeeded: nothing is paid by it) and given back in full at once."""
    previous, payment.state, payment.updated_at = payment.state, domain.SUCCEEDED, now
    entered(session, payment, now, record, previous)  # succeeded (the money was taken) …
    refund(session, provider, payment, payment.amount, domain.LATE_SUCCESS_REASON, now, record,
           late=True)


def confirm_refund(session, payment, provider_ref, now, record) -> str:
    """A provider's `refund.succeeded`: "applied" or "ignored"."""
    row = next((r for r in payment.refunds if r.provider_ref == provider_ref), None)
    if row is None:
        raise not_found("Aucun remboursement ne correspond à cette notification.")
    if not domain.refund_confirmable(row.state, payment.state):
        return "ignored"
    refund_succeeded(session, payment, row, now, record)
    return "applied"
