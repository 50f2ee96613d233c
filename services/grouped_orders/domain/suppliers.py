"""Totals to send to suppliers (issue 10 K2, reference 004 step 3: « Récapitulatif par
produits », « vue globale des commandes »): what to order from each publisher, per title, for
one grouped order or for every grouped order closing in a period.

Copies and amounts of the sub-orders paid, apart those still awaiting their payment, and apart
again those to be paid at pickup (issue 10 K5, « À encaisser au retrait »: ordered all the
same, never counted as awaiting nor paid); a cancelled sub-order counts for nothing. Amounts TTC are the sums of the sub-orders' lines
(unit price × quantity, exact); the HT of a title in a grouped order is derived from its total
TTC per unit price, rounded half-up to the cent, as the grouped order's document does
(domain.documents.order_lines); a publisher's figures are the sums of its titles', the global
view's the sums of the grouped orders': every printed figure adds up to the cent."""
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from services.common.errors import invalid
from services.common.money import money, share_out

from .status import AWAITING_PAYMENT, PAID

__all__ = ["NO_PUBLISHER", "MAX_PERIOD_DAYS", "SupplierTitle", "Figures", "TitleTotals",
           "PublisherTotals", "SupplierRecap", "supplier_of", "order_title_totals",
           "supplier_recap", "check_period", "default_period"]

NO_PUBLISHER = "Éditeur non renseigné"
MAX_PERIOD_DAYS = 366
ZERO = Decimal("0.00")


def supplier_of(publisher: str, article: dict | None = None) -> str:
    """Who a title is ordered from: its publisher as kept with the grouped order's title, else
    the distributor or publisher of its article's snapshot."""
    article = article or {}
    for name in (publisher, article.get("publisher"), article.get("distributor")):
        if name and str(name).strip():
            return " ".join(str(name).split())
    return NO_PUBLISHER


@dataclass(frozen=True)
class SupplierTitle:
    """A title of a grouped order as the recap needs it (key: the sub-orders' lines' key)."""
    key: object
    ean: str
    title: str
    publisher: str
    vat_rate: str
    position: int = 0


def ht_of(ttc: Decimal, vat_rate: str) -> Decimal:
    return money(ttc / (1 + Decimal(vat_rate or "5.5") / 100))


@dataclass
class Figures:
    """Copies and amounts: paid, awaiting payment, and apart to be paid at pickup (issue 10
    K5: ordered all the same, not paid yet; not among the awaiting ones). The three add up to
    the copies ordered."""
    copies_paid: int = 0
    copies_awaiting: int = 0
    ttc_paid: Decimal = ZERO
    ht_paid: Decimal = ZERO
    ttc_awaiting: Decimal = ZERO
    ht_awaiting: Decimal = ZERO
    copies_pickup: int = 0
    ttc_pickup: Decimal = ZERO
    ht_pickup: Decimal = ZERO

    @property
    def vat_paid(self) -> Decimal:
        return self.ttc_paid - self.ht_paid

    @property
    def vat_awaiting(self) -> Decimal:
        return self.ttc_awaiting - self.ht_awaiting

    @property
    def vat_pickup(self) -> Decimal:
        return self.ttc_pickup - self.ht_pickup

    def add(self, other: "Figures") -> "Figures":
        self.copies_paid += other.copies_paid
        self.copies_awaiting += other.copies_awaiting
        self.ttc_paid += other.ttc_paid
        self.ht_paid += other.ht_paid
        self.ttc_awaiting += other.ttc_awaiting
        self.ht_awaiting += other.ht_awaiting
        self.copies_pickup += other.copies_pickup
        self.ttc_pickup += other.ttc_pickup
        self.ht_pickup += other.ht_pickup
        return self


@dataclass
class TitleTotals:
    ean: str
    title: str
    publisher: str
    vat_rate: str
    figures: Figures = field(default_factory=Figures)
    orders: list = field(default_factory=list)   # the grouped orders' numbers it comes from


@dataclass
class PublisherTotals:
    name: str
    titles: list = field(default_factory=list)                # TitleTotals, by title
    figures: Figures = field(default_factory=Figures)
    by_rate: dict = field(default_factory=dict)               # VAT rate -> Figures


@dataclass
class SupplierRecap:
    publishers: list = field(default_factory=list)            # PublisherTotals, by name
    figures: Figures = field(default_factory=Figures)
    by_rate: dict = field(default_factory=dict)
    orders: dict = field(default_factory=dict)                # grouped order number -> Figures


def order_title_totals(order, titles: dict, subs) -> list:
    """One grouped order's titles with copies taken (`titles`: SupplierTitle by line key;
    `subs`: domain.Sub), in the reading list's order: [TitleTotals]. Each line's HT is its share
    of its sub-order's base at its VAT rate, as the sub-order's document and invoice print it
    (`share_out`): the recap's HT is the sum of the sub-orders' (a title's own TTC / (1 + VAT)
    rounded, summed, said 58,02 € HT where the invoice of the same sub-order said 58,01)."""
    # (key, unit price) -> [copies paid, copies awaiting, ttc paid, ttc awaiting,
    #                        copies at pickup, ttc at pickup, ht paid, ht awaiting, ht pickup]
    groups = {}
    for sub in subs:
        if sub.status not in (PAID, AWAITING_PAYMENT):
            continue
        pickup = getattr(sub, "at_pickup", False)
        lines = [line for line in sub.lines if line.quantity > 0]
        for line, ht in zip(lines, _line_hts(lines, titles)):
            g = groups.setdefault((line.key, money(line.unit_price)),
                                  [0, 0, ZERO, ZERO, 0, ZERO, ZERO, ZERO, ZERO])
            if pickup:  # apart: neither awaiting nor paid
                g[4] += line.quantity
                g[5] += line.total
                g[8] += ht
                continue
            i = 0 if sub.status == PAID else 1
            g[i] += line.quantity
            g[i + 2] += line.total
            g[i + 6] += ht
    found = {}
    for (key, _price), (cp, ca, tp, ta, ck, tk, hp, ha, hk) in groups.items():
        t = titles[key]
        totals = found.setdefault(key, TitleTotals(t.ean, t.title, supplier_of(t.publisher),
                                                   t.vat_rate, orders=[order]))
        totals.figures.add(Figures(cp, ca, tp, hp, ta, ha, ck, tk, hk))
    return [found[k] for k in sorted(found, key=lambda k: (titles[k].position, str(k)))]


def _line_hts(lines, titles) -> list:
    """Each of one sub-order's lines' HT: its share of the sub-order's base at its VAT rate."""
    hts = [ZERO] * len(lines)
    by_rate = {}
    for i, line in enumerate(lines):
        by_rate.setdefault(titles[line.key].vat_rate or "5.5", []).append(i)
    for rate, idx in by_rate.items():
        for i, ht in zip(idx, share_out([lines[i].total for i in idx], rate)):
            hts[i] = ht
    return hts


def _rate_key(rate):
    try:
        return Decimal(rate)
    except ArithmeticError:
        return Decimal(0)


def supplier_recap(orders) -> SupplierRecap:
    """The totals per publisher and title of grouped orders: `orders` is [(number, titles,
    subs)] as `order_title_totals` takes them. A title (its EAN) in several grouped orders is
    one line, the sum of theirs; publishers by name, titles by name."""
    recap = SupplierRecap()
    by_title = {}
    for number, titles, subs in orders:
        order_figures = recap.orders.setdefault(number, Figures())
        for t in order_title_totals(number, titles, subs):
            order_figures.add(t.figures)
            merged = by_title.setdefault((t.publisher, t.ean), TitleTotals(
                t.ean, t.title, t.publisher, t.vat_rate))
            merged.figures.add(t.figures)
            merged.orders.append(number)
    publishers = {}
    for (name, _ean), t in sorted(by_title.items(),
                                  key=lambda item: (item[0][0].casefold(),
                                                    item[1].title.casefold(), item[0][1])):
        p = publishers.setdefault(name, PublisherTotals(name))
        p.titles.append(t)
        p.figures.add(t.figures)
        p.by_rate.setdefault(t.vat_rate, Figures()).add(t.figures)
    for p in publishers.values():
        p.by_rate = dict(sorted(p.by_rate.items(), key=lambda item: _rate_key(item[0])))
        recap.publishers.append(p)
        recap.figures.add(p.figures)
        for rate, f in p.by_rate.items():
            recap.by_rate.setdefault(rate, Figures()).add(f)
    recap.by_rate = dict(sorted(recap.by_rate.items(), key=lambda item: _rate_key(item[0])))
    return recap


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(value, field_name, label):
    """A day as the date field sends it (and the API takes it): AAAA-MM-JJ, nothing else (the
    message said « jj/mm/aaaa » and its detail « 2026-06-30 »; « 2026-06-30abc » was cut to
    its first ten characters, « 20260630 » or a week date taken)."""
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    try:
        if not ISO_DAY.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise invalid(f"La date « {label} » n'est pas une date valide : AAAA-MM-JJ, par "
                      "exemple 2026-06-30.",
                      {field_name: ["Une date AAAA-MM-JJ, par exemple 2026-06-30."]}) from None


def check_period(start, end) -> tuple:
    """The period of the global view: the grouped orders whose deadline (a Paris day) falls
    from `start` to `end`, both included; `end` not before `start`, a year at most."""
    start, end = _day(start, "du", "du"), _day(end, "au", "au")
    if end < start:
        raise invalid("La fin de la période (« au ») est avant son début (« du »).",
                      {"au": ["Pas avant la date « du »."]})
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise invalid(f"Choisissez une période de {MAX_PERIOD_DAYS} jours au plus.",
                      {"au": [f"{MAX_PERIOD_DAYS} jours au plus après « du »."]})
    return start, end


def default_period(today: date) -> tuple:
    """The current month, Paris days."""
    start = today.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return start, end
