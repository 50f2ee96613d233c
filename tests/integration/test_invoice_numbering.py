"""Invoice numbering under concurrency (issue 9): two instances of the invoicing service on the
real PostgreSQL and RabbitMQ, 200 paid sub-orders (a sub-order is invoiced once paid), their 200
invoices requested at once (and 40 of them twice more, a double click's way) -> 200 invoices,
200 consecutive numbers, no gap, no duplicate, one invoice per order; each invoice's
`invoice_issued` reaches grouped_orders, which then refuses to cancel the sub-order."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import select, update

from services.common.clock import utcnow
from services.common.errors import DomainError
from services.grouped_orders.domain.status import PAID
from services.grouped_orders.models import SubOrder
from services.invoicing.domain import numbering
from services.invoicing.models import Counter, Invoice
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.faults import grouped_order, prepare
from tests.support.suite import wait_until

COUNT = 200
TWICE = 40


def rpc_consumers(suite) -> int:
    """How many processes consume invoicing's RPC queue (nameko's `rpc-invoicing`)."""
    from kombu import Connection
    with Connection(suite.amqp_uri) as connection:
        _, _, consumers = connection.default_channel.queue_declare("rpc-invoicing", passive=True)
    return consumers


def subscribe_many(suite, token, count):
    """`count` sub-orders subscribed from the public link, then paid: only a paid sub-order is
    invoiced."""
    def one(i):
        r = requests.post(
            f"{suite.gateway_url}/api/v1/public/grouped-orders/{token}/subscriptions",
            json={"first_name": "Parent", "last_name": f"N{i:03d}", "quantity": 1 + i % 3,
                  "email": f"parent{i}@free.fr", "accepted_terms": True}, timeout=60)
        assert r.status_code == 201, r.text
        return r.json()["number"]

    with ThreadPoolExecutor(8) as pool:
        subs = list(pool.map(one, range(count)))
    # paid as the bookshop's « Valider » leaves them (status, paid_at, paid_manually), written
    # in grouped_orders' database in one statement: 200 « Valider » through the service took
    # ~70 s here (each locks the grouped order and answers its whole view), and what is proved
    # below is the numbering, not the validation (tests/e2e/test_invoices.py pays through the
    # sandbox and checks an unpaid one is refused)
    db = suite.db("grouped_orders")
    try:
        with db.transaction() as s:
            s.execute(update(SubOrder).where(SubOrder.number.in_(subs))
                      .values(status=PAID, paid_at=utcnow(), paid_manually=True))
    finally:
        db.dispose()
    return subs


def test_two_instances_200_invoices_at_once_give_200_consecutive_numbers(suite):
    _, teacher, _ = prepare(suite, f"factures-{uuid.uuid4().hex[:6]}@ecole.test")
    go, token = grouped_order(suite, teacher)
    with suite.rpc() as rpc:
        admin_id = rpc.accounts.authenticate(ADMIN_EMAIL, ADMIN_PASSWORD, "invoicing")["id"]
    subs = subscribe_many(suite, token, COUNT)
    suite.start_service("invoicing", "1")  # a second instance on the same queue and database
    try:
        wait_until(lambda: rpc_consumers(suite) == 2, timeout=30,
                   message="both instances consume invoicing's RPC queue")
        requests_ = subs + subs[:TWICE] + subs[-TWICE:]
        chunks = [requests_[i::16] for i in range(16)]
        start = threading.Barrier(len(chunks))
        answers, errors = [], []

        def worker(chunk):
            with suite.rpc(timeout=120) as rpc:
                start.wait()
                for number in chunk:
                    try:
                        answers.append((number, rpc.invoicing.issue_invoice(
                            admin_id, "sub_order", number)["number"]))
                    except DomainError as exc:  # pragma: no cover  (shown if it happens)
                        errors.append((number, exc.code, exc.message))

        threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        assert errors == []
        assert len(answers) == COUNT + 2 * TWICE
        # one invoice per order: the same order asked again answered the same number
        by_order = {}
        for order, number in answers:
            by_order.setdefault(order, set()).add(number)
        assert all(len(numbers) == 1 for numbers in by_order.values())
        assert len(by_order) == COUNT

        db = suite.db("invoicing")
        try:
            with db.transaction() as s:
                # the series is the invoices' and the credit notes' (other tests of this
                # suite may have issued credit notes before)
                rows = s.execute(select(Invoice.sequence, Invoice.number, Invoice.order_number,
                                        Invoice.kind, Invoice.order_kind)).all()
                counter = s.get(Counter, "invoices")
                last = counter.last_sequence
        finally:
            db.dispose()
        ours = [r for r in rows if (r.kind, r.order_kind) == ("invoice", "sub_order")
                and int(r.order_number) in set(subs)]
        assert len(ours) == COUNT
        sequences = sorted(r.sequence for r in rows)
        assert sequences == list(range(1, len(rows) + 1))  # no gap, no duplicate, from 1
        assert last == len(rows)
        assert len({r.number for r in rows}) == len(rows)
        for r in rows:
            assert numbering.parse_number(r.number)[2] == r.sequence
        assert suite.procs["invoicing#1"].poll() is None
    finally:
        suite.stop_service("invoicing", "1")

    # the owner locks what was invoiced (invoice_issued consumed by grouped_orders)
    with suite.rpc() as rpc:
        def refused():
            try:
                rpc.grouped_orders.admin_cancel_sub_order(admin_id, subs[0], "Test")
            except DomainError as exc:
                return exc.code == "conflict" and "facturée" in exc.message
            pytest.fail("an invoiced sub-order was cancelled")
        wait_until(refused, timeout=30, message="grouped_orders refuses the invoiced sub-order")
