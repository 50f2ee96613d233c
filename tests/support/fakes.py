"""Helpers of the unit tests: a service's schema on a throwaway SQLite file, and a `record`
that keeps the events it is given."""
from contextlib import contextmanager

from services.common.db import Database


@contextmanager
def sqlite_database(service, base, tmp_path):
    database = Database(service, base.metadata, f"sqlite:///{tmp_path / (service + '.db')}")
    base.metadata.create_all(database.engine)
    try:
        yield database
    finally:
        database.dispose()


class Events(list):
    """`record(session, event_type, payload)` that keeps what it is given."""

    def __call__(self, session, event_type, payload):
        self.append((event_type, payload))

    def of(self, event_type):
        return [p for t, p in self if t == event_type]
