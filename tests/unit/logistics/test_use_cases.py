"""logistics' transactions on a real (SQLite) database: the owners' events (payload dicts of
their contracts' shape, loaded through the contracts as the inbox does) make candidates; a
hand-off makes a numbered batch, once per order, with its files, its delivery and its event;
the deliveries are retried until acknowledged."""
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from services.common import outbox
from services.common.contracts.events import contract, load_envelope
from services.common.errors import DomainError
from services.common.messaging_models import messaging_tables
from services.logistics import use_cases
from services.logistics.domain import delivery
from services.logistics.models import Base, BatchOrder, Counter, Delivery
from services.logistics.use_cases import orders
from tests.support.fakes import database_fixture

NOW = datetime(2027, 1, 15, 8, 0, tzinfo=timezone.utc)
db = database_fixture("logistics", Base)
URL = "http://logisticien.test/lots"


@pytest.fixture(autouse=True)
def counter(db):
    with db.transaction() as s:  # as the migration seeds it
        s.add(Counter(name="batch", value=0))


def record(db):
    def rec(session, event_type, payload):
        return outbox.record(session, db.metadata, "logistics", event_type, payload)
    return rec


def events(db, event_type):
    table = messaging_tables(db.metadata)[0]
    with db.transaction() as s:
        bodies = s.execute(select(table.c.body).where(table.c.event_type == event_type)).scalars()
        return [load_envelope(event_type, b)[1] for b in bodies]


def load(event_type, payload):
    """What the inbox hands a consumer: the payload loaded through its contract."""
    return contract(event_type).schema().load(payload)


ARTICLE = {"ean": "9791097284657", "title": "Western", "author": "", "publisher": "Dargaud",
           "price_ttc": "14.90", "vat_rate": "5.5"}


def grouped_ref(number=62):
    return {"number": number, "client_number": "16", "client_name": "ECOLE JULES FERRY",
            "initiator_email": "prof@ecole.fr", "article": ARTICLE, "deadline": "2027-01-10",
            "pickup_label": "Librairie des Collectivités\n12 rue Saint-Dizier\n54000 NANCY"}


def made_available(number=62, quantity=24):
    return load("grouped_order_made_available", dict(
        grouped_ref(number), made_available_at=NOW.isoformat(), quantity=quantity))


def validated(number=62, quantity=24):
    return load("grouped_order_validated", dict(
        grouped_ref(number), quantity=quantity, unit_price_ttc="14.90", total_ttc="357.60",
        validated_at=NOW.isoformat()))


LINE = {"ean": "9782330150136", "title": "Le cimetière", "quantity": 3, "vat_rate": "5.5",
        "public_price_ttc": "22.00", "unit_price_ttc": "20.90", "discount_percent": "5.00",
        "discount_amount": "1.10", "total_ttc": "62.70", "total_ht": "59.43",
        "vat_amount": "3.27"}


def collectivity_placed(number=7):
    return load("collectivity_order_placed", {
        "number": number, "client_number": "21", "client_name": "COLLEGE VICTOR PROUVE",
        "basket_number": 3, "basket_name": "CDI", "basket_creator_email": "b@c.fr",
        "placed_by_email": "a@c.fr", "reference": "BC-1", "delivery_label":
        "Collège Victor Prouvé\n2 rue de la Paix\n54000 NANCY", "lines": [LINE],
        "totals": {"discount_total": "3.30", "subtotal_ht": "59.43", "vat_total": "3.27",
                   "subtotal_ttc": "62.70", "total_ttc": "62.70"},
        "placed_at": NOW.isoformat()})


def collectivity_status(action, number=7):
    return load("collectivity_order_status_changed", {
        "number": number, "client_name": "COLLEGE VICTOR PROUVE", "to_emails": ["a@c.fr"],
        "action": action, "status_label": "x", "total_ttc": "62.70",
        "delivery_label": "Collège Victor Prouvé\n2 rue de la Paix\n54000 NANCY",
        "at": NOW.isoformat()})


def progressed(kind, number, to_status, customer=""):
    return load("order_progressed", {
        "order": {"kind": kind, "number": number}, "from_status": "processing",
        "to_status": to_status, "label": "Commande prête", "by": "admin@librairie.test",
        "at": NOW.isoformat(), "customer_name": customer})


def run(db, fn, *args):
    with db.transaction() as s:
        return fn(s, *args)


def candidates(db):
    return run(db, use_cases.list_candidates)


def test_the_owners_events_make_candidates_once(db):
    run(db, orders.grouped_order_validated, validated(), NOW)
    assert candidates(db) == {"candidates": [], "waiting": []}  # validated is not ready yet
    for _ in range(2):  # the same news twice changes nothing more
        run(db, orders.grouped_order_made_available, made_available(), NOW)
    run(db, orders.collectivity_order_placed, collectivity_placed(), NOW)
    run(db, orders.collectivity_order_status_changed, collectivity_status("made_available"),
        NOW + timedelta(minutes=1))
    found = candidates(db)["candidates"]
    assert [(c["key"], c["customer"], c["quantity"]) for c in found] == [
        ("grouped_order:62", "ECOLE JULES FERRY", 24),
        ("collectivity_order:7", "COLLEGE VICTOR PROUVE", 3)]
    assert found[0]["name"] == "Commande groupée n° 62"
    assert found[0]["destination"].startswith("Librairie des Collectivités\n")
    assert found[1]["lines"] == [{"ean": "9782330150136", "title": "Le cimetière",
                                  "quantity": 3}]
    # a later cancellation removes the candidate
    run(db, orders.collectivity_order_status_changed, collectivity_status("cancelled"), NOW)
    run(db, orders.grouped_order_cancelled, load("grouped_order_cancelled", dict(
        grouped_ref(), reason="Plus de stock")), NOW)
    assert candidates(db) == {"candidates": [], "waiting": []}


def test_order_progressed_to_ready_makes_a_candidate_but_never_of_a_sub_order(db):
    """The desk's « Commande prête » of a collectivity order makes it a candidate; of a
    parent's sub-order, nothing: its copies are in its grouped order's lines (handing both off
    shipped them twice), and logistics no longer hears of sub-orders at all."""
    run(db, orders.collectivity_order_placed, collectivity_placed(), NOW)
    run(db, orders.order_progressed, progressed("collectivity_order", 7, "ready"), NOW)
    assert [c["key"] for c in candidates(db)["candidates"]] == ["collectivity_order:7"]
    # moved back (processing), then ready again, then cancelled
    run(db, orders.order_progressed, progressed("collectivity_order", 7, "processing"), NOW)
    assert candidates(db)["candidates"] == []
    run(db, orders.order_progressed, progressed("collectivity_order", 7, "ready"), NOW)
    assert len(candidates(db)["candidates"]) == 1
    run(db, orders.order_progressed, progressed("collectivity_order", 7, "cancelled"), NOW)
    assert candidates(db)["candidates"] == []
    run(db, orders.order_progressed, progressed("sub_order", 154, "ready", "Ana Martin"), NOW)
    assert candidates(db) == {"candidates": [], "waiting": []}
    from services.common.contracts.events import contract
    assert ("logistics", "on_sub_order_placed") not in contract("sub_order_placed").consumers


def ready_two(db):
    run(db, orders.grouped_order_made_available, made_available(), NOW)
    run(db, orders.collectivity_order_placed, collectivity_placed(), NOW)
    run(db, orders.collectivity_order_status_changed, collectivity_status("made_available"),
        NOW + timedelta(minutes=1))


def hand_off(db, keys=None, take_all=False, url=URL):
    return run(db, use_cases.hand_off, keys, take_all, "admin@librairie.test", NOW, record(db),
               url)


def test_a_hand_off_makes_a_numbered_batch_with_its_files_and_event(db):
    ready_two(db)
    batch = hand_off(db, ["collectivity_order:7"])
    assert batch["number"] == 1 and batch["order_count"] == 1 and batch["line_count"] == 1
    assert batch["delivery"]["state"] == "pending"
    assert [c["key"] for c in candidates(db)["candidates"]] == ["grouped_order:62"]
    second = hand_off(db, take_all=True, url=None)
    assert second["number"] == 2 and [o["name"] for o in second["orders"]] == [
        "Commande groupée n° 62"]
    assert second["delivery"]["state"] == "none"
    assert candidates(db)["candidates"] == []
    assert [(e["batch_number"], e["orders"]) for e in events(db, "orders_handed_off")] == [
        (1, [{"kind": "collectivity_order", "number": 7}]),
        (2, [{"kind": "grouped_order", "number": 62}])]
    csv_file = run(db, use_cases.batch_file, 2, "csv")
    assert csv_file["filename"] == "lot-logisticien-000002.csv"
    assert "2;grouped_order;62;Commande groupée n° 62;ECOLE JULES FERRY;" in csv_file["content"]
    doc = json.loads(run(db, use_cases.batch_file, 1, "json")["content"])
    assert doc["orders"][0]["customer"] == "COLLEGE VICTOR PROUVE"
    assert [b["number"] for b in run(db, use_cases.list_batches, 10)] == [2, 1]
    assert run(db, use_cases.order_batches, ["grouped_order:62", "collectivity_order:7"]) == [
        {"kind": "collectivity_order", "number": 7, "batch_number": 1},
        {"kind": "grouped_order", "number": 62, "batch_number": 2}]
    with pytest.raises(DomainError) as exc:
        run(db, use_cases.batch_file, 3, "csv")
    assert exc.value.code == "not_found"


def test_an_order_is_handed_off_once_and_a_refusal_changes_nothing(db):
    ready_two(db)
    hand_off(db, ["grouped_order:62"])
    with pytest.raises(DomainError) as exc:
        hand_off(db, ["collectivity_order:7", "grouped_order:62"])
    assert exc.value.code == "conflict"
    assert "La commande groupée n° 62 a déjà été mise à disposition du logisticien (lot n° 1)" in \
        exc.value.message
    # nothing changed: order 7 is still a candidate, no batch 2, no second event
    assert [c["key"] for c in candidates(db)["candidates"]] == ["collectivity_order:7"]
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(BatchOrder)) == 1
    assert len(events(db, "orders_handed_off")) == 1
    # news about a handed-off order does not bring it back
    run(db, orders.grouped_order_made_available, made_available(quantity=99), NOW)
    assert [c["key"] for c in candidates(db)["candidates"]] == ["collectivity_order:7"]
    assert run(db, use_cases.get_batch, 1)["orders"][0]["lines"][0]["quantity"] == 24
    # the next batch gets the next number: no gap
    assert hand_off(db, take_all=True)["number"] == 2
    with pytest.raises(DomainError) as exc:
        hand_off(db, take_all=True)
    assert exc.value.code == "conflict" and "Aucune commande prête" in exc.value.message
    with pytest.raises(DomainError) as exc:
        hand_off(db, ["n'importe quoi"])
    assert exc.value.code == "invalid"


class FakeLogistician:
    """Answers each POST with the next status (then 200); keeps what it got."""

    def __init__(self, *statuses):
        self.statuses, self.got = list(statuses), []

    def post(self, url, body, batch_number):
        self.got.append((url, json.loads(body), batch_number))
        status = self.statuses.pop(0) if self.statuses else 200
        return status, None if 200 <= status < 300 else f"HTTP {status} : refusé"


def test_deliveries_are_retried_with_backoff_until_acknowledged(db):
    ready_two(db)
    hand_off(db, take_all=True)
    logistician = FakeLogistician(503, 500)
    clock = {"now": NOW}
    assert use_cases.deliver_due(db, logistician, lambda: clock["now"]) == 0
    state = run(db, use_cases.get_batch, 1)["delivery"]
    assert state["state"] == "retrying" and state["attempts"] == 1
    assert state["last_error"] == "HTTP 503 : refusé" and state["acknowledged_at"] is None
    assert state["next_attempt_at"] == (NOW + delivery.retry_delay(1)).isoformat()
    # not due yet: nothing sent
    assert use_cases.deliver_due(db, logistician, lambda: clock["now"]) == 0
    assert len(logistician.got) == 1
    clock["now"] = NOW + timedelta(seconds=1)
    use_cases.deliver_due(db, logistician, lambda: clock["now"])
    assert run(db, use_cases.get_batch, 1)["delivery"]["next_attempt_at"] == (
        clock["now"] + timedelta(seconds=2)).isoformat()
    clock["now"] += timedelta(seconds=2)
    assert use_cases.deliver_due(db, logistician, lambda: clock["now"]) == 1
    state = run(db, use_cases.get_batch, 1)["delivery"]
    assert state["state"] == "acknowledged" and state["attempts"] == 3
    assert state["acknowledged_at"] == clock["now"].isoformat() and state["last_error"] is None
    assert state["first_sent_at"] == NOW.isoformat()  # « envoyé le » the first attempt
    assert [(g[1]["batch_number"], g[2]) for g in logistician.got] == [(1, 1)] * 3
    clock["now"] += timedelta(hours=1)
    assert use_cases.deliver_due(db, logistician, lambda: clock["now"]) == 0
    assert len(logistician.got) == 3


def test_a_claimed_delivery_is_leased(db):
    ready_two(db)
    hand_off(db, take_all=True)
    (claimed,) = use_cases.claim_due(db, NOW)
    assert claimed[1] == 1 and claimed[2] == URL
    assert json.loads(claimed[3])["batch_number"] == 1
    assert use_cases.claim_due(db, NOW + timedelta(seconds=30)) == []  # leased to the first
    with db.transaction() as s:
        assert s.scalars(select(Delivery)).one().attempts == 1
    assert len(use_cases.claim_due(db, NOW + delivery.LEASE)) == 1  # the first died


def test_the_same_form_sent_again_answers_the_same_batch(db):
    """The page's one-time key: a retry (the answer lost, a double click) is the first batch,
    not a 409 nor a second batch (services.common.idempotency, as the service runs it)."""
    from services.common import idempotency
    ready_two(db)
    store = type("Store", (), {"db": db, "transaction": lambda self: db.transaction()})()
    request = {"order_keys": ["grouped_order:62"], "take_all": False}

    def send():
        return idempotency.once(store, "form-1", "hand_off", "admin@librairie.test", request,
                                use_cases.hand_off, request["order_keys"], False,
                                "admin@librairie.test", NOW, record(db), URL)
    first, again = send(), send()
    assert first == again and first["number"] == 1
    assert len(events(db, "orders_handed_off")) == 1


def test_a_reading_list_reaches_the_logistician_one_line_per_title(db):
    """A grouped order of several titles was handed off as its first title with every copy
    (« 10 × CEMETERY ROAD »): the logistician now gets the lines the events carry, as
    Librisoft's classic order has them."""
    lines = [{"ean": "9782330150136", "title": "CEMETERY ROAD", "quantity": 5,
              "unit_price_ttc": "25.00", "vat_rate": "5.5", "total_ttc": "125.00"},
             {"ean": "9782091234567", "title": "FRANÇAIS 5E", "quantity": 5,
              "unit_price_ttc": "14.90", "vat_rate": "5.5", "total_ttc": "74.50"}]
    run(db, orders.grouped_order_validated, load("grouped_order_validated", dict(
        grouped_ref(70), quantity=10, unit_price_ttc="25.00", total_ttc="199.50", lines=lines,
        validated_at=NOW.isoformat())), NOW)
    run(db, orders.grouped_order_made_available, load("grouped_order_made_available", dict(
        grouped_ref(70), made_available_at=NOW.isoformat(), quantity=10, lines=lines)), NOW)
    [found] = candidates(db)["candidates"]
    assert found["quantity"] == 10
    assert [(li["ean"], li["title"], li["quantity"]) for li in found["lines"]] == [
        ("9782330150136", "CEMETERY ROAD", 5), ("9782091234567", "FRANÇAIS 5E", 5)]


def test_a_sub_order_heard_of_before_is_never_handed_off(db):
    """On a deployment that ran the older version, logistics kept sub-orders made ready on the
    desk: they stayed candidates (and no event of them arrives any more to withdraw them)."""
    from services.logistics.models import Order
    run(db, orders.grouped_order_made_available, made_available(), NOW)
    with db.transaction() as s:
        grouped = s.query(Order).one()
        from services.logistics.models import OrderLine
        s.add(Order(kind="sub_order", number=154, status="ready", customer="Ana Martin",
                    destination=grouped.destination, updated_at=NOW, ready_at=NOW,
                    lines=[OrderLine(position=ln.position, ean=ln.ean, title=ln.title,
                                     quantity=2)
                           for ln in grouped.lines]))
    assert [c["key"] for c in candidates(db)["candidates"]] == ["grouped_order:62"]
    assert candidates(db)["waiting"] == []


def credit_note(number, quantity, kind="collectivity_order", order=7):
    return load("invoice_issued", {
        "number": number, "kind": "credit_note", "order": {"kind": kind, "number": order},
        "invoice_number": "2027-01-000000001", "total_ht": "19.81", "vat_total": "1.09",
        "total_ttc": "20.90", "issued_at": NOW.isoformat(),
        "lines": [{"ean": "9782330150136", "quantity": quantity, "total_ttc": "20.90"}]})


def test_a_credit_note_takes_its_copies_off_a_collectivity_order_before_hand_off(db):
    """The tester's case: 4 of 7 copies credited, the logistician was still offered 7. The
    copies come off the order's lines; all of them: the order is withdrawn; after a hand-off
    the batch stays as it was (its files are the logistician's); a grouped order's or a
    sub-order's credit note changes nothing here (their copies come with the grouped order's
    next event)."""
    run(db, orders.collectivity_order_placed, collectivity_placed(), NOW)
    run(db, orders.collectivity_order_status_changed, collectivity_status("made_available"), NOW)
    run(db, orders.credit_note_issued, credit_note("2027-01-000000002", 1), NOW)
    run(db, orders.credit_note_issued, credit_note("2027-01-000000003", 1, "sub_order", 7), NOW)
    (found,) = candidates(db)["candidates"]
    assert found["quantity"] == 2 and found["lines"][0]["quantity"] == 2
    run(db, orders.credit_note_issued, credit_note("2027-01-000000004", 2), NOW)
    assert candidates(db)["candidates"] == []


def test_a_grouped_order_credited_after_its_availability_hands_over_what_it_holds_now(db):
    """The third tester's case: a parent's copy credited after « Mettre à disposition » was
    still in the logistician's batch (3 × WESTERN for 2 left)."""
    run(db, orders.grouped_order_made_available, made_available(quantity=3), NOW)
    changed = load("grouped_order_copies_changed", dict(
        grouped_ref(), quantity=2, changed_at=NOW.isoformat(), credit_note_number="X",
        lines=[{"ean": "9791097284657", "title": "Western", "quantity": 2,
                "unit_price_ttc": "14.90", "vat_rate": "5.5", "total_ttc": "29.80"}]))
    run(db, orders.grouped_order_copies_changed, changed, NOW)
    (found,) = candidates(db)["candidates"]
    assert found["quantity"] == 2
    none_left = dict(changed, quantity=0, lines=[dict(changed["lines"][0], quantity=0)])
    run(db, orders.grouped_order_copies_changed, none_left, NOW)
    assert candidates(db)["candidates"] == []
