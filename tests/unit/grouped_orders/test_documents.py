"""`order_document` of sub-orders and grouped orders: the reference's n°62 and n°65 add up to the
cent, in the shape of services.common.contracts.documents; who may read which document."""
from datetime import date
from decimal import Decimal

import pytest

from services.common.contracts.documents import OrderDocument, adds_up_problems
from services.common.errors import DomainError
from services.grouped_orders import domain
from services.grouped_orders.use_cases import bookshop, documents
from tests.unit.grouped_orders.test_use_cases import (NOW, URL, WESTERN, create, db,  # noqa: F401
                                                      pay, subscribe, tx)
from tests.support.fakes import Events


def reference_62(db):
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    leto = subscribe(db, token, "Jared", "Leto", 2)
    diaz = subscribe(db, token, "Cameron", "Diaz", 1)
    rourke = subscribe(db, token, "Mickey", "Rourke", 3)
    pay(db, events, token, leto, "pay-leto")
    pay(db, events, token, rourke, "pay-rourke")
    tx(db, bookshop.cancel_sub_order, diaz["number"], "", NOW, events, URL)
    return go, token, leto, diaz, rourke


def test_reference_62_grouped_order_is_its_paid_sub_orders_at_the_public_price(db):
    go, *_ = reference_62(db)
    doc = tx(db, documents.order_document, "grouped_order", go["number"])
    assert OrderDocument().validate(doc) == {}
    assert doc["title"] == f"Commande groupée n°\u00a0{go['number']}"
    (line,) = doc["lines"]
    assert (line["ean"], line["title"], line["publisher"], line["quantity"]) == \
        ("9791097284657", "WESTERN COQUILLETTES", "ORSO", 5)   # Leto 2 + Rourke 3, Diaz cancelled
    assert (line["unit_price_ttc"], line["total_ttc"]) == ("14.90", "74.50")
    # 74.50 / 1.055 = 70.616… -> 70.62 HT, 3.88 VAT
    assert (line["total_ht"], line["vat_amount"], line["unit_price_ht"]) == \
        ("70.62", "3.88", "14.12")
    assert doc["totals"] == {"total_ht": "70.62", "total_ttc": "74.50",
                             "vat": [{"rate": "5.5", "base_ht": "70.62", "amount": "3.88"}]}
    assert doc["customer"]["name"] == "COLLEGE VICTOR PROUVE"
    assert doc["customer"]["client_number"] == "21"
    assert "2, rue des jonquilles" in doc["customer"]["address_lines"]
    assert doc["customer"]["public_buyer"] is False
    assert doc["payment"] == {"method": "online", "state_label": "Paiement confirmé",
                              "cheque_number": None}


def test_reference_62_sub_orders_each_their_own_line(db):
    go, token, leto, diaz, rourke = reference_62(db)
    doc = tx(db, documents.order_document, "sub_order", leto["number"])
    assert doc["title"] == f"Commande n°\u00a0{leto['number']} — commande groupée n°\u00a0{go['number']}"
    assert doc["customer"]["name"] == "Jared Leto"
    assert doc["customer"]["email"] == "jared@free.fr"
    assert (doc["lines"][0]["quantity"], doc["lines"][0]["total_ttc"]) == (2, "29.80")
    assert doc["totals"]["total_ttc"] == "29.80" and doc["status"] == "Payée"
    cancelled = tx(db, documents.order_document, "sub_order", diaz["number"])
    assert cancelled["status"] == "Annulée"
    assert cancelled["payment"]["state_label"] == "Annulé"
    assert cancelled["totals"]["total_ttc"] == "14.90"   # what it was, shown as cancelled
    rourke_doc = tx(db, documents.order_document, "sub_order", rourke["number"])
    assert rourke_doc["totals"] == {"total_ht": "42.37", "total_ttc": "44.70",
                                    "vat": [{"rate": "5.5", "base_ht": "42.37",
                                             "amount": "2.33"}]}


def test_reference_65_with_a_sub_order_paid_at_the_bookshop(db):
    events = Events()
    livre = dict(WESTERN, ean="9782362210419", price_ttc="6.40", publisher="MIC MAC EDITION",
                 title="LE LIVRE QU'IL NE FAUT SURTOUT, SURTOUT, SURTOUT, PAS LIRE ! (POCHE)")
    go = create(db, events, deadline=date(2022, 4, 6), article=livre)
    token = go["subscription_url"].rsplit("/", 1)[1]
    for i, (first, last) in enumerate((("Louise", "Grandville"), ("Oscar", "Benhattia"))):
        pay(db, events, token, subscribe(db, token, first, last, 1), f"p{i}")
    noe = subscribe(db, token, "Noé", "Guidoni", 2)
    doc = tx(db, documents.order_document, "grouped_order", go["number"])
    assert doc["totals"]["total_ttc"] == "12.80"              # Noé not paid yet
    assert doc["payment"]["state_label"] == "En attente du paiement"
    noe_doc = tx(db, documents.order_document, "sub_order", noe["number"])
    assert noe_doc["payment"] == {"method": "online", "state_label": "En attente du paiement",
                                  "cheque_number": None, "refunded_at_pickup": "0.00",
                                  "extra_at_pickup": "0.00"}  # nothing noted at pickup
    tx(db, bookshop.validate_sub_order, noe["number"], NOW, events, URL)
    doc = tx(db, documents.order_document, "grouped_order", go["number"])
    assert (doc["lines"][0]["quantity"], doc["totals"]["total_ttc"]) == (4, "25.60")
    assert doc["totals"]["total_ht"] == "24.27"              # 25.60 / 1.055 = 24.265… -> 24.27
    assert doc["totals"]["vat"][0]["amount"] == "1.33"
    assert doc["payment"]["method"] == "mixed" and \
        doc["payment"]["state_label"] == "Paiement confirmé"
    noe_doc = tx(db, documents.order_document, "sub_order", noe["number"])
    assert noe_doc["payment"]["method"] == "manual"


def test_an_unknown_order_or_kind(db):
    with pytest.raises(DomainError) as exc:
        tx(db, documents.order_document, "sub_order", 999)
    assert exc.value.code == "not_found"
    with pytest.raises(DomainError) as exc:
        tx(db, documents.order_document, "grouped_order", "x")
    assert exc.value.code == "not_found"
    with pytest.raises(DomainError) as exc:
        tx(db, documents.order_document, "quote", 1)
    assert exc.value.code == "invalid"


def test_who_may_read_which_document(db):
    go, token, leto, diaz, _ = reference_62(db)
    n, sub = go["number"], leto["number"]
    for kind, number in (("grouped_order", n), ("sub_order", sub)):
        tx(db, documents.check_access, kind, number, {"admin": True})
        tx(db, documents.check_access, kind, number, {"initiator_id": 7})    # the initiator
        with pytest.raises(DomainError) as exc:                              # another one
            tx(db, documents.check_access, kind, number, {"initiator_id": 8})
        assert exc.value.code == "not_found"
        with pytest.raises(DomainError):
            tx(db, documents.check_access, kind, number, {})
    tx(db, documents.check_access, "sub_order", sub,
       {"token": token, "buyer_token": leto["buyer_token"]})
    for access in ({"token": token, "buyer_token": diaz["buyer_token"]},     # another parent's
                   {"token": "wrong", "buyer_token": leto["buyer_token"]},
                   {"token": token, "buyer_token": "wrong"}):
        with pytest.raises(DomainError) as exc:
            tx(db, documents.check_access, "sub_order", sub, access)
        assert exc.value.code == "not_found"
    with pytest.raises(DomainError):    # a parent's link never opens the grouped order
        tx(db, documents.check_access, "grouped_order", n,
           {"token": token, "buyer_token": leto["buyer_token"]})


@pytest.mark.parametrize("price,qty,rate", [("0.01", 7, "20"), ("3.15", 1, "20"),
                                            ("2.90", 3, "2.1"), ("19.99", 13, "5.5")])
def test_lines_add_up_for_any_price(price, qty, rate):
    subs = [domain.Sub.single(1, qty, Decimal(price), domain.PAID, key=1),
            domain.Sub.single(2, 2, Decimal(price), domain.SUB_CANCELLED, key=1)]
    lines = domain.order_lines({1: {"ean": "1", "title": "t", "vat_rate": rate}}, subs,
                               paid_only=True)
    assert [x.quantity for x in lines] == [qty]
    totals = domain.document_totals(lines)
    doc = {"lines": [{"unit_price_ttc": x.unit_price_ttc, "quantity": x.quantity,
                      "total_ht": x.total_ht, "vat_amount": x.vat_amount,
                      "total_ttc": x.total_ttc, "vat_rate": x.vat_rate} for x in lines],
           "totals": totals}
    assert adds_up_problems(doc) == []
    assert totals["total_ttc"] == Decimal(price) * qty


def test_a_reading_list_document_has_one_line_per_title_taken_in_the_list_order():
    titles = {7: {"ean": "9782330150136", "title": "CEMETERY ROAD", "vat_rate": "5.5",
                  "position": 2},
              3: {"ean": "9791097284657", "title": "WESTERN COQUILLETTES", "vat_rate": "5.5",
                  "position": 1},
              9: {"ean": "9782362210419", "title": "LE LIVRE", "vat_rate": "5.5",
                  "position": 3}}
    subs = [domain.Sub(1, domain.PAID, (domain.Line(3, 2, Decimal("14.90")),
                                        domain.Line(7, 1, Decimal("25.00")),
                                        domain.Line(9, 0, Decimal("6.40")))),
            domain.Sub(2, domain.PAID, (domain.Line(3, 1, Decimal("14.90")),
                                        domain.Line(7, 0, Decimal("25.00")),
                                        domain.Line(9, 4, Decimal("6.40")))),
            domain.Sub(3, domain.SUB_CANCELLED, (domain.Line(7, 5, Decimal("25.00")),))]
    lines = domain.order_lines(titles, subs, paid_only=True)
    assert [(x.title, x.quantity, x.total_ttc) for x in lines] == [
        ("WESTERN COQUILLETTES", 3, Decimal("44.70")), ("CEMETERY ROAD", 1, Decimal("25.00")),
        ("LE LIVRE", 4, Decimal("25.60"))]
    totals = domain.document_totals(lines)
    assert totals["total_ttc"] == Decimal("95.30")
    one = domain.order_lines(titles, subs[:1], paid_only=False)   # the optional title at 0: out
    assert [x.title for x in one] == ["WESTERN COQUILLETTES", "CEMETERY ROAD"]


def test_a_grouped_order_nobody_paid_yet_has_no_line(db):
    go = create(db, Events())
    doc = tx(db, documents.order_document, "grouped_order", go["number"])
    assert doc["lines"] == [] and doc["totals"] == {"total_ht": "0.00", "total_ttc": "0.00",
                                                    "vat": []}
    assert doc["payment"] == {"method": "none", "state_label": "En attente du paiement",
                              "cheque_number": None}


def test_a_reservation_paid_at_pickup_is_not_a_late_payment_on_its_document():
    assert domain.sub_order_status_label(domain.AWAITING_PAYMENT, "pickup") == \
        "Réservée, à payer au retrait"
    assert domain.sub_order_status_label(domain.AWAITING_PAYMENT, "online") == \
        "En attente de paiement"
    assert domain.sub_order_status_label(domain.PAID, "pickup") == "Payée"
    assert domain.sub_order_status_label(domain.SUB_CANCELLED, "pickup") == "Annulée"
