"""The buyer's own page (`buyer_status`) says what was refunded to them, how much, when: the
whole payment after a cancellation (the grouped order failed or was cancelled), a payment
refunded automatically (it arrived once the order was cancelled), the difference of a title
cut; each « en cours » until payments gave it back, then with the day it did."""
from datetime import timedelta
from decimal import Decimal

from services.grouped_orders import domain
from services.grouped_orders.use_cases import bookshop, buyers, payment_events, unavailability
from tests.support.fakes import Events

from .test_reading_list_use_cases import LIVRE, create_list
from .test_use_cases import NOW, URL, WESTERN, create, db, pay, subscribe, tx  # noqa: F401

LATER = NOW + timedelta(days=2)


def refunded(sub_number, payment_id, amount, **more):
    return dict({"payment_id": payment_id, "reference_kind": "sub_order",
                 "reference_id": str(sub_number), "amount": amount, "provider": "sandbox",
                 "occurred_at": LATER.isoformat(), "refund_id": "r-" + payment_id}, **more)


def status(db, token, sub):
    return tx(db, buyers.buyer_status, token, sub["buyer_token"], LATER)


def test_a_payment_made_while_the_order_was_cancelled_is_shown_refunded(db):
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    leto = subscribe(db, token, "Jared", "Leto", 2)
    attempt = tx(db, buyers.begin_payment_attempt, token, leto["buyer_token"], NOW)
    tx(db, buyers.attach_payment, attempt["attempt_id"], {"payment_id": "pay-1"})
    # the bookshop cancels the grouped order while the buyer is on the provider's page
    tx(db, bookshop.cancel, go["number"], "Titre épuisé", NOW, events, URL)
    tx(db, payment_events.on_payment_succeeded, {
        "payment_id": "pay-1", "reference_kind": "sub_order", "reference_id": str(leto["number"]),
        "amount": "29.80", "provider": "sandbox", "occurred_at": NOW.isoformat()}, NOW, events,
       URL)
    (refund,) = status(db, token, leto)["refunds"]
    assert (refund["kind"], refund["state"], refund["amount"], refund["at"]) == (
        "automatic", "requested", "29.80", None)  # asked for: not given back yet
    assert refund["text"] == ("Votre paiement est arrivé alors qu'il n'était plus dû "
                              "(paiement reçu après annulation) : il vous est remboursé "
                              "automatiquement")
    tx(db, payment_events.on_payment_refunded, refunded(leto["number"], "pay-1", "29.80"),
       LATER, events, URL)
    view = status(db, token, leto)
    (refund,) = view["refunds"]
    assert (refund["state"], refund["amount"]) == ("refunded", "29.80")
    assert refund["at"].startswith("2022-03-30T08:00")  # LATER (SQLite keeps no zone)
    assert refund["text"].endswith("il vous a été remboursé automatiquement")
    assert view["refunded_total"] == "29.80" and view["refunding_total"] == "0.00"


def test_a_paid_order_cancelled_says_its_payment_was_refunded_and_when(db):
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    diaz = subscribe(db, token, "Cameron", "Diaz", 1)
    pay(db, events, token, diaz, "pay-d")
    tx(db, bookshop.cancel, go["number"], "Minimum non atteint", LATER, events, URL)
    (refund,) = status(db, token, diaz)["refunds"]
    assert (refund["kind"], refund["state"], refund["amount"]) == (
        "cancellation", "requested", "14.90")
    assert refund["at"].startswith("2022-03-30T08:00")  # asked for when it was cancelled
    assert refund["text"] == ("Votre commande a été annulée (Minimum non atteint) : le montant "
                              "payé vous est remboursé")
    tx(db, payment_events.on_payment_refunded, refunded(diaz["number"], "pay-d", "14.90"),
       LATER, events, URL)
    view = status(db, token, diaz)
    assert [(r["state"], r["amount"]) for r in view["refunds"]] == [("refunded", "14.90")]
    assert view["refunds"][0]["text"].endswith("le montant payé vous a été remboursé")
    assert view["refunded_total"] == "14.90"


def test_a_title_cut_shows_the_difference_refunded(db):
    events = Events()
    go = create_list(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    w, li = WESTERN["ean"], LIVRE["ean"]
    leto = subscribe(db, token, "Jared", "Leto", None, lines={w: 2, li: 1})
    pay(db, events, token, leto, "pay-leto")
    number = go["number"]
    tx(db, bookshop.close_expired, LATER, events, URL)
    title_id = tx(db, unavailability.admin_view, number)["titles"][0]["title_id"]
    tx(db, unavailability.set_available, number, title_id, "1", LATER, events, URL)
    (refund,) = status(db, token, leto)["refunds"]
    assert (refund["kind"], refund["state"], refund["amount"]) == ("title_cut", "requested",
                                                                  "14.90")
    assert refund["text"] == ("« WESTERN COQUILLETTES » : 2 → 1 exemplaire : "
                              "la différence vous est remboursée")
    (partial,) = [r for r in events.of("refund_requested") if r.get("request_key")]
    done_at = LATER + timedelta(hours=3)
    tx(db, payment_events.on_payment_refunded, refunded(
        leto["number"], "pay-leto", "14.90", partial=True, request_key=partial["request_key"]),
       done_at, events, URL)
    view = status(db, token, leto)
    (refund,) = view["refunds"]
    assert refund["state"] == "refunded" and refund["at"].startswith("2022-03-30T11:00")
    assert refund["text"].endswith("la différence vous a été remboursée")
    assert view["status"] == domain.PAID and view["total"] == "21.30"
    assert view["refunded_total"] == "14.90"


def test_nothing_refunded_nothing_shown(db):
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    leto = subscribe(db, token, "Jared", "Leto", 1)
    pay(db, events, token, leto, "pay-1")
    view = status(db, token, leto)
    assert view["refunds"] == [] and view["refunded_total"] == "0.00"


def test_a_cheque_is_handed_back_by_the_bookshop_not_refunded_online():
    cheque = domain.BuyerRefund(domain.CANCELLATION, "refunded", Decimal("14.90"),
                                reason="Doublon", method="cheque")
    (shown,) = domain.buyer_refunds([cheque])["refunds"]
    assert shown["by_hand"] is True
    assert shown["text"] == ("Votre commande a été annulée (Doublon) : votre chèque vous est "
                             "rendu par la librairie")
    cash = domain.BuyerRefund(domain.CANCELLATION, "requested", cheque.amount, method="cash")
    assert domain.refund_text(cash) == ("Votre commande a été annulée : le montant payé en "
                                        "espèces vous est rendu par la librairie")
