"""Issue 10's capacity cap and minimum on a real PostgreSQL: 200 subscriptions at once never
hold more copies than the cap (each subscription counts under the grouped order's advisory
lock, the row itself locked FOR SHARE, in its own transaction), and two deadline timers at once fail a grouped order below
its minimum once (one refund per paid sub-order, one mail each)."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from services.common.errors import DomainError
from services.grouped_orders import domain
from services.grouped_orders.models import Base, SubOrder
from services.grouped_orders.use_cases import bookshop, buyers, initiator
from tests.support.fakes import Events
from tests.support.suite import throwaway_db
from tests.unit.grouped_orders.test_use_cases import CLIENT, INITIATOR, URL, WESTERN

NOW = datetime(2022, 3, 28, 8, 0, tzinfo=timezone.utc)
AFTER_DEADLINE = datetime(2022, 3, 30, 7, 0, tzinfo=timezone.utc)
THREADS = 8  # PostgreSQL's 100 connections are shared with the other suites


@pytest.fixture
def pg():
    with throwaway_db(f"lsbt_capacity_{uuid.uuid4().hex[:8]}", "grouped_orders",
                      Base.metadata) as db:
        yield db


def create(pg, **limits):
    with pg.transaction() as s:
        go = initiator.create(s, INITIATOR, CLIENT, WESTERN,
                              dict({"deadline": "2022-03-29", "pickup": "address-0"}, **limits),
                              NOW, Events(), URL, "À la librairie")
    return go["number"], go["subscription_url"].rsplit("/", 1)[1]


def buyer(i, quantity):
    return {"first_name": f"Élève{i}", "last_name": "Test", "email": f"eleve{i}@free.fr",
            "accepted_terms": True, "quantity": quantity}


def test_200_concurrent_subscriptions_never_exceed_the_cap(pg):
    number, token = create(pg, max_copies="120")
    barrier = threading.Barrier(THREADS)
    started = threading.local()

    def one(i):
        if not getattr(started, "done", False):  # each thread's first one starts with the others
            started.done = True
            barrier.wait(timeout=30)
        use_case = buyers.subscribe_and_begin_payment if i % 2 else buyers.subscribe
        try:
            with pg.transaction() as s:
                use_case(s, token, buyer(i, 1 + i % 3), NOW, Events(), URL)
            return 1 + i % 3
        except DomainError as exc:
            assert exc.code == "conflict", exc.message
            assert "complète" in exc.message or "Il ne reste que" in exc.message, exc.message
            return 0

    with ThreadPoolExecutor(THREADS) as pool:
        taken = list(pool.map(one, range(200)))
    with pg.transaction() as s:
        held = s.scalar(select(func.sum(SubOrder.quantity)).where(
            SubOrder.grouped_order_number == number,
            SubOrder.status == domain.AWAITING_PAYMENT))
        count = s.scalar(select(func.count()).select_from(SubOrder))
    assert held == sum(taken) <= 120
    assert held >= 118  # refused only when what was asked no longer fitted
    assert count == sum(1 for t in taken if t)
    with pg.transaction() as s:
        assert buyers.public(s, token, NOW)["progress"]["left"] == 120 - held


def test_two_deadline_timers_at_once_fail_below_the_minimum_once(pg):
    number, token = create(pg, min_copies="50")
    paid = []
    for i in range(6):
        with pg.transaction() as s:
            sub = buyers.subscribe(s, token, buyer(i, 2), NOW, Events(), URL)
        if i % 2 == 0:  # half of them paid
            with pg.transaction() as s:
                s.execute(SubOrder.__table__.update().where(
                    SubOrder.number == sub["number"]).values(
                    status=domain.PAID, paid_at=NOW, paid_payment_id=f"pay-{i}"))
            paid.append(f"pay-{i}")
    events, barrier = Events(), threading.Barrier(2)

    def timer(_):
        barrier.wait(timeout=10)
        with pg.transaction() as s:
            return bookshop.close_expired(s, AFTER_DEADLINE, events, URL)

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(timer, range(2)))
    assert sorted(results) == [[], [number]]
    assert sorted(e["payment_id"] for e in events.of("refund_requested")) == paid
    assert len(events.of("grouped_order_failed")) == 6 + 1
    with pg.transaction() as s:
        assert bookshop.get(s, number, AFTER_DEADLINE, URL)["status"] == domain.CANCELLED
