"""What a buyer's own page says of the money given back to them (issue: an automatic refund
the page did not mention): the whole payment after a cancellation (the grouped order failed
or was cancelled, or the bookshop cancelled the sub-order), a payment refunded automatically
(it arrived once it was no longer owed), the difference of a title cut. Each is « en cours »
until payments gave it back, then dated; the totals to the cent."""
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

__all__ = ["CANCELLATION", "AUTOMATIC", "TITLE_CUT", "CREDIT_NOTE", "BuyerRefund",
           "refund_text", "buyer_refunds", "credit_note_key", "AT_PICKUP", "credit_note_refund", "REQUESTED",
           "REFUNDED", "CREDIT_KEY_PREFIX"]

CANCELLATION, AUTOMATIC, TITLE_CUT = "cancellation", "automatic", "title_cut"
CREDIT_NOTE = "credit_note"     # a credit note on the buyer's paid invoice: its amount back
AT_PICKUP = "at_pickup"         # handed back on distribution day (a note taken at pickup)
CREDIT_KEY_PREFIX = "credit-"
REQUESTED, REFUNDED = "requested", "refunded"
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BuyerRefund:
    kind: str
    state: str                       # requested | refunded
    amount: Decimal
    at: datetime | None = None       # refunded: when; requested: when it was asked, if known
    reason: str = ""
    title: str = ""
    before: int = 0
    after: int = 0
    method: str = "online"           # a cheque or cash is handed back by the bookshop
    number: str = ""                 # a credit note's number

    @property
    def by_hand(self) -> bool:
        return self.kind in (CANCELLATION, CREDIT_NOTE) and self.method in ("cheque", "cash")


def credit_note_key(number) -> str:
    """The partial refund's key of a credit note (payments refunds once per key)."""
    return f"{CREDIT_KEY_PREFIX}{number}"


def credit_note_refund(kind, order_kind, to_refund, paid_payment_id, refunded_so_far=ZERO,
                       paid_total=None):
    """What a credit note (`invoice_issued` of kind credit_note) gives back of a sub-order's
    payment: its `to_refund` (what the bookshop owes now, what it handed back at pickup left
    out), at most what is left of the payment after the earlier credit notes' refunds; None when
    there is nothing to ask payments for (an invoice, another order, nothing owed, never paid)."""
    if kind != "credit_note" or order_kind != "sub_order" or not paid_payment_id:
        return None
    amount = Decimal(str(to_refund or "0")).quantize(Decimal("0.01"))
    if paid_total is not None:
        amount = min(amount, Decimal(paid_total) - Decimal(refunded_so_far))
    return amount if amount > 0 else None


def refund_text(r: BuyerRefund) -> str:
    """The refund in words, without its amount nor its date (the page adds them)."""
    done = r.state == REFUNDED
    if r.kind == CANCELLATION:
        why = f" ({r.reason})" if r.reason else ""
        if r.by_hand:  # recorded at once; the parent still fetches it: always « est rendu »
            what = "votre chèque" if r.method == "cheque" else "le montant payé en espèces"
            return f"Votre commande a été annulée{why} : {what} vous est rendu par la librairie"
        return (f"Votre commande a été annulée{why} : le montant payé vous "
                + ("a été remboursé" if done else "est remboursé"))
    if r.kind == AUTOMATIC:
        why = f" ({r.reason})" if r.reason else ""
        return (f"Votre paiement est arrivé alors qu'il n'était plus dû{why} : il vous "
                + ("a été remboursé" if done else "est remboursé") + " automatiquement")
    if r.kind == AT_PICKUP:
        return "Rendu au retrait des livres" + (f" ({r.reason})" if r.reason else "")
    if r.kind == CREDIT_NOTE:
        start = f"Avoir n° {r.number} sur votre facture" + (f" ({r.reason})" if r.reason else "")
        if r.by_hand:
            return f"{start} : ce montant vous est rendu par la librairie"
        return f"{start} : ce montant vous " + ("a été remboursé" if done else "est remboursé")
    copies = "exemplaire" + ("s" if r.after > 1 else "")
    return (f"« {r.title} » : {r.before} → {r.after} {copies} : la différence vous "
            + ("a été remboursée" if done else "est remboursée"))


def _utc(at):
    if at is None:
        return datetime.min.replace(tzinfo=timezone.utc)
    return at.replace(tzinfo=timezone.utc) if at.tzinfo is None else at


def buyer_refunds(refunds) -> dict:
    """{refunds: [{kind, state, amount, at, text}] oldest first (undated last), refunded_total,
    refunding_total} from BuyerRefund items (amounts as Decimal, `at` as datetime)."""
    items = sorted(refunds, key=lambda r: (r.at is None, _utc(r.at)))
    done = sum((r.amount for r in items if r.state == REFUNDED), ZERO)
    pending = sum((r.amount for r in items if r.state != REFUNDED), ZERO)
    return {"refunds": [{"kind": r.kind, "state": r.state, "amount": r.amount, "at": r.at,
                         "by_hand": r.by_hand, "text": refund_text(r)} for r in items],
            "refunded_total": done, "refunding_total": pending}
