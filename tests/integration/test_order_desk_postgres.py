"""The order desk's register on a real PostgreSQL: the facts of one new order arriving at once
from several events (two instances, or two consumers of one instance) are all kept — the
row is upserted in one statement (`INSERT … ON CONFLICT DO UPDATE`): the second insert waits
for the first's row and updates it — each event is applied once however often it is
delivered, and the statement gives the row its rules give (domain.register.merge)."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from services.common import inbox
from services.order_desk import use_cases
from services.order_desk.models import Base, RegisterEntry
from tests.support.register_rules import expected, play, sequences
from tests.support.suite import throwaway_db

NOW = datetime.now(timezone.utc)
GROUPED = {"number": 62, "client_number": "21", "client_name": "COLLEGE VICTOR PROUVE",
           "initiator_email": "a@b.fr", "article": {"ean": "1", "title": "T",
                                                    "price_ttc": "14.90", "vat_rate": "5.5"},
           "deadline": "2030-01-01", "pickup_label": "Librairie"}


@pytest.fixture
def pg():
    with throwaway_db(f"lsbt_desk_{uuid.uuid4().hex[:8]}", "order_desk", Base.metadata) as db:
        yield db


def body(event_type, payload):
    return {"event_id": str(uuid.uuid4()), "event_type": event_type, "version": 1,
            "source": "x", "occurred_at": NOW.isoformat(), "payload": payload}


def handler(use_case, barrier):
    calls = []

    def handle(session, payload, envelope):
        calls.append(1)
        if len(calls) == 1:
            # both have claimed their event (the inbox) before either upserts the row that
            # neither finds: each waits for the other before its first statement (however
            # loaded the machine, the race is run, not left to the scheduler)
            execute = session.execute

            def execute_after_the_other_claimed(*args, **kwargs):
                session.execute = execute
                barrier.wait(timeout=10)
                return execute(*args, **kwargs)
            session.execute = execute_after_the_other_claimed
        use_case(session, payload, envelope, NOW, lambda *a: None)
    handle.calls = calls
    return handle


def test_facts_of_one_new_order_arriving_at_once_are_all_kept(pg):
    for number in range(1, 6):
        paid = body("sub_order_paid", {
            "sub_order_number": number, "grouped_order": GROUPED,
            "buyer": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@free.fr"},
            "quantity": 2, "unit_price_ttc": "14.90", "total_ttc": "29.80",
            "subscribed_at": NOW.isoformat(), "paid_at": NOW.isoformat(), "manual": True,
            "payment_method": "cheque", "cheque_number": f"000{number}"})
        state = body("payment_state_changed", {
            "payment_id": f"p{number}", "reference_kind": "sub_order",
            "reference_id": str(number), "state": "succeeded", "label": "Paiement confirmé",
            "amount": "29.80", "method": "cheque", "cheque_number": f"000{number}",
            "occurred_at": NOW.isoformat()})
        barrier = threading.Barrier(2)
        jobs = [("on_sub_order_paid", "sub_order_paid", paid,
                 handler(use_cases.on_sub_order_paid, barrier)),
                ("on_payment_state_changed", "payment_state_changed", state,
                 handler(use_cases.on_payment_state_changed, barrier))]
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda job: inbox.process(pg, *job, wait_base=0.01), jobs))
        # both upserted at once, once each: the second waited for the first's row
        assert sum(len(job[3].calls) for job in jobs) == 2
        for consumer, event_type, event, _ in jobs:  # delivered again: applied once
            inbox.process(pg, consumer, event_type, event,
                          lambda *a: pytest.fail("applied twice"))
        with pg.transaction() as s:
            rows = s.execute(select(RegisterEntry).where(RegisterEntry.number == number)
                             ).scalars().all()
            assert len(rows) == 1
            (row,) = rows
            assert (row.customer_name, str(row.total_ttc), row.placed_day is not None) == (
                "Ada Lovelace", "29.80", True)
            assert (row.payment_state, row.payment_method, row.cheque_number) == (
                "succeeded", "cheque", f"000{number}")
    with pg.transaction() as s:
        assert s.execute(select(func.count()).select_from(RegisterEntry)).scalar_one() == 5


def test_one_event_delivered_to_two_instances_at_once_is_applied_once(pg):
    """The inbox claims an event id in one statement (INSERT … ON CONFLICT DO NOTHING): the
    twin waits for the first transaction and finds the id taken."""
    event = body("sub_order_placed", {
        "sub_order_number": 77, "grouped_order": GROUPED, "payment_method": "online",
        "buyer": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@free.fr"},
        "quantity": 1, "unit_price_ttc": "14.90", "total_ttc": "14.90",
        "subscribed_at": NOW.isoformat()})
    calls = []

    def handle(session, payload, envelope):
        calls.append(1)
        use_cases.on_sub_order_placed(session, payload, envelope, NOW, lambda *a: None)

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(lambda _: inbox.process(
            pg, "on_sub_order_placed", "sub_order_placed", event, handle, wait_base=0.01),
            range(2)))
    assert (outcomes, len(calls)) == (["duplicate", "processed"], 1)
    with pg.transaction() as s:
        assert s.execute(select(func.count()).select_from(RegisterEntry).where(
            RegisterEntry.number == 77)).scalar_one() == 1


def test_the_statement_follows_the_rules_in_any_order(pg):
    for number, names in enumerate(sequences(40), start=1):
        assert (names, play(pg, number, names)) == (names, expected(names))
