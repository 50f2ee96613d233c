"""The outbox relay on a real PostgreSQL (issue 11): the pending rows claimed and marked in one
statement, the mark seen by no one before the broker confirmed; what was not confirmed (a failed
publish, the events after it, an older event still backing off) pending again as if never
claimed; two relays at once never publish one event twice; a relay that dies mid-way leaves
every claimed event pending."""
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from services.common import outbox
from services.common.db import make_base
from services.common.messaging_models import messaging_tables
from tests.support.suite import throwaway_db

CLIENT = {"number": "16", "revision": 1, "name": "ECOLE JULES FERRY", "active": True,
          "discounts": {"vat_2_1": "0", "vat_5_5": "9", "vat_20": "0", "school": "0"}}


@pytest.fixture
def pg():
    metadata = make_base().metadata
    with throwaway_db(f"lsbt_relay_{uuid.uuid4().hex[:8]}", "librisoft_bridge", metadata) as db:
        yield db


def record(db, n):
    with db.transaction() as s:
        return [outbox.record(s, db.metadata, "librisoft_bridge", "collectivity_client_updated",
                              dict(CLIENT, revision=i + 1)) for i in range(n)]


def rows(db):
    table, _, _ = messaging_tables(db.metadata)
    with db.transaction() as s:
        return [dict(r) for r in s.execute(select(table).order_by(table.c.id)).mappings()]


def test_events_go_in_order_marked_once_in_one_statement(pg):
    ids = record(pg, 3)
    statements, sent = [], []
    event.listen(pg.engine, "before_cursor_execute",
                 lambda conn, cursor, sql, *rest: statements.append(sql))
    assert outbox.relay(pg, lambda t, body: sent.append(body["event_id"])) == 3
    assert sent == ids
    assert len(statements) == 1 and "FOR UPDATE SKIP LOCKED" in statements[0], statements
    assert all(r["published_at"] and r["attempts"] == 1 for r in rows(pg))
    assert outbox.relay(pg, lambda t, body: sent.append(body)) == 0
    assert outbox.pending_count(pg) == 0 and len(sent) == 3


def test_a_failed_publish_keeps_it_and_the_next_ones_as_they_were(pg, monkeypatch):
    monkeypatch.setattr(outbox, "backoff", lambda attempts: timedelta(seconds=60))
    ids = record(pg, 3)
    sent = []

    def second_fails(t, body):
        if body["event_id"] == ids[1]:
            raise ConnectionError("broker down")
        sent.append(body["event_id"])

    assert outbox.relay(pg, second_fails) == 1
    first, second, third = rows(pg)
    assert first["published_at"] and first["attempts"] == 1
    assert second["published_at"] is None and second["attempts"] == 1
    assert "broker down" in second["last_error"]
    assert second["next_attempt_at"] > outbox.utcnow() + timedelta(seconds=50)
    assert third["published_at"] is None and third["attempts"] == 0
    # the second backs off: the third waits behind it (order kept), nothing is marked
    assert outbox.relay(pg, lambda t, b: sent.append(b["event_id"])) == 0
    assert [(r["published_at"] is None, r["attempts"]) for r in rows(pg)[1:]] == \
        [(True, 1), (True, 0)]
    table, _, _ = messaging_tables(pg.metadata)
    with pg.transaction() as s:
        s.execute(table.update().values(next_attempt_at=outbox.utcnow()))
    assert outbox.relay(pg, lambda t, b: sent.append(b["event_id"])) == 2
    assert sent == ids and outbox.pending_count(pg) == 0


def test_two_relays_at_once_never_publish_an_event_twice(pg):
    ids = record(pg, 2)
    sent, inner = [], []

    def publish(t, body):
        if not inner:  # while the first relay holds its claim, a second one runs
            inner.append(outbox.relay(pg, lambda t, b: sent.append(("second", b["event_id"]))))
        sent.append(("first", body["event_id"]))

    assert outbox.relay(pg, publish) == 2
    assert inner == [0] and sent == [("first", i) for i in ids]
    assert outbox.pending_count(pg) == 0


def test_a_relay_that_dies_mid_way_leaves_every_claimed_event_pending(pg):
    ids = record(pg, 2)

    def dies(t, body):
        raise SystemExit("the process stops")  # not an Exception: nothing caught, rolled back

    with pytest.raises(SystemExit):
        outbox.relay(pg, dies)
    assert [(r["published_at"], r["attempts"]) for r in rows(pg)] == [(None, 0), (None, 0)]
    sent = []
    assert outbox.relay(pg, lambda t, b: sent.append(b["event_id"])) == 2
    assert sent == ids
