"""Issue 8 §2: a grouped order or collectivity order cancelled after Librisoft picked its classic
order up is cancelled in the bridge, listed among the cancellations Librisoft must apply
(GET /orders?status=cancelled), acknowledged like a pickup, and each step is told back to the
suite (classic_order_status_changed), once."""
import json

import pytest
from sqlalchemy import select

from services.common.contracts.events import load_envelope, make_envelope
from services.common.messaging_models import messaging_tables
from tests.unit.librisoft_bridge.test_bridge_orders_web import ack, answer, listing, request

REF = {"client_number": "16", "client_name": "ECOLE JULES FERRY",
       "initiator_email": "direction@ecole.example.org",
       "article": {"ean": "9791097284657", "title": "WESTERN COQUILLETTES",
                   "price_ttc": "14.90", "vat_rate": "5.5"},
       "deadline": "2022-03-29", "pickup_label": "ECOLE"}


def cancelled_events(db):
    table = messaging_tables(db.metadata)[0]
    with db.transaction() as session:
        bodies = session.scalars(select(table.c.body).order_by(table.c.id)).all()
    loaded = [load_envelope("classic_order_status_changed",
                            body if isinstance(body, dict) else json.loads(body))[1]
              for body in bodies]
    return [p for p in loaded if p["cancelled"]]


def ack_cancellation(service, key, number):
    return answer(service.http_ack_order_cancellation(
        request("POST", f"/orders/{number}/cancellation/ack", key), number=str(number)))


def grouped_order_cancelled(number, validated_at="2022-03-30T09:40:00+00:00"):
    return make_envelope("grouped_order_cancelled",
                         dict(REF, number=number, reason="Titre épuisé",
                              validated_at=validated_at), "grouped_orders")


@pytest.fixture
def picked_up(service, api_key, validated):
    assert service.on_grouped_order_validated(
        make_envelope("grouped_order_validated", validated, "grouped_orders")) == "processed"
    (found,) = service.find_orders_by_source("grouped_order", validated["number"])
    assert ack(service, api_key, found["number"])[0] == 200
    return found["number"]


def test_a_cancelled_picked_up_grouped_order_is_listed_then_acknowledged(
        service, db, api_key, picked_up, validated):
    assert listing(service, api_key, status="cancelled")[1]["total"] == 0
    body = grouped_order_cancelled(validated["number"])
    assert service.on_grouped_order_cancelled(body) == "processed"
    assert service.on_grouped_order_cancelled(grouped_order_cancelled(validated["number"])) \
        == "processed"  # another delivery: nothing more
    status, page = listing(service, api_key, status="cancelled")
    (listed,) = page["orders"]
    assert (listed["number"], listed["cancelled"], listed["cancel_reason"],
            listed["cancellation_acknowledged"]) == (picked_up, True, "Titre épuisé", False)
    assert listed["cancelled_at"] and listed["state"] == "picked_up"
    (told,) = cancelled_events(db)
    assert (told["source_kind"], told["source_number"], told["cancellation_acknowledged"]) == (
        "grouped_order", validated["number"], False)
    assert told["cancelled_at"]

    status, done = ack_cancellation(service, api_key, picked_up)
    assert (status, done["cancellation_acknowledged"]) == (200, True)
    assert ack_cancellation(service, api_key, picked_up) == (status, done)  # idempotent
    assert listing(service, api_key, status="cancelled")[1]["total"] == 0
    told, acknowledged = cancelled_events(db)
    assert acknowledged["cancellation_acknowledged"] is True
    assert acknowledged["cancellation_acknowledged_at"]
    # still listed with everything, flagged
    (everything,) = listing(service, api_key, status="all")[1]["orders"]
    assert everything["cancelled"] is True


def test_a_cancellation_before_pickup_leaves_the_pending_list(service, db, api_key, validated):
    assert service.on_grouped_order_validated(
        make_envelope("grouped_order_validated", validated, "grouped_orders")) == "processed"
    assert listing(service, api_key)[1]["total"] == 1
    assert service.on_grouped_order_cancelled(grouped_order_cancelled(validated["number"])) \
        == "processed"
    assert listing(service, api_key)[1]["total"] == 0                      # not to pick up
    assert listing(service, api_key, status="cancelled")[1]["total"] == 0  # nothing to apply
    # Librisoft had listed it just before: its ack shows the cancellation, now to apply
    (order,) = service.find_orders_by_source("grouped_order", validated["number"])
    status, acked = ack(service, api_key, order["number"])
    assert (status, acked["cancelled"]) == (200, True)
    assert listing(service, api_key, status="cancelled")[1]["total"] == 1


def test_a_grouped_order_cancelled_before_validation_has_nothing_to_cancel(service, db):
    assert service.on_grouped_order_cancelled(grouped_order_cancelled(70, None)) == "processed"
    assert cancelled_events(db) == []


def test_a_cancellation_arriving_before_its_order_is_retried(service, db, validated):
    assert service.on_grouped_order_cancelled(grouped_order_cancelled(validated["number"])) \
        != "processed"
    (letter,) = service.list_dead_letters()
    assert letter["status"] != "parked"  # retried later, once the order is made


def test_an_order_that_is_not_cancelled_has_no_cancellation_to_acknowledge(
        service, api_key, picked_up):
    status, body = ack_cancellation(service, api_key, picked_up)
    assert status == 409 and "n'est pas annulée" in body["message"]


def test_a_cancelled_collectivity_order_is_cancelled_a_quote_or_another_action_is_not(
        service, db, api_key, document):
    for kind in ("quote_requested", "collectivity_order_placed"):
        assert getattr(service, {"quote_requested": "on_quote_requested",
                                 "collectivity_order_placed": "on_collectivity_order_placed"}
                       [kind])(make_envelope(kind, document, "baskets")) == "processed"
    orders = {o["source_kind"]: o["number"] for o in listing(service, api_key)[1]["orders"]}
    for number in orders.values():
        assert ack(service, api_key, number)[0] == 200

    def status_changed(action):
        return make_envelope("collectivity_order_status_changed", {
            "number": 12, "client_name": "ECOLE JULES FERRY", "to_emails": ["a@b.fr"],
            "action": action, "status_label": "Annulée", "reason": "Budget refusé",
            "total_ttc": "63.49", "at": "2026-04-03T08:00:00+00:00"}, "baskets")

    assert service.on_collectivity_order_status_changed(status_changed("shipped")) == \
        "processed"
    assert listing(service, api_key, status="cancelled")[1]["total"] == 0
    assert service.on_collectivity_order_status_changed(status_changed("cancelled")) == \
        "processed"
    (listed,) = listing(service, api_key, status="cancelled")[1]["orders"]
    assert (listed["source_kind"], listed["number"], listed["cancel_reason"]) == (
        "collectivity_order", orders["collectivity_order"], "Budget refusé")
    (told,) = cancelled_events(db)
    assert (told["source_kind"], told["source_number"]) == ("collectivity_order", 12)
