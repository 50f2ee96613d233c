"""One database per service: engine, session factory and the unit of work.

Nothing here knows nameko; `services.common.nameko_glue.Store` wraps it for services (the
`self.store` dependency), tests, CLIs and migrations use it directly."""
from contextlib import contextmanager, nullcontext

from sqlalchemy import create_engine, event, exc as sa_exc
from sqlalchemy.orm import DeclarativeBase, sessionmaker

from . import config, offload


def make_base():
    """A declarative base with its own MetaData, one per service, carrying the messaging tables
    (outbox, processed events, dead letters) that every service has."""
    from .messaging_models import add_messaging_tables

    class ServiceBase(DeclarativeBase):
        pass

    add_messaging_tables(ServiceBase)
    return ServiceBase


def make_engine(url: str):
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    # a database that does not answer must fail fast (the caller answers 503), not hang
    connect_args = {"connect_timeout": 3} if url.startswith("postgresql") else {}
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, pool_timeout=5,
                         connect_args=connect_args)


# what a database that cannot be reached (refusing connections, restarted, pool exhausted)
# raises; entrypoints turn it into DomainError "unavailable" (503 + Retry-After at the gateway).
# psycopg2's OperationalError also covers deadlocks and lock timeouts: also worth a retry.
DATABASE_UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError,
                        sa_exc.DisconnectionError)


class Database:
    """A service's database: `with db.transaction() as session:` commits or rolls back."""

    def __init__(self, service: str, metadata, url: str | None = None):
        self.service = service
        self.metadata = metadata
        self.url = url or config.database_url(service)
        self.engine = make_engine(self.url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite allows one writer, and its busy wait is a blocking C call: under eventlet two
        # transactions of one process would deadlock the hub. Serialise them with the process's
        # green lock (services.common.offload.process_lock; PostgreSQL needs none).
        self._serial = offload.process_lock() if self.engine.dialect.name == "sqlite" else None

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def transaction(self):
        with self._serial or nullcontext():
            session = self.sessions()
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    def dispose(self):
        self.engine.dispose()
