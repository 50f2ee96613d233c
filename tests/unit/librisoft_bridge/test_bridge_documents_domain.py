"""Quotes and collectivity orders as classic orders, pure Python: no database, no broker."""
import copy
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from services.common.contracts.payloads import CollectivityDocumentV1
from services.common.errors import DomainError
from services.librisoft_bridge import presenters
from services.librisoft_bridge.domain import documents, orders
from tests.unit.librisoft_bridge.conftest import NOT_CANCELLED


def loaded(payload):
    """The payload as the consumer receives it: loaded through its contract."""
    return CollectivityDocumentV1().load(payload)


def changed(payload, **changes):
    return {**copy.deepcopy(payload), **changes}


def with_line(payload, index, **changes):
    payload = copy.deepcopy(payload)
    payload["lines"][index].update(changes)
    return payload


@pytest.mark.parametrize("kind", ["quote", "collectivity_order"])
def test_a_document_becomes_an_order_with_its_frozen_lines(document, kind):
    order = documents.from_document(kind, loaded(document))
    head = order["order"]
    assert (head["source_kind"], head["source_number"], head["state"]) == (kind, 12, "pending")
    assert (head["client_number"], head["client_name"], head["reference"]) == (
        "16", "ECOLE JULES FERRY", "BC-2026-041")
    assert (head["initiator_email"], head["contact_name"], head["contact_email"],
            head["contact_phone"]) == ("direction@ecole.example.org", "ECOLE JULES FERRY",
                                       "ecole@example.org", "03 83 30 12 16")
    assert head["pickup_label"].splitlines() == ["ECOLE JULES FERRY", "12 rue de Vic",
                                                 "54000 NANCY"]  # the delivery address
    assert head["billing_label"].splitlines()[1] == "Direction"
    assert head["comment"] == "Livraison avant le 15"
    assert head["placed_at"] == datetime(2026, 4, 2, 7, 15, tzinfo=timezone.utc)
    assert {name: str(head[name]) for name in
            ("discount_total", "subtotal_ht", "vat_total", "total_ttc")} == {
        "discount_total": "6.31", "subtotal_ht": "60.18", "vat_total": "3.31",
        "total_ttc": "63.49"}
    first, second = order["lines"]
    assert first == {"position": 1, "ean": "9782330150136", "title": "CEMETERY ROAD",
                     "vat_rate": "5.5", "quantity": 1, "public_price_ttc": Decimal("25.00"),
                     "discount_percent": Decimal("9.00"), "unit_price_ttc": Decimal("22.75"),
                     "discount_amount": Decimal("2.25"), "total_ttc": Decimal("22.75"),
                     "total_ht": Decimal("21.56"), "vat_amount": Decimal("1.19")}
    # the line multiplies out: 7 × 5.82 = 40.74 (44.80 less 4.06)
    assert (second["position"], second["quantity"], str(second["unit_price_ttc"]),
            str(second["total_ttc"]), str(second["discount_amount"])) == (
        2, 7, "5.82", "40.74", "4.06")


def test_a_blank_reference_is_stored_as_none(document):
    assert documents.from_document("quote", loaded(changed(document, reference="")))[
        "order"]["reference"] is None


@pytest.mark.parametrize("kind, label", [("quote", "Demande de devis n° 12 "),
                                         ("collectivity_order", "Commande collectivité n° 12 ")])
def test_line_totals_must_add_up_to_the_total_to_the_cent(document, kind, label):
    payload = changed(document, totals=dict(document["totals"], total_ttc="63.53"))
    with pytest.raises(DomainError) as raised:
        documents.from_document(kind, loaded(payload))
    assert set(raised.value.details) == {"totals.total_ttc"}
    assert raised.value.message.startswith(label + "non reprise en commande classique")
    assert "63.49" in raised.value.message and "63.53" in raised.value.message


def test_a_line_that_does_not_multiply_out_is_refused(document):
    """7 × 5.82 printed as 40.77 (the rounding of old): an accountant would refuse it."""
    with pytest.raises(DomainError) as raised:
        documents.from_document("quote", loaded(with_line(document, 1, total_ttc="40.77")))
    assert "lines.2.total_ttc" in raised.value.details
    assert "7 × 5.82 = 40.74, reçu 40.77" in raised.value.message


def test_a_line_whose_ht_and_vat_do_not_make_its_ttc_is_refused(document):
    with pytest.raises(DomainError) as raised:
        documents.from_document("quote", loaded(with_line(document, 0, vat_amount="1.20")))
    assert set(raised.value.details) == {"lines.1.vat_amount"}


def test_the_bridge_rounds_half_up_whatever_the_context(document):
    """The bridge's own money() rounded with the context's mode (half-even): 0.125 gave 0.12.
    The classic order's amounts go through services.common.money, half-up."""
    import decimal
    payload = loaded(document)
    payload["lines"][0]["discount_percent"] = Decimal("9.125")
    with decimal.localcontext() as ctx:
        ctx.rounding = decimal.ROUND_HALF_EVEN
        order = documents.from_document("quote", payload)
    assert order["lines"][0]["discount_percent"] == Decimal("9.13")


@pytest.mark.parametrize("index, changes, field", [
    (0, {"quantity": 0}, "lines.1.quantity"),
    (1, {"quantity": -7}, "lines.2.quantity"),
    (0, {"ean": "9782330150137"}, "lines.1.ean"),
    (0, {"vat_rate": "7"}, "lines.1.vat_rate"),
    (1, {"title": " "}, "lines.2.title"),
    (1, {"title": "T" * 301}, "lines.2.title"),
    (0, {"public_price_ttc": "0"}, "lines.1.public_price_ttc"),
    (0, {"discount_percent": "101"}, "lines.1.discount_percent"),
    (0, {"unit_price_ttc": "-1.00"}, "lines.1.unit_price_ttc"),
    (0, {"total_ht": "1000000000000.00"}, "lines.1.total_ht"),
])
def test_a_bad_line_is_refused(document, index, changes, field):
    with pytest.raises(DomainError) as raised:
        documents.from_document("collectivity_order", loaded(with_line(document, index, **changes)))
    assert field in raised.value.details and raised.value.code == "invalid"


@pytest.mark.parametrize("changes, field", [
    ({"lines": [], "totals": {"discount_total": "0", "subtotal_ht": "0", "vat_total": "0",
                              "subtotal_ttc": "0", "total_ttc": "0"}}, "lines"),
    ({"reference": "R" * 51}, "reference"),
    ({"contact_phone": "0" * 41}, "contact_phone"),
    ({"contact_name": "N" * 201}, "contact_name"),
    ({"client_number": ""}, "client_number"),
    ({"client_name": "X" * 201}, "client_name"),
    ({"placed_by_email": "a" * 250 + "@x.fr"}, "initiator_email"),
    ({"placed_at": "02/04/2026"}, "placed_at"),
    ({"number": 0}, "number"),
    ({"number": 2**31}, "number"),
])
def test_a_document_that_cannot_make_a_sound_order_is_refused(document, changes, field):
    with pytest.raises(DomainError) as raised:
        documents.from_document("quote", loaded(changed(document, **changes)))
    assert field in raised.value.details


def test_the_kinds_are_listed_and_named():
    assert orders.list_filter("all", "quote") == (None, "quote")
    assert orders.list_filter("pending", "collectivity_order") == (("pending",),
                                                                   "collectivity_order")
    assert presenters.status_event({"number": 3, "source_kind": "quote", "source_number": 12,
                                "state": "picked_up", "librisoft_number": None,
                                "librisoft_status": None}) == {
        "order_number": 3, "source_kind": "quote", "source_number": 12, "picked_up": True,
        "librisoft_number": "", "status": "", **NOT_CANCELLED}
