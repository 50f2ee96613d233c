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
