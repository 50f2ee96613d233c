from datetime import date
from decimal import Decimal

import pytest

from services.common.errors import DomainError
from services.librisoft_bridge.domain import articles, paging, rows


def errors_of(row):
    return articles.clean_article(row)[1]


def test_good_article_is_normalised(article):
    values, errors = articles.clean_article(article)
    assert errors == {}
    assert values["price_ttc"] == Decimal("6.40")
    assert values["publication_date"] == date(2011, 4, 29)
    assert values["vat_rate"] == "5.5"
    assert values["weight_g"] == 194
    assert values["search_text"] == ("le livre qu il ne faut surtout surtout surtout pas lire "
                                     "laroche sophie mic mac edition roman ados")


def test_minimal_article_gets_defaults():
    values, errors = articles.clean_article(
        {"ean": "9791097284657", "title": "WESTERN COQUILLETTES", "price_ttc": "14.90",
         "vat_rate": "5.5"})
    assert errors == {}
    assert values["school_book"] is False
    assert values["availability"] == "disponible"
    assert values["author"] is None


@pytest.mark.parametrize("field", ["ean", "title", "price_ttc", "vat_rate"])
def test_required_fields(article, field):
    for missing in (None, "", "   "):
        article[field] = missing
        assert errors_of(article) == {field: ["champ obligatoire."]}


@pytest.mark.parametrize("ean, message", [
    ("9782362210418", "clé de contrôle"),
    ("978236221041", "13 chiffres"),
    ("97823622104190", "13 chiffres"),
    ("978236221041X", "13 chiffres"),
    (True, "EAN13 attendu"),
])
def test_bad_ean(article, ean, message):
    article["ean"] = ean
    assert message in errors_of(article)["ean"][0]


def test_ean_as_number_or_with_dashes(article):
    for ean in (9782362210419, "978-2-36221-041-9", " 978 2362210419 "):
        article["ean"] = ean
        assert articles.clean_article(article)[0]["ean"] == "9782362210419"


@pytest.mark.parametrize("price, expected", [
    ("14.90", "14.90"), ("14,90", "14.90"), (Decimal("14.9"), "14.90"), (15, "15.00"),
    (" 1 234,50 ", "1234.50"), (6.4, "6.40"),
])
def test_price_accepts_dot_and_decimal_comma(article, price, expected):
    article["price_ttc"] = price
    assert articles.clean_article(article)[0]["price_ttc"] == Decimal(expected)


@pytest.mark.parametrize("price", ["0", "-1,00", "14.905", "abc", "NaN", "Infinity", "1E99",
                                   "100000000", True, [14]])
def test_bad_price(article, price):
    article["price_ttc"] = price
    assert "price_ttc" in errors_of(article)


@pytest.mark.parametrize("rate, expected", [
    ("2.1", "2.1"), ("2,1", "2.1"), ("5.5", "5.5"), (Decimal("5.50"), "5.5"), ("20", "20"),
    (20, "20"), ("20,0", "20"),
])
def test_vat_rates(article, rate, expected):
    article["vat_rate"] = rate
    assert articles.clean_article(article)[0]["vat_rate"] == expected


@pytest.mark.parametrize("rate", ["7", "10", "19.6", "0", "cinq", "5.5%"])
def test_unknown_vat_rate(article, rate):
    article["vat_rate"] = rate
    assert "taux de TVA inconnu" in errors_of(article)["vat_rate"][0]


@pytest.mark.parametrize("raw, expected", [
    (True, True), (False, False), ("true", True), ("FALSE", False), ("1", True), (0, False),
    ("oui", True), ("Non", False), (1, True),
])
def test_booleans(article, raw, expected):
    article["school_book"] = raw
    assert articles.clean_article(article)[0]["school_book"] is expected


def test_bad_boolean(article):
    article["school_book"] = "peut-être"
    assert "oui/non attendu" in errors_of(article)["school_book"][0]


@pytest.mark.parametrize("raw, expected", [
    ("sur_commande", "sur_commande"), ("Sur commande", "sur_commande"),
    ("À paraître", "a_paraitre"), ("ÉPUISÉ", "epuise"), ("indisponible", "indisponible"),
])
def test_availability(article, raw, expected):
    article["availability"] = raw
    assert articles.clean_article(article)[0]["availability"] == expected


def test_unknown_availability(article):
    article["availability"] = "en stock"
    assert "valeur inconnue" in errors_of(article)["availability"][0]


@pytest.mark.parametrize("raw", ["29/04/2011", "2011-02-30", "20110429", "2011-4-9"])
def test_bad_dates(article, raw):
    article["publication_date"] = raw
    assert "publication_date" in errors_of(article)


@pytest.mark.parametrize("raw", ["194,5", "-1", "lourd", 2_000_000])
def test_bad_integers(article, raw):
    article["weight_g"] = raw
    assert "weight_g" in errors_of(article)


def test_integer_from_csv_text(article):
    article["height_mm"] = "180"
    assert articles.clean_article(article)[0]["height_mm"] == 180


def test_over_long_fields(article):
    article["title"] = "T" * 301
    article["author"] = "A" * 201
    errors = errors_of(article)
    assert errors["title"] == ["300 caractères au plus (301 reçus)."]
    assert "200 caractères au plus" in errors["author"][0]
    article["title"] = "T" * 300
    article["author"] = None
    assert errors_of(article) == {}


def test_several_errors_are_reported_together(article):
    article.update(ean="123", price_ttc="gratuit", vat_rate="7")
    assert set(errors_of(article)) == {"ean", "price_ttc", "vat_rate"}


def test_a_row_that_is_not_an_object():
    assert articles.clean_article(["9782362210419"])[1] == rows.ROW_NOT_AN_OBJECT


def test_search_key_is_accent_case_and_punctuation_free():
    values, _ = articles.clean_article({"ean": "9782362210419", "title": "Le Café de l'Été",
                                      "author": "LEFÈVRE Zoé", "price_ttc": "9", "vat_rate": "5.5"})
    assert values["search_text"] == "le cafe de l ete lefevre zoe"


def test_ean_query():
    assert articles.ean_query("978-2-36221-041-9") == "9782362210419"
    assert articles.ean_query(" 9782362210419 ") == "9782362210419"
    assert articles.ean_query("9782362210418") is None
    assert articles.ean_query("cemetery road") is None


def test_page_window():
    assert paging.page_window(2, 20) == (2, 20)
    assert paging.page_window("3", 1000) == (3, 100)
    for page, per_page in ((0, 20), (1, 0), ("x", 20), (None, 20)):
        with pytest.raises(DomainError) as raised:
            paging.page_window(page, per_page)
        assert raised.value.code == "invalid"


def test_price_excluding_vat():
    assert articles.price_excluding_vat(Decimal("6.40"), "5.5") == Decimal("6.07")
    assert articles.price_excluding_vat(Decimal("14.90"), "20") == Decimal("12.42")
    assert articles.price_excluding_vat(Decimal("4.50"), "2.1") == Decimal("4.41")
