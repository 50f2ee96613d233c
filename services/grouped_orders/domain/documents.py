"""What an order's document says (issue 9, `order_document`): the lines of a sub-order or of a
grouped order, their totals and VAT per rate, the payment's state, all to the cent
(docs/prices.md: the unit price TTC is the public price, the line is unit × quantity exactly,
its HT its share of its VAT rate's base, the rate's TTC / (1 + VAT) rounded half-up, its VAT
is TTC − HT; totals are sums of the lines: docs/invoicing.md § Amounts).

A grouped order's document is the sum of its PAID sub-orders at the public price: what the
collectivity's parents bought through it. A sub-order's document is its own line, whatever its
status (its status and payment say whether it was paid)."""
from decimal import Decimal

from services.common.money import DocLine, balanced, document_totals, money

from .status import AWAITING_PAYMENT, CANCELLED, PAID, SUB_CANCELLED, SUB_LABELS

__all__ = ["DocLine", "order_lines", "document_totals", "sub_order_payment",
           "grouped_order_payment", "document_vat_rate", "sub_order_title",
           "sub_order_status_label", "grouped_order_title"]

VAT_RATES = ("2.1", "5.5", "20")
# reference 003's payment labels (payments' STATE_LABELS), as a sub-order's state says them
CONFIRMED, AWAITING, REFUSED, PROCESSING_LABEL, ERROR, CANCELLED_LABEL = (
    "Paiement confirmé", "En attente du paiement", "Paiement refusé",
    "Paiement en cours de traitement", "Erreur technique", "Annulé")
LAST_ATTEMPT_LABELS = {"refused": REFUSED, "error": ERROR, "processing": PROCESSING_LABEL}


def document_vat_rate(rate) -> str:
    """An article's VAT rate as the documents write it: "2.1", "5.5" or "20"."""
    key = format(Decimal(str(rate)).normalize(), "f")
    if key not in VAT_RATES:
        raise ValueError(f"unknown VAT rate {rate!r}")
    return key


def order_lines(titles: dict, subs, paid_only: bool) -> list:
    """THE lines of a sub-order (`[sub]`, `paid_only=False`) or of a grouped order (its
    sub-orders, `paid_only=True`: the paid ones only): one line per title and unit price, in the
    reading list's order, quantities summed, titles not taken left out. `titles`: the grouped
    order's titles by the key of the sub-orders' lines (domain.Line.key: the title's row id),
    each a dict (ean, title, publisher, vat_rate, position); `subs`: domain.Sub (number, status,
    lines)."""
    quantities = {}
    for sub in subs:
        if paid_only and sub.status != PAID:
            continue
        for line in sub.lines:
            key = (line.key, money(line.unit_price))
            quantities[key] = quantities.get(key, 0) + line.quantity
    ordered = sorted(quantities.items(),
                     key=lambda item: (titles[item[0][0]].get("position") or 0, item[0][1]))
    return balanced(DocLine(str(titles[key].get("ean") or ""), titles[key].get("title") or "",
                            titles[key].get("publisher") or "", quantity,
                            document_vat_rate(titles[key].get("vat_rate") or "5.5"), price)
                    for (key, price), quantity in ordered if quantity)


def sub_order_payment(status: str, paid_manually: bool, last_payment_state, method="online",
                      cheque_number=None) -> dict:
    """How a sub-order is paid and where its payment stands (reference 003's labels): a
    cheque (with its number) or cash recorded by the bookshop (issue 9), "manual" for one
    validated by hand before them, else online."""
    if status == PAID:
        label = CONFIRMED
    elif status == SUB_CANCELLED:
        label = CANCELLED_LABEL
    else:
        label = LAST_ATTEMPT_LABELS.get(last_payment_state, AWAITING)
    if method == "pickup":  # issue 10 K5: to be paid on distribution day
        return {"method": "pickup", "state_label": label, "cheque_number": None}
    if method in ("cheque", "cash"):
        return {"method": method, "state_label": label,
                "cheque_number": cheque_number if method == "cheque" else None}
    return {"method": "manual" if paid_manually else "online", "state_label": label,
            "cheque_number": None}


def grouped_order_payment(status: str, subs, manual_numbers=()) -> dict:
    """A grouped order's payment: its sub-orders'. `manual_numbers`: the paid sub-orders
    settled at the bookshop."""
    paid = [s for s in subs if s.status == PAID]
    manual_numbers = set(manual_numbers)
    manual = sum(1 for s in paid if s.number in manual_numbers)
    method = ("none" if not paid else "manual" if manual == len(paid)
              else "online" if manual == 0 else "mixed")
    if status == CANCELLED:
        label = CANCELLED_LABEL
    elif any(s.status == AWAITING_PAYMENT for s in subs):
        label = AWAITING
    elif paid:
        label = CONFIRMED
    else:  # every sub-order cancelled, or none yet
        label = CANCELLED_LABEL if subs else AWAITING
    return {"method": method, "state_label": label, "cheque_number": None}


def sub_order_title(sub_number, grouped_number) -> str:
    """A parent's order as their mails name it (« votre commande n° … »): the bookshop's
    « sous-commande » is a word of its own screens."""
    return f"Commande n°\u00a0{sub_number} — commande groupée n°\u00a0{grouped_number}"


PICKUP_RESERVED = "Réservée, à payer au retrait"


def sub_order_status_label(status: str, method) -> str:
    """A sub-order's status on its document: a reservation to be paid on distribution day is
    not a payment that is late (issue 10 K5)."""
    if status == AWAITING_PAYMENT and method == "pickup":
        return PICKUP_RESERVED
    return SUB_LABELS[status]


def grouped_order_title(grouped_number) -> str:
    return f"Commande groupée n°\u00a0{grouped_number}"
