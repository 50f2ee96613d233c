"""A sub-order's total and the "Récapitulatif de l'ensemble des sous-commandes" (reference 000),
to the cent (docs/prices.md: Decimal, rounded half-up)."""
from dataclasses import dataclass, field
from decimal import Decimal

from services.common.money import money

from .status import AWAITING_PAYMENT, PAID, SUB_CANCELLED

__all__ = ["line_total", "Sub", "Summary", "summarize"]


def line_total(unit_price, quantity) -> Decimal:
    """What `quantity` copies at `unit_price` cost, to the cent."""
    return money(unit_price * quantity)


@dataclass
class Sub:
    """What the rules need to know of a sub-order."""
    number: int
    quantity: int
    unit_price: Decimal
    status: str

    @property
    def total(self) -> Decimal:
        return line_total(self.unit_price, self.quantity)


@dataclass
class Summary:
    """"Récapitulatif de l'ensemble des sous-commandes"."""
    articles: dict = field(default_factory=lambda: {SUB_CANCELLED: 0, AWAITING_PAYMENT: 0,
                                                     PAID: 0})
    sub_orders: dict = field(default_factory=lambda: {SUB_CANCELLED: 0, AWAITING_PAYMENT: 0,
                                                       PAID: 0})
    totals: dict = field(default_factory=lambda: {AWAITING_PAYMENT: Decimal("0.00"),
                                                   PAID: Decimal("0.00")})


def summarize(subs) -> Summary:
    s = Summary()
    for sub in subs:
        s.articles[sub.status] += sub.quantity
        s.sub_orders[sub.status] += 1
        if sub.status in s.totals:
            s.totals[sub.status] += sub.total
    return s
