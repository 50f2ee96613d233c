"""Amounts of payments and refunds: `Decimal` to the cent, carried as strings ("14.90"), never
floats; a payment is more than 0 € and at most 10,000 €."""
import re
from decimal import Decimal

from services.common.errors import invalid
from services.common.money import CENT

MIN_AMOUNT = Decimal("0.01")
MAX_AMOUNT = Decimal("10000.00")
MONEY_RE = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def parse_money(value, field="amount") -> Decimal:
    """A Decimal with 2 places from "14.90" (a string, an int or a Decimal; never a float)."""
    if isinstance(value, (float, bool)) or not isinstance(value, (str, int, Decimal)):
        raise invalid("Le montant doit être une chaîne décimale, par exemple « 14.90 ».",
                      {field: ["Montant attendu sous forme de texte, par exemple « 14.90 »."]})
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and (len(text) > 20 or not MONEY_RE.fullmatch(text)):
        raise invalid("Le montant n'est pas un nombre décimal valide.",
                      {field: ["Nombre décimal attendu, par exemple « 14.90 »."]})
    amount = Decimal(text)  # a string matched the pattern above
    if not amount.is_finite() or abs(amount) >= 10 ** 12:
        raise invalid("Le montant n'est pas un nombre décimal valide.",
                      {field: ["Nombre décimal attendu, par exemple « 14.90 »."]})
    if amount != amount.quantize(CENT):
        raise invalid("Le montant a au plus deux décimales.", {field: ["Deux décimales au plus."]})
    return amount.quantize(CENT)


def check_payment_amount(amount: Decimal) -> Decimal:
    if amount < MIN_AMOUNT or amount > MAX_AMOUNT:
        raise invalid("Le montant doit être supérieur à 0 € et ne pas dépasser 10 000 €.",
                      {"amount": ["Entre 0,01 € et 10 000 €."]})
    return amount
