"""The guarded transition and the idempotent request helpers, on SQLite (the PostgreSQL side,
with concurrent twins, is in tests/integration/test_guards_postgres.py)."""
import pytest
from sqlalchemy import Integer, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from services.common import idempotency
from services.common.db import make_base
from services.common.errors import DomainError
from services.common.guards import transition
from tests.support.fakes import sqlite_database

Base = make_base()


class Thing(Base):
    __tablename__ = "things"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(50), default="")


@pytest.fixture
def db(tmp_path):
    with sqlite_database("things", Base, tmp_path) as database:
        with database.transaction() as s:
            s.add(Thing(id=1, status="open"))
        yield database


def test_a_transition_moves_once_and_the_second_is_a_french_conflict(db):
    with db.transaction() as s:
        thing = s.get(Thing, 1)
        transition(s, Thing, 1, ["open"], {"status": "closed", "note": "premier"})
        assert (thing.status, thing.note) == ("closed", "premier")  # the loaded object follows
    with db.transaction() as s:
        with pytest.raises(DomainError) as refused:
            transition(s, Thing, 1, ["open"], {"status": "closed", "note": "second"})
    assert refused.value.code == "conflict" and "déjà" in refused.value.message
    with db.transaction() as s:
        assert s.get(Thing, 1).note == "premier"


def test_a_transition_decided_on_a_stale_status_is_refused(db):
    """Two requests read "open"; the first moves it; the second, deciding on what it read,
    finds the row changed and moves nothing."""
    with db.transaction() as s:
        assert s.get(Thing, 1).status == "open"
        seen = "open"
    with db.transaction() as s:
        transition(s, Thing, 1, [seen], {"status": "processing"})
    with db.transaction() as s:
        with pytest.raises(DomainError, match="rechargez"):
            transition(s, Thing, 1, [seen], {"status": "cancelled"}, message="Déjà fait : "
                       "rechargez la page.")
        assert s.get(Thing, 1).status == "processing"


def test_a_transition_takes_other_columns_and_conditions(db):
    with db.transaction() as s:
        transition(s, Thing, 1, [""], {"note": "x"}, column="note")
        with pytest.raises(DomainError):
            transition(s, Thing, 1, ["open"], {"note": "y"}, where=(Thing.note == "autre",))
        with pytest.raises(DomainError):
            transition(s, Thing, 2, ["open"], {"note": "y"})  # no such row: nothing moved


def _count(db):
    table = Base.metadata.tables["idempotent_requests"]
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(table))


def test_the_same_key_gives_the_first_result_and_runs_once(db):
    calls = []

    def work(session, n):
        calls.append(n)
        session.add(Thing(id=10 + len(calls), status="new"))
        return {"created": 10 + len(calls), "n": n}

    store = type("Store", (), {"db": db, "transaction": lambda self: db.transaction()})()
    first = idempotency.once(store, "k-1", "create", 7, {"n": 1}, work, 1)
    again = idempotency.once(store, "k-1", "create", 7, {"n": 1}, work, 1)
    assert first == again == {"created": 11, "n": 1} and calls == [1]
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Thing)) == 2
    # another key, or none: done again
    idempotency.once(store, "k-2", "create", 7, {"n": 1}, work, 1)
    idempotency.once(store, None, "create", 7, {"n": 1}, work, 1)
    assert len(calls) == 3 and _count(db) == 2
    # the same key for another operation is its own
    idempotency.once(store, "k-1", "other", 7, {"n": 1}, work, 1)
    assert len(calls) == 4


def test_the_same_key_with_other_content_or_actor_is_refused_in_french(db):
    store = type("Store", (), {"db": db, "transaction": lambda self: db.transaction()})()
    idempotency.once(store, "k", "op", 7, {"reason": "a"}, lambda s: {"ok": 1})
    for actor, request in ((7, {"reason": "b"}), (8, {"reason": "a"})):
        with pytest.raises(DomainError) as refused:
            idempotency.once(store, "k", "op", actor, request, lambda s: {"ok": 2})
        assert refused.value.code == "conflict" and "clé d'idempotence" in \
            refused.value.message


def test_a_refused_request_stores_nothing_and_may_be_retried(db):
    store = type("Store", (), {"db": db, "transaction": lambda self: db.transaction()})()

    def refuse(session):
        raise DomainError("Pas encore.", code="conflict")

    with pytest.raises(DomainError):
        idempotency.once(store, "k", "op", 1, {}, refuse)
    assert _count(db) == 0
    assert idempotency.once(store, "k", "op", 1, {}, lambda s: {"ok": True}) == {"ok": True}


@pytest.mark.parametrize("key", ["x" * 101, "avec espace", "é", 12, "a\x00b"])
def test_a_bad_key_is_a_french_400(db, key):
    store = type("Store", (), {"db": db, "transaction": lambda self: db.transaction()})()
    with pytest.raises(DomainError) as refused:
        idempotency.once(store, key, "op", 1, {}, lambda s: {})
    assert refused.value.code == "invalid" and "clé d'idempotence" in refused.value.message


def test_a_replayed_answer_keeps_the_types_the_wire_carries(db):
    from datetime import datetime, timezone
    from decimal import Decimal
    store = type("Store", (), {"db": db, "transaction": lambda self: db.transaction()})()
    value = {"at": datetime(2026, 12, 6, tzinfo=timezone.utc), "total": Decimal("12.80"),
             "lines": [1, "a"]}
    idempotency.once(store, "k", "op", 1, {}, lambda s: value)
    assert idempotency.once(store, "k", "op", 1, {}, lambda s: None) == value


def test_keys_older_than_the_retention_are_purged_now_and_then(db, monkeypatch):
    from datetime import datetime, timedelta, timezone
    from sqlalchemy import insert
    table = Base.metadata.tables["idempotent_requests"]
    with db.transaction() as s:
        s.execute(insert(table).values(operation="op", key="old", actor="1", fingerprint="x",
                                       result_json="{}", created_at=datetime.now(timezone.utc)
                                       - idempotency.RETENTION - timedelta(hours=1)))
    monkeypatch.setattr(idempotency, "PURGE_CHANCE", 1.0)
    store = type("Store", (), {"db": db, "transaction": lambda self: db.transaction()})()
    idempotency.once(store, "new", "op", 1, {}, lambda s: {"ok": 1})
    with db.transaction() as s:
        assert s.scalars(select(table.c.key)).all() == ["new"]
