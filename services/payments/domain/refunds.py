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
    become refunded; any other is ignored (already confirmed, or a duplicate)."""
    return refund_state == "pending" and can_move(payment_state, REFUNDED)
