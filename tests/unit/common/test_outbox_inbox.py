from datetime import timedelta

import pytest
from sqlalchemy import select

from services.common import inbox, outbox
from services.common.contracts.events import make_envelope
from services.common.db import make_base
from services.common.messaging_models import messaging_tables
from tests.support.fakes import sqlite_database

CLIENT = {"number": "16", "revision": 1, "name": "ECOLE JULES FERRY", "active": True,
          "discounts": {"vat_2_1": "0", "vat_5_5": "9", "vat_20": "0", "school": "0"}}


@pytest.fixture
def db():
    with sqlite_database("test", make_base()) as database:
        yield database


def rows(db, name):
    table = db.metadata.tables[name]
    with db.transaction() as s:
        return [dict(r) for r in s.execute(select(table).order_by(table.c[
            "id" if "id" in table.c else "event_id"])).mappings()]


def record(db, n=1):
    with db.transaction() as s:
        return [outbox.record(s, db.metadata, "librisoft_bridge", "collectivity_client_updated",
                              dict(CLIENT, revision=i + 1)) for i in range(n)]


def test_an_event_is_stored_only_if_its_transaction_commits(db):
    with pytest.raises(RuntimeError):
        with db.transaction() as s:
            outbox.record(s, db.metadata, "librisoft_bridge", "collectivity_client_updated",
                          CLIENT)
            raise RuntimeError("the change failed")
    assert rows(db, "outbox") == []
    record(db)
    assert len(rows(db, "outbox")) == 1


def test_relay_publishes_in_order_and_marks_each_once(db):
    ids = record(db, 3)
    sent = []
    assert outbox.relay(db, lambda t, body: sent.append(body["event_id"])) == 3
    assert sent == ids
    assert all(r["published_at"] for r in rows(db, "outbox"))
    assert outbox.relay(db, lambda t, body: sent.append(body)) == 0
    assert outbox.pending_count(db) == 0


def test_a_failed_publish_keeps_the_event_and_stops_to_keep_order(db, monkeypatch):
    # a backoff longer than a loaded machine's pause between two lines of this test
    monkeypatch.setattr(outbox, "backoff", lambda attempts: timedelta(seconds=60))
    ids = record(db, 2)

    def broker_down(t, body):
        raise ConnectionError("broker down")

    assert outbox.relay(db, broker_down) == 0
    first, second = rows(db, "outbox")
    assert first["attempts"] == 1 and "broker down" in first["last_error"]
    assert second["attempts"] == 0 and outbox.pending_count(db) == 2
    # not retried before its backoff is over
    assert outbox.relay(db, lambda t, b: None) == 0
    outbox_table, _, _ = messaging_tables(db.metadata)
    with db.transaction() as s:
        s.execute(outbox_table.update().values(next_attempt_at=outbox.utcnow()))
    sent = []
    assert outbox.relay(db, lambda t, b: sent.append(b["event_id"])) == 2
    assert sent == ids


def envelope(revision=1):
    return make_envelope("collectivity_client_updated", dict(CLIENT, revision=revision),
                         "librisoft_bridge")


def test_an_event_id_is_processed_once(db):
    calls = []
    body = envelope()
    handler = lambda s, payload, env: calls.append(payload["number"])  # noqa: E731
    assert inbox.process(db, "on_client", "collectivity_client_updated", body, handler) == \
        "processed"
    assert inbox.process(db, "on_client", "collectivity_client_updated", body, handler) == \
        "duplicate"
    assert calls == ["16"]
    # another consumer has its own record
    assert inbox.process(db, "other", "collectivity_client_updated", body, handler) == \
        "processed"


def test_an_event_the_consumer_does_not_want_is_skipped_without_a_trace(db):
    calls, body = [], envelope()
    handler = lambda s, payload, env: calls.append(payload["number"])  # noqa: E731
    assert inbox.process(db, "on_client", "collectivity_client_updated", body, handler,
                         wanted=lambda payload: payload["number"] != "16") == "skipped"
    assert (calls, rows(db, "processed_events")) == ([], [])
    # wanted: processed as any event, and once
    for _ in range(2):
        inbox.process(db, "on_client", "collectivity_client_updated", body, handler,
                      wanted=lambda payload: payload["number"] == "16")
    assert calls == ["16"] and len(rows(db, "processed_events")) == 1


def test_a_failing_handler_is_retried_then_dead_lettered_and_its_effect_rolled_back(db):
    attempts = []

    def flaky(session, payload, env):
        attempts.append(1)
        raise ConnectionError("SMTP down")

    result = inbox.process(db, "on_client", "collectivity_client_updated", envelope(), flaky,
                           wait_base=0)
    assert result == "dead_lettered"
    assert len(attempts) == inbox.IMMEDIATE_ATTEMPTS
    assert rows(db, "processed_events") == []
    (letter,) = rows(db, "dead_letters")
    assert letter["status"] == "retrying" and "SMTP down" in letter["error"]


def test_a_dead_letter_is_replayed_once_the_cause_is_gone(db):
    body = envelope()
    inbox.process(db, "on_client", "collectivity_client_updated", body,
                  lambda s, p, e: 1 / 0, wait_base=0)
    (letter,) = rows(db, "dead_letters")
    done = []
    handlers = {"on_client": lambda s, p, e: done.append(e["event_id"])}
    # not due yet
    assert inbox.retry_due(db, handlers) == 0
    dead = db.metadata.tables["dead_letters"]
    with db.transaction() as s:
        s.execute(dead.update().values(next_retry_at=outbox.utcnow() - timedelta(seconds=1)))
    assert inbox.retry_due(db, handlers) == 1
    assert done == [body["event_id"]]
    assert rows(db, "dead_letters")[0]["status"] == "done"
    # the same event delivered again later is a duplicate
    assert inbox.process(db, "on_client", "collectivity_client_updated", body,
                         handlers["on_client"]) == "duplicate"


def test_after_the_automatic_retries_a_letter_is_parked_for_the_admin(db):
    inbox.process(db, "c", "collectivity_client_updated", envelope(), lambda s, p, e: 1 / 0,
                  wait_base=0)
    dead = db.metadata.tables["dead_letters"]
    failing = {"c": lambda s, p, e: 1 / 0}
    for _ in range(inbox.MAX_AUTO_RETRIES):
        with db.transaction() as s:
            s.execute(dead.update().values(next_retry_at=outbox.utcnow()))
        inbox.retry_due(db, failing)
    (letter,) = rows(db, "dead_letters")
    assert letter["status"] == "parked" and letter["next_retry_at"] is None
    assert inbox.replay(db, letter["id"], {"c": lambda s, p, e: None}, manual=True) == \
        "processed"


def test_an_event_that_breaks_its_contract_is_parked_at_once(db):
    body = envelope()
    del body["payload"]["name"]
    assert inbox.process(db, "c", "collectivity_client_updated", body,
                         lambda s, p, e: None) == "parked"
    assert rows(db, "dead_letters")[0]["status"] == "parked"
