"""The automatic refund mail names the buyer's own lines (sub_order_refunded carries them, an
optional field of its contract): not the grouped order's titles, which the buyer may not have
taken."""
from decimal import Decimal

from services.grouped_orders.use_cases import bookshop, payment_events
from tests.support.fakes import Events
from tests.unit.grouped_orders.test_reading_list_use_cases import LIVRE, checked, create_list
from tests.unit.grouped_orders.test_use_cases import NOW, URL, WESTERN, db, pay, subscribe, tx

assert db  # the fixture


def refunded(sub_number, payment_id, amount):
    return {"payment_id": payment_id, "reference_kind": "sub_order",
            "reference_id": str(sub_number), "amount": amount, "provider": "sandbox",
            "occurred_at": NOW.isoformat(), "refund_id": "r-" + payment_id}


def test_the_refund_event_carries_the_buyers_own_lines_which_add_up_to_the_amount(db):
    events = Events()
    go = create_list(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    w, li = WESTERN["ean"], LIVRE["ean"]
    # the buyer leaves the optional second title at 0
    leto = subscribe(db, token, "Jared", "Leto", None, events=events, lines={w: 2, li: 0})
    pay(db, events, token, leto, "pay-leto")
    tx(db, bookshop.cancel_sub_order, leto["number"], "Doublon", NOW, events, URL)
    tx(db, payment_events.on_payment_refunded, refunded(leto["number"], "pay-leto", "29.80"),
       NOW, events, URL)
    (mail,) = [checked("sub_order_refunded", e) for e in events.of("sub_order_refunded")]
    assert [(x["ean"], x["title"], x["quantity"], str(x["unit_price_ttc"]), str(x["total_ttc"]))
            for x in mail["lines"]] == [(w, WESTERN["title"], 2, "14.90", "29.80")]
    assert sum(Decimal(str(x["total_ttc"])) for x in mail["lines"]) == mail["amount"]


def test_an_automatic_refund_carries_the_lines_of_the_order_it_was_paid_for(db):
    events = Events()
    go = create_list(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    w, li = WESTERN["ean"], LIVRE["ean"]
    diaz = subscribe(db, token, "Cameron", "Diaz", None, events=events, lines={w: 1, li: 2})
    pay(db, events, token, diaz, "pay-1")
    # a second payment of the same order: not owed, refunded by payments by itself
    payload = dict(refunded(diaz["number"], "pay-2", "27.70"), late=True,
                   reason="Paiement reçu en double")
    tx(db, payment_events.on_payment_refunded, payload, NOW, events, URL)
    (mail,) = [checked("sub_order_refunded", e) for e in events.of("sub_order_refunded")]
    assert mail["automatic"] is True
    assert [(x["title"], x["quantity"], str(x["total_ttc"])) for x in mail["lines"]] == [
        (WESTERN["title"], 1, "14.90"), (LIVRE["title"], 2, "12.80")]
