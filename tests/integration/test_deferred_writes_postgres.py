"""The subscription form's POST on a real PostgreSQL (issue 11): its writes after the sub-order's
(the lines, the attempt to pay, the outbox row, the idempotency key's answer) go in one round
trip just before the commit (services.common.db.defer_writes), and they are what the ORM path
wrote: the same rows, the event as an object, the text as typed (quotes and « % » included), the
same answer to a retry; a transaction that fails after them leaves nothing."""
import uuid

import pytest
from sqlalchemy import event, select, text

from services.common import idempotency, outbox
from services.common.db import DEFERRED, DEFERRING, write
from services.grouped_orders.domain.payment_methods import methods_text
from services.grouped_orders.models import Base, PaymentAttempt, SubOrder, SubOrderLine
from services.grouped_orders.use_cases import buyers
from tests.integration.test_capacity_postgres import NOW, create
from tests.support.suite import throwaway_db
from tests.unit.grouped_orders.test_use_cases import URL


@pytest.fixture
def pg():
    with throwaway_db(f"lsbt_deferred_{uuid.uuid4().hex[:8]}", "grouped_orders",
                      Base.metadata) as db:
        yield db


class Store:
    """What `idempotency.once` needs of a service's store."""

    def __init__(self, db):
        self.db = db

    def transaction(self):
        return self.db.transaction()


def post(pg, token, key, last_name="Dupont", method="online"):
    data = {"first_name": "Zoé", "last_name": last_name, "email": "zoe@free.fr",
            "quantity": "2", "accepted_terms": True, "payment_method": method}

    def record(session, event_type, payload):
        return outbox.record(session, pg.metadata, "grouped_orders", event_type, payload)

    return idempotency.once(Store(pg), key, "subscribe_and_pay", "",
                            {"token": token, "data": data},
                            buyers.subscribe_and_begin_payment, token, data, NOW, record, URL)


def test_the_posts_writes_go_in_one_round_trip_and_are_what_was_asked(pg, monkeypatch):
    # one request in a hundred also purges old idempotency keys (a fifth statement, chance):
    # not this one, so that the count is the POST's own
    from services.common import idempotency
    monkeypatch.setattr(idempotency, "PURGE_CHANCE", 0)
    _, token = create(pg)
    statements = []
    event.listen(pg.engine, "before_cursor_execute",
                 lambda conn, cursor, sql, *rest: statements.append(sql))
    answer = post(pg, token, "form-1", last_name="O'Hara 100 %")
    # the key claimed, the grouped order with its titles, the sub-order, then the rest at once
    assert len(statements) == 4, statements
    last = statements[-1]
    assert all(f"INSERT INTO {t}" in last
               for t in ("sub_order_lines", "outbox", "payment_attempts"))
    assert "UPDATE idempotent_requests" in last
    number, attempt_id = answer["sub"]["number"], answer["attempt"]["attempt_id"]
    with pg.transaction() as s:
        sub = s.get(SubOrder, number)
        assert (sub.last_name, sub.quantity, str(sub.total)) == ("O'Hara 100 %", 2, "29.80")
        lines = s.scalars(select(SubOrderLine).where(SubOrderLine.sub_order_number == number))
        assert [(x.quantity, str(x.unit_price)) for x in lines] == [(2, "14.90")]
        attempt = s.get(PaymentAttempt, attempt_id)
        assert (attempt.sub_order_number, attempt.state, attempt.redirect_url) == \
            (number, "starting", "")
        assert attempt.idempotency_key == answer["attempt"]["idempotency_key"]
        kind, body = s.execute(text("SELECT json_typeof(body), body FROM outbox")).one()
    assert kind == "object"
    assert body["payload"]["sub_order_number"] == number
    assert body["payload"]["buyer"]["last_name"] == "O'Hara 100 %"
    # the same form again: the first answer, nothing written twice
    assert post(pg, token, "form-1", last_name="O'Hara 100 %") == answer
    with pg.transaction() as s:
        assert s.scalar(text("SELECT count(*) FROM sub_orders")) == 1
        assert s.scalar(text("SELECT count(*) FROM outbox")) == 1
    # the payment page finds the attempt written with the others
    with pg.transaction() as s:
        to_pay = buyers.attempt_to_pay(s, token, answer["sub"]["buyer_token"], NOW)
    assert to_pay["attempt_id"] == attempt_id and to_pay["amount"] == "29.80"


def test_a_cheque_buyer_gets_no_attempt_and_the_rest_is_written(pg):
    _, token = create(pg)
    with pg.transaction() as s:  # the bookshop takes cheques for this one
        s.execute(text("UPDATE grouped_orders SET payment_methods = :m"),
                  {"m": methods_text(["online", "cheque"])})
    answer = post(pg, token, "form-2", method="cheque")
    assert answer["attempt"] is None
    with pg.transaction() as s:
        assert s.scalar(text("SELECT count(*) FROM payment_attempts")) == 0
        assert s.scalar(text("SELECT count(*) FROM sub_order_lines")) == 1
        assert s.scalar(text("SELECT count(*) FROM outbox")) == 1


def test_writes_kept_for_the_commit_go_away_with_a_rollback(pg):
    _, token = create(pg)
    data = {"first_name": "Zoé", "last_name": "Rollback", "email": "zoe@free.fr",
            "quantity": "1", "accepted_terms": True}

    def record(session, event_type, payload):
        return outbox.record(session, pg.metadata, "grouped_orders", event_type, payload)

    with pytest.raises(RuntimeError), pg.transaction() as s:
        buyers.subscribe_and_begin_payment(s, token, data, NOW, record, URL)
        assert s.info[DEFERRING] and len(s.info[DEFERRED]) == 3  # line, outbox, attempt
        raise RuntimeError("something fails after the writes, before the commit")
    with pg.transaction() as s:
        for table in ("sub_orders", "sub_order_lines", "payment_attempts", "outbox"):
            assert s.scalar(text(f"SELECT count(*) FROM {table}")) == 0, table
        # a transaction that did not say defer_writes writes at once
        assert DEFERRING not in s.info
        write(s, pg.metadata.tables["outbox"].insert(), {
            "event_id": str(uuid.uuid4()), "event_type": "sub_order_placed", "version": 1,
            "body": {"x": 1}, "created_at": NOW, "next_attempt_at": NOW, "attempts": 0})
        assert s.scalar(text("SELECT count(*) FROM outbox")) == 1


def test_the_count_of_an_addresss_recent_orders_costs_no_round_trip(pg):
    """Five orders per address per grouped order in ten minutes (a French 429 after): counted
    in the grouped order's statement, on PostgreSQL under its FOR SHARE lock."""
    from services.common.errors import DomainError
    _, token = create(pg)
    for i in range(5):
        post(pg, token, f"form-{i}")
    with pytest.raises(DomainError) as exc:
        post(pg, token, "form-5")
    assert exc.value.code == "throttled"
    with pg.transaction() as s:
        assert s.scalar(text("SELECT count(*) FROM sub_orders")) == 5
        assert s.scalar(text("SELECT count(*) FROM outbox")) == 5
