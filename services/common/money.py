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
