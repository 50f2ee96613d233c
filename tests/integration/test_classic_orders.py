"""A validated grouped order becomes one classic order that Librisoft picks up over HTTP: every
service as a real process, the real RabbitMQ and PostgreSQL."""
import random

import pytest
import requests
from sqlalchemy import select

from services.common.messaging_models import messaging_tables
from services.librisoft_bridge import keys
from tests.support.suite import wait_until

# what classic_order_status_changed says of an order that was not cancelled
NOT_CANCELLED = {"cancelled": False, "cancelled_at": None, "cancellation_acknowledged": False,
                 "cancellation_acknowledged_at": None}


CONSUMER = "on_grouped_order_validated"


@pytest.fixture(scope="module")
def key(bridge_db):
    return keys.create_key(bridge_db, "x")


def validated(number):
    return {"number": number, "client_number": "21", "client_name": "COLLEGE VICTOR PROUVE",
            "initiator_email": "approbateur@victorprouve.org",
            "article": {"ean": "9791097284657", "title": "WESTERN COQUILLETTES",
                        "author": "LE GUEN/XENARD", "publisher": "ORSO", "price_ttc": "14.90",
                        "vat_rate": "5.5"},
            "deadline": "2022-03-29",
            "pickup_label": "COLLEGE Victor prouve\n2, rue des jonquilles\n5500 DINANT",
            "billing_label": "13 RUE EMILE BOILVIN\n57000 METZ", "comment": "Pour le CDI",
            "quantity": 5, "unit_price_ttc": "14.90", "total_ttc": "74.50",
            "validated_at": "2022-03-30T09:26:59+02:00"}


def call(suite, key, method, path, **kwargs):
    response = requests.request(method, f"{suite.bridge_url}/librisoft/v1{path}",
                                headers={"X-Api-Key": key}, timeout=15, **kwargs)
    assert response.headers["Content-Type"].startswith("application/json"), response.text
    return response.status_code, response.json()


def orders_of(suite, key, source_number, status="all"):
    status_code, page = call(suite, key, "GET", "/orders",
                             params={"status": status, "per_page": 500})
    assert status_code == 200, page
    return [o for o in page["orders"] if o["source_number"] == source_number]


def processed(db, event_ids, consumer=CONSUMER):
    """Whether the bridge's `consumer` has processed every one of `event_ids` (its inbox)."""
    table = messaging_tables(db.metadata)[1]
    with db.transaction() as session:
        done = set(session.scalars(select(table.c.event_id).where(
            table.c.consumer == consumer, table.c.event_id.in_(event_ids))))
    return done == set(event_ids)


def status_events(db, order_number):
    table = messaging_tables(db.metadata)[0]
    with db.transaction() as session:
        rows = session.execute(select(table.c.body, table.c.published_at).where(
            table.c.event_type == "classic_order_status_changed").order_by(table.c.id)).all()
    return [(row.body, row.published_at) for row in rows
            if row.body["payload"]["order_number"] == order_number]


def relayed(db, order_number, expected):
    """The order's events once `expected` of them are stored and all published, else None."""
    found = status_events(db, order_number)
    return found if len(found) == expected and all(published for _, published in found) else None


def pick_up_and_update(suite, key, order_number, librisoft_number, librisoft_status, pending):
    """Librisoft acknowledges the order twice (the same answer, no longer `pending()`), then
    posts its Librisoft number and status twice (unchanged the second time)."""
    path = f"/orders/{order_number}"
    status, acked = call(suite, key, "POST", path + "/ack")
    assert (status, acked["state"], acked["picked_up"]) == (200, "picked_up", True)
    assert call(suite, key, "POST", path + "/ack") == (200, acked)     # idempotent
    assert pending() == []

    body = {"librisoft_number": librisoft_number, "status": librisoft_status}
    status, view = call(suite, key, "POST", path + "/status", json=body)
    assert (status, view["librisoft_number"], view["librisoft_status"]) == (
        200, librisoft_number, librisoft_status)
    assert call(suite, key, "POST", path + "/status", json=body)[0] == 200  # unchanged


def test_one_classic_order_however_often_the_event_arrives(suite, publish, key, bridge_db):
    number = random.randint(10_000, 2**31 - 1)
    first = publish("grouped_order_validated", validated(number))
    publish("grouped_order_validated", body=first)                     # the same envelope again
    again = publish("grouped_order_validated", validated(number))      # a new event id
    assert again["event_id"] != first["event_id"]
    wait_until(lambda: processed(bridge_db, [first["event_id"], again["event_id"]]),
               message="both event ids processed by the bridge")

    (order,) = orders_of(suite, key, number, status="pending")
    assert (order["source_kind"], order["state"], order["total_ttc"]) == (
        "grouped_order", "pending", "74.50")
    assert order["lines"] == [{"position": 1, "ean": "9791097284657",
                               "title": "WESTERN COQUILLETTES", "vat_rate": "5.5",
                               "quantity": 5, "public_price_ttc": None, "discount_percent": None,
                               "unit_price_ttc": "14.90", "discount_amount": None,
                               "total_ttc": "74.50", "total_ht": None, "vat_amount": None}]
    assert order["reference"] is None                                  # a grouped order has none
    assert order["pickup_label"].splitlines()[-1] == "5500 DINANT"

    pick_up_and_update(suite, key, order["number"], "CC-1042", "Attente fournisseur(s)",
                       pending=lambda: orders_of(suite, key, number, status="pending"))

    events = wait_until(lambda: relayed(bridge_db, order["number"], 2),
                        message="two classic_order_status_changed events relayed")
    assert [body["payload"] for body, _ in events] == [
        {"order_number": order["number"], "source_kind": "grouped_order",
         "source_number": number, "picked_up": True, "librisoft_number": "", "status": "",
         **NOT_CANCELLED},
        {"order_number": order["number"], "source_kind": "grouped_order",
         "source_number": number, "picked_up": True, "librisoft_number": "CC-1042",
         "status": "Attente fournisseur(s)", **NOT_CANCELLED}]
    assert all(body["source"] == "librisoft_bridge" for body, _ in events)

    with suite.rpc() as rpc:
        (found,) = rpc.librisoft_bridge.find_orders_by_source("grouped_order", number)
        assert found["librisoft_status"] == "Attente fournisseur(s)"
        assert rpc.librisoft_bridge.get_order(order["number"])["number"] == order["number"]
    assert len(orders_of(suite, key, number)) == 1                     # still one, at the end


def test_the_real_server_answers_bad_requests_in_json(suite, key):
    assert call(suite, key, "POST", "/orders/999999999/ack")[0] == 404
    status, error = call(suite, key, "POST", "/orders/abc/status", json={"status": "x"})
    assert (status, error["error"]) == (404, "not_found")
    status, error = call(suite, key, "GET", "/orders/1/ack")
    assert (status, error["error"]) == (405, "method_not_allowed")
    status, error = call(suite, key, "GET", "/orders", params={"status": "récupérée"})
    assert (status, error["error"]) == (400, "invalid") and "Statut inconnu" in error["message"]
    assert requests.get(f"{suite.bridge_url}/librisoft/v1/orders", timeout=15).status_code == 401
