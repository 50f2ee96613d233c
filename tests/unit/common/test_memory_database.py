"""The unit tier's in-memory SQLite (tests/support/fakes.py): one database per fixture, seen by
every session and thread of the test as a file would be, and by no other fixture."""
import threading

from sqlalchemy import select

from services.common import outbox
from services.common.db import make_base
from services.common.messaging_models import messaging_tables
from tests.support.fakes import sqlite_database


def test_a_memory_database_is_shared_by_threads_and_private_to_its_fixture():
    base = make_base()
    with sqlite_database("test", base) as db, sqlite_database("test", make_base()) as other:
        assert db.url != other.url and "mode=memory" in db.url
        with db.transaction() as s:
            outbox.record(s, db.metadata, "librisoft_bridge", "collectivity_client_updated",
                          {"number": "16", "revision": 1, "name": "E", "active": True,
                           "discounts": {"vat_2_1": "0", "vat_5_5": "9", "vat_20": "0",
                                         "school": "0"}})
        seen = []

        def count(database):
            table = messaging_tables(database.metadata)[0]
            with database.transaction() as s:
                seen.append(len(s.execute(select(table.c.id)).all()))

        for database in (db, other):
            t = threading.Thread(target=count, args=(database,))
            t.start()
            t.join()
        assert seen == [1, 0]
