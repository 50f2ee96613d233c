"""A collectivity's quote request and a collectivity order each become one classic order that
Librisoft picks up over HTTP, however often their event arrives: every service as a real
process, the real RabbitMQ and PostgreSQL."""
import random

import pytest

from tests.integration.test_classic_orders import (
    NOT_CANCELLED,
    call,
    pick_up_and_update,
    processed,
    relayed,
)
from tests.support.suite import wait_until

EVENTS = {"quote": ("quote_requested", "on_quote_requested"),
          "collectivity_order": ("collectivity_order_placed", "on_collectivity_order_placed")}
LINE = {"ean": "9782330150136", "title": "CEMETERY ROAD", "quantity": 1, "vat_rate": "5.5",
        "public_price_ttc": "25.00", "unit_price_ttc": "22.75", "discount_percent": "9.00",
        "discount_amount": "2.25", "total_ttc": "22.75", "total_ht": "21.56",
        "vat_amount": "1.19"}


def document(number):
    """A CollectivityDocumentV1 payload: CEMETERY ROAD at 9 % off, 22.75 TTC."""
    return {"number": number, "client_number": "16", "client_name": "ECOLE JULES FERRY",
            "basket_number": 3, "basket_name": "CDI rentrée",
            "basket_creator_email": "cdi@ecole.example.org",
            "placed_by_email": "direction@ecole.example.org", "reference": f"BC-{number}",
            "comment": "Livraison avant le 15", "contact_name": "ECOLE JULES FERRY",
            "contact_email": "ecole@example.org", "contact_phone": "03 83 30 12 16",
            "delivery_label": "ECOLE JULES FERRY\n12 rue de Vic\n54000 NANCY",
            "billing_label": "ECOLE JULES FERRY\n12 rue de Vic\n54000 NANCY",
            "lines": [LINE],
            "totals": {"discount_total": "2.25", "subtotal_ht": "21.56", "vat_total": "1.19",
                       "subtotal_ttc": "22.75", "total_ttc": "22.75"},
            "placed_at": "2026-04-02T09:15:00+02:00", "detail_url": ""}


def listed(suite, key, kind, number, status="all"):
    status_code, page = call(suite, key, "GET", "/orders",
                             params={"status": status, "source_kind": kind, "per_page": 500})
    assert status_code == 200, page
    assert {o["source_kind"] for o in page["orders"]} <= {kind}
    return [o for o in page["orders"] if o["source_number"] == number]


@pytest.mark.parametrize("kind", list(EVENTS))
def test_one_classic_order_per_document_picked_up_over_http(suite, publish, api_key, bridge_db,
                                                            kind):
    event, consumer = EVENTS[kind]
    number = random.randint(10_000, 2**31 - 1)
    first = publish(event, document(number))
    publish(event, body=first)                                   # the same envelope again
    again = publish(event, document(number))                     # a new event id
    assert again["event_id"] != first["event_id"]
    wait_until(lambda: processed(bridge_db, [first["event_id"], again["event_id"]], consumer),
               message=f"both {event} event ids processed by the bridge")

    (order,) = listed(suite, api_key, kind, number, status="pending")
    assert (order["source_kind"], order["state"], order["reference"], order["total_ttc"]) == (
        kind, "pending", f"BC-{number}", "22.75")
    assert (order["subtotal_ht"], order["vat_total"], order["discount_total"]) == (
        "21.56", "1.19", "2.25")
    assert order["lines"] == [{"position": 1, **{k: LINE[k] for k in (
        "ean", "title", "vat_rate", "quantity", "public_price_ttc", "discount_percent",
        "unit_price_ttc", "discount_amount", "total_ttc", "total_ht", "vat_amount")}}]
    assert (order["contact_name"], order["contact_phone"]) == ("ECOLE JULES FERRY",
                                                              "03 83 30 12 16")
    assert order["pickup_label"].splitlines()[-1] == "54000 NANCY"
    other = "quote" if kind == "collectivity_order" else "collectivity_order"
    assert listed(suite, api_key, other, number) == []           # filtered by kind

    pick_up_and_update(suite, api_key, order["number"], "CC-2001", "Préparation commande",
                       pending=lambda: listed(suite, api_key, kind, number, status="pending"))

    events = wait_until(lambda: relayed(bridge_db, order["number"], 2),
                        message="two classic_order_status_changed events relayed")
    assert [body["payload"] for body, _ in events] == [
        {"order_number": order["number"], "source_kind": kind, "source_number": number,
         "picked_up": True, "librisoft_number": "", "status": "", **NOT_CANCELLED},
        {"order_number": order["number"], "source_kind": kind, "source_number": number,
         "picked_up": True, "librisoft_number": "CC-2001", "status": "Préparation commande",
         **NOT_CANCELLED}]
    assert all(body["source"] == "librisoft_bridge" for body, _ in events)

    with suite.rpc() as rpc:
        (found,) = rpc.librisoft_bridge.find_orders_by_source(kind, number)
        assert (found["number"], found["librisoft_status"]) == (order["number"],
                                                                "Préparation commande")
    assert len(listed(suite, api_key, kind, number)) == 1         # still one, at the end
