"""Money, written once: `Decimal` to the cent, rounded half-up whatever the decimal context
says (docs/prices.md). Pure Python: the domains may import it."""
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
