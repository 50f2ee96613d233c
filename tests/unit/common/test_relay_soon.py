"""The outbox relay after a worker (issue 11): workers that commit events within RELAY_LINGER
share one relay (one transaction, one claim) instead of one relay each; an event committed once
that relay has claimed its rows gets the next one; nothing waits for the 1 s timer."""
from types import SimpleNamespace

import eventlet
from sqlalchemy import select

from services.common import nameko_glue, outbox
from services.common.db import make_base
from services.common.messaging_models import messaging_tables
from tests.support.fakes import sqlite_database

EVENT = "collectivity_client_updated"
PAYLOAD = {"number": "16", "revision": 1, "name": "ECOLE", "active": True,
           "discounts": {"vat_2_1": "0", "vat_5_5": "9", "vat_20": "0", "school": "0"}}


class Worker:
    entrypoint = None


class Threads:
    service_name = "librisoft_bridge"

    def __init__(self):
        self.threads = []

    def spawn_managed_thread(self, fn, identifier=None):
        self.threads.append(eventlet.spawn(fn))

    def settle(self):
        while any(not t.dead for t in self.threads):
            eventlet.sleep(0.001)


def store(db, published):
    s = nameko_glue.Store.__new__(nameko_glue.Store)
    s.database, s.container = db, Threads()
    s.publish = lambda event_type, body: published.append(body["payload"]["revision"])
    s._lock, s._again, s._relay_coming = eventlet.semaphore.Semaphore(), False, False
    s._handles = {}
    return s


def commit_one(db, revision):
    with db.transaction() as session:
        outbox.record(session, db.metadata, "librisoft_bridge", EVENT,
                      dict(PAYLOAD, revision=revision))


def worker_done(s, db, revision):
    """A worker that recorded an event: committed, then its teardown."""
    commit_one(db, revision)
    ctx = Worker()
    s._handles[ctx] = SimpleNamespace(recorded=1)
    s.worker_teardown(ctx)


def test_workers_ending_within_the_linger_share_one_relay(monkeypatch):
    monkeypatch.setattr(nameko_glue, "RELAY_LINGER", 0.05)
    relays = []
    real = outbox.relay
    monkeypatch.setattr(outbox, "relay", lambda db, publish: relays.append(real(db, publish))
                        or relays[-1])
    with sqlite_database("test", make_base()) as db:
        published = []
        s = store(db, published)
        for n in range(1, 5):
            worker_done(s, db, n)
            eventlet.sleep(0.005)
        s.container.settle()
        assert published == [1, 2, 3, 4]
        assert relays == [4]  # one relay, its one transaction, for the four workers
        # later, alone: its own relay, soon (not the timer's)
        worker_done(s, db, 5)
        s.container.settle()
        assert published == [1, 2, 3, 4, 5] and relays == [4, 1]
        table, _, _ = messaging_tables(db.metadata)
        with db.transaction() as session:
            assert session.scalar(select(table.c.id).where(table.c.published_at.is_(None))) \
                is None


def test_without_linger_each_worker_relays_at_once(monkeypatch):
    monkeypatch.setattr(nameko_glue, "RELAY_LINGER", 0)
    with sqlite_database("test", make_base()) as db:
        published = []
        s = store(db, published)
        worker_done(s, db, 1)
        assert len(s.container.threads) == 1
        s.container.settle()
        assert published == [1]
