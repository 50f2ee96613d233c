"""Refunds: only a succeeded payment is refunded, never more than was paid, once (a payment
already refunded, or whose refund awaits the provider's confirmation, is left as it is)."""
from decimal import Decimal

from services.common.errors import invalid
from services.common.money import money_str

from .states import REFUNDED, STATE_LABELS, SUCCEEDED, can_move


def check_refund_reference(requested, actual) -> None:
    """A refund asked for by another service names the payment's own reference."""
    if requested is not None and tuple(requested) != tuple(actual):
        raise invalid("La demande de remboursement ne correspond pas à la référence du paiement.")


def given_back_by_hand(method) -> bool:
    """A cheque or cash received by the bookshop is given back by the bookshop itself (the
    cheque handed back, the cash returned): no provider is asked, the refund is done at once."""
    return (method or "online") != "online"


def refund_needed(state: str, paid: Decimal, amount: Decimal,
                  awaiting_confirmation: bool = False) -> bool:
    """False when the payment is already refunded, or its refund awaits the provider's
    confirmation (nothing to do); True when a refund of `amount` may go ahead; DomainError
    otherwise."""
    if awaiting_confirmation or state == REFUNDED:
        return False
    if state != SUCCEEDED:
        raise invalid(f"Seul un paiement confirmé peut être remboursé (état actuel : "
                      f"« {STATE_LABELS.get(state, state)} »).")
    if amount <= 0:
        raise invalid("Le montant à rembourser doit être supérieur à 0 €.",
                      {"amount": ["Supérieur à 0 €."]})
    if amount > paid:
        raise invalid(f"Le remboursement ({money_str(amount)} €) ne peut pas dépasser le montant "
                      f"payé ({money_str(paid)} €).", {"amount": ["Supérieur au montant payé."]})
    return True


def refund_confirmable(refund_state: str, payment_state: str) -> bool:
    """A provider's confirmation completes a refund still pending on a payment that may still
    become refunded, or already is (a partial refund confirmed after the whole one that gave
    back the rest); any other is ignored (already confirmed, or a duplicate)."""
    return refund_state == "pending" and (payment_state == REFUNDED or
                                          can_move(payment_state, REFUNDED))


# ---- partial refunds (issue 10, K3: a title cut, the difference given back) -----------------
KEY_MAX = 100


def refundable_left(paid: Decimal, refunds) -> Decimal:
    """What may still be given back on a payment of `paid`: `refunds` are (state, amount) of its
    refunds so far; a pending one counts (its money is already asked for)."""
    return Decimal(paid) - sum((Decimal(amount) for state, amount in refunds
                                if state in ("pending", "succeeded")), Decimal("0.00"))


def check_partial_key(key) -> str:
    if not isinstance(key, str) or not key.strip() or len(key) > KEY_MAX:
        raise invalid("Clé du remboursement partiel obligatoire (100 caractères au plus).",
                      {"request_key": ["Obligatoire."]})
    return key


def partial_refund_needed(state: str, paid: Decimal, refunds, amount: Decimal,
                          already_done: bool) -> bool:
    """A partial refund of `amount` asked for once under its own key: False when that key was
    already refunded (a duplicate, nothing to do); True when it may go ahead: the payment is
    confirmed and `amount` is at most what is left refundable (several partial refunds never
    add up to more than was paid); DomainError otherwise."""
    if already_done:
        return False
    if state != SUCCEEDED:
        raise invalid(f"Seul un paiement confirmé peut être remboursé (état actuel : "
                      f"« {STATE_LABELS.get(state, state)} »).")
    if amount <= 0:
        raise invalid("Le montant à rembourser doit être supérieur à 0 €.",
                      {"amount": ["Supérieur à 0 €."]})
    left = refundable_left(paid, refunds)
    if amount > left:
        raise invalid(f"Le remboursement ({money_str(amount)} €) dépasse ce qui reste "
                      f"remboursable sur ce paiement ({money_str(left)} €).",
                      {"amount": ["Supérieur au reste remboursable."]})
    return True


def fully_refunded(paid: Decimal, refunds) -> bool:
    """The payment moves to refunded once its succeeded refunds add up to what was paid."""
    return sum((Decimal(a) for s, a in refunds if s == "succeeded"), Decimal("0")) >= Decimal(paid)


def refund_key(payment_id: str, request_key=None, late=False) -> str:
    """The provider's idempotency key of one refund: a payment's partial refund under its own
    key, its whole (or remaining) refund, the late success's; the same refund asked again gets
    the same key."""
    return f"{payment_id}:{'late' if late else (request_key or 'all')}"[:200]
