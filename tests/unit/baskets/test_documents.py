"""`order_document` of quotes and collectivity orders: the reference's CEMETERY ROAD line and a
basket of every VAT rate add up to the cent, the client's SIRET and Chorus code make a public
buyer; who may read which document."""
import pytest

from services.baskets.domain import documents as rules
from services.baskets.use_cases import documents
from services.common.contracts.documents import OrderDocument, adds_up_problems
from services.common.errors import DomainError

from .conftest import (ADMIN, BOTH, CEMETERY, COLLECTIVITY, NOTEBOOK, OTHER, PRESS, USER,
                       WESTERN, tx)
from .test_use_cases_placing import chain_to_collectivity, transform

BILLING = {"number": "16", "name": "ECOLE JULES FERRY", "siret": "73282932000074",
           "chorus_service_code": "SERVICE-ECOLES"}


def test_cemetery_road_order_with_the_client_siret(db, events):
    order = transform(db, events, chain_to_collectivity(db, ((CEMETERY, 1),)),
                      reference="BC 2021-42")
    doc = tx(db, documents.order_document, "collectivity_order", order["number"], BILLING)
    assert OrderDocument().validate(doc) == {}
    assert (doc["kind"], doc["number"], doc["title"]) == (
        "collectivity_order", 1, "Commande collectivité n°\u00a01")
    assert (doc["status"], doc["reference"]) == ("En attente de traitement", "BC 2021-42")
    (line,) = doc["lines"]
    # docs/prices.md "The reference's line": 22.75 TTC, 21.56 HT, 1.19 VAT
    assert line == {"ean": "9782330150136", "title": "CEMETERY ROAD", "publisher": "ACTES SUD",
                    "quantity": 1, "vat_rate": "5.5", "unit_price_ttc": "22.75",
                    "unit_price_ht": "21.56", "total_ht": "21.56", "vat_amount": "1.19",
                    "total_ttc": "22.75",
                    # the collectivity's 9 % off the public 25,00 €, printed on its invoice
                    "public_price_ttc": "25.00", "discount_percent": "9.00"}
    assert doc["totals"] == {"total_ht": "21.56", "total_ttc": "22.75",
                             "vat": [{"rate": "5.5", "base_ht": "21.56", "amount": "1.19"}]}
    assert doc["customer"] == {"name": "ECOLE JULES FERRY", "email": "ce.0540016@example.org",
                               "address_lines": ["Direction", "12 rue de Vic", "54000 NANCY"],
                               "client_number": "16", "siret": "73282932000074",
                               "chorus_service_code": "SERVICE-ECOLES", "public_buyer": True}
    assert doc["payment"] == {"method": "account", "state_label": "En attente du paiement",
                              "cheque_number": None}


def test_a_quote_of_every_vat_rate_adds_up_and_without_siret_is_no_public_buyer(db, events):
    bid = chain_to_collectivity(db, ((CEMETERY, 1), (WESTERN, 28), (PRESS, 3), (NOTEBOOK, 7)))
    quote = transform(db, events, bid, kind="quote")
    doc = tx(db, documents.order_document, "quote", quote["number"], None)
    assert doc["title"] == "Demande de devis n°\u00a01"
    assert adds_up_problems(doc) == []
    assert [v["rate"] for v in doc["totals"]["vat"]] == ["2.1", "5.5", "20"]
    # what the document says is what the quote itself said (frozen figures)
    assert doc["totals"]["total_ttc"] == quote["totals"]["total_ttc"]
    assert doc["totals"]["total_ht"] == quote["totals"]["subtotal_ht"]
    assert [x["total_ttc"] for x in doc["lines"]] == [x["total_ttc"] for x in quote["lines"]]
    western = doc["lines"][1]
    assert (western["unit_price_ttc"], western["total_ttc"]) == ("13.56", "379.68")  # 28 × 13.56
    assert doc["customer"]["public_buyer"] is False and doc["customer"]["siret"] is None
    assert doc["payment"]["method"] == "none"


def test_a_document_that_does_not_add_up_is_refused_by_the_contract():
    doc = {"kind": "quote", "number": 1, "title": "t", "placed_at": "2021-06-17T13:06:32",
           "status": "s", "reference": "", "customer": {
               "name": "n", "email": "e", "address_lines": [], "client_number": None,
               "siret": None, "chorus_service_code": None, "public_buyer": False},
           "lines": [{"ean": "1", "title": "t", "publisher": "", "quantity": 28,
                      "vat_rate": "5.5", "unit_price_ttc": "13.56", "unit_price_ht": "12.85",
                      "total_ht": "359.89", "vat_amount": "19.76", "total_ttc": "379.65"}],
           "totals": {"total_ht": "359.89", "total_ttc": "379.65",
                      "vat": [{"rate": "5.5", "base_ht": "359.89", "amount": "19.76"}]},
           "payment": {"method": "none", "state_label": "", "cheque_number": None}}
    errors = OrderDocument().validate(doc)
    assert "13.56 × 28 ≠ 379.65" in str(errors["totals"])


def test_unknown_document_or_kind(db, events):
    with pytest.raises(DomainError) as exc:
        tx(db, documents.order_document, "quote", 5, None)
    assert exc.value.code == "not_found"
    with pytest.raises(DomainError) as exc:
        tx(db, documents.order_document, "sub_order", 5, None)
    assert exc.value.code == "invalid"


def test_who_may_read_which_document(db, events):
    order = transform(db, events, chain_to_collectivity(db, ((CEMETERY, 1),)))
    for account in (ADMIN, COLLECTIVITY, USER, BOTH):
        tx(db, documents.check_access, account, "collectivity_order", order["number"])
    with pytest.raises(DomainError) as exc:            # another collectivity
        tx(db, documents.check_access, OTHER, "collectivity_order", order["number"])
    assert exc.value.code == "not_found"
    with pytest.raises(DomainError):                   # a quote of that number does not exist
        tx(db, documents.check_access, COLLECTIVITY, "quote", order["number"])
    assert rules.may_read("admin", (), "16") and not rules.may_read("autre", ("16",), "16")
