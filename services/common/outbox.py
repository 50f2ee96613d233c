"""Transactional outbox: `record()` stores an event in the caller's transaction; `relay()`
publishes stored events with publisher confirms and mandatory routing, marking each one only once
RabbitMQ confirmed it (on PostgreSQL the rows are claimed and marked in one statement, the mark
committed after the confirms and taken back for what was not confirmed: `_relay_claimed`). A
failed publish is retried with backoff; nothing is dropped.

Several instances of one service may relay at once: on PostgreSQL rows are claimed with
`FOR UPDATE SKIP LOCKED`; SQLite serialises writers. A crash between publish and mark republishes
the event, which consumers absorb (they process an event id once)."""
import functools
import logging
from datetime import timedelta

from sqlalchemy import bindparam, func, insert, select, update

from .clock import as_utc, utcnow  # noqa: F401 (inbox, nameko_glue, the bridge read them here)
from .contracts.events import make_envelope
from .db import write
from .messaging_models import messaging_tables

log = logging.getLogger(__name__)


@functools.cache
def _insert(outbox):
    """The INSERT of an event, built once per table (its compiled form cached by SQLAlchemy,
    not built and compiled again per event, issue 11)."""
    return insert(outbox)


def record(session, metadata, source: str, event_type: str, payload: dict) -> str:
    """Store one event in the outbox within `session`'s transaction; returns its event id.
    In a transaction that defers its writes (services.common.db.defer_writes), the row goes
    with the others just before the commit."""
    outbox, _, _ = messaging_tables(metadata)
    body = make_envelope(event_type, payload, source)
    now = utcnow()
    write(session, _insert(outbox), dict(
        event_id=body["event_id"], event_type=event_type, version=body["version"], body=body,
        created_at=now, next_attempt_at=now, attempts=0))
    return body["event_id"]


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(60, 0.5 * 2 ** attempts))


@functools.cache
def _pending(outbox, batch, claim):
    """The relay's SELECT of pending rows, built once (`claim`: FOR UPDATE SKIP LOCKED, on
    PostgreSQL)."""
    query = (select(outbox.c.id, outbox.c.event_type, outbox.c.body, outbox.c.attempts,
                    outbox.c.next_attempt_at)
             .where(outbox.c.published_at.is_(None)).order_by(outbox.c.id).limit(batch))
    return query.with_for_update(skip_locked=True) if claim else query


@functools.cache
def _claim(outbox, batch):
    """PostgreSQL: the pending rows claimed (`FOR UPDATE SKIP LOCKED`) and marked published in
    one statement, built once (issue 11: the SELECT and the UPDATE after the publishes were two
    round trips). The mark is seen by no one before the relay's commit, which comes after the
    broker's confirms; what is not confirmed is unmarked before that commit, and a relay that
    dies before it is rolled back: every claimed row pending again."""
    claimed = (select(outbox.c.id).where(outbox.c.published_at.is_(None))
               .order_by(outbox.c.id).limit(batch).with_for_update(skip_locked=True)
               .cte("claimed"))
    return (update(outbox).where(outbox.c.id == claimed.c.id)
            .values(published_at=bindparam("now"), attempts=outbox.c.attempts + 1)
            .returning(outbox.c.id, outbox.c.event_type, outbox.c.body, outbox.c.attempts,
                       outbox.c.next_attempt_at))


def _relay_claimed(db, publish, batch):
    """`relay` on PostgreSQL: per transaction BEGIN, the claim that marks, the publishes,
    COMMIT (one statement less than a SELECT then an UPDATE); the rows not confirmed (a failed
    publish, an older event still backing off and those after it) are unmarked in the same
    transaction, as if never claimed, the failed one with its backoff."""
    outbox, _, _ = messaging_tables(db.metadata)
    claim = _claim(outbox, batch)
    published = 0
    while True:
        with db.transaction() as session:
            rows = sorted(session.execute(claim, {"now": utcnow()}).all(),
                          key=lambda row: row.id)
            if not rows:
                return published
            done = 0
            for row in rows:  # row.attempts already counts this attempt
                if as_utc(row.next_attempt_at) > utcnow():  # an older event backs off
                    _unclaim(session, outbox, rows[done:])
                    return published + done
                try:
                    publish(row.event_type, row.body)
                except Exception as exc:  # broker down, unroutable: keep it, retry later
                    log.warning("outbox: event %s not published yet: %r", row.id, exc)
                    session.execute(update(outbox).where(outbox.c.id == row.id).values(
                        published_at=None, last_error=repr(exc)[:2000],
                        next_attempt_at=utcnow() + backoff(row.attempts - 1)))
                    _unclaim(session, outbox, rows[done + 1:])
                    return published + done
                done += 1
            published += done
            if len(rows) < batch:
                return published


def _unclaim(session, outbox, rows):
    """Rows claimed but not published: pending again, their attempts as they were."""
    if rows:
        session.execute(update(outbox).where(outbox.c.id.in_([row.id for row in rows]))
                        .values(published_at=None, attempts=outbox.c.attempts - 1))


def relay(db, publish, batch: int = 200) -> int:
    """Publish pending events in order. `publish(event_type, body)` raises on failure.
    Returns how many were published."""
    if db.is_postgres:
        return _relay_claimed(db, publish, batch)
    outbox, _, _ = messaging_tables(db.metadata)
    query = _pending(outbox, batch, False)
    published = 0
    while True:
        with db.transaction() as session:
            rows = session.execute(query).all()
            if not rows:
                return published
            done = []  # confirmed by the broker: marked in one statement (issue 11)
            try:
                for row in rows:
                    if as_utc(row.next_attempt_at) > utcnow():
                        return published + len(done)  # an older event backs off: keep order
                    try:
                        publish(row.event_type, row.body)
                    except Exception as exc:  # broker down, unroutable: keep it, retry later
                        log.warning("outbox: event %s not published yet: %r", row.id, exc)
                        session.execute(update(outbox).where(outbox.c.id == row.id).values(
                            attempts=row.attempts + 1, last_error=repr(exc)[:2000],
                            next_attempt_at=utcnow() + backoff(row.attempts)))
                        return published + len(done)
                    done.append(row.id)
            finally:
                if done:
                    session.execute(update(outbox).where(outbox.c.id.in_(done)).values(
                        published_at=utcnow(), attempts=outbox.c.attempts + 1))
            published += len(done)
            if len(rows) < batch:
                return published


def pending_count(db) -> int:
    outbox, _, _ = messaging_tables(db.metadata)
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(outbox)
                              .where(outbox.c.published_at.is_(None)))
