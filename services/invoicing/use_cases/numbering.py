"""Taking the next number of the one series, in the caller's transaction: the counter row is
locked (`SELECT … FOR UPDATE`) until that transaction ends, so concurrent issues, in this
instance or another, take their numbers one after the other, and a transaction that rolls back
gives its number back with it (no gap). On SQLite a service's transactions are serialised
anyway (services.common.db)."""
from sqlalchemy import select, update

from ..domain import numbering
from ..models import SERIES, Counter


def lock_counter(session) -> Counter:
    counter = session.execute(select(Counter).where(Counter.name == SERIES)
                              .with_for_update()).scalar_one_or_none()
    if counter is None:  # a database made from the models (tests): the migration seeds it
        session.add(Counter(name=SERIES, last_sequence=0, last_issued_at=None))
        session.flush()
        counter = session.execute(select(Counter).where(Counter.name == SERIES)
                                  .with_for_update()).scalar_one()
    return counter


def take_number(session, counter: Counter, now):
    """(sequence, issued_at, number): the counter moves on in the same transaction."""
    sequence, issued_at, number = numbering.next_issue(counter.last_sequence,
                                                       counter.last_issued_at, now)
    moved = session.execute(
        update(Counter).where(Counter.name == SERIES,
                              Counter.last_sequence == counter.last_sequence)
        .values(last_sequence=sequence, last_issued_at=issued_at)
        .returning(Counter.last_sequence)).scalar_one()
    session.expire(counter)
    return moved, issued_at, number
