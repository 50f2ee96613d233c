"""What money does to a sub-order (reference 000, "Paiement"; issue 8 §2): a confirmed payment
pays it, or is already counted, or is given back by itself (a payment not owed: the sub-order or
its grouped order was cancelled, it was paid already, the amount is not the one owed, or the
bank captured after a refusal); a refund that payments confirms is the sub-order's own payment
(it was cancelled) or one of those automatic refunds."""
from dataclasses import dataclass

from services.common.money import money

from .status import AWAITING_PAYMENT, CANCELLED, PAID, SUB_CANCELLED

__all__ = ["AFTER_CANCELLATION", "AFTER_FAILURE", "PAID_TWICE", "WRONG_AMOUNT",
           "AUTO_REFUND_LABELS", "DEFAULT_CANCEL_REASON", "unowed_payment_reason",
           "payment_outcome", "PaymentDecision", "settle_payment", "RefundDecision",
           "settle_refund", "failure_shown", "refund_on_cancel"]

# why money that was not owed went back by itself (shown to the bookshop, told to the buyer)
AFTER_CANCELLATION = "paiement reçu après annulation"
AFTER_FAILURE = "paiement reçu après un refus"
PAID_TWICE = "paiement reçu alors que la commande était déjà payée"
WRONG_AMOUNT = "montant reçu différent du montant dû"
AUTO_REFUND_LABELS = {"requested": "Remboursement automatique demandé",
                      "refunded": "Remboursé automatiquement"}
DEFAULT_CANCEL_REASON = "Commande annulée"


def unowed_payment_reason(sub_status: str, group_status: str, late: bool = False,
                          right_amount: bool = True) -> str:
    """Why a payment the sub-order does not count is refunded automatically: the sub-order or
    its grouped order was cancelled, the bank captured after a refusal (`late`), the sub-order
    was already paid, or the amount was not the one owed."""
    if sub_status == SUB_CANCELLED or group_status == CANCELLED:
        return AFTER_CANCELLATION
    if late:
        return AFTER_FAILURE
    if sub_status == PAID:
        return PAID_TWICE
    return AFTER_FAILURE if right_amount else WRONG_AMOUNT


def payment_outcome(sub_status: str, group_status: str) -> str:
    """What a confirmed payment does: "paid", "refund" (the sub-order or its grouped order was
    cancelled meanwhile, or it was already paid by another attempt) or "ignore"."""
    if sub_status == AWAITING_PAYMENT and group_status not in (CANCELLED,):
        return "paid"
    return "refund"


@dataclass(frozen=True)
class PaymentDecision:
    """What a confirmed payment (payment_succeeded) does to its sub-order."""
    PAY = "pay"                          # the sub-order is paid by it
    COUNTED = "counted"                  # that very payment is already counted: nothing
    REFUND = "refund"                    # not owed: ask payments to give it back
    ALREADY_ASKED = "already_asked"      # not owed, and its refund is already asked: nothing
    BY_HAND = "by_hand"                  # a cheque or cash not owed: the bookshop gives it back

    action: str
    reason: str = ""  # why it is refunded (REFUND)

    @property
    def pays(self) -> bool:
        return self.action == self.PAY

    @property
    def refunds(self) -> bool:
        return self.action == self.REFUND


def settle_payment(sub_status: str, group_status: str, amount, owed, payment_id,
                   paid_payment_id, refund_asked: bool, manual: bool = False) -> PaymentDecision:
    """A payment of `amount` for a sub-order that owes `owed`: it pays the sub-order when that
    one awaits payment (even after the deadline) and the amount is right; the payment that paid
    it, delivered again, changes nothing; any other (cancelled meanwhile, paid twice, a wrong
    amount) is refunded automatically, once (`refund_asked`: its refund is already asked) —
    unless it is `manual` (a cheque or cash recorded by the bookshop), given back by hand."""
    right_amount = money(amount) == money(owed)
    if payment_outcome(sub_status, group_status) == "paid" and right_amount:
        return PaymentDecision(PaymentDecision.PAY)
    if paid_payment_id == payment_id:
        return PaymentDecision(PaymentDecision.COUNTED)
    if manual:  # nothing to refund online: the bookshop hands the cheque or cash back
        return PaymentDecision(PaymentDecision.BY_HAND, unowed_payment_reason(
            sub_status, group_status, right_amount=right_amount))
    if refund_asked:
        return PaymentDecision(PaymentDecision.ALREADY_ASKED)
    return PaymentDecision(PaymentDecision.REFUND, unowed_payment_reason(
        sub_status, group_status, right_amount=right_amount))


@dataclass(frozen=True)
class RefundDecision:
    """What a refund confirmed by payments (payment_refunded) does."""
    OWN = "own"          # the sub-order's own payment (it was cancelled) is back with the buyer
    AUTOMATIC = "auto"   # a payment the sub-order never counted, refunded automatically
    DONE = "done"        # already recorded: the event came twice

    action: str
    reason: str = ""     # told to the buyer


def settle_refund(payment_id, paid_payment_id, sub_refund_state, sub_cancel_reason,
                  group_cancel_reason, attempt_refund_state, attempt_refund_reason,
                  sub_status: str, group_status: str, late: bool) -> RefundDecision:
    """The sub-order's own payment: refunded once, for the reason it (or its grouped order) was
    cancelled. Another payment: an automatic refund, for the reason given when it was asked,
    else the reason it was not owed (`late`: the bank captured after a refusal)."""
    if paid_payment_id == payment_id:
        if sub_refund_state == "refunded":
            return RefundDecision(RefundDecision.DONE)
        return RefundDecision(RefundDecision.OWN, sub_cancel_reason or group_cancel_reason or
                              DEFAULT_CANCEL_REASON)
    if attempt_refund_state == "refunded":
        return RefundDecision(RefundDecision.DONE)
    return RefundDecision(RefundDecision.AUTOMATIC, attempt_refund_reason or
                          unowed_payment_reason(sub_status, group_status, late=late))


def failure_shown(sub_status: str) -> bool:
    """Payments only move forward: a refusal is shown on a sub-order still awaiting payment,
    never on one paid meanwhile (a late, out-of-order failure)."""
    return sub_status == AWAITING_PAYMENT


def refund_on_cancel(sub_status: str, paid_payment_id) -> bool:
    """Cancelling a paid sub-order asks payments to give its payment back: online, through the
    provider; a cheque or cash recorded by the bookshop (issue 9), handed back by the bookshop
    (payments records it at once). One validated by hand before issue 9 has no payment."""
    return sub_status == PAID and paid_payment_id is not None
