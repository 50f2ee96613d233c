"""Helpers of the unit tests: a service's schema in a throwaway in-memory SQLite database, and
a `record` that keeps the events it is given."""
import uuid
from contextlib import contextmanager

import pytest

from services.common.db import Database


def memory_url(service):
    """An in-memory SQLite database of its own, shared by every connection of the process that
    opens this URL (shared cache): several sessions and threads see the same data, as with a
    file, without the disk. It lives while one connection to it is open (the engine's pool)."""
    return f"sqlite:///file:{service}-{uuid.uuid4().hex}?mode=memory&cache=shared&uri=true"


@contextmanager
def sqlite_database(service, base, tmp_path=None):
    """`service`'s schema in a fresh in-memory database (`tmp_path` is no longer needed)."""
    database = Database(service, base.metadata, memory_url(service))
    base.metadata.create_all(database.engine)
    try:
        yield database
    finally:
        database.dispose()


def database_fixture(service, base):
    """A `db` fixture: `service`'s schema in a fresh in-memory database for each test
    (`db = database_fixture("payments", Base)` in a conftest or a test module)."""
    @pytest.fixture(name="db")
    def db():
        with sqlite_database(service, base) as database:
            yield database

    return db


class Events(list):
    """`record(session, event_type, payload)` that keeps what it is given."""

    def __call__(self, session, event_type, payload):
        self.append((event_type, payload))

    def of(self, event_type):
        return [p for t, p in self if t == event_type]
