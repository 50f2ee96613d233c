"""The lines and totals an invoice freezes, read from the owner's `order_document` (its wire
shape: docs/architecture.md): amounts to the cent (services.common.money), each line adding up
(HT + TVA = TTC, unit price × quantity = line), and the totals recomputed from the lines: an
invoice prints nothing that cannot be added up again from its lines."""
from collections import OrderedDict
from decimal import Decimal, InvalidOperation

from services.common.errors import conflict
from services.common.money import money

VAT_RATES = (Decimal("2.1"), Decimal("5.5"), Decimal("20"))
ZERO = Decimal("0.00")
LINE_MONEY = ("unit_price_ttc", "unit_price_ht", "total_ht", "vat_amount", "total_ttc")

UNBALANCED = ("Les montants de cette commande ne s'additionnent pas : la facture n'est pas "
              "émise. Signalez-le à l'équipe technique.")


def _amount(value) -> Decimal:
    try:
        return money(value)
    except (InvalidOperation, TypeError, ValueError):
        raise conflict(UNBALANCED) from None


def vat_rate(value) -> Decimal:
    try:
        rate = Decimal(str(value)).normalize()
    except (InvalidOperation, TypeError, ValueError):
        raise conflict(UNBALANCED) from None
    for known in VAT_RATES:
        if rate == known:
            return known
    raise conflict(f"Taux de TVA inconnu sur une ligne de la commande : {value}.")


def line_from_document(raw: dict) -> dict:
    """One line of `order_document`, checked: its amounts add up."""
    try:
        quantity = int(raw["quantity"])
    except (KeyError, TypeError, ValueError):
        raise conflict(UNBALANCED) from None
    line = {"ean": str(raw.get("ean") or "")[:20], "title": str(raw.get("title") or "")[:500],
            "publisher": str(raw.get("publisher") or "")[:200], "quantity": quantity,
            "vat_rate": vat_rate(raw.get("vat_rate"))}
    for field in LINE_MONEY:
        line[field] = _amount(raw.get(field))
    if quantity <= 0 or line["total_ht"] + line["vat_amount"] != line["total_ttc"]:
        raise conflict(UNBALANCED)
    if (line["unit_price_ttc"] * quantity != line["total_ttc"]
            and line["unit_price_ht"] * quantity != line["total_ht"]):
        raise conflict(UNBALANCED)
    return line


def totals(lines) -> dict:
    """{total_ht, vat: [{rate, base_ht, amount}] by rate ascending, vat_total, total_ttc}."""
    by_rate = OrderedDict()
    for line in sorted(lines, key=lambda ln: ln["vat_rate"]):
        base, amount = by_rate.get(line["vat_rate"], (ZERO, ZERO))
        by_rate[line["vat_rate"]] = (base + line["total_ht"], amount + line["vat_amount"])
    total_ht = sum((ln["total_ht"] for ln in lines), ZERO)
    vat_total = sum((ln["vat_amount"] for ln in lines), ZERO)
    return {"total_ht": total_ht,
            "vat": [{"rate": r, "base_ht": b, "amount": a} for r, (b, a) in by_rate.items()],
            "vat_total": vat_total, "total_ttc": total_ht + vat_total}


def noted_at_pickup(payment: dict, field: str) -> Decimal:
    """A refund (or an extra payment) noted at pickup, from the document's payment: 0 when the
    document has none (an order of another kind, an older owner)."""
    value = _amount(payment.get(field) or "0")
    if value < 0:
        raise conflict(UNBALANCED)
    return value


def lines_from_document(document: dict) -> list:
    """The document's lines, checked, and checked against the document's own totals."""
    raw_lines = [raw for raw in document.get("lines") or []
                 if str(raw.get("quantity")) != "0"]  # a line of nothing invoices nothing
    if not raw_lines:
        raise conflict("Cette commande n'a aucune ligne : il n'y a rien à facturer.")
    lines = [line_from_document(raw) for raw in raw_lines]
    computed = totals(lines)
    stated = document.get("totals") or {}
    if "total_ttc" in stated and _amount(stated["total_ttc"]) != computed["total_ttc"]:
        raise conflict(UNBALANCED)
    if "total_ht" in stated and _amount(stated["total_ht"]) != computed["total_ht"]:
        raise conflict(UNBALANCED)
    return lines
