from decimal import Decimal

import pytest

from services.baskets.domain import prices
from services.baskets.domain.prices import Discounts
from services.common.errors import DomainError

FERRY = Discounts(Decimal("0"), Decimal("9"), Decimal("0"), Decimal("0"))


def test_cemetery_road_line_of_the_reference():
    x = prices.line("9782330150136", "CEMETERY ROAD", 1, "25.00", "5.5", False, FERRY)
    assert x.public_price_ht == Decimal("23.70")
    assert (x.discount_percent, x.discount_amount, x.total_ttc) == \
        (Decimal("9"), Decimal("2.25"), Decimal("22.75"))
    assert x.total_ht + x.vat_amount == x.total_ttc


def test_each_vat_rate_and_a_school_book():
    d = Discounts(Decimal("5"), Decimal("12"), Decimal("10"), Decimal("15"))
    press = prices.line("1", "Journal", 3, "2.90", "2.1", False, d)
    book = prices.line("2", "Roman", 2, "14.90", "5.5", False, d)
    game = prices.line("3", "Jeu", 1, "29.99", "20", False, d)
    school = prices.line("4", "Manuel", 4, "19.50", "5.5", True, d)
    # 2.90 × 95 % = 2.755 a copy, rounded half-up to 2.76 first; × 3 = 8.28, 0.42 off 8.70
    assert (press.unit_price_ttc, press.total_ttc, press.discount_amount) == \
        (Decimal("2.76"), Decimal("8.28"), Decimal("0.42"))
    # Loi Lang: 12 % asked on a book, capped at 9 % (and flagged)
    assert (book.discount_percent, book.capped, book.total_ttc) == \
        (Decimal("9"), True, Decimal("27.12"))
    assert (game.discount_percent, game.total_ttc) == (Decimal("10"), Decimal("26.99"))
    # the school-book discount is not capped
    assert (school.discount_percent, school.capped, school.total_ttc) == \
        (Decimal("15"), False, Decimal("66.32"))            # 16.575 -> 16.58 a copy, × 4
    t = prices.totals([press, book, game, school])
    assert t.subtotal_ht + t.vat_total == t.total_ttc == Decimal("128.71")
    assert (t.subtotal_ht, t.vat_total, t.discount_total) == \
        (Decimal("119.17"), Decimal("9.54"), Decimal("17.78"))
    assert game.total_ht == Decimal("22.49") and game.vat_amount == Decimal("4.50")


@pytest.mark.parametrize("price,qty,rate", [("0.01", 1, "20"), ("9.99", 7, "2.1"),
                                            ("6.40", 33, "5.5"), ("1234.56", 3, "20")])
def test_ht_plus_vat_is_ttc_on_every_line(price, qty, rate):
    for percent in ("0", "3.33", "9", "17.5"):
        d = Discounts(*(Decimal(percent),) * 4)
        x = prices.line("e", "t", qty, price, rate, False, d)
        assert x.total_ht + x.vat_amount == x.total_ttc
        assert x.total_ttc + x.discount_amount == x.public_total_ttc


def test_the_issue_s_line_multiplies_out():
    """13.56 € × 28 was shown as 379.65 €, × 12 as 162.71 €: the unit price is rounded first."""
    for qty, total in ((28, "379.68"), (12, "162.72")):
        x = prices.line("9791097284657", "WESTERN COQUILLETTES", qty, "14.90", "5.5", False,
                         FERRY)
        assert (x.unit_price_ttc, x.total_ttc) == (Decimal("13.56"), Decimal(total))
        assert x.public_total_ttc - x.discount_amount == x.total_ttc
        assert x.total_ht + x.vat_amount == x.total_ttc


def test_unknown_vat_rates_are_refused():
    with pytest.raises(ValueError):
        prices.line("e", "t", 1, "1.00", "7", False, FERRY)


def test_the_loi_lang_cap_is_the_common_one():
    """services.common.loi_lang's 9 %: more is capped and flagged, 9 % itself is not."""
    from services.common import loi_lang
    at_cap = Discounts(Decimal("0"), loi_lang.MAX_BOOK_DISCOUNT, Decimal("0"), Decimal("0"))
    over = Discounts(Decimal("0"), Decimal("9.01"), Decimal("0"), Decimal("0"))
    assert prices.discount_for(at_cap, "5.5", False) == (Decimal("9"), False)
    assert prices.discount_for(over, "5.5", False) == (loi_lang.MAX_BOOK_DISCOUNT, True)
    assert prices.discount_for(over, "20", False) == (Decimal("0"), False)
    assert not hasattr(prices, "LANG_CAP")


@pytest.mark.parametrize("price", [None, "", "0", "0.00", "-1", 0])
def test_no_public_price_no_order(price):
    with pytest.raises(DomainError) as exc:
        prices.check_public_price(price)
    assert exc.value.code == "invalid" and "pas de prix public" in exc.value.message


def test_a_public_price_to_the_cent():
    assert prices.check_public_price("14.9") == Decimal("14.90")
    assert prices.public_price(None) is None and prices.public_price("") is None
    assert prices.public_price("0") == Decimal("0.00")   # known, but not orderable
