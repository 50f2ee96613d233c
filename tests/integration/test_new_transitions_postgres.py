"""This stop's new state changes on a real PostgreSQL, each fired five times at once: one
effect, one event (the bookshop correcting a buyer's e-mail, the initiator reopening a closed
grouped order and cancelling their own, payments closing a cancelled order's payment page)."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest

from services.common.errors import DomainError
from services.grouped_orders.models import Base
from services.grouped_orders.use_cases import bookshop, buyers, initiator
from tests.support.fakes import Events
from tests.support.suite import throwaway_db
from tests.unit.grouped_orders.test_use_cases import CLIENT, INITIATOR, URL, WESTERN

NOW = datetime(2022, 3, 28, 8, 0, tzinfo=timezone.utc)
AFTER_DEADLINE = datetime(2022, 3, 30, 7, 0, tzinfo=timezone.utc)
TWINS = 5


@pytest.fixture
def pg():
    with throwaway_db(f"lsbt_twins_{uuid.uuid4().hex[:8]}", "grouped_orders",
                      Base.metadata) as db:
        yield db


def at_once(fn):
    barrier = threading.Barrier(TWINS)

    def run(_):
        barrier.wait(timeout=10)
        try:
            return "ok", fn()
        except DomainError as exc:
            return exc.code, exc.message

    with ThreadPoolExecutor(TWINS) as pool:
        return [code for code, _ in pool.map(run, range(TWINS), timeout=60)]


def grouped_order(pg):
    with pg.transaction() as s:
        go = initiator.create(s, INITIATOR, CLIENT, WESTERN,
                              {"deadline": "2022-03-29", "pickup": "address-0"}, NOW, Events(),
                              URL, "À la librairie")
    token = go["subscription_url"].rsplit("/", 1)[1]
    with pg.transaction() as s:
        sub = buyers.subscribe(s, token, {"first_name": "Léa", "last_name": "Martin",
                                          "email": "lea@fre.fr", "quantity": 1,
                                          "accepted_terms": True}, NOW, Events(), URL)
    return go["number"], sub["number"]


def test_five_corrections_of_one_email_at_once_tell_the_buyer_once(pg):
    _, sub = grouped_order(pg)
    events = Events()

    def correct():
        with pg.transaction() as s:
            return bookshop.correct_buyer_email(s, sub, "lea@free.fr", NOW, events, URL)

    assert sorted(at_once(correct)) == ["conflict"] * 4 + ["ok"]
    assert len(events.of("sub_order_email_corrected")) == 1


def test_five_reopenings_at_once_reopen_once_and_five_cancellations_cancel_once(pg):
    number, sub = grouped_order(pg)
    with pg.transaction() as s:
        assert bookshop.close_expired(s, AFTER_DEADLINE, Events(), URL) == [number]

    def reopen():
        with pg.transaction() as s:
            return initiator.change_deadline(s, number, INITIATOR["id"], "2022-04-05",
                                             AFTER_DEADLINE, URL)["status"]

    outcomes = at_once(reopen)  # each one sets the same deadline: all say « open »
    assert set(outcomes) <= {"ok", "conflict"} and "ok" in outcomes
    events = Events()

    def cancel():
        with pg.transaction() as s:
            return initiator.cancel_by_initiator(s, number, INITIATOR["id"], "Erreur de titre",
                                                 AFTER_DEADLINE, events, URL)

    assert sorted(at_once(cancel)) == ["conflict"] * 4 + ["ok"]
    assert len(events.of("grouped_order_cancelled")) == 1
    assert [e["sub_order_number"] for e in events.of("sub_order_cancelled")] == [sub]


def test_five_deliveries_of_a_cancellation_close_the_payment_page_once():
    from services.payments import use_cases as payments
    from services.payments.adapters import sandbox
    from services.payments.models import Base as PaymentsBase
    from tests.unit.payments.conftest import SETTINGS, Outbox, start_data
    provider = sandbox.SandboxProvider(SETTINGS)
    with throwaway_db(f"lsbt_close_{uuid.uuid4().hex[:8]}", "payments",
                      PaymentsBase.metadata) as db:
        record = Outbox(db)
        with db.transaction() as s:
            started = payments.start_payment(s, provider, start_data(), NOW, record)

        def close():
            with db.transaction() as s:
                return payments.close_open_checkouts(s, provider, "sub_order", "154", NOW,
                                                     record)

        barrier = threading.Barrier(TWINS)

        def run(_):
            barrier.wait(timeout=10)
            return close()

        with ThreadPoolExecutor(TWINS) as pool:
            closed = list(pool.map(run, range(TWINS), timeout=60))
        assert sorted(closed, key=len) == [[]] * 4 + [[started["payment_id"]]]
        assert [(t, p["state"]) for t, p in record.events()] == [("payment_failed",
                                                                  "cancelled")]
