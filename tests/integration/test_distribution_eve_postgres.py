"""The reminder the day before distribution day on a real PostgreSQL: four deadline timers at
once (four instances) remind each buyer once — the grouped order's row locked while its
buyers are claimed, each claim a guarded UPDATE of `eve_reminded_for` — and the timers
afterwards remind nobody."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select, update

from services.grouped_orders import domain
from services.grouped_orders.models import Base, GroupedOrder, SubOrder
from services.grouped_orders.use_cases import buyers, distribution_eve
from tests.integration.test_capacity_postgres import buyer, create
from tests.support.fakes import Events
from tests.unit.grouped_orders.test_use_cases import URL

DAY = date(2022, 4, 8)
EVE = datetime(2022, 4, 7, 7, 0, tzinfo=timezone.utc)  # 9 h in Paris, the day before
INSTANCES = 4


@pytest.fixture
def pg():
    from tests.support.suite import throwaway_db
    with throwaway_db(f"lsbt_eve_{uuid.uuid4().hex[:8]}", "grouped_orders",
                      Base.metadata) as db:
        yield db


def test_four_timers_at_once_remind_each_buyer_once(pg):
    number, token = create(pg)
    for i in range(6):
        with pg.transaction() as s:
            buyers.subscribe(s, token, buyer(i, 1), datetime(2022, 3, 28, 9, i,
                                                             tzinfo=timezone.utc), Events(), URL)
    with pg.transaction() as s:  # validated, a date set, the buyer mails on; one cancelled
        s.execute(update(GroupedOrder).where(GroupedOrder.number == number).values(
            status=domain.PROCESSING, distribution_date=DAY, buyer_ready_mails=True))
        first = s.scalars(select(SubOrder.number).order_by(SubOrder.number)).first()
        s.execute(update(SubOrder).where(SubOrder.number == first).values(
            status=domain.SUB_CANCELLED))
    barrier = threading.Barrier(INSTANCES)

    def timer(_):
        events = Events()
        barrier.wait(timeout=30)
        with pg.transaction() as s:
            distribution_eve.remind_eve(s, EVE, events, URL)
        return [e["sub_order_number"] for e in events.of("sub_order_distribution_reminded")]

    with ThreadPoolExecutor(INSTANCES) as pool:
        reminded = [n for found in pool.map(timer, range(INSTANCES)) for n in found]
    assert len(reminded) == 5 and len(set(reminded)) == 5 and first not in reminded
    events = Events()
    with pg.transaction() as s:  # the timer again: nobody
        assert distribution_eve.remind_eve(s, EVE, events, URL) == []
        assert set(s.scalars(select(SubOrder.eve_reminded_for).where(
            SubOrder.status != domain.SUB_CANCELLED))) == {DAY}
