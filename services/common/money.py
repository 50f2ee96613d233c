"""Money, written once: `Decimal` to the cent, rounded half-up whatever the decimal context
says (docs/prices.md). Pure Python: the domains may import it."""
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def money(value) -> Decimal:
    """14.9, "14.90", Decimal("14.899") -> Decimal("14.90")."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def eur(value) -> str:
    """An amount as a French reader reads it: "14,90\u00a0€" (babel, fr_FR); "" for none."""
    if value in (None, ""):
        return ""
    from babel.numbers import format_currency  # (babel only where amounts are written)
    return format_currency(Decimal(str(value)), "EUR", locale="fr_FR")


def money_str(value) -> str:
    """The wire form of an amount (events and RPC answers carry money as strings): "14.90"."""
    return str(money(value))


def vat_table(shares) -> list:
    """The VAT per rate of a document, from its lines' `(rate, total_ht, vat_amount)` (rates as
    strings: "2.1", "5.5", "20"): `[{"rate", "base_ht", "amount"}]` by rising rate, each the sum
    of its lines (nothing rounded again: the lines are already to the cent, and `balanced` made
    their HT add up to the rate's base)."""
    table = {}
    for rate, ht, vat in shares:
        base, amount = table.get(rate, (Decimal("0.00"), Decimal("0.00")))
        table[rate] = (base + ht, amount + vat)
    return [{"rate": rate, "base_ht": base, "amount": amount}
            for rate, (base, amount) in sorted(table.items(), key=lambda x: Decimal(x[0]))]


def ht_of(total_ttc, rate) -> Decimal:
    """THE rule (docs/invoicing.md § Amounts): an amount TTC's HT, TTC / (1 + rate / 100)
    rounded half-up to the cent; its VAT is TTC − HT. Applied to the total TTC of each VAT rate
    of a document, it gives the base and the VAT the document prints for that rate."""
    return money(Decimal(str(total_ttc)) / (1 + Decimal(str(rate)) / 100))


def share_out(ttcs, rate, base=None, fixed=None) -> list:
    """The HT of each line of one VAT rate, adding up to `base` (by default `ht_of` the lines'
    total TTC): each line starts from its own TTC / (1 + rate) rounded half-up, then the cents
    missing (or over) go one at a time to the line whose rounding was furthest the other way
    (the first one on a tie). `fixed`: {index: ht} of lines whose HT is already decided (a
    credit note's line that takes what remains of an invoice line); they are kept as they are."""
    ttcs = [Decimal(str(t)) for t in ttcs]
    fixed = fixed or {}
    divisor = 1 + Decimal(str(rate)) / 100
    base = ht_of(sum(ttcs, Decimal("0")), rate) if base is None else base
    exact = [t / divisor for t in ttcs]
    hts = [fixed[i] if i in fixed else money(e) for i, e in enumerate(exact)]
    free = [i for i in range(len(ttcs)) if i not in fixed and ttcs[i]]
    missing = int((base - sum(hts, Decimal("0"))) / CENT)
    while missing:
        step = 1 if missing > 0 else -1
        room = [k for k in free if Decimal(0) <= hts[k] + step * CENT <= ttcs[k]]
        if not room:            # (HT between 0 and TTC: a line's VAT is never negative)
            break
        i = max(room, key=lambda k: (step * (exact[k] - hts[k]), -k))
        hts[i] += step * CENT
        missing -= step
    return hts


def balanced(lines) -> list:
    """Document lines (DocLine) with their HT shared out per VAT rate (`share_out`): the lines of
    a rate add up to the rate's base, `ht_of` its total TTC, so that the VAT printed per rate is
    the rate's TTC − its base, and base × rate rounded gives it whenever any base can (EN 16931
    BR-CO-17; else a cent away, as no base of that TTC can do better)."""
    lines = list(lines)
    out = list(lines)
    for rate in {x.vat_rate for x in lines}:
        idx = [i for i, x in enumerate(lines) if x.vat_rate == rate]
        for i, ht in zip(idx, share_out([lines[i].total_ttc for i in idx], rate)):
            out[i] = replace(lines[i], ht=ht)
    return out


@dataclass(frozen=True)
class DocLine:
    """A line of an order's document (issue 9, `order_document`): the unit price TTC is the
    public or frozen price, the line is unit × quantity exactly, its HT is its share of its VAT
    rate's base (`balanced`; alone, TTC / (1 + VAT) rounded half-up), its VAT is TTC − HT
    (docs/invoicing.md § Amounts). `vat_rate`: "2.1", "5.5" or "20". A collectivity's line
    says its public price TTC and the discount that gave its unit price (else None)."""
    ean: str
    title: str
    publisher: str
    quantity: int
    vat_rate: str
    unit_price_ttc: Decimal
    public_price_ttc: Decimal | None = None
    discount_percent: Decimal | None = None
    ht: Decimal | None = None

    @property
    def total_ttc(self) -> Decimal:
        return self.unit_price_ttc * self.quantity          # exact: unit × quantity

    @property
    def unit_price_ht(self) -> Decimal:                      # carried, not printed nor summed
        return ht_of(self.unit_price_ttc, self.vat_rate)

    @property
    def total_ht(self) -> Decimal:
        return self.ht if self.ht is not None else ht_of(self.total_ttc, self.vat_rate)

    @property
    def vat_amount(self) -> Decimal:
        return self.total_ttc - self.total_ht

    def discount_fields(self) -> dict:
        """The contract's optional discount fields of the line ({} when none was granted)."""
        if self.public_price_ttc is None or not self.discount_percent \
                or money(self.public_price_ttc) == self.unit_price_ttc:
            return {}
        return {"public_price_ttc": money(self.public_price_ttc),
                "discount_percent": money(self.discount_percent)}


def document_totals(lines) -> dict:
    """{total_ht, vat: [{rate, base_ht, amount}], total_ttc}: per VAT rate, the base is `ht_of`
    the rate's total TTC and the VAT the difference (the lines `balanced` add up to them), so
    HT + VAT = TTC to the cent."""
    lines = balanced(lines)
    total_ht = sum((x.total_ht for x in lines), Decimal("0.00"))
    total_ttc = sum((x.total_ttc for x in lines), Decimal("0.00"))
    vat = vat_table((x.vat_rate, x.total_ht, x.vat_amount) for x in lines)
    assert total_ht + sum((v["amount"] for v in vat), Decimal("0.00")) == total_ttc
    assert all(v["base_ht"] == ht_of(v["base_ht"] + v["amount"], v["rate"]) for v in vat)
    return {"total_ht": total_ht, "vat": vat, "total_ttc": total_ttc}
