"""logistics on a real PostgreSQL (issue 9, reference 003 step 3), a database of its own:
hand-offs of one order fired at once make one batch (the others: a French 409); hand-offs of
different orders at once get consecutive numbers, no gap, no duplicate; two deliverers at once
(two instances) POST each batch once, signed, to a fake logistician (SKIP LOCKED + lease)."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from services.common import outbox
from services.common.errors import DomainError
from services.logistics import use_cases
from services.logistics.adapters.logistician import Logistician
from services.logistics.domain import orders as rules
from services.logistics.models import Base, BatchOrder, Counter, Delivery, Order
from services.logistics.use_cases import orders
from tests.support.fake_logistician import FakeLogistician
from tests.support.suite import throwaway_db

NOW = datetime.now(timezone.utc)


@pytest.fixture
def pg():
    name = f"lsbt_logi_{uuid.uuid4().hex[:8]}"
    with throwaway_db(name, "logistics", Base.metadata) as db:
        with db.transaction() as s:
            s.add(Counter(name="batch", value=0))
        yield db


def ready(db, count):
    for n in range(1, count + 1):
        with db.transaction() as s:
            orders.heard(s, "grouped_order", n, NOW, rules.SIGNAL_READY, customer=f"École {n}",
                         destination="À la librairie",
                         lines=[{"ean": "9791097284657", "title": "Western", "quantity": n}])


def record(db):
    return lambda session, event_type, payload: outbox.record(
        session, db.metadata, "logistics", event_type, payload)


def at_once(fn, times):
    barrier = threading.Barrier(times)

    def one(i):
        barrier.wait(timeout=20)
        try:
            return fn(i)
        except DomainError as exc:
            return exc

    with ThreadPoolExecutor(times) as pool:
        return list(pool.map(one, range(times), timeout=60))


def hand_off(db, keys, url=None):
    with db.transaction() as s:
        return use_cases.hand_off(s, keys, False, "admin@librairie.test", NOW, record(db), url)


def test_one_order_handed_off_five_times_at_once_makes_one_batch(pg):
    ready(pg, 1)
    results = at_once(lambda i: hand_off(pg, ["grouped_order:1"]), 5)
    batches = [r for r in results if isinstance(r, dict)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(batches) == 1 and len(refused) == 4, results
    assert all(r.code == "conflict" and "a déjà été mise à disposition du logisticien (lot n° 1)"
               in r.message for r in refused), [r.message for r in refused]
    with pg.transaction() as s:
        assert s.scalar(select(func.count()).select_from(BatchOrder)) == 1
        assert s.scalar(select(Counter.value)) == 1  # the refused ones took no number


def test_hand_offs_of_different_orders_at_once_get_consecutive_numbers(pg):
    ready(pg, 8)
    results = at_once(lambda i: hand_off(pg, [f"grouped_order:{i + 1}"]), 8)
    assert sorted(r["number"] for r in results) == list(range(1, 9)), results
    assert sorted(r["orders"][0]["number"] for r in results) == list(range(1, 9))


def test_two_deliverers_at_once_post_each_batch_once_signed(pg):
    ready(pg, 20)
    with FakeLogistician(secret="s3cret") as fake:
        for n in range(1, 21):
            hand_off(pg, [f"grouped_order:{n}"], fake.url)
        client = Logistician(fake.url, "s3cret", timeout=10)
        barrier = threading.Barrier(2)

        def deliver(_):
            barrier.wait(timeout=20)
            return use_cases.deliver_due(pg, client, lambda: NOW, limit=10)

        with ThreadPoolExecutor(2) as pool:
            counts = list(pool.map(deliver, range(2)))
        assert counts == [10, 10], counts  # both worked, none twice
        assert sorted(int(r["batch"]) for r in fake.requests) == list(range(1, 21))
        assert all(r["signed"] and r["status"] == 200 for r in fake.requests)
    with pg.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Delivery).where(
            Delivery.acknowledged_at.is_(None))) == 0
        assert s.scalar(select(func.max(Delivery.attempts))) == 1


def test_two_events_of_one_new_order_at_once_make_one_row_with_both_facts(pg):
    """grouped_order_validated and _made_available consumed at once (two queues): the second
    insert waits for the first's row, then reads it FOR UPDATE and changes it."""
    def heard(i):
        with pg.transaction() as s:
            orders.heard(s, "grouped_order", 90, NOW, (rules.INFO, rules.SIGNAL_READY)[i % 2],
                         customer="École 90", destination="À la librairie",
                         lines=[{"ean": "9791097284657", "title": "Western", "quantity": 3}])
    at_once(heard, 4)
    with pg.transaction() as s:
        (order,) = s.scalars(select(Order).where(Order.number == 90)).all()
        assert (order.status, order.customer, [li.quantity for li in order.lines]) == (
            rules.READY, "École 90", [3])
