"""Idempotent, retried event handling.

`process()` runs a handler in a transaction that also records (consumer, event_id): an event id
is processed once per consumer, even when delivered twice or to two instances at once (the
primary key refuses the second). A handler that keeps failing is not dropped: its event goes to
`dead_letters`, retried with growing delays by `retry_due()`, and parked after `MAX_AUTO_RETRIES`
for the admin to see and replay."""
import logging
import time
from datetime import timedelta

from marshmallow import ValidationError
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from tenacity import retry, retry_if_not_exception_type, stop_after_attempt, wait_exponential

from .contracts.events import load_envelope
from .messaging_models import messaging_tables
from .outbox import utcnow

log = logging.getLogger(__name__)

# the claim of an event id on PostgreSQL, as text: SQLAlchemy does not cache the compiled form
# of an `insert().on_conflict_do_nothing()` (it was compiled again for every event)
CLAIM = text("INSERT INTO processed_events (consumer, event_id, processed_at) "
             "VALUES (:consumer, :event_id, :processed_at) ON CONFLICT DO NOTHING "
             "RETURNING event_id")

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
