"""Idempotent, retried event handling.

`process()` runs a handler in a transaction that also records (consumer, event_id): an event id
is processed once per consumer, even when delivered twice or to two instances at once (the
primary key refuses the second). A handler that keeps failing is not dropped: its event goes to
`dead_letters`, retried with growing delays by `retry_due()`, and parked after `MAX_AUTO_RETRIES`
for the admin to see and replay.

`process_batch()` handles events of one consumer delivered together (issue 11: the batching
entrypoint of `services.common.batching`): their ids claimed in one statement, their handlers
run in ONE transaction, in delivery order. If that transaction fails, the events go through
`process()` alone (or, when one event's handler raised, that one alone and the others in
batches again): a poison event is dead-lettered alone, the others are processed, nothing is
done twice (the failed transaction left nothing)."""
import logging
import time
from datetime import timedelta

from marshmallow import ValidationError
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from tenacity import retry, retry_if_not_exception_type, stop_after_attempt, wait_exponential

from .contracts.events import load_envelope
from .db import DATABASE_UNAVAILABLE
from .messaging_models import messaging_tables
from .outbox import utcnow

log = logging.getLogger(__name__)

# the claim of an event id on PostgreSQL, as text: SQLAlchemy does not cache the compiled form
# of an `insert().on_conflict_do_nothing()` (it was compiled again for every event)
CLAIM = text("INSERT INTO processed_events (consumer, event_id, processed_at) "
             "VALUES (:consumer, :event_id, :processed_at) ON CONFLICT DO NOTHING "
             "RETURNING event_id")

# the claim of several event ids at once (process_batch): one statement whatever their number
CLAIM_MANY = text("INSERT INTO processed_events (consumer, event_id, processed_at) "
                  "SELECT :consumer, unnest(CAST(:event_ids AS varchar[])), :processed_at "
                  "ON CONFLICT DO NOTHING RETURNING event_id")

# what process_batch says of an event it could not settle (even parking failed: database
# down): its message goes back to the queue, as `requeue_on_error` does for one event
REQUEUE = "requeue"

IMMEDIATE_ATTEMPTS = 3
MAX_AUTO_RETRIES = 6


def dead_letter_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 15 * 2 ** max(0, attempts - IMMEDIATE_ATTEMPTS)))


def _run_once(db, consumer, event_type, body, handler, wanted=None):
    envelope, payload = load_envelope(event_type, body)
    if wanted is not None and not wanted(payload):
        return "skipped"  # nothing to do for this event: no transaction, nothing recorded
    _, processed, _ = messaging_tables(db.metadata)
    if db.is_postgres:
        # one statement claims the event id (issue 11: it was a count, then an insert). A twin
        # delivery in flight elsewhere holds the key: this insert waits for its transaction and
        # does nothing if it committed (a duplicate), inserts if it rolled back.
        with db.transaction() as session:
            claimed = session.execute(CLAIM, {
                "consumer": consumer, "event_id": envelope["event_id"],
                "processed_at": utcnow()}).first()
            if claimed is None:
                return "duplicate"
            handler(session, payload, envelope)
        return "processed"
    try:
        with db.transaction() as session:
            seen = session.scalar(select(func.count()).select_from(processed).where(
                processed.c.consumer == consumer, processed.c.event_id == envelope["event_id"]))
            if seen:
                return "duplicate"
            session.execute(insert(processed).values(
                consumer=consumer, event_id=envelope["event_id"], processed_at=utcnow()))
            handler(session, payload, envelope)
    except IntegrityError:
        # another instance recorded the same event id first: it is done
        with db.transaction() as session:
            if session.scalar(select(func.count()).select_from(processed).where(
                    processed.c.consumer == consumer,
                    processed.c.event_id == envelope["event_id"])):
                return "duplicate"
        raise
    return "processed"


def process(db, consumer: str, event_type: str, body: dict, handler, wait_base: float = 0.2,
            wanted=None):
    """Handle one delivered event. Never raises for a handler failure: the event is kept.
    `wanted(payload)`, if given, says whether the handler has anything to do for this event:
    when it has not, the event is acknowledged as "skipped" without opening a transaction (a
    handler that does nothing is idempotent without its processed-event mark)."""
    attempt = retry(stop=stop_after_attempt(IMMEDIATE_ATTEMPTS),
                    wait=wait_exponential(multiplier=wait_base, max=2),
                    retry=retry_if_not_exception_type(ValidationError), reraise=True)
    try:
        return attempt(_run_once)(db, consumer, event_type, body, handler, wanted)
    except ValidationError as exc:
        log.error("%s: event breaks its contract, parked: %s", consumer, exc.messages)
        _park_or_raise(db, consumer, event_type, body, f"contrat non respecté : {exc.messages}",
                       retry_later=False)
        return "parked"
    except Exception as exc:
        log.exception("%s: handler failed %d times, dead-lettered", consumer, IMMEDIATE_ATTEMPTS)
        _park_or_raise(db, consumer, event_type, body, repr(exc), retry_later=True)
        return "dead_lettered"


def process_batch(db, consumer: str, event_type: str, bodies: list, handler,
                  wait_base: float = 0.2, wanted=None) -> list:
    """Handle events delivered together, in their order; one outcome per body (`process`'s,
    or REQUEUE for an event that could not even be parked and those after it). Never raises.

    The events `wanted` refuses are "skipped" (no transaction), the others are claimed in one
    statement and handled in ONE transaction; a duplicate (already processed, or twice in the
    batch) is "duplicate". If an event's handler fails, the transaction is rolled back, that
    event goes through `process` alone (its retries, its dead letter) and the others in batches
    again; if the transaction fails otherwise, each of its events goes through `process`. An
    event breaking its contract goes to `process` alone too (parked)."""
    if len(bodies) == 1:
        return _one_by_one(db, consumer, event_type, bodies, [None], handler, wait_base, wanted)
    outcomes = [None] * len(bodies)
    todo = []  # (index, envelope, payload) of the events to handle in the batch's transaction
    for i, body in enumerate(bodies):
        try:
            envelope, payload = load_envelope(event_type, body)
        except Exception:  # noqa: BLE001  (a broken contract: process() parks it alone)
            continue
        if wanted is not None and not wanted(payload):
            outcomes[i] = "skipped"
        else:
            todo.append((i, envelope, payload))
    if todo:
        _batch_or_split(db, consumer, todo, handler, outcomes)
    return _one_by_one(db, consumer, event_type, bodies, outcomes, handler, wait_base, wanted)


def _batch_or_split(db, consumer, todo, handler, outcomes):
    """The events of `todo` in one transaction, their outcomes set in `outcomes`. If it fails:
    - an event's handler raised: that event is left to `process` alone, the events before it
      and those after it go in batches again;
    - the database is unavailable (or a deadlock, a lost connection): all are left to
      `process`, one by one (which requeues them if the database is down);
    - else (e.g. an error the ORM raised at commit, not attributable to one event): the batch
      is split in halves, each a batch again, down to single events left to `process`."""
    failed = []  # the position in `todo` of the event whose handler raised
    try:
        for i, outcome in _run_batch(db, consumer, todo, handler, failed):
            outcomes[i] = outcome
        return
    except DATABASE_UNAVAILABLE as exc:
        if not failed:
            log.warning("%s: a batch of %d events failed (%r); handled one by one",
                        consumer, len(todo), exc)
            return
        error = exc
    except Exception as exc:  # noqa: BLE001  (rolled back: nothing of the batch was done)
        error = exc
    if failed:
        (at,) = failed
        log.warning("%s: event %s failed in a batch of %d (%r); handled alone, the others "
                    "in batches again", consumer, todo[at][1]["event_id"], len(todo), error)
        parts = (todo[:at], todo[at + 1:])
    else:
        log.warning("%s: a batch of %d events failed (%r); split in two", consumer, len(todo),
                    error)
        parts = (todo[:len(todo) // 2], todo[len(todo) // 2:])
    for part in parts:
        if len(part) > 1:  # (a single event goes to process() as it would alone)
            _batch_or_split(db, consumer, part, handler, outcomes)


def _one_by_one(db, consumer, event_type, bodies, outcomes, handler, wait_base, wanted):
    """`process()` for each body with no outcome yet; once one could not even be parked
    (database down), it and those after it stay on the queue (REQUEUE)."""
    for i, body in enumerate(bodies):
        if outcomes[i] is not None:
            continue
        try:
            outcomes[i] = process(db, consumer, event_type, body, handler, wait_base, wanted)
        except Exception:  # noqa: BLE001  (logged by _park_or_raise)
            outcomes[i:] = [REQUEUE if o is None else o for o in outcomes[i:]]
            break
    return outcomes


def _run_batch(db, consumer, todo, handler, failed):
    """The events of `todo` claimed and handled in one transaction; [(index, outcome)]. If a
    handler raises, its event's position in `todo` is left in `failed`."""
    _, processed, _ = messaging_tables(db.metadata)
    ids = {envelope["event_id"] for _, envelope, _ in todo}
    with db.transaction() as session:
        now = utcnow()
        if db.is_postgres:
            # sorted: two batches holding the same ids (a redelivery to another instance)
            # claim them in the same order, so one waits for the other instead of deadlocking
            claimed = set(session.scalars(CLAIM_MANY, {
                "consumer": consumer, "event_ids": sorted(ids), "processed_at": now}))
        else:
            seen = set(session.scalars(select(processed.c.event_id).where(
                processed.c.consumer == consumer, processed.c.event_id.in_(ids))))
            claimed = ids - seen
            if claimed:
                session.execute(insert(processed), [
                    {"consumer": consumer, "event_id": event_id, "processed_at": now}
                    for event_id in sorted(claimed)])
        done = []
        for position, (i, envelope, payload) in enumerate(todo):
            if envelope["event_id"] in claimed:
                claimed.discard(envelope["event_id"])  # a second copy in this batch: duplicate
                failed[:] = [position]
                handler(session, payload, envelope)
                done.append((i, "processed"))
            else:
                done.append((i, "duplicate"))
        failed.clear()  # (a failure from here on, the commit, is the batch's)
    return done


def _park_or_raise(db, consumer, event_type, body, error, retry_later):
    try:
        park(db, consumer, event_type, body, error, IMMEDIATE_ATTEMPTS, retry_later)
    except Exception:
        # cannot even store it (database down): raise so the broker keeps the message
        log.exception("%s: could not dead-letter the event; leaving it on the queue", consumer)
        time.sleep(1)
        raise


def park(db, consumer, event_type, body, error, attempts, retry_later=True):
    _, _, dead = messaging_tables(db.metadata)
    now = utcnow()
    with db.transaction() as session:
        session.execute(insert(dead).values(
            consumer=consumer, event_type=event_type,
            event_id=(body or {}).get("event_id") if isinstance(body, dict) else None,
            body=body, error=str(error)[:4000], attempts=attempts,
            status="retrying" if retry_later else "parked",
            first_failed_at=now, last_failed_at=now,
            next_retry_at=now + dead_letter_delay(attempts) if retry_later else None))


def replay(db, letter_id: int, handlers: dict, manual=False) -> str:
    """Run a dead letter's handler again. `handlers` maps consumer -> handler function."""
    _, _, dead = messaging_tables(db.metadata)
    with db.transaction() as session:
        query = select(dead).where(dead.c.id == letter_id)
        if db.is_postgres:
            query = query.with_for_update(skip_locked=True)
        row = session.execute(query).mappings().first()
        if row is None or row["status"] == "done":
            return "gone"
        handler = handlers.get(row["consumer"])
        if handler is None:
            return "no handler"
        try:
            with session.begin_nested():
                result = _run_in(session, db, row, handler)
        except Exception as exc:
            attempts = row["attempts"] + 1
            parked = manual or attempts >= IMMEDIATE_ATTEMPTS + MAX_AUTO_RETRIES
            session.execute(update(dead).where(dead.c.id == letter_id).values(
                attempts=attempts, error=repr(exc)[:4000], last_failed_at=utcnow(),
                status="parked" if parked else "retrying",
                next_retry_at=None if parked else utcnow() + dead_letter_delay(attempts)))
            return "failed"
        session.execute(update(dead).where(dead.c.id == letter_id).values(
            status="done", next_retry_at=None))
        return result


def _run_in(session, db, row, handler):
    """The handler and its processed-event mark in the dead letter's own transaction."""
    envelope, payload = load_envelope(row["event_type"], row["body"])
    _, processed, _ = messaging_tables(db.metadata)
    if session.scalar(select(func.count()).select_from(processed).where(
            processed.c.consumer == row["consumer"], processed.c.event_id == envelope["event_id"])):
        return "duplicate"
    session.execute(insert(processed).values(
        consumer=row["consumer"], event_id=envelope["event_id"], processed_at=utcnow()))
    handler(session, payload, envelope)
    return "processed"


def retry_due(db, handlers: dict, limit: int = 50) -> int:
    _, _, dead = messaging_tables(db.metadata)
    with db.transaction() as session:
        ids = session.scalars(select(dead.c.id).where(
            dead.c.status == "retrying", dead.c.next_retry_at <= utcnow())
            .order_by(dead.c.id).limit(limit)).all()
    return sum(1 for i in ids if replay(db, i, handlers) in ("processed", "duplicate"))


def list_letters(db, include_done=False):
    _, _, dead = messaging_tables(db.metadata)
    with db.transaction() as session:
        q = select(dead).order_by(dead.c.id.desc()).limit(500)
        if not include_done:
            q = q.where(dead.c.status != "done")
        return [dict(r) for r in session.execute(q).mappings()]


def open_count(db) -> int:
    """Dead letters not yet handled (for `health`)."""
    _, _, dead = messaging_tables(db.metadata)
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(dead)
                              .where(dead.c.status != "done"))
