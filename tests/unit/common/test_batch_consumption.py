"""Events consumed in batches (issue 11): `inbox.process_batch` (one transaction for the events
that waited, one by one if it fails) and the entrypoint that hands them to one worker
(`services.common.batching.BatchEventHandler`)."""
from types import SimpleNamespace

import eventlet
import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError

from services.common import batching, inbox, outbox
from services.common.contracts.events import make_envelope
from services.common.db import make_base
from tests.support.fakes import sqlite_database

CLIENT = {"number": "16", "revision": 1, "name": "ECOLE JULES FERRY", "active": True,
          "discounts": {"vat_2_1": "0", "vat_5_5": "9", "vat_20": "0", "school": "0"}}
EVENT = "collectivity_client_updated"


@pytest.fixture
def db():
    with sqlite_database("test", make_base()) as database:
        yield database


def envelope(revision=1, number="16"):
    return make_envelope(EVENT, dict(CLIENT, number=number, revision=revision),
                         "librisoft_bridge")


def table(db, name):
    t = db.metadata.tables[name]
    with db.transaction() as s:
        return [dict(r) for r in s.execute(select(t)).mappings()]


def effects(db):
    """What the handlers did, in the database: one outbox row per run that committed."""
    return sorted(r["body"]["payload"]["revision"] for r in table(db, "outbox"))


class Handler:
    """Records each run and leaves an effect in the handler's transaction (an outbox row), so
    that a rolled back run leaves nothing; fails for the revisions in `poison`."""

    def __init__(self, db, poison=()):
        self.db, self.poison, self.runs, self.sessions = db, set(poison), [], set()

    def __call__(self, session, payload, env):
        self.runs.append(payload["revision"])
        self.sessions.add(id(session))
        outbox.record(session, self.db.metadata, "librisoft_bridge", EVENT, payload)
        if payload["revision"] in self.poison:
            raise ConnectionError("SMTP down")


def test_a_batch_is_handled_in_one_transaction_in_delivery_order(db):
    bodies = [envelope(r) for r in (3, 1, 2)]
    handler = Handler(db)
    assert inbox.process_batch(db, "c", EVENT, bodies, handler) == ["processed"] * 3
    assert handler.runs == [3, 1, 2] and len(handler.sessions) == 1
    assert effects(db) == [1, 2, 3]
    assert sorted(r["event_id"] for r in table(db, "processed_events")) == \
        sorted(b["event_id"] for b in bodies)


def test_duplicates_inside_a_batch_and_across_batches_are_handled_once(db):
    a, b, c = envelope(1), envelope(2), envelope(3)
    handler = Handler(db)
    assert inbox.process_batch(db, "c", EVENT, [a, b, a], handler) == \
        ["processed", "processed", "duplicate"]
    # a later batch: a and b again (a redelivery), c new; a single event goes alone
    assert inbox.process_batch(db, "c", EVENT, [b, c, a], handler) == \
        ["duplicate", "processed", "duplicate"]
    assert inbox.process_batch(db, "c", EVENT, [c], handler) == ["duplicate"]
    assert inbox.process(db, "c", EVENT, a, handler) == "duplicate"
    assert handler.runs == [1, 2, 3] and effects(db) == [1, 2, 3]
    # another consumer has its own record
    assert inbox.process_batch(db, "other", EVENT, [a, b], handler) == ["processed"] * 2


def test_a_failing_event_is_dead_lettered_alone_and_the_others_processed_once(db):
    bodies = [envelope(r) for r in (1, 2, 3)]
    handler = Handler(db, poison={2})
    outcomes = inbox.process_batch(db, "c", EVENT, bodies, handler, wait_base=0)
    assert outcomes == ["processed", "dead_lettered", "processed"]
    # the batch ran 1 and 2 (rolled back), then one by one: 1, 2 three times, 3
    assert handler.runs == [1, 2, 1] + [2] * inbox.IMMEDIATE_ATTEMPTS + [3]
    assert effects(db) == [1, 3]  # nothing done twice, the poison's effect rolled back
    (letter,) = table(db, "dead_letters")
    assert letter["event_id"] == bodies[1]["event_id"] and letter["status"] == "retrying"
    assert sorted(r["event_id"] for r in table(db, "processed_events")) == \
        sorted([bodies[0]["event_id"], bodies[2]["event_id"]])
    # replayed once the cause is gone
    letter_handler = Handler(db)
    assert inbox.replay(db, letter["id"], {"c": letter_handler}, manual=True) == "processed"
    assert effects(db) == [1, 2, 3]


def test_the_events_around_a_poison_go_in_batches_again(db, monkeypatch):
    transactions = []
    run_batch = inbox._run_batch
    monkeypatch.setattr(inbox, "_run_batch", lambda db_, consumer, todo, handler, failed: (
        transactions.append(len(todo)),
        run_batch(db_, consumer, todo, handler, failed))[1])
    bodies = [envelope(r) for r in range(1, 7)]
    handler = Handler(db, poison={3})
    outcomes = inbox.process_batch(db, "c", EVENT, bodies, handler, wait_base=0)
    assert outcomes == ["processed"] * 2 + ["dead_lettered"] + ["processed"] * 3
    # the batch up to the poison (rolled back), then the 2 before it and the 3 after it in
    # two batches, then the poison alone, three times
    assert transactions == [6, 2, 3]
    assert handler.runs == [1, 2, 3, 1, 2, 4, 5, 6] + [3] * inbox.IMMEDIATE_ATTEMPTS
    assert effects(db) == [1, 2, 4, 5, 6]
    (letter,) = table(db, "dead_letters")
    assert letter["event_id"] == bodies[2]["event_id"]


def test_a_failure_at_commit_splits_the_batch_in_halves(db, monkeypatch):
    """An error not raised by one event's handler (here at commit, as the ORM raises a row's
    INSERT at flush): the batch is split in halves until the poison is alone."""
    transactions = []
    run_batch = inbox._run_batch
    monkeypatch.setattr(inbox, "_run_batch", lambda db_, consumer, todo, handler, failed: (
        transactions.append([e["revision"] for _, _, e in todo]),
        run_batch(db_, consumer, todo, handler, failed))[1])

    def handler(session, payload, env):
        outbox.record(session, db.metadata, "librisoft_bridge", EVENT, payload)
        if payload["revision"] == 3:
            event.listen(session, "before_commit", fail_at_commit, once=True)

    def fail_at_commit(session):
        raise ValueError("value too long for type character varying(254)")

    bodies = [envelope(r) for r in range(1, 7)]
    outcomes = inbox.process_batch(db, "c", EVENT, bodies, handler, wait_base=0)
    assert outcomes == ["processed"] * 2 + ["dead_lettered"] + ["processed"] * 3
    assert transactions == [[1, 2, 3, 4, 5, 6], [1, 2, 3], [2, 3], [4, 5, 6]]
    assert effects(db) == [1, 2, 4, 5, 6]
    (letter,) = table(db, "dead_letters")
    assert letter["event_id"] == bodies[2]["event_id"]


def test_events_not_wanted_are_skipped_without_a_trace_in_a_batch(db):
    bodies = [envelope(1, "16"), envelope(2, "17"), envelope(3, "16")]
    handler = Handler(db)
    outcomes = inbox.process_batch(db, "c", EVENT, bodies, handler,
                                   wanted=lambda payload: payload["number"] == "16")
    assert outcomes == ["processed", "skipped", "processed"]
    assert handler.runs == [1, 3]
    assert len(table(db, "processed_events")) == 2


def test_an_event_breaking_its_contract_is_parked_alone(db):
    broken = envelope(2)
    del broken["payload"]["name"]
    handler = Handler(db)
    assert inbox.process_batch(db, "c", EVENT, [envelope(1), broken, envelope(3)], handler) == \
        ["processed", "parked", "processed"]
    assert effects(db) == [1, 3]
    (letter,) = table(db, "dead_letters")
    assert letter["status"] == "parked" and letter["event_id"] == broken["event_id"]


def test_a_database_down_leaves_the_events_on_the_queue(db, monkeypatch):
    monkeypatch.setattr(inbox.time, "sleep", lambda s: None)
    down = OperationalError("SELECT 1", {}, ConnectionRefusedError("refused"))

    def refused():
        raise down

    monkeypatch.setattr(db, "transaction", refused)
    bodies = [envelope(r, n) for r, n in ((1, "16"), (2, "17"), (3, "16"))]
    handler = Handler(db)
    outcomes = inbox.process_batch(db, "c", EVENT, bodies, handler, wait_base=0,
                                   wanted=lambda payload: payload["number"] == "16")
    # the first could not even be parked: it and those after it stay on the queue; the one
    # with nothing to do is settled (acked)
    assert outcomes == [inbox.REQUEUE, "skipped", inbox.REQUEUE]
    assert handler.runs == []


# ---- the entrypoint ---------------------------------------------------------------------------
class Message:
    def __init__(self, tag):
        self.delivery_tag = tag
        self.settled = None


class FakeContainer:
    """Managed threads and workers as green threads; a worker runs `method(batch)` then the
    entrypoint's result handling, as nameko's container does."""

    def __init__(self, method):
        self.method, self.workers, self.threads = method, [], []

    def spawn_managed_thread(self, fn, identifier=None):
        self.threads.append(eventlet.spawn(fn))

    def spawn_worker(self, entrypoint, args, kwargs, handle_result=None, context_data=None):
        def run():
            result = exc_info = None
            try:
                result = self.method(*args)
            except Exception as exc:  # noqa: BLE001
                exc_info = (type(exc), exc, exc.__traceback__)
            handle_result(SimpleNamespace(args=args), result, exc_info)
        self.workers.append(eventlet.spawn(run))

    def settle(self):
        while any(not t.dead for t in self.threads + self.workers):
            eventlet.sleep(0.001)


class QueueConsumer:
    def ack_message(self, message):
        message.settled = "ack"

    def requeue_message(self, message):
        message.settled = "requeue"


def entrypoint(method, batch_size=3):
    handler = batching.BatchEventHandler("librisoft_bridge", EVENT, requeue_on_error=True)
    handler.container = FakeContainer(method)
    handler.queue_consumer = QueueConsumer()
    handler.method_name = "on_client"
    handler._waiting, handler._scheduled = batching.deque(), False
    handler._one_at_a_time = eventlet.semaphore.Semaphore()
    handler.batch_size = batch_size
    return handler


def test_what_waits_goes_to_one_worker_up_to_the_batch_size_and_is_acked():
    batches = []

    def method(batch):
        bodies = batch.take()
        batches.append(bodies)
        batch.outcomes = ["processed"] * len(bodies)
        return batching.summary(batch.outcomes)

    handler = entrypoint(method, batch_size=3)
    messages = [Message(n) for n in range(7)]
    for n, message in enumerate(messages):  # delivered together, before any worker ran
        handler.handle_message({"n": n}, message)
    handler.container.settle()
    assert batches == [[{"n": 0}, {"n": 1}, {"n": 2}], [{"n": 3}, {"n": 4}, {"n": 5}],
                       [{"n": 6}]]
    assert [m.settled for m in messages] == ["ack"] * 7
    # low load: one event, handled at once in a batch of its own
    handler.handle_message({"n": 7}, Message(7))
    handler.container.settle()
    assert batches[-1] == [{"n": 7}] and handler._scheduled is False


def test_one_batch_at_a_time_per_handler_in_delivery_order():
    running, seen = [], []

    def method(batch):
        running.append(1)
        assert len(running) == 1, "two batches of one handler at once"
        bodies = batch.take()
        eventlet.sleep(0.01)  # the next events arrive meanwhile
        seen.extend(b["n"] for b in bodies)
        batch.outcomes = ["processed"] * len(bodies)
        running.pop()

    handler = entrypoint(method, batch_size=50)
    handler.handle_message({"n": 0}, Message(0))
    eventlet.sleep(0.001)
    for n in range(1, 6):
        handler.handle_message({"n": n}, Message(n))
        eventlet.sleep(0.002)
    handler.container.settle()
    assert seen == list(range(6))
    assert len(handler.container.workers) < 6  # later events were batched


def test_an_idle_handler_waits_a_moment_for_a_steady_stream_to_form_a_batch(monkeypatch):
    """Under a steady stream (one event every few ms, a hundred subscriptions a second) each
    event was a batch of one: one transaction each. An idle handler now waits
    EVENT_BATCH_LINGER before it starts a batch that is not full."""
    def run(linger):
        monkeypatch.setattr(batching, "EVENT_BATCH_LINGER", linger)
        batches = []

        def method(batch):
            bodies = batch.take()
            batches.append([b["n"] for b in bodies])
            batch.outcomes = ["processed"] * len(bodies)

        handler = entrypoint(method, batch_size=50)
        messages = [Message(n) for n in range(6)]
        for n, message in enumerate(messages):
            handler.handle_message({"n": n}, message)
            eventlet.sleep(0.004)
        handler.container.settle()
        assert [m.settled for m in messages] == ["ack"] * 6
        return batches

    assert run(0.1) == [[0, 1, 2, 3, 4, 5]]
    alone = run(0)  # no wait: the first event goes alone, at once
    assert alone[0] == [0] and sum(alone, []) == list(range(6))
    # a full batch does not wait
    monkeypatch.setattr(batching, "EVENT_BATCH_LINGER", 10)
    handler = entrypoint(lambda batch: setattr(batch, "outcomes", ["processed"] * 3)
                         or batch.take(), batch_size=3)
    for n in range(3):
        handler.handle_message({"n": n}, Message(n))
    with eventlet.Timeout(1):
        handler.container.settle()


def test_an_unsettled_event_or_a_failed_worker_is_requeued():
    def method(batch):
        bodies = batch.take()
        batch.outcomes = [inbox.REQUEUE if b["n"] == 1 else "dead_lettered" for b in bodies]
        return batching.summary(batch.outcomes)

    handler = entrypoint(method)
    messages = [Message(n) for n in range(3)]
    for n, message in enumerate(messages):
        handler.handle_message({"n": n}, message)
    handler.container.settle()
    assert [m.settled for m in messages] == ["ack", "requeue", "ack"]

    def crash(batch):
        batch.take()
        raise RuntimeError("bug")

    handler = entrypoint(crash)
    messages = [Message(n) for n in range(2)]
    for n, message in enumerate(messages):
        handler.handle_message({"n": n}, message)
    handler.container.settle()
    assert [m.settled for m in messages] == ["requeue", "requeue"]
    assert handler._one_at_a_time.balance == 1  # the next batch is not stuck


def test_a_batch_says_processed_if_any_event_was():
    assert batching.summary(["duplicate", "processed", "skipped"]) == "processed"
    assert batching.summary(["skipped", "duplicate"]) == "duplicate"
    assert batching.summary(["skipped"]) == "skipped"


def test_stopping_while_the_consumer_still_starts_does_not_fail():
    """nameko's QueueConsumer sends its 'last provider gone' event once per provider when
    stopped before it is ready: an AssertionError from the second, and the service hung."""
    from nameko.messaging import QueueConsumer as NamekoQueueConsumer
    with pytest.raises(AssertionError):
        nameko = NamekoQueueConsumer()
        nameko.unregister_provider(object())
        nameko.unregister_provider(object())
    consumer = batching.BatchQueueConsumer()
    consumer.register_provider(first := object())
    consumer.register_provider(second := object())
    consumer.unregister_provider(first)
    consumer.unregister_provider(second)
    consumer.wait_for_providers()  # returns: the stop goes on
