"""The CPU of the subscription's handlers in process, on PostgreSQL (issue 11): what the client
side of each costs (this process's CPU time: SQLAlchemy, the use case, psycopg2), each run N
times in its own transaction as the services run them, on throwaway databases. Figures
printed, never asserted; the server's share is not counted (bench_subscription_form counts it).

    .venv/bin/python -m benchmarks.bench_handlers [--times 500]

- order_desk: `sub_order_placed` and `payment_state_changed` through the inbox (the claim of
  the event id included), one new sub-order each;
- logistics: `sub_order_placed` through the inbox;
- payments: `start_payment` with the sandbox provider, one new payment each (the outbox rows
  included).
Run it on two checkouts (`PYTHONPATH=<the other checkout>`) to compare them."""
import argparse
import time
import uuid
from datetime import datetime, timezone

from services.common import inbox, outbox
from services.common.contracts.events import contract, make_envelope
from tests.support.suite import throwaway_db

NOW = datetime.now(timezone.utc)
GROUPED = {"number": 62, "client_number": "21", "client_name": "COLLÈGE VICTOR PROUVÉ",
           "initiator_email": "a@b.fr", "pickup_label": "À la librairie",
           "article": {"ean": "9791097284657", "title": "Western", "price_ttc": "14.90",
                       "vat_rate": "5.5"}, "deadline": "2030-01-01"}


def placed(n):
    return {"sub_order_number": n, "grouped_order": GROUPED, "payment_method": "online",
            "buyer": {"first_name": "Élodie", "last_name": "Moënne", "email": f"p{n}@free.fr"},
            "quantity": 1, "unit_price_ttc": "14.90", "total_ttc": "14.90",
            "subscribed_at": NOW.isoformat(),
            "lines": [{"ean": "9791097284657", "title": "Western", "quantity": 1,
                       "unit_price_ttc": "14.90", "vat_rate": "5.5", "total_ttc": "14.90"}]}


def state_changed(n, state):
    return {"payment_id": f"pay_{n}", "reference_kind": "sub_order", "reference_id": str(n),
            "state": state, "label": "x", "amount": "14.90", "method": "online",
            "cheque_number": "", "occurred_at": NOW.isoformat()}


def timed(label, times, fn):
    fn(-1)  # statements compiled, connections opened
    cpu, wall = time.process_time(), time.perf_counter()
    for n in range(times):
        fn(n)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"  {label:<48} {cpu / times * 1000:6.2f} ms CPU, {wall / times * 1000:6.2f} ms wall")


def consume(db, consumer, event_type, use_case):
    def handle(n, payload):
        body = make_envelope(event_type, payload, contract(event_type).source)
        assert inbox.process(db, consumer, event_type, body, use_case) == "processed"
    return handle


def bench_order_desk(times):
    from services.order_desk import use_cases
    from services.order_desk.models import Base

    def apply(fn):
        return lambda session, payload, envelope: fn(session, payload, envelope, NOW,
                                                     lambda *a: None)
    with throwaway_db(f"bench_h_desk_{uuid.uuid4().hex[:8]}", "order_desk",
                      Base.metadata) as db:
        on_placed = consume(db, "on_sub_order_placed", "sub_order_placed",
                            apply(use_cases.on_sub_order_placed))
        on_state = consume(db, "on_payment_state_changed", "payment_state_changed",
                           apply(use_cases.on_payment_state_changed))
        timed("order_desk sub_order_placed (inbox + handler)", times,
              lambda n: on_placed(n, placed(n + 2)))
        timed("order_desk payment_state_changed (inbox + handler)", times,
              lambda n: on_state(n, state_changed(n + 2, "processing")))


def bench_logistics(times):
    from services.logistics.models import Base
    from services.logistics.use_cases import orders

    with throwaway_db(f"bench_h_logi_{uuid.uuid4().hex[:8]}", "logistics", Base.metadata) as db:
        on_placed = consume(db, "on_sub_order_placed", "sub_order_placed",
                            lambda s, payload, envelope: orders.sub_order_placed(s, payload,
                                                                                 NOW))
        timed("logistics sub_order_placed (inbox + handler)", times,
              lambda n: on_placed(n, placed(n + 2)))


def bench_payments(times):
    from services.payments import use_cases
    from services.payments.adapters import sandbox
    from services.payments.models import Base

    provider = sandbox.SandboxProvider(sandbox.Settings(
        secret="s", public_url="http://pay.test", callback_url="http://pay.test/cb",
        merchant="L"))
    with throwaway_db(f"bench_h_pay_{uuid.uuid4().hex[:8]}", "payments", Base.metadata) as db:
        def record(session, event_type, payload):
            return outbox.record(session, db.metadata, "payments", event_type, payload)

        def start(n):
            data = {"reference_kind": "sub_order", "reference_id": str(n + 2),
                    "amount": "14.90", "description": "Commande groupée n° 62",
                    "customer_email": "a@b.fr", "return_url": "http://127.0.0.1:9/retour",
                    "idempotency_key": f"sub-{n + 2}-a"}
            db.run(use_cases.start_payment, provider, data, NOW, record)
        timed("payments start_payment (its transaction)", times, start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=500)
    args = parser.parse_args()
    print(f"the subscription's handlers in process, {args.times} times each (PostgreSQL):")
    bench_order_desk(args.times)
    bench_logistics(args.times)
    bench_payments(args.times)


if __name__ == "__main__":
    main()
