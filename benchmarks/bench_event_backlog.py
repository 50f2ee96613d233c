"""Issue 11: what consuming events costs when they are already waiting (a consumer back after
an outage, a burst bigger than it handles at once): one worker and one transaction per event
(main's `@consumes` before batching: nameko's EventHandler on the shared queue consumer,
`inbox.process`) against the batching entrypoint (services/common/batching.py, up to
EVENT_BATCH_SIZE events per worker and transaction). Figures printed, never asserted.

    .venv/bin/python -m benchmarks.bench_event_backlog [--events 2000] [--rounds 2]

Each side: N `collectivity_client_updated` events published to a consumer queue nobody
consumes yet (a vhost and a PostgreSQL database of its own), then a nameko container of a
service consuming them started in this process (its timers and RPC consumer as every service
has); timed until every event is processed. CPU: this process (the container; the publishing
is done before) and the PostgreSQL backends of the side's database. RabbitMQ is not counted
(shared with other work)."""
import eventlet

eventlet.monkey_patch()  # noqa: E402  (nameko's containers need it, as `nameko run` does)

import argparse  # noqa: E402
import functools  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nameko.containers import ServiceContainer  # noqa: E402
from sqlalchemy import Column, Integer, String, Table, func, select  # noqa: E402
from sqlalchemy.dialects.postgresql import insert as pg_insert  # noqa: E402

from benchmarks.bench_subscription_form import backend_pids, cpu_seconds  # noqa: E402
from services.common import batching, inbox, nameko_glue  # noqa: E402
from services.common.contracts.events import make_envelope  # noqa: E402
from services.common.db import Database, make_base  # noqa: E402
from tests.support.suite import (drop_vhost, make_vhost, require_infrastructure,  # noqa: E402
                                 throwaway_database)

EVENT = "collectivity_client_updated"
CLIENT = {"number": "16", "revision": 1, "name": "ECOLE JULES FERRY", "active": True,
          "discounts": {"vat_2_1": "0", "vat_5_5": "9", "vat_20": "0", "school": "0"}}
Base = make_base()
clients = Table("clients", Base.metadata, Column("number", String(20), primary_key=True),
                Column("revision", Integer, nullable=False))


def upsert(session, payload, envelope):
    """A consumer's typical work: one upsert of the row the event is about."""
    stmt = pg_insert(clients).values(number=payload["number"], revision=payload["revision"])
    session.execute(stmt.on_conflict_do_update(index_elements=[clients.c.number],
                                               set_={"revision": stmt.excluded.revision}))


def one_by_one_consumes(event_type):
    """main's `@consumes` before batching: one worker and one transaction per event."""
    def decorate(fn):
        @functools.wraps(fn)
        def entry(self, body):
            return inbox.process(self.store.db, fn.__name__, event_type, body,
                                 functools.partial(fn, self))
        entry.__handler__ = fn
        return nameko_glue.event_handler("librisoft_bridge", event_type,
                                         requeue_on_error=True)(entry)
    return decorate


def service(consumes):
    class Accounts(nameko_glue.MessagingService):
        name = "accounts"
        store = nameko_glue.Store(Base.metadata)

        @consumes(EVENT)
        def on_collectivity_client_updated(self, session, payload, envelope):
            upsert(session, payload, envelope)

    return Accounts


def run_side(label, consumes, events):
    vhost_uri, vhost = make_vhost()
    db_name = f"bench_backlog_{uuid.uuid4().hex[:8]}"
    try:
        with throwaway_database(db_name) as url:
            os.environ["ACCOUNTS_DATABASE_URL"] = url
            db = Database("accounts", Base.metadata, url)
            Base.metadata.create_all(db.engine)
            publish = nameko_glue.AmqpPublisher(vhost_uri)
            for n in range(events):
                publish(EVENT, make_envelope(EVENT, dict(CLIENT, number=str(n % 500),
                                                         revision=n), "librisoft_bridge"))
            processed = db.metadata.tables["processed_events"]
            container = ServiceContainer(service(consumes), {"AMQP_URI": vhost_uri,
                                                             "max_workers": 10})
            before = backend_pids(db_name)
            pg0, cpu0, t0 = cpu_seconds(before), sum(os.times()[:2]), time.perf_counter()
            container.start()
            while True:
                eventlet.sleep(0.05)
                with db.transaction() as s:
                    if s.scalar(select(func.count()).select_from(processed)) >= events:
                        break
            wall = time.perf_counter() - t0
            cpu = sum(os.times()[:2]) - cpu0
            pg = cpu_seconds(backend_pids(db_name)) - pg0
            handled = next(d for d in container.extensions
                           if isinstance(d, nameko_glue.Store)).handled
            container.stop()
            db.dispose()
    finally:
        drop_vhost(vhost)
    print(f"  {label:<28} {events / wall:7.0f} events/s; CPU per event: service "
          f"{1000 * cpu / events:.2f} ms, PostgreSQL {1000 * pg / events:.2f} ms; "
          f"{handled['worker']} workers for {handled['event']} events")
    return cpu + pg


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    require_infrastructure()
    print(f"a backlog of {args.events} events drained (batches of up to "
          f"{batching.EVENT_BATCH_SIZE}), {args.rounds} alternated rounds; load average "
          f"{os.getloadavg()[0]:.1f}")
    totals = {"one by one": 0.0, "batched": 0.0}
    for _ in range(args.rounds):
        totals["one by one"] += run_side("one worker per event (main)", one_by_one_consumes,
                                         args.events)
        totals["batched"] += run_side("batches", nameko_glue.consumes, args.events)
    print(f"  CPU per event, service + PostgreSQL: "
          f"{1000 * totals['one by one'] / (args.rounds * args.events):.2f} ms one by one, "
          f"{1000 * totals['batched'] / (args.rounds * args.events):.2f} ms batched "
          f"({totals['batched'] / totals['one by one']:.2f}×)")


if __name__ == "__main__":
    main()
