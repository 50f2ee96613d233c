"""An invoice and its order's cancellation at the same moment (PostgreSQL, two transactions):
the invoice, its document read before the cancellation, committing after invoicing consumed the
cancellation, stayed live on a cancelled order. Both take the series' lock: whichever comes
first, no live invoice of a cancelled order is left."""
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from services.common import outbox
from services.common.errors import DomainError
from services.invoicing import use_cases
from services.invoicing.models import Base
from tests.support.suite import throwaway_db
from tests.unit.invoicing.conftest import NOW, document


@pytest.fixture
def pg():
    from services.invoicing.use_cases.numbering import lock_counter
    with throwaway_db(f"lsbt_inv_{uuid.uuid4().hex[:8]}", "invoicing", Base.metadata) as db:
        with db.transaction() as s:
            lock_counter(s)  # the series' row, as the migration seeds it
        yield db


def record_into(db):
    def record(session, event_type, payload):
        return outbox.record(session, db.metadata, "invoicing", event_type, payload)
    return record


@pytest.mark.parametrize("invoice_first", [True, False])
def test_an_invoice_and_its_orders_cancellation_at_once(pg, invoice_first):
    record, started = record_into(pg), threading.Event()
    stale = document(number=12)  # read before the cancellation: « En cours de traitement »

    def invoice():
        if not invoice_first:
            started.wait(timeout=10)
        try:
            with pg.transaction() as s:
                made = use_cases.issue_invoice(s, "collectivity_order", 12, stale, "admin-1",
                                               NOW, record)
                if invoice_first:
                    started.set()
                    time.sleep(0.5)  # the cancellation is consumed meanwhile
            return made["number"]
        except DomainError as exc:
            return exc.code

    def cancellation():
        if invoice_first:
            started.wait(timeout=10)
        with pg.transaction() as s:
            note = use_cases.credit_cancelled_order(s, "collectivity_order", 12, "Doublon", NOW,
                                                    record)
            if not invoice_first:
                started.set()
                time.sleep(0.5)  # the invoice is asked meanwhile
        return note

    with ThreadPoolExecutor(2) as pool:
        made, note = [f.result(timeout=30) for f in (pool.submit(invoice),
                                                      pool.submit(cancellation))]
    with pg.transaction() as s:
        left = use_cases.order_invoices(s, "collectivity_order", 12)
    live = [i for i in left if i["kind"] == "invoice" and not i["cancelled"]]
    assert live == []
    if invoice_first:  # issued, then credited at once
        assert note is not None and note["kind"] == "credit_note"
    else:              # refused: its order is cancelled
        assert (made, note, left) == ("conflict", None, [])
