"""A sub-order's total and the "Récapitulatif de l'ensemble des sous-commandes" (reference 000),
overall and per title (issue 10), to the cent (docs/prices.md: Decimal, rounded half-up)."""
from dataclasses import dataclass, field
from decimal import Decimal

from services.common.money import money

from .payment_methods import ONLINE, at_pickup
from .status import AWAITING_PAYMENT, PAID, SUB_CANCELLED
from .titles import Line, lines_quantity, lines_total

__all__ = ["line_total", "Sub", "TitleFigures", "Summary", "summarize"]


def line_total(unit_price, quantity) -> Decimal:
    """What `quantity` copies at `unit_price` cost, to the cent."""
    return money(unit_price * quantity)


def _by_status(zero):
    return lambda: {SUB_CANCELLED: zero, AWAITING_PAYMENT: zero, PAID: zero}


@dataclass
class Sub:
    """What the rules need to know of a sub-order: its status and its lines (domain.Line, one
    per title), and how its buyer pays (`method`: « pickup », paid on distribution day)."""
    number: int
    status: str
    lines: tuple = ()
    method: str = ONLINE

    @property
    def at_pickup(self) -> bool:
        """Awaiting its payment at pickup: ordered, not paid (domain.at_pickup)."""
        return at_pickup(self.status, self.method)

    @classmethod
    def single(cls, number, quantity, unit_price, status, key=None) -> "Sub":
        """A sub-order of one title (`key`)."""
        return cls(number, status, (Line(key, quantity, unit_price),))

    @property
    def quantity(self) -> int:
        return lines_quantity(self.lines)

    @property
    def total(self) -> Decimal:
        return lines_total(self.lines)


@dataclass
class TitleFigures:
    """One title's copies and totals TTC by sub-order status; `pickup_copies` and
    `pickup_total`: the part of those awaiting payment that is to be paid at pickup."""
    copies: dict = field(default_factory=_by_status(0))
    totals: dict = field(default_factory=_by_status(Decimal("0.00")))
    pickup_copies: int = 0
    pickup_total: Decimal = Decimal("0.00")

    @property
    def ordered_copies(self) -> int:
        """What the bookshop orders: the paid copies and those to be paid at pickup."""
        return self.copies[PAID] + self.pickup_copies

    @property
    def ordered_total(self) -> Decimal:
        return self.totals[PAID] + self.pickup_total


@dataclass
class Summary:
    """"Récapitulatif de l'ensemble des sous-commandes": copies ("articles", every title),
    sub-orders and totals by status, and `titles`: the same per title key (in the order the
    keys were given, then as met). `at_pickup`: of those awaiting payment, the ones to be paid
    at pickup (« à encaisser au retrait »): their sub-orders, copies and total."""
    articles: dict = field(default_factory=_by_status(0))
    sub_orders: dict = field(default_factory=_by_status(0))
    totals: dict = field(default_factory=lambda: {AWAITING_PAYMENT: Decimal("0.00"),
                                                   PAID: Decimal("0.00")})
    titles: dict = field(default_factory=dict)
    at_pickup: dict = field(default_factory=lambda: {"sub_orders": 0, "articles": 0,
                                                      "total": Decimal("0.00")})

    @property
    def ordered_articles(self) -> int:
        """The copies the bookshop orders: paid, and to be paid at pickup."""
        return self.articles[PAID] + self.at_pickup["articles"]

    @property
    def ordered_total(self) -> Decimal:
        return self.totals[PAID] + self.at_pickup["total"]


def summarize(subs, keys=()) -> Summary:
    """`keys`: the grouped order's title keys, so that a title nobody ordered shows with 0."""
    s = Summary(titles={key: TitleFigures() for key in keys})
    for sub in subs:
        s.sub_orders[sub.status] += 1
        pickup = getattr(sub, "at_pickup", False)
        s.at_pickup["sub_orders"] += pickup
        for line in sub.lines:
            s.articles[sub.status] += line.quantity
            figures = s.titles.setdefault(line.key, TitleFigures())
            figures.copies[sub.status] += line.quantity
            figures.totals[sub.status] += line.total
            if sub.status in s.totals:
                s.totals[sub.status] += line.total
            if pickup:
                s.at_pickup["articles"] += line.quantity
                s.at_pickup["total"] += line.total
                figures.pickup_copies += line.quantity
                figures.pickup_total += line.total
    return s
