"""The lines and totals an invoice freezes, read from the owner's `order_document` (its wire
shape: docs/architecture.md): amounts to the cent (services.common.money), each line adding up
(HT + TVA = TTC, unit price TTC × quantity = line TTC), the lines' HT shared out per VAT rate so
that each rate's base is its TTC / (1 + rate) rounded half-up and its VAT the difference
(docs/invoicing.md § Amounts), and the totals recomputed from the lines: an invoice prints
nothing that cannot be added up again from its lines."""
from collections import OrderedDict
from decimal import Decimal, InvalidOperation

from services.common.errors import conflict
from services.common.money import money, share_out

VAT_RATES = (Decimal("2.1"), Decimal("5.5"), Decimal("20"))
ZERO = Decimal("0.00")
LINE_MONEY = ("unit_price_ttc", "unit_price_ht", "total_ht", "vat_amount", "total_ttc")
# a collectivity's discount on a line (None when none was granted): printed with the line
LINE_DISCOUNT = ("public_price_ttc", "discount_percent")

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
    if line["unit_price_ttc"] * quantity != line["total_ttc"]:
        raise conflict(UNBALANCED)
    line["public_price_ttc"] = line["discount_percent"] = None
    if raw.get("public_price_ttc") not in (None, "") and raw.get("discount_percent") not in (None, ""):
        public, percent = _amount(raw["public_price_ttc"]), _amount(raw["discount_percent"])
        if not ZERO <= percent <= 100 or money(public * (100 - percent) / 100) != line["unit_price_ttc"]:
            raise conflict(UNBALANCED)
        line["public_price_ttc"], line["discount_percent"] = public, percent
    return line


def shared_out(lines, fixed_positions=()) -> list:
    """The lines with their HT shared out per VAT rate (services.common.money.share_out): each
    rate's lines add up to its TTC / (1 + rate) rounded half-up, their VAT is TTC − HT. Lines at
    `fixed_positions` keep their HT (a credit note's line taking what remains of an invoice's)."""
    out = [dict(ln) for ln in lines]
    for rate in {ln["vat_rate"] for ln in out}:
        idx = [i for i, ln in enumerate(out) if ln["vat_rate"] == rate]
        fixed = {k: out[i]["total_ht"] for k, i in enumerate(idx)
                 if out[i].get("position") in fixed_positions}
        for i, ht in zip(idx, share_out([out[i]["total_ttc"] for i in idx], rate, fixed=fixed)):
            out[i].update(total_ht=ht, vat_amount=out[i]["total_ttc"] - ht)
    return out


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
    lines = shared_out([line_from_document(raw) for raw in raw_lines])
    computed = totals(lines)
    stated = document.get("totals") or {}
    if "total_ttc" in stated and _amount(stated["total_ttc"]) != computed["total_ttc"]:
        raise conflict(UNBALANCED)
    if "total_ht" in stated and _amount(stated["total_ht"]) != computed["total_ht"]:
        raise conflict(UNBALANCED)
    return lines
