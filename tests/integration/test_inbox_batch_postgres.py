"""Events consumed in batches on a real PostgreSQL (issue 11): the ids of a batch claimed in
one statement, duplicates in and across batches, two instances handling the same events in
batches at once (a redelivery): each event's effect once."""
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from services.common import inbox, outbox
from services.common.contracts.events import make_envelope
from services.common.db import make_base
from tests.support.suite import throwaway_db

CLIENT = {"number": "16", "revision": 1, "name": "ECOLE JULES FERRY", "active": True,
          "discounts": {"vat_2_1": "0", "vat_5_5": "9", "vat_20": "0", "school": "0"}}
EVENT = "collectivity_client_updated"


@pytest.fixture
def pg():
    with throwaway_db(f"lsbt_batch_{uuid.uuid4().hex[:8]}", "order_desk",
                      make_base().metadata) as db:
        yield db


def envelope(revision):
    return make_envelope(EVENT, dict(CLIENT, revision=revision), "librisoft_bridge")


def handler(db, poison=()):
    def handle(session, payload, env):
        outbox.record(session, db.metadata, "librisoft_bridge", EVENT, payload)
        if payload["revision"] in poison:
            raise ConnectionError("SMTP down")
    return handle


def effects(db):
    t = db.metadata.tables["outbox"]
    with db.transaction() as s:
        return sorted(b["payload"]["revision"] for b in s.scalars(select(t.c.body)))


def count(db, name):
    t = db.metadata.tables[name]
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(t))


def test_a_batch_claims_its_ids_at_once_and_handles_each_event_once(pg):
    a, b, c = envelope(1), envelope(2), envelope(3)
    assert inbox.process_batch(pg, "c", EVENT, [a, b, a], handler(pg)) == \
        ["processed", "processed", "duplicate"]
    assert inbox.process_batch(pg, "c", EVENT, [c, b], handler(pg)) == \
        ["processed", "duplicate"]
    assert effects(pg) == [1, 2, 3] and count(pg, "processed_events") == 3


def test_a_poison_event_is_dead_lettered_alone(pg):
    bodies = [envelope(r) for r in (1, 2, 3)]
    assert inbox.process_batch(pg, "c", EVENT, bodies, handler(pg, poison={2}),
                               wait_base=0) == ["processed", "dead_lettered", "processed"]
    assert effects(pg) == [1, 3] and count(pg, "dead_letters") == 1


def test_two_instances_handling_the_same_events_in_batches_apply_each_once(pg):
    bodies = [envelope(r) for r in range(40)]
    # the same events, delivered to two instances in opposite orders
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(
            lambda batch: inbox.process_batch(pg, "c", EVENT, batch, handler(pg), wait_base=0),
            [bodies, bodies[::-1]]))
    processed = [o for outcomes in results for o in outcomes if o == "processed"]
    assert len(processed) == 40 and all(o in ("processed", "duplicate")
                                        for outcomes in results for o in outcomes)
    assert effects(pg) == list(range(40)) and count(pg, "dead_letters") == 0
