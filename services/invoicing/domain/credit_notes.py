"""Credit notes (avoirs): a correction of an invoice, for all of it or some of its lines. What
an invoice still has to credit is its lines less what earlier credit notes took; a credit note
takes at most that. A line credited in full takes exactly what remains of it (so that an
invoice credited in full, in one or several credit notes, comes back to zero to the cent); a
line credited in part takes the unit price TTC × the quantity, its HT its share of its VAT rate's
base on the credit note (docs/invoicing.md § Amounts) and its VAT the difference."""
from decimal import Decimal

from services.common.errors import conflict, invalid
from services.common.money import money

from .amounts import shared_out, totals

ZERO = Decimal("0.00")

NOTHING_LEFT = "Cette facture est déjà entièrement annulée par des avoirs : rien à créditer."


def remaining(invoice_lines, credited_lines) -> list:
    """Per invoice line (by position): what is left to credit (quantity and amounts)."""
    left = []
    for line in invoice_lines:
        taken = [c for c in credited_lines if c["position"] == line["position"]]
        rest = dict(line)
        rest["quantity"] = line["quantity"] - sum(c["quantity"] for c in taken)
        for field in ("total_ht", "vat_amount", "total_ttc"):
            rest[field] = line[field] - sum((c[field] for c in taken), Decimal("0.00"))
        left.append(rest)
    return left


def credit_lines(left, quantities=None) -> list:
    """The lines of a credit note: `quantities` None credits everything left; else
    {position: quantity} (positions of the invoice's lines, quantities > 0)."""
    if quantities is None:
        chosen = {ln["position"]: ln["quantity"] for ln in left if ln["quantity"] > 0}
        if not chosen:
            raise conflict(NOTHING_LEFT)
    else:
        chosen = {}
        by_position = {ln["position"]: ln for ln in left}
        for position, quantity in quantities.items():
            if position not in by_position:
                raise invalid("Cette ligne n'est pas sur la facture.",
                              {"lines": ["Ligne inconnue."]})
            if not isinstance(quantity, int) or quantity < 0:
                raise invalid("Indiquez des quantités entières positives.",
                              {"lines": ["Quantité invalide."]})
            if quantity > by_position[position]["quantity"]:
                raise invalid(
                    f"On ne peut créditer que {by_position[position]['quantity']} exemplaire(s) "
                    f"de « {by_position[position]['title']} ».",
                    {"lines": ["Quantité supérieure à ce qui reste à créditer."]})
            if quantity:
                chosen[position] = quantity
        if not chosen:
            raise invalid("Choisissez au moins une ligne à créditer.",
                          {"lines": ["Aucune quantité."]})
    lines, whole = [], set()
    for line in left:
        quantity = chosen.get(line["position"])
        if not quantity:
            continue
        credit = dict(line, quantity=quantity)
        if quantity != line["quantity"]:
            ttc = money(line["unit_price_ttc"] * quantity)
            credit.update(total_ttc=ttc, total_ht=ZERO, vat_amount=ttc)
        else:
            whole.add(line["position"])
        lines.append(credit)
    return shared_out(lines, fixed_positions=whole)


def cancels_invoice(left, lines) -> bool:
    """After these credit lines, nothing is left of the invoice."""
    after = {ln["position"]: ln["quantity"] for ln in left}
    for line in lines:
        after[line["position"]] -= line["quantity"]
    return all(q == 0 for q in after.values())


__all__ = ["remaining", "credit_lines", "cancels_invoice", "totals", "NOTHING_LEFT"]
