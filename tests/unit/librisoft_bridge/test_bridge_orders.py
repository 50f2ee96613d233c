"""Classic orders on a real SQLite database: taken once from grouped_order_validated (through the
service's real idempotent consumer), acknowledged and given a status, idempotently, with the
event recorded only when something changed."""
import json

import pytest
from sqlalchemy import func, select

from services.common.contracts.events import load_envelope, make_envelope
from services.common.errors import DomainError
from services.common.messaging_models import messaging_tables
from services.librisoft_bridge.models import order_lines, orders
from services.librisoft_bridge.use_cases import classic_orders, pickup
from tests.unit.librisoft_bridge.conftest import NOT_CANCELLED, run


def envelope(payload):
    """A fresh contract envelope (a new event id), as grouped_orders' outbox would publish."""
    return make_envelope("grouped_order_validated", payload, "grouped_orders")


def count(db, table):
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(table))


def take(db, payload):
    _, loaded = load_envelope("grouped_order_validated", envelope(payload))
    with db.transaction() as session:
        return classic_orders.take_grouped_order(session, loaded)


class Recorder:
    """A fake `record_event(session, payload)`."""

    def __init__(self):
        self.payloads = []

    def __call__(self, session, payload):
        self.payloads.append(payload)


@pytest.fixture
def order(db, validated):
    number, created = take(db, validated)
    assert created
    return number


def test_the_same_event_twice_and_a_new_event_id_make_one_order(service, db, validated):
    body = envelope(validated)
    assert service.on_grouped_order_validated(body) == "processed"
    assert service.on_grouped_order_validated(body) == "duplicate"        # same event id
    assert service.on_grouped_order_validated(envelope(validated)) == "processed"  # new id
    assert count(db, orders) == 1 and count(db, order_lines) == 1
    (found,) = service.find_orders_by_source("grouped_order", 62)
    assert (found["total_ttc"], found["lines"][0]["quantity"], found["state"]) == (
        "74.50", 5, "pending")


def test_a_second_take_returns_the_first_order_unchanged(db, validated):
    first = take(db, validated)
    assert take(db, dict(validated, comment="changé")) == (first[0], False)
    assert run(db, classic_orders.get_order, first[0])["comment"] == "Pour le CDI"


def test_orders_have_their_own_sequence(db, validated):
    numbers = [take(db, dict(validated, number=n))[0] for n in (62, 65, 40)]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3


def test_an_unsound_payload_is_parked_not_stored(service, db, validated):
    assert service.on_grouped_order_validated(envelope(dict(validated, total_ttc="74.49"))) \
        == "parked"
    assert count(db, orders) == 0
    (letter,) = service.list_dead_letters()
    assert letter["status"] == "parked" and "total_ttc" in letter["error"]


def test_money_to_the_cent(db, validated, order):
    view = run(db, classic_orders.get_order, order)
    assert str(view["total_ttc"]) == "74.50" and str(view["lines"][0]["unit_price_ttc"]) == "14.90"
    assert str(view["lines"][0]["total_ttc"]) == "74.50" and view["total_quantity"] == 5


def test_ack_is_idempotent_and_records_one_event(db, order):
    record = Recorder()
    first = run(db, pickup.acknowledge, order, record)
    assert (first["state"], first["picked_up"]) == ("picked_up", True)
    again = run(db, pickup.acknowledge, str(order), record)
    assert again["picked_up_at"] == first["picked_up_at"]
    assert record.payloads == [{"order_number": order, "source_kind": "grouped_order",
                                "source_number": 62, "picked_up": True,
                                "librisoft_number": "", "status": "", **NOT_CANCELLED}]


def test_status_records_an_event_only_when_something_changed(db, order):
    record = Recorder()
    body = {"librisoft_number": "CC-1042", "status": "Attente fournisseur(s)"}
    view = run(db, pickup.post_status, order, body, record)
    assert (view["state"], view["librisoft_number"], view["librisoft_status"]) == (
        "picked_up", "CC-1042", "Attente fournisseur(s)")  # a status implies picked up
    run(db, pickup.post_status, order, body, record)
    run(db, pickup.post_status, order, {"status": "Attente fournisseur(s)"}, record)
    run(db, pickup.acknowledge, order, record)
    assert len(record.payloads) == 1
    view = run(db, pickup.post_status, order, {"status": "Préparation commande"}, record)
    assert view["librisoft_number"] == "CC-1042"  # kept when not sent
    assert [p["status"] for p in record.payloads] == ["Attente fournisseur(s)",
                                                      "Préparation commande"]
    assert all(p["picked_up"] and p["librisoft_number"] == "CC-1042" for p in record.payloads)


def test_a_refused_status_changes_nothing(db, order):
    record = Recorder()
    with pytest.raises(DomainError):
        run(db, pickup.post_status, order, {"status": ""}, record)
    assert run(db, classic_orders.get_order, order)["state"] == "pending" and not record.payloads


def test_events_go_to_the_outbox_in_the_same_transaction(service, db, order):
    run(db, pickup.acknowledge, order, service._record_order_event)
    outbox = messaging_tables(db.metadata)[0]
    with db.transaction() as session:
        (body,) = session.scalars(select(outbox.c.body)).all()
    assert body["event_type"] == "classic_order_status_changed"
    assert body["source"] == "librisoft_bridge" and body["payload"]["order_number"] == order


def test_a_failing_event_record_rolls_the_change_back(db, order):
    def broken(session, payload):
        raise RuntimeError("outbox full")

    with pytest.raises(RuntimeError):
        run(db, pickup.acknowledge, order, broken)
    assert run(db, classic_orders.get_order, order)["state"] == "pending"


def test_unknown_order_is_not_found(db):
    for call in (lambda: run(db, classic_orders.get_order, 999),
                 lambda: run(db, pickup.acknowledge, "999", Recorder()),
                 lambda: run(db, pickup.post_status, "abc", {"status": "x"}, Recorder())):
        with pytest.raises(DomainError) as raised:
            call()
        assert raised.value.code == "not_found"


def test_list_filters_and_pages(db, validated):
    numbers = [take(db, dict(validated, number=n))[0] for n in range(100, 105)]
    run(db, pickup.acknowledge, numbers[1], Recorder())
    pending = run(db, classic_orders.list_orders, "pending")
    assert [o["number"] for o in pending["orders"]] == [numbers[0], *numbers[2:]]
    assert run(db, classic_orders.list_orders, "picked_up")["total"] == 1
    page = run(db, classic_orders.list_orders, "all", "grouped_order", page=2, per_page=2)
    assert [o["number"] for o in page["orders"]] == numbers[2:4] and page["total"] == 5
    assert run(db, classic_orders.list_orders, "all", per_page=10_000)["per_page"] == 500
    assert run(db, classic_orders.list_orders, "all", "quote")["total"] == 0
    for bad in ({"status": "done"}, {"source_kind": "basket"}, {"page": 0}, {"page": "x"},
                {"page": 10**7}):
        with pytest.raises(DomainError):
            run(db, classic_orders.list_orders, **bad)


def test_find_by_source(db, validated, order):
    assert [o["number"] for o in run(
        db, classic_orders.find_orders_by_source, "grouped_order", "62")] == [order]
    for kind, number in (("grouped_order", 63), ("quote", 62), ("grouped_order", "x"),
                         (None, 62), ("grouped_order", 10**20)):
        assert run(db, classic_orders.find_orders_by_source, kind, number) == []
    with pytest.raises(DomainError):
        run(db, classic_orders.find_orders_by_source, "basket", 62)


def test_rpc_outputs_are_json_safe(service, order):
    results = (service.list_orders(), service.list_orders("pending", "grouped_order", 1, 10),
               service.get_order(order), service.find_orders_by_source("grouped_order", 62))
    for result in results:
        json.dumps(result)
    listed = results[0]
    assert set(listed) == {"orders", "total", "page", "per_page"} and listed["total"] == 1
    detail = results[2]
    assert detail["placed_at"] == "2022-03-30T07:26:59+00:00"
    assert detail["lines"] == [{"position": 1, "ean": "9791097284657",
                                "title": "WESTERN COQUILLETTES", "vat_rate": "5.5",
                                "quantity": 5, "public_price_ttc": None,
                                "discount_percent": None, "unit_price_ttc": "14.90",
                                "discount_amount": None, "total_ttc": "74.50",
                                "total_ht": None, "vat_amount": None}]
    assert (detail["reference"], detail["subtotal_ht"], detail["vat_total"]) == (
        None, None, None)  # what a grouped order does not have
    assert (detail["picked_up"], detail["picked_up_at"], detail["librisoft_number"]) == (
        False, None, None)
