"""Retries with the same idempotency key, through the service's entrypoints (without nameko):
one sub-order, one payment attempt, one validation, one cancellation, one refund, even when
the first answer was lost (the caller never saw it and sent the request again)."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text

from services.common import idempotency, outbox
from services.common.errors import DomainError
from services.grouped_orders.models import Base, PaymentAttempt, SubOrder
from services.grouped_orders.service import GroupedOrdersService
from services.grouped_orders.use_cases import initiator, payment_events
from tests.support.fakes import sqlite_database
from tests.unit.grouped_orders.test_use_cases import CLIENT, INITIATOR, URL, WESTERN

ADMIN = 1


class FakeStore:
    def __init__(self, db):
        self.db = db

    def transaction(self):
        return self.db.transaction()

    def run(self, fn, *args):
        with self.db.transaction() as session:
            return fn(session, *args)

    def once(self, key, operation, actor, request, fn, *args):
        return idempotency.once(self, key, operation, actor, request, fn, *args)

    def record(self, session, event_type, payload):
        return outbox.record(session, self.db.metadata, "grouped_orders", event_type, payload)


class FakeAccounts:
    def get_account(self, actor_id):
        return {"id": actor_id, "active": True, "email": f"compte{actor_id}@ecole.test",
                "role": "admin" if actor_id == ADMIN else "collectivite"}


class FakePayments:
    """The payments service's contract: the same idempotency key gives the same payment."""

    def __init__(self):
        self.started, self.calls = {}, []

    def start_payment(self, data):
        self.calls.append(data)
        key = data["idempotency_key"]
        if key not in self.started:
            n = len(self.started) + 1
            self.started[key] = {"payment_id": f"pay_{n}", "state": "processing",
                                 "redirect_url": f"http://sandbox/checkout/{n}"}
        return self.started[key]


@pytest.fixture
def db(tmp_path):
    with sqlite_database("grouped_orders", Base, tmp_path) as database:
        yield database


@pytest.fixture
def service(db):
    instance = GroupedOrdersService()
    instance.store = FakeStore(db)
    instance.accounts = FakeAccounts()
    instance.payments = FakePayments()
    return instance


def events(db, event_type):
    table = Base.metadata.tables["outbox"]
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(table)
                        .where(table.c.event_type == event_type))


def count(db, model):
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(model))


def open_grouped_order(db):
    now = datetime.now(timezone.utc)
    with db.transaction() as s:
        go = initiator.create(s, INITIATOR, CLIENT, WESTERN,
                             {"deadline": (date.today() + timedelta(days=5)).isoformat(),
                              "pickup": "address-0"}, now, lambda *a: None, URL, "Librairie")
    return go, go["subscription_url"].rsplit("/", 1)[1]


def pass_deadline(db, number):
    with db.transaction() as s:
        s.execute(text("UPDATE grouped_orders SET status = 'awaiting_validation', "
                       "deadline = :d WHERE number = :n"),
                  {"d": date.today() - timedelta(days=2), "n": number})


BUYER = {"first_name": "Jared", "last_name": "Leto", "email": "jared@free.fr", "quantity": 2,
         "accepted_terms": True}


def test_a_retried_subscription_gives_one_sub_order(service, db):
    _, token = open_grouped_order(db)
    service.subscribe(token, BUYER, idempotency_key="form-1")  # its answer is lost
    again = service.subscribe(token, BUYER, idempotency_key="form-1")
    assert again == service.subscribe(token, BUYER, idempotency_key="form-1")
    assert count(db, SubOrder) == 1 and again["buyer_token"]
    # the same key with other content is refused, in French
    with pytest.raises(DomainError) as refused:
        service.subscribe(token, dict(BUYER, quantity=3), idempotency_key="form-1")
    assert refused.value.code == "conflict" and "clé d'idempotence" in refused.value.message
    # another key (or none) is another subscription
    service.subscribe(token, BUYER, idempotency_key="form-2")
    service.subscribe(token, BUYER)
    assert count(db, SubOrder) == 3


def test_a_retried_payment_start_gives_the_same_payment(service, db):
    _, token = open_grouped_order(db)
    sub = service.subscribe(token, BUYER, idempotency_key="form-1")
    first = service.start_payment(token, sub["buyer_token"], "http://back", "form-1")
    again = service.start_payment(token, sub["buyer_token"], "http://back", "form-1")
    assert first == again and count(db, PaymentAttempt) == 1
    assert len(service.payments.started) == 1
    other = service.start_payment(token, sub["buyer_token"], "http://back", "pay-again")
    assert other["payment_id"] != first["payment_id"] and count(db, PaymentAttempt) == 2


def test_the_form_subscribes_in_one_call_once_per_key_and_its_page_pays_once(service, db):
    """Issue 11: the form's POST is one RPC and one transaction (sub-order and attempt, no
    payment yet); a retry with the form's key gets the same sub-order and attempt. The payment
    page creates the payment with the attempt's key: a reload, a second tab, the same payment
    (no double charge), asked of payments once."""
    _, token = open_grouped_order(db)
    first = service.subscribe_and_pay(token, BUYER, "form-1")
    again = service.subscribe_and_pay(token, BUYER, "form-1")
    assert first == again and first["buyer_token"] and first["attempt_id"]
    assert count(db, SubOrder) == 1 and count(db, PaymentAttempt) == 1
    assert not service.payments.started  # off the POST's path
    back = f"http://back/{first['buyer_token']}"
    paid = service.pay_subscription(token, first["buyer_token"], back)
    assert paid == {"payment_id": "pay_1", "redirect_url": "http://sandbox/checkout/1"}
    assert service.pay_subscription(token, first["buyer_token"], back) == paid
    assert len(service.payments.started) == 1 and len(service.payments.calls) == 1
    assert service.payments.calls[0]["return_url"] == back
    with db.transaction() as s:
        attempt = s.scalars(select(PaymentAttempt)).one()
        assert attempt.payment_id == "pay_1" and attempt.state == "processing"
    # the payment refused: nothing to pay on this page any more (the result page offers again)
    payment_events_failed(db, attempt.payment_id, first)
    assert service.pay_subscription(token, first["buyer_token"], back)["redirect_url"] is None
    assert len(service.payments.calls) == 1


def payment_events_failed(db, payment_id, sub):
    with db.transaction() as s:
        payment_events.on_payment_failed(s, {
            "payment_id": payment_id, "reference_kind": "sub_order",
            "reference_id": str(sub["number"]), "state": "refused"})


def test_no_subscription_nor_payment_once_the_deadline_passed(service, db):
    go, token = open_grouped_order(db)
    pass_deadline(db, go["number"])
    with pytest.raises(DomainError):
        service.subscribe_and_pay(token, BUYER, "form-1")
    assert count(db, SubOrder) == 0 and count(db, PaymentAttempt) == 0
    assert not service.payments.started


def test_no_payment_from_the_payment_page_once_the_deadline_passed(service, db):
    go, token = open_grouped_order(db)
    sub = service.subscribe_and_pay(token, BUYER, "form-1")
    pass_deadline(db, go["number"])
    with pytest.raises(DomainError) as refused:
        service.pay_subscription(token, sub["buyer_token"], "http://back")
    assert refused.value.code in ("conflict", "invalid") and "clos" in refused.value.message
    assert not service.payments.started


def paid_and_closed(service, db):
    go, token = open_grouped_order(db)
    sub = service.subscribe(token, BUYER)
    payment = service.start_payment(token, sub["buyer_token"], "http://back")
    with db.transaction() as s:
        payment_events.on_payment_succeeded(s, {
            "payment_id": payment["payment_id"], "reference_kind": "sub_order",
            "reference_id": str(sub["number"]), "amount": "29.80", "provider": "sandbox",
            "occurred_at": datetime.now(timezone.utc).isoformat()},
            datetime.now(timezone.utc), service.store.record, URL)
    return go, sub


def test_a_retried_validation_gives_one_validation(service, db):
    go, _ = paid_and_closed(service, db)
    pass_deadline(db, go["number"])
    service.validate_grouped_order(ADMIN, go["number"], idempotency_key="v-1")  # answer lost
    again = service.validate_grouped_order(ADMIN, go["number"], idempotency_key="v-1")
    assert again["status"] == "processing"
    assert events(db, "grouped_order_validated") == 1
    # without the key, a second validation is a conflict in French, and nothing is sent
    with pytest.raises(DomainError) as refused:
        service.validate_grouped_order(ADMIN, go["number"])
    assert refused.value.code == "conflict" and "déjà été validée" in refused.value.message
    assert events(db, "grouped_order_validated") == 1
    service.make_available(ADMIN, go["number"], idempotency_key="a-1")
    assert service.make_available(ADMIN, go["number"], idempotency_key="a-1")["status"] == \
        "closed"
    assert events(db, "grouped_order_made_available") == 1
    with pytest.raises(DomainError):
        service.make_available(ADMIN, go["number"], idempotency_key="a-2")
    assert events(db, "grouped_order_made_available") == 1


def test_a_retried_cancellation_of_a_paid_sub_order_refunds_once(service, db):
    _, sub = paid_and_closed(service, db)
    service.admin_cancel_sub_order(ADMIN, sub["number"], "Doublon", idempotency_key="c-1")
    service.admin_cancel_sub_order(ADMIN, sub["number"], "Doublon", idempotency_key="c-1")
    assert (events(db, "sub_order_cancelled"), events(db, "refund_requested")) == (1, 1)
    with pytest.raises(DomainError) as refused:
        service.admin_cancel_sub_order(ADMIN, sub["number"], "Doublon")
    assert refused.value.code == "conflict"
    assert (events(db, "sub_order_cancelled"), events(db, "refund_requested")) == (1, 1)


def test_a_retried_manual_validation_of_a_sub_order_mails_once(service, db):
    _, token = open_grouped_order(db)
    sub = service.subscribe(token, BUYER)
    service.admin_validate_sub_order(ADMIN, sub["number"], idempotency_key="s-1")
    service.admin_validate_sub_order(ADMIN, sub["number"], idempotency_key="s-1")
    assert events(db, "sub_order_paid") == 1
    with pytest.raises(DomainError):
        service.admin_validate_sub_order(ADMIN, sub["number"])
    assert events(db, "sub_order_paid") == 1


def test_a_retried_creation_gives_one_grouped_order(service, db):
    class Catalogue:
        def get_article(self, ean):
            return WESTERN

    class Accounts(FakeAccounts):
        def get_client_for_account(self, actor_id, number):
            return CLIENT

    service.catalogue, service.accounts = Catalogue(), Accounts()
    data = {"client_number": "21", "ean": WESTERN["ean"], "pickup": "bookshop",
            "deadline": (date.today() + timedelta(days=5)).isoformat()}
    first = service.create_grouped_order(7, data, idempotency_key="new-1")
    assert service.create_grouped_order(7, data, idempotency_key="new-1") == first
    assert events(db, "grouped_order_created") == 1
    with pytest.raises(DomainError):  # another account cannot reuse the key
        service.create_grouped_order(8, data, idempotency_key="new-1")


def test_the_same_move_twice_says_it_was_done_already():
    from services.grouped_orders import domain
    with pytest.raises(DomainError) as refused:
        domain.check_transition(domain.CLOSED, domain.CLOSED)
    assert refused.value.code == "conflict" and "déjà « Clôturée »" in refused.value.message
