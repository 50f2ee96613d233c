"""A refund confirmed at the very moment the admin marks its payment's payout paid (PostgreSQL,
two transactions at once): the refund either goes to the next open payout (the payout was paid
first) or is in the payout when it is marked paid; never added to a payout already paid, which
changed its net after the money was transferred and took the refund off no later payout."""
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from services.payments import use_cases
from services.payments.adapters import sandbox
from services.payments.models import Base, Payout, PayoutLine
from tests.support.suite import throwaway_db
from tests.unit.payments.conftest import NOW, SETTINGS, Outbox
from tests.unit.payments.test_use_cases import paid


@pytest.fixture
def pg():
    with throwaway_db(f"lsbt_payout_{uuid.uuid4().hex[:8]}", "payments", Base.metadata) as db:
        yield db


@pytest.mark.parametrize("refund_first", [True, False])
def test_a_refund_and_the_payout_marked_paid_at_once(pg, refund_first):
    provider, record = sandbox.SandboxProvider(SETTINGS), Outbox(pg)
    payment_id = paid(pg, provider, record, amount="39.80")
    with pg.transaction() as s:
        (payout_id,) = s.scalars(select(Payout.id))
    started, committed = threading.Barrier(2), {}

    def refund():
        with pg.transaction() as s:
            started.wait(timeout=10)
            if not refund_first:
                time.sleep(0.3)  # « marquer versé » goes first and holds the payout's row
            use_cases.refund_payment(s, provider, payment_id, "14.90", "avoir", NOW, record,
                                     request_key="credit-2027-01-000000001")
            if refund_first:
                time.sleep(0.5)  # « marquer versé » comes meanwhile
        committed["refund"] = time.monotonic()

    def mark_paid():
        with pg.transaction() as s:
            started.wait(timeout=10)
            if refund_first:
                time.sleep(0.2)
            use_cases.mark_payout_paid(s, payout_id, "key-1", NOW)
            if not refund_first:
                time.sleep(0.6)
        committed["paid"] = time.monotonic()

    with ThreadPoolExecutor(2) as pool:
        for f in (pool.submit(refund), pool.submit(mark_paid)):
            f.result(timeout=30)
    with pg.transaction() as s:
        payouts = {p.id: p for p in s.scalars(select(Payout))}
        line = s.scalar(select(PayoutLine).where(PayoutLine.kind == "refund"))
    assert payouts[payout_id].status == "paid"
    if line.payout_id == payout_id:  # in the paid payout: only if it was there before
        assert committed["refund"] < committed["paid"]
    else:                            # else taken off the next open payout
        assert payouts[line.payout_id].status == "open"
    assert (line.payout_id == payout_id) is refund_first
