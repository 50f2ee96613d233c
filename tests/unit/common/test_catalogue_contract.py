"""The catalogue's wire schemas are written once (services/common/contracts/catalogue.py): the
librisoft_bridge dumps its articles and clients with them and the gateway's API answers with
them; dumping again what was dumped changes nothing (the gateway re-dumps an RPC's answer)."""
from datetime import date, datetime, timezone
from decimal import Decimal

from gateway.api import schemas as api
from services.common.contracts import catalogue
from services.common.contracts.payloads import CollectivityClientUpdatedV1
from services.librisoft_bridge import schemas as bridge

ARTICLE = {"ean": "9782330150136", "title": "CEMETERY ROAD", "author": "ILES GREG",
           "publisher": "ACTES SUD", "collection": None, "genre": None,
           "publication_date": date(2020, 3, 4), "format": None, "weight_g": 540,
           "height_mm": None, "width_mm": None, "thickness_mm": None,
           "price_ttc": Decimal("24.8"), "price_ht": Decimal("23.507"), "vat_rate": "5.5",
           "school_book": False, "availability": "disponible", "summary": None,
           "updated_at": datetime(2026, 12, 6, 10, 0, tzinfo=timezone.utc),
           "search_text": "not on the wire"}


def test_one_schema_on_both_sides():
    assert bridge.ArticleOut is api.Article is catalogue.Article
    assert bridge.SearchResultOut is api.ArticlePage is catalogue.ArticlePage
    assert bridge.ClientOut is catalogue.Client
    assert issubclass(catalogue.Client, CollectivityClientUpdatedV1)
    assert issubclass(api.ClientOut, catalogue.ClientState)


def test_an_article_on_the_wire_and_dumped_again():
    wire = catalogue.Article().dump(ARTICLE)
    assert wire["price_ttc"] == "24.80" and wire["price_ht"] == "23.51"
    assert wire["publication_date"] == "2020-03-04"
    assert wire["updated_at"] == "2026-12-06T10:00:00+00:00"
    assert "search_text" not in wire
    assert catalogue.Article().dump(wire) == wire
    page = {"total": 1, "page": 1, "per_page": 20, "items": [wire]}
    assert api.ArticlePage().dump(page) == page


def test_a_client_dumped_again_is_the_same():
    client = {"number": "21", "revision": 3, "name": "COLLEGE", "addresses": [
        {"label": "CDI", "line1": "2 rue", "line2": "", "postal_code": "54000",
         "city": "NANCY"}], "phone": "", "email": "", "gencod": "", "active": True,
        "discounts": {"vat_2_1": Decimal("0"), "vat_5_5": Decimal("9"), "vat_20": "5.00",
                      "school": Decimal("15.00")}, "lang_law_warning": False,
        "created_at": datetime(2026, 1, 1, tzinfo=timezone.utc),
        "updated_at": datetime(2026, 1, 2, tzinfo=timezone.utc)}
    wire = catalogue.Client().dump(client)
    assert wire["discounts"] == {"vat_2_1": "0.00", "vat_5_5": "9.00", "vat_20": "5.00",
                                 "school": "15.00"}
    assert catalogue.Client().dump(wire) == wire
    # the gateway's client of the admin's overview: the same state, with its accounts
    shown = api.ClientOut().dump({**wire, "accounts": []})
    assert shown["discounts"] == wire["discounts"] and shown["accounts"] == []


def test_money_is_documented_as_decimal_text():
    from apispec import APISpec
    from apispec.ext.marshmallow import MarshmallowPlugin
    spec = APISpec("t", "1", "3.0.3", plugins=[MarshmallowPlugin()])
    spec.components.schema("Article", schema=catalogue.Article)
    price = spec.to_dict()["components"]["schemas"]["Article"]["properties"]["price_ttc"]
    assert price == {"type": "string", "format": "decimal"}
