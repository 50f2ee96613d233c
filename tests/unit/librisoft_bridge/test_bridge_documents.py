"""Quotes and collectivity orders as classic orders on a real SQLite database, through the
service's real idempotent consumers: exactly once per (source_kind, source_number), parked when
unsound, listed and picked up like grouped orders, their events naming the right source_kind."""
import copy
import json

import pytest
from sqlalchemy import func, select

from services.common.contracts.events import make_envelope
from services.common.messaging_models import messaging_tables
from services.librisoft_bridge.models import order_lines, orders
from tests.unit.librisoft_bridge.test_bridge_orders_web import ack, listing, post_status
from tests.unit.librisoft_bridge.conftest import NOT_CANCELLED

EVENTS = {"quote": "quote_requested", "collectivity_order": "collectivity_order_placed"}


def envelope(kind, payload):
    """A fresh contract envelope (a new event id), as baskets' outbox would publish."""
    return make_envelope(EVENTS[kind], payload, "baskets")


def consume(service, kind, body):
    handler = {"quote": service.on_quote_requested,
               "collectivity_order": service.on_collectivity_order_placed}[kind]
    return handler(body)


def count(db, table):
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(table))


def outbox_payloads(db):
    table = messaging_tables(db.metadata)[0]
    with db.transaction() as session:
        return [body["payload"] for body in session.scalars(
            select(table.c.body).where(table.c.event_type == "classic_order_status_changed")
            .order_by(table.c.id))]


@pytest.fixture
def taken(service, document):
    """A quote and a collectivity order, both n° 12: {kind: order number}."""
    numbers = {}
    for kind in EVENTS:
        assert consume(service, kind, envelope(kind, document)) == "processed"
        (found,) = service.find_orders_by_source(kind, 12)
        numbers[kind] = found["number"]
    return numbers


@pytest.mark.parametrize("kind", list(EVENTS))
def test_the_same_event_twice_and_a_new_event_id_make_one_order(service, db, document, kind):
    body = envelope(kind, document)
    assert consume(service, kind, body) == "processed"
    assert consume(service, kind, body) == "duplicate"                     # same event id
    changed = dict(document, comment="changé")
    assert consume(service, kind, envelope(kind, changed)) == "processed"  # new id: kept as is
    assert count(db, orders) == 1 and count(db, order_lines) == 2
    (found,) = service.find_orders_by_source(kind, 12)
    assert (found["source_kind"], found["comment"], found["total_ttc"]) == (
        kind, "Livraison avant le 15", "63.49")


def test_a_quote_an_order_and_a_grouped_order_of_the_same_number_are_three_orders(
        service, db, document, validated, taken):
    assert service.on_grouped_order_validated(make_envelope(
        "grouped_order_validated", dict(validated, number=12), "grouped_orders")) == "processed"
    assert count(db, orders) == 3
    assert {o["source_kind"] for o in service.list_orders()["orders"]} == {
        "quote", "collectivity_order", "grouped_order"}


@pytest.mark.parametrize("kind", list(EVENTS))
def test_an_unsound_document_is_parked_not_stored(service, db, document, kind):
    bad = copy.deepcopy(document)
    bad["lines"][1]["total_ttc"] = "40.77"  # not 7 × 5.82 = 40.74 (the rounding of old)
    assert consume(service, kind, envelope(kind, bad)) == "parked"
    zero = copy.deepcopy(document)
    zero["lines"][0]["quantity"] = 0
    assert consume(service, kind, envelope(kind, zero)) == "parked"
    assert count(db, orders) == 0 and count(db, order_lines) == 0
    letters = service.list_dead_letters()
    assert {(letter["status"], letter["consumer"]) for letter in letters} == {
        ("parked", {"quote": "on_quote_requested",
                    "collectivity_order": "on_collectivity_order_placed"}[kind])}
    errors = sorted(letter["error"] for letter in letters)
    assert len(errors) == 2 and "lines.1.quantity" in errors[0] and "lines.2.total_ttc" in errors[1]
    assert "non reprise en commande classique" in errors[0]
    # the sound event still makes its order afterwards
    assert consume(service, kind, envelope(kind, document)) == "processed"
    assert count(db, orders) == 1


def test_the_order_json_of_a_quote(service, taken):
    view = service.get_order(taken["quote"])
    json.dumps(view)
    assert {name: view[name] for name in (
        "source_kind", "source_number", "state", "picked_up", "client_number", "client_name",
        "initiator_email", "contact_name", "contact_email", "contact_phone", "reference",
        "pickup_label", "billing_label", "comment", "total_quantity", "discount_total",
        "subtotal_ht", "vat_total", "total_ttc", "placed_at", "librisoft_number")} == {
        "source_kind": "quote", "source_number": 12, "state": "pending", "picked_up": False,
        "client_number": "16", "client_name": "ECOLE JULES FERRY",
        "initiator_email": "direction@ecole.example.org", "contact_name": "ECOLE JULES FERRY",
        "contact_email": "ecole@example.org", "contact_phone": "03 83 30 12 16",
        "reference": "BC-2026-041",
        "pickup_label": "ECOLE JULES FERRY\n12 rue de Vic\n54000 NANCY",
        "billing_label": "ECOLE JULES FERRY\nDirection\n12 rue de Vic\n54000 NANCY",
        "comment": "Livraison avant le 15", "total_quantity": 8, "discount_total": "6.31",
        "subtotal_ht": "60.18", "vat_total": "3.31", "total_ttc": "63.49",
        "placed_at": "2026-04-02T07:15:00+00:00", "librisoft_number": None}
    assert view["lines"] == [
        {"position": 1, "ean": "9782330150136", "title": "CEMETERY ROAD", "vat_rate": "5.5",
         "quantity": 1, "public_price_ttc": "25.00", "discount_percent": "9.00",
         "unit_price_ttc": "22.75", "discount_amount": "2.25", "total_ttc": "22.75",
         "total_ht": "21.56", "vat_amount": "1.19"},
        {"position": 2, "ean": "9782362210419",
         "title": "LE LIVRE QU'IL NE FAUT SURTOUT, SURTOUT, SURTOUT, PAS LIRE !",
         "vat_rate": "5.5", "quantity": 7, "public_price_ttc": "6.40",
         "discount_percent": "9.00", "unit_price_ttc": "5.82", "discount_amount": "4.06",
         "total_ttc": "40.74", "total_ht": "38.62", "vat_amount": "2.12"}]
    assert service.get_order(taken["collectivity_order"])["source_kind"] == "collectivity_order"


def test_a_grouped_order_has_the_same_keys_with_nulls(service, validated, taken):
    service.on_grouped_order_validated(
        make_envelope("grouped_order_validated", validated, "grouped_orders"))
    (grouped,) = service.find_orders_by_source("grouped_order", 62)
    quote = service.get_order(taken["quote"])
    assert set(grouped) == set(quote) and set(grouped["lines"][0]) == set(quote["lines"][0])
    assert all(grouped[name] is None for name in (
        "reference", "contact_name", "contact_phone", "discount_total", "subtotal_ht",
        "vat_total"))
    assert all(grouped["lines"][0][name] is None for name in (
        "public_price_ttc", "discount_percent", "discount_amount", "total_ht", "vat_amount"))


def test_librisoft_lists_each_kind_and_picks_it_up(service, db, api_key, validated, taken):
    service.on_grouped_order_validated(
        make_envelope("grouped_order_validated", validated, "grouped_orders"))
    for kind, number in taken.items():
        status, page = listing(service, api_key, source_kind=kind)
        assert status == 200 and [o["number"] for o in page["orders"]] == [number]
        assert page["orders"][0]["reference"] == "BC-2026-041"
    assert listing(service, api_key, source_kind="grouped_order")[1]["total"] == 1
    assert listing(service, api_key)[1]["total"] == 3

    quote, order = taken["quote"], taken["collectivity_order"]
    status, acked = ack(service, api_key, quote)
    assert (status, acked["state"], acked["reference"]) == (200, "picked_up", "BC-2026-041")
    assert ack(service, api_key, quote)[0] == 200                       # nothing new
    body = {"librisoft_number": "CC-2001", "status": "Préparation commande"}
    status, view = post_status(service, api_key, order, body)
    assert (status, view["state"], view["librisoft_status"]) == (200, "picked_up",
                                                                 "Préparation commande")
    assert post_status(service, api_key, order, body)[0] == 200         # nothing new
    assert listing(service, api_key, source_kind="quote")[1]["total"] == 0
    assert outbox_payloads(db) == [
        {"order_number": quote, "source_kind": "quote", "source_number": 12,
         "picked_up": True, "librisoft_number": "", "status": "", **NOT_CANCELLED},
        {"order_number": order, "source_kind": "collectivity_order", "source_number": 12,
         "picked_up": True, "librisoft_number": "CC-2001", "status": "Préparation commande",
         **NOT_CANCELLED}]


def test_rpc_filters_by_kind(service, taken):
    assert [o["number"] for o in service.list_orders("pending", "quote")["orders"]] == [
        taken["quote"]]
    assert service.list_orders("all", "collectivity_order")["total"] == 1
    assert service.find_orders_by_source("quote", 13) == []
