"""Issue 11: no `SELECT 1` pre-ping before every transaction; a connection the server dropped
is recovered from instead: the transaction whose FIRST statement meets it runs once more on a
new connection, and the whole pool (every connection older than the failure) is replaced."""

import psycopg2
import pytest
from sqlalchemy import event, select, text

from services.common.db import retry_on_disconnect
from tests.support.suite import PG_ADMIN
from tests.unit.common.test_guards_idempotency import Thing


@pytest.fixture
def db(things_db):
    return things_db


def terminate_backends(database):
    name = database.engine.url.database
    conn = psycopg2.connect(PG_ADMIN)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
            return cur.fetchone()[0]
    finally:
        conn.close()


def status(session):
    return session.scalar(select(Thing.status).where(Thing.id == 1))


def test_a_transaction_sends_no_pre_ping(db):
    statements = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *a: statements.append(statement))
    assert db.run(status) == "open"
    assert db.engine.pool._pre_ping is False
    assert len(statements) == 1 and "SELECT 1" not in statements[0]


def test_a_connection_dropped_by_the_server_is_replaced_and_the_transaction_run_again(db,
                                                                                      caplog):
    assert db.run(status) == "open"  # a pooled connection, then killed by the server
    assert terminate_backends(db) >= 1
    assert db.run(status) == "open"
    assert "run again" in caplog.text
    caplog.clear()
    assert db.run(status) == "open"  # the pool was replaced: no more retries
    assert "run again" not in caplog.text


def test_a_disconnect_after_the_first_statement_is_not_run_again(db):
    """Something was done already (and a commit's fate is unknown): the caller sees the error."""
    calls = []

    def work(session):
        calls.append(1)
        status(session)
        session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))

    with pytest.raises(Exception) as raised:
        retry_on_disconnect(db._run, work)
    assert getattr(raised.value, "connection_invalidated", False)
    assert calls == [1]
