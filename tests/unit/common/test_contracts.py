import ast
import inspect
from pathlib import Path

import pytest
from marshmallow import ValidationError

from services.common.contracts.events import CONTRACTS, load_envelope, make_envelope

ROOT = Path(__file__).resolve().parents[3]

CLIENT = {"number": "16", "revision": 1, "name": "ECOLE JULES FERRY", "active": True,
          "discounts": {"vat_2_1": "0", "vat_5_5": "9", "vat_20": "0", "school": "0"}}


def test_events_are_named_in_the_past_tense_and_versioned():
    for name, c in CONTRACTS.items():
        assert name == c.name
        words = name.split("_")
        assert any(w.endswith("ed") or w in {"made", "sent", "paid"} for w in words[1:]), name
        assert c.version >= 1


def test_envelope_round_trip_keeps_money_as_strings():
    body = make_envelope("collectivity_client_updated", CLIENT, "librisoft_bridge")
    assert set(body) == {"event_id", "event_type", "version", "source", "occurred_at", "payload"}
    assert body["payload"]["discounts"]["vat_5_5"] == "9.00"
    envelope, payload = load_envelope("collectivity_client_updated", dict(body, extra="ignored"))
    assert envelope["event_id"] == body["event_id"]
    assert str(payload["discounts"]["vat_5_5"]) == "9.00"


def test_only_the_declared_source_may_publish_an_event():
    with pytest.raises(ValueError):
        make_envelope("collectivity_client_updated", CLIENT, "accounts")


def test_a_payload_that_breaks_its_contract_is_refused_on_both_sides():
    with pytest.raises(ValueError):
        make_envelope("collectivity_client_updated", {"number": "16"}, "librisoft_bridge")
    body = make_envelope("collectivity_client_updated", CLIENT, "librisoft_bridge")
    body["payload"].pop("revision")
    with pytest.raises(ValidationError):
        load_envelope("collectivity_client_updated", body)


def _declared_consumers():
    """(service, method, event) for every @consumes("...") in the services' code."""
    found = set()
    for path in (ROOT / "services").glob("*/service.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                for dec in node.decorator_list:
                    if isinstance(dec, ast.Call) and getattr(dec.func, "id", "") == "consumes":
                        found.add((path.parent.name, node.name, dec.args[0].value))
    return found


def test_the_registry_lists_exactly_the_consumers_the_services_declare():
    """The producer declares its consumers' queues from the registry: it must be true."""
    registered = {(svc, method, name) for name, c in CONTRACTS.items()
                  for svc, method in c.consumers}
    assert registered == _declared_consumers()


def test_queue_names_follow_nameko():
    from nameko.events import EventHandler

    from services.common.nameko_glue import consumer_queues, event_queue_name
    assert "evt-{}-{}--{}.{}" in inspect.getsource(EventHandler.setup)
    c = CONTRACTS["collectivity_client_updated"]
    assert event_queue_name(c.source, c.name, "accounts", "on_collectivity_client_updated") == \
        "evt-librisoft_bridge-collectivity_client_updated--accounts.on_collectivity_client_updated"
    assert [q.name for q in consumer_queues(c.name)] == \
        ["evt-librisoft_bridge-collectivity_client_updated--accounts.on_collectivity_client_updated"]


def test_an_online_buyers_sub_order_placed_is_not_routed_to_notifications():
    """Routing by the payload (issue 11): notifications' queue is bound to the events it mails
    about only (a buyer paying at the bookshop), the other consumers to every one; an event
    routed so always has a consumer bound to "#" (mandatory: never unroutable), and what
    notifications is bound to is what its `wanted` keeps."""
    from services.common.nameko_glue import consumer_queues
    from services.notifications.use_cases import gives_anything
    c = CONTRACTS["sub_order_placed"]
    assert {q.name.rsplit("--", 1)[1]: q.routing_key for q in consumer_queues(c.name)} == {
        "order_desk.on_sub_order_placed": "sub_order_placed.#",
        "notifications.on_sub_order_placed": "sub_order_placed.at_bookshop"}
    for method in ("online", "cheque", "cash", "pickup"):
        key = c.routing_key({"payment_method": method})
        assert key == ("sub_order_placed.online" if method == "online"
                       else "sub_order_placed.at_bookshop")
        assert (key == "sub_order_placed.at_bookshop") == \
            gives_anything("sub_order_placed", {"payment_method": method})
    for name, routed in CONTRACTS.items():
        if routed.topic is not None:
            assert any((svc, m) not in routed.only for svc, m in routed.consumers), name
        else:
            assert not routed.only and all(q.routing_key == name for q in consumer_queues(name))


def test_the_publisher_and_the_handler_use_the_contracts_keys():
    from unittest import mock

    from services.common import nameko_glue
    sent = []

    def publish(self, payload, **kwargs):
        sent.append(kwargs["routing_key"])

    publisher = nameko_glue.AmqpPublisher("memory://")
    with mock.patch("nameko.amqp.publish.Publisher.publish", publish):
        publisher("sub_order_placed", {"payload": {"payment_method": "online"}})
        publisher("sub_order_placed", {"payload": {"payment_method": "cheque"}})
        publisher("payment_succeeded", {"payload": {}})
    assert sent == ["sub_order_placed.online", "sub_order_placed.at_bookshop",
                    "payment_succeeded"]
    handler = nameko_glue.EventHandler("grouped_orders", "sub_order_placed")
    handler.container = mock.Mock(service_name="notifications", config={})
    handler.method_name = "on_sub_order_placed"
    with mock.patch("nameko.messaging.Consumer.setup"):
        handler.setup()
    assert handler.queue.routing_key == "sub_order_placed.at_bookshop"
    assert handler.queue.name == "evt-grouped_orders-sub_order_placed--notifications." \
                                 "on_sub_order_placed"
