"""Money, written once: `Decimal` to the cent, rounded half-up whatever the decimal context
says (docs/prices.md). Pure Python: the domains may import it."""
from dataclasses import dataclass
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
    of its lines (nothing rounded again: the lines are already to the cent)."""
    table = {}
    for rate, ht, vat in shares:
        base, amount = table.get(rate, (Decimal("0.00"), Decimal("0.00")))
        table[rate] = (base + ht, amount + vat)
    return [{"rate": rate, "base_ht": base, "amount": amount}
            for rate, (base, amount) in sorted(table.items(), key=lambda x: Decimal(x[0]))]


@dataclass(frozen=True)
class DocLine:
    """A line of an order's document (issue 9, `order_document`): the unit price TTC is the
    public or frozen price, the line is unit × quantity exactly, its HT is TTC / (1 + VAT)
    rounded half-up, its VAT is TTC − HT (docs/prices.md). `vat_rate`: "2.1", "5.5" or "20"."""
    ean: str
    title: str
    publisher: str
    quantity: int
    vat_rate: str
    unit_price_ttc: Decimal

    @property
    def total_ttc(self) -> Decimal:
        return self.unit_price_ttc * self.quantity          # exact: unit × quantity

    @property
    def unit_price_ht(self) -> Decimal:                      # shown, not summed
        return money(self.unit_price_ttc / (1 + Decimal(self.vat_rate) / 100))

    @property
    def total_ht(self) -> Decimal:
        return money(self.total_ttc / (1 + Decimal(self.vat_rate) / 100))

    @property
    def vat_amount(self) -> Decimal:
        return self.total_ttc - self.total_ht


def document_totals(lines) -> dict:
    """{total_ht, vat: [{rate, base_ht, amount}], total_ttc}: sums of the rounded lines, so
    HT + VAT = TTC to the cent."""
    lines = list(lines)
    total_ht = sum((x.total_ht for x in lines), Decimal("0.00"))
    total_ttc = sum((x.total_ttc for x in lines), Decimal("0.00"))
    vat = vat_table((x.vat_rate, x.total_ht, x.vat_amount) for x in lines)
    assert total_ht + sum((v["amount"] for v in vat), Decimal("0.00")) == total_ttc
    return {"total_ht": total_ht, "vat": vat, "total_ttc": total_ttc}
