"""A parent cancels their own order from its page (« Annuler ma commande »): while it awaits
payment and subscriptions are open; cancelled as the bookshop cancels one (the parent's mail
and the order desk follow `sub_order_cancelled`); refused in French once paid, once closed,
twice; a payment that succeeds afterwards at the provider is refunded as not owed."""
from datetime import timedelta

import pytest

from services.common.errors import DomainError
from services.grouped_orders import domain
from services.grouped_orders.use_cases import buyers, payment_events
from tests.support.fakes import Events

from .test_use_cases import NOW, URL, create, db, pay, subscribe, tx  # noqa: F401


def cancel(db, events, token, sub, at=NOW):
    return tx(db, buyers.cancel_by_buyer, token, sub["buyer_token"], at, events, URL)


def test_an_unpaid_order_is_cancelled_by_its_parent_and_everyone_is_told(db):
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    leto = subscribe(db, token, "Jared", "Leto", 2)
    other = subscribe(db, token, "Cameron", "Diaz", 1)
    view = cancel(db, events, token, leto)
    assert view["status"] == domain.SUB_CANCELLED and view["can_pay"] is False
    (cancelled,) = events.of("sub_order_cancelled")
    assert cancelled["sub_order_number"] == leto["number"]
    assert cancelled["reason"] == "Annulée par le parent depuis sa page de commande"
    assert events.of("refund_requested") == []  # nothing was paid
    # the parent's mail: not « a été annulée. Motif : Annulée par le parent… »
    from services.common.contracts.events import CONTRACTS
    from services.notifications.presenters import render
    _, _, body = render("sub_order_cancelled",
                        CONTRACTS["sub_order_cancelled"].schema().load(cancelled), URL)
    assert "est annulée, comme vous l'avez demandé depuis votre page de commande." in body
    assert "Motif" not in body
    # the other parent's order is untouched
    assert tx(db, buyers.buyer_status, token, other["buyer_token"], NOW)["status"] == \
        domain.AWAITING_PAYMENT
    with pytest.raises(DomainError) as twice:
        cancel(db, events, token, leto)
    assert twice.value.code == "conflict" and "déjà annulée" in twice.value.message
    assert len(events.of("sub_order_cancelled")) == 1


def test_a_paid_order_or_a_closed_one_is_not_cancelled_from_its_page(db):
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    paid = subscribe(db, token, "Jared", "Leto", 1)
    pay(db, events, token, paid, "pay-1")
    with pytest.raises(DomainError) as refused:
        cancel(db, events, token, paid)
    assert refused.value.code == "conflict" and "contactez la librairie" in refused.value.message
    late = subscribe(db, token, "Cameron", "Diaz", 1)
    with pytest.raises(DomainError) as closed:
        cancel(db, events, token, late, at=NOW + timedelta(days=3))  # past the deadline
    assert closed.value.code == "conflict" and "closes" in closed.value.message
    assert events.of("sub_order_cancelled") == []


def test_a_payment_that_succeeds_after_the_parent_cancelled_is_refunded(db):
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    leto = subscribe(db, token, "Jared", "Leto", 2)
    attempt = tx(db, buyers.begin_payment_attempt, token, leto["buyer_token"], NOW)
    tx(db, buyers.attach_payment, attempt["attempt_id"], {"payment_id": "pay-1"})
    cancel(db, events, token, leto)  # meanwhile, the provider's page is still open
    tx(db, payment_events.on_payment_succeeded, {
        "payment_id": "pay-1", "reference_kind": "sub_order", "reference_id": str(leto["number"]),
        "amount": "29.80", "provider": "sandbox", "occurred_at": NOW.isoformat()}, NOW, events,
       URL)
    (refund,) = events.of("refund_requested")
    assert refund["payment_id"] == "pay-1" and refund["amount"] == "29.80"
    assert tx(db, buyers.buyer_status, token, leto["buyer_token"], NOW)["status"] == \
        domain.SUB_CANCELLED
