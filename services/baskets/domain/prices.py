"""Collectivity prices (reference 001, annexe; Loi Lang). Pure Python, Decimal only.

One rounding rule, documented in docs/prices.md: what is printed multiplies out. The
collectivity's unit price TTC is rounded half-up to the cent first (public unit price TTC ×
(100 − discount) / 100); the line's TTC is that unit price × quantity, exactly; its discount is
the public total less the line's TTC; its HT is its share of its VAT rate's base, the rate's
total TTC / (1 + VAT) rounded half-up to the cent (`balanced`; docs/invoicing.md § Amounts), and
its VAT is TTC − HT. Totals are sums of the rounded lines, so Sous-total HT + Total TVA = Total
TTC exactly and every line is unit price × quantity to the cent."""
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from services.common import loi_lang
from services.common.errors import conflict, invalid
from services.common.money import eur, money, share_out

VAT_RATES = {"2.1": Decimal("2.1"), "5.5": Decimal("5.5"), "20": Decimal("20")}
BOOK_VAT = "5.5"


def public_price(price_ttc) -> Decimal | None:
    """An article's public unit price TTC to the cent, or None when it has none (the bridge
    gives an empty price for an article Librisoft does not price)."""
    return None if price_ttc in (None, "") else money(price_ttc)


def check_public_price(price_ttc) -> Decimal:
    """An article without a public price (or priced at zero) cannot be ordered: the
    collectivity's price is a discount off the public one."""
    price = public_price(price_ttc)
    if price is None or price <= 0:
        raise invalid("Cet article n'a pas de prix public : il ne peut pas être commandé.")
    return price


def vat_key(rate) -> str:
    key = str(Decimal(str(rate)).normalize())
    key = {"20": "20", "2E+1": "20"}.get(key, key)
    if key not in VAT_RATES:
        raise ValueError(f"unknown VAT rate {rate!r}")
    return key


@dataclass(frozen=True)
class Discounts:
    vat_2_1: Decimal
    vat_5_5: Decimal
    vat_20: Decimal
    school: Decimal

    @classmethod
    def of(cls, d: dict) -> "Discounts":
        return cls(*(Decimal(str(d[k])) for k in ("vat_2_1", "vat_5_5", "vat_20", "school")))


def discount_for(discounts: Discounts, vat_rate, school_book: bool) -> tuple[Decimal, bool]:
    """(the discount % applied, whether Loi Lang capped it). A school book takes the school
    discount; a book (VAT 5.5) takes the client's 5.5 rate capped at 9 %; others their rate."""
    key = vat_key(vat_rate)
    if school_book:
        return discounts.school, False
    rate = {"2.1": discounts.vat_2_1, "5.5": discounts.vat_5_5, "20": discounts.vat_20}[key]
    if key == BOOK_VAT:
        return loi_lang.capped(rate)
    return rate, False


@dataclass(frozen=True)
class Line:
    ean: str
    title: str
    quantity: int
    public_price_ttc: Decimal       # per unit
    vat_rate: str
    discount_percent: Decimal
    capped: bool
    ht: Decimal | None = None       # its share of its VAT rate's base (`balanced`)

    @property
    def public_total_ttc(self) -> Decimal:
        return money(self.public_price_ttc * self.quantity)

    @property
    def unit_price_ttc(self) -> Decimal:
        """The collectivity's unit price TTC, rounded to the cent first: the line is this
        price × quantity, exactly."""
        return money(self.public_price_ttc * (100 - self.discount_percent) / 100)

    @property
    def total_ttc(self) -> Decimal:
        return self.unit_price_ttc * self.quantity

    @property
    def discount_amount(self) -> Decimal:
        """The line's discount TTC: what the unit price rounded to the cent leaves off the
        public total (so public total − discount = line, to the cent)."""
        return self.public_total_ttc - self.total_ttc

    @property
    def public_price_ht(self) -> Decimal:
        return money(self.public_price_ttc / (1 + VAT_RATES[self.vat_rate] / 100))

    @property
    def total_ht(self) -> Decimal:
        if self.ht is not None:
            return self.ht
        return money(self.total_ttc / (1 + VAT_RATES[self.vat_rate] / 100))

    @property
    def vat_amount(self) -> Decimal:
        return self.total_ttc - self.total_ht


def line(ean, title, quantity, public_price_ttc, vat_rate, school_book, discounts) -> Line:
    percent, capped = discount_for(discounts, vat_rate, school_book)
    return Line(ean, title, int(quantity), Decimal(str(public_price_ttc)), vat_key(vat_rate),
                percent, capped)


def balanced(lines) -> list:
    """The lines with their HT shared out per VAT rate (services.common.money.share_out): the
    lines of a rate add up to its total TTC / (1 + rate) rounded, the same figures as the
    order's document and invoice."""
    lines = list(lines)
    out = list(lines)
    for rate in {x.vat_rate for x in lines}:
        idx = [i for i, x in enumerate(lines) if x.vat_rate == rate]
        for i, ht in zip(idx, share_out([lines[i].total_ttc for i in idx], rate)):
            out[i] = replace(lines[i], ht=ht)
    return out


@dataclass(frozen=True)
class Totals:
    discount_total: Decimal     # Remise totale TTC
    subtotal_ht: Decimal        # Sous-total HT
    vat_total: Decimal          # Total TVA
    subtotal_ttc: Decimal       # Sous-total TTC
    total_ttc: Decimal          # Total TTC (no shipping costs for collectivities)


def totals(lines) -> Totals:
    lines = balanced(lines)
    ht = sum((x.total_ht for x in lines), Decimal("0.00"))
    vat = sum((x.vat_amount for x in lines), Decimal("0.00"))
    ttc = sum((x.total_ttc for x in lines), Decimal("0.00"))
    discount = sum((x.discount_amount for x in lines), Decimal("0.00"))
    assert ht + vat == ttc
    return Totals(discount, ht, vat, ttc, ttc)


def check_shown_total(shown, total_ttc: Decimal) -> None:
    """The total TTC the page showed when the collectivity confirmed (`shown`, "49.87" or
    "49,87"; None: not given, as older API clients) is the total the lines come to now, re-priced
    at the transformation; a price or a discount changed in between is a conflict in French,
    never an order at a total nobody saw."""
    if shown in (None, ""):
        return
    try:
        expected = money(str(shown).strip().replace("\u00a0", "").replace(" ", "")
                         .replace("€", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        raise invalid("Le total affiché est illisible : rechargez la page.",
                      {"expected_total": ["Montant invalide."]}) from None
    if not expected.is_finite() or expected != total_ttc:
        raise conflict(f"Les prix ont changé depuis l'affichage de la page : le total TTC est "
                       f"maintenant de {eur(total_ttc)} (et non {eur(expected)}). Vérifiez le "
                       "panier ci-dessous, puis validez de nouveau.",
                       {"expected_total": ["Le total a changé."]})
