"""The guarded transition and the idempotent request helpers on PostgreSQL, with five
concurrent twins: one wins, the others are refused (transition) or get its result (key)."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from services.common import idempotency
from services.common.errors import DomainError
from services.common.guards import transition
from tests.unit.common.test_guards_idempotency import Thing

TWINS = 5


@pytest.fixture
def db(things_db):
    return things_db


def at_once(fn):
    barrier = threading.Barrier(TWINS)

    def run(i):
        barrier.wait(timeout=10)
        try:
            return "ok", fn(i)
        except DomainError as exc:
            return exc.code, exc.message

    with ThreadPoolExecutor(TWINS) as pool:
        return list(pool.map(run, range(TWINS), timeout=30))


def test_five_twins_of_a_transition_move_it_once(db):
    events = []

    def close(i):
        with db.transaction() as s:
            thing = s.get(Thing, 1)
            seen = thing.status          # read without a lock, as the handlers do
            time.sleep(0.2)              # every twin has read "open" by now
            transition(s, Thing, 1, [seen], {"status": "closed", "note": f"twin {i}"})
            events.append(i)             # the one mail / event
            return i

    outcomes = at_once(close)
    assert sorted(o[0] for o in outcomes) == ["conflict"] * 4 + ["ok"]
    assert len(events) == 1
    with db.transaction() as s:
        assert s.get(Thing, 1).note == f"twin {events[0]}"


def test_five_twins_with_one_key_do_it_once_and_get_the_same_answer(db):
    store = type("Store", (), {"db": db, "transaction": lambda self: db.transaction()})()
    calls = []

    def create(session, i):
        calls.append(i)
        time.sleep(0.3)  # the twins are waiting on the key meanwhile
        session.add(Thing(id=100 + i, status="new"))
        return {"id": 100 + i}

    outcomes = at_once(lambda i: idempotency.once(store, "retry-1", "create", 3, {"a": 1},
                                                  create, i))
    assert len(calls) == 1
    assert outcomes == [("ok", {"id": 100 + calls[0]})] * TWINS
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Thing).where(Thing.status == "new")) \
            == 1


def test_a_twin_of_a_refused_request_tries_again(db):
    """The first holder of the key fails (its transaction rolls back): the next one runs."""
    store = type("Store", (), {"db": db, "transaction": lambda self: db.transaction()})()
    calls = []

    def flaky(session, i):
        calls.append(i)
        time.sleep(0.2)
        if len(calls) == 1:
            raise DomainError("Refusé.", code="conflict")
        return {"done": True}

    outcomes = at_once(lambda i: idempotency.once(store, "k", "op", 1, {}, flaky, i))
    assert sorted(map(str, outcomes)).count(str(("ok", {"done": True}))) == TWINS - 1
    assert len(calls) == 2
