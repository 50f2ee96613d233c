"""One database per service: engine, session factory and the unit of work.

Nothing here knows nameko; `services.common.nameko_glue.Store` wraps it for services (the
`self.store` dependency), tests, CLIs and migrations use it directly."""
import logging
from contextlib import contextmanager, nullcontext

from sqlalchemy import create_engine, event, exc as sa_exc
from sqlalchemy.orm import DeclarativeBase, sessionmaker

from . import config, offload

log = logging.getLogger(__name__)

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
    # No pre-ping (a `SELECT 1` round trip before every transaction, issue 11): a connection the
    # server dropped fails on its first statement, SQLAlchemy then invalidates the whole pool
    # (every connection older than the failure) and `Database.run` / `retry_on_disconnect`
    # runs the transaction once more on a new connection. pool_recycle bounds a connection's age.
    # DB_POOL_SIZE / DB_MAX_OVERFLOW: the connections a process keeps and the most it opens
    # (10 and 20; the tests keep 2 so that two suites side by side stay under PostgreSQL's 100)
    engine = create_engine(url, pool_pre_ping=False, pool_recycle=1800,
                           pool_size=int(config.env("DB_POOL_SIZE", "10")),
                           max_overflow=int(config.env("DB_MAX_OVERFLOW", "20")), pool_timeout=5,
                           connect_args=connect_args)
    _watch_first_statement(engine)
    return engine


def _watch_first_statement(engine):
    """Mark a disconnect met on a transaction's FIRST statement (nothing done yet, so it can be
    run again safely): `exc.first_statement = True`. A disconnect later (mid-transaction, on
    commit) is not retried: whether it committed is unknown, the caller gets 503 as before."""

    @event.listens_for(engine, "checkout")
    def _fresh(_dbapi_conn, record, _proxy):
        record.info["used"] = False

    @event.listens_for(engine, "after_cursor_execute")
    def _used(conn, *_args):
        conn.info["used"] = True

    @event.listens_for(engine, "handle_error")
    def _first(context):
        if context.is_disconnect and context.connection is not None:
            context.sqlalchemy_exception.first_statement = not context.connection.info.get("used")


def retry_on_disconnect(fn, *args, **kwargs):
    """`fn(*args, **kwargs)` (which opens its own transaction), once more if its first statement
    met a connection the server had dropped (database restarted, backend terminated)."""
    try:
        return fn(*args, **kwargs)
    except sa_exc.DBAPIError as exc:
        if not (exc.connection_invalidated and getattr(exc, "first_statement", False)):
            raise
        log.warning("database connection dropped by the server; transaction run again")
        return fn(*args, **kwargs)


# what a database that cannot be reached (refusing connections, restarted, pool exhausted)
# raises; entrypoints turn it into DomainError "unavailable" (503 + Retry-After at the gateway).
# psycopg2's OperationalError also covers deadlocks and lock timeouts: also worth a retry.
DATABASE_UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError,
                        sa_exc.DisconnectionError)


# ---- writes sent together (issue 11) ----------------------------------------------------------
DEFERRING, DEFERRED = "defer_writes", "deferred_writes"


def defer_writes(session):
    """From now on in this transaction, the writes made through `write` that need no answer
    (rows inserted whose keys are known, the idempotency key's result, the outbox's events) go
    to PostgreSQL together, in one round trip just before the commit, instead of one each. Only
    where the caller says so (a savepoint rolled back would not take them back): the
    subscription form's POST. Elsewhere (SQLite) nothing changes."""
    if session.get_bind().dialect.name == "postgresql":
        session.info[DEFERRING] = True


def write(session, statement, params: dict):
    """`session.execute(statement, params)` for a write whose result nobody reads; kept until
    the commit (`flush_deferred`) once the transaction `defer_writes`."""
    if session.info.get(DEFERRING):
        session.info.setdefault(DEFERRED, []).append((statement, params))
    else:
        session.execute(statement, params)


_compiled = {}


def _sql(dialect, statement, params) -> str:
    """`statement` with `params` as literal SQL, through the driver's own quoting (psycopg2's
    mogrify) and the statement's bind processors (JSON serialised as SQLAlchemy would)."""
    key = (statement, tuple(sorted(params)))
    compiled = _compiled.get(key)
    if compiled is None:  # statements are built once (module level): a few keys in all
        compiled = statement.compile(dialect=dialect, column_keys=key[1])
        if len(_compiled) < 256:
            _compiled[key] = compiled
    processors = compiled._bind_processors
    values = {name: processors[name](value) if name in processors else value
              for name, value in compiled.construct_params(params).items()}
    return values, compiled.string


def flush_deferred(session):
    """Send the writes kept by `write` in one round trip (PostgreSQL's simple query protocol
    takes several statements in one message). Run by every commit (`before_commit`)."""
    pending = session.info.pop(DEFERRED, None)
    session.info.pop(DEFERRING, None)
    if not pending:
        return
    session.flush()  # the ORM's pending rows first (before_commit comes before its flush)
    connection = session.connection()
    cursor = connection.connection.cursor()  # the driver's, for its quoting only
    try:
        parts = []
        for statement, params in pending:
            values, sql = _sql(connection.dialect, statement, params)
            parts.append(cursor.mogrify(sql, values).decode())
    finally:
        cursor.close()
    # no parameters left: every "%" is a literal one (the driver formats even an empty tuple)
    connection.exec_driver_sql(";\n".join(parts).replace("%", "%%"), ())


def _forget_deferred(session, *_args):
    session.info.pop(DEFERRED, None)
    session.info.pop(DEFERRING, None)


class Database:
    """A service's database: `with db.transaction() as session:` commits or rolls back."""

    def __init__(self, service: str, metadata, url: str | None = None):
        self.service = service
        self.metadata = metadata
        self.url = url or config.database_url(service)
        self.engine = make_engine(self.url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        # writes kept by `write` go with the commit, or are forgotten with a rollback
        event.listen(self.sessions, "before_commit", flush_deferred)
        event.listen(self.sessions, "after_rollback", _forget_deferred)
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

    def run(self, fn, *args, **kwargs):
        """`fn(session, *args, **kwargs)` in one transaction, run again once if the connection
        had been dropped by the server (see `retry_on_disconnect`)."""
        return retry_on_disconnect(self._run, fn, *args, **kwargs)

    def _run(self, fn, *args, **kwargs):
        with self.transaction() as session:
            return fn(session, *args, **kwargs)

    def dispose(self):
        self.engine.dispose()


def get_by_text_id(session, model, key, message: str, lock=False):
    """The row of `model` whose text primary key is `key` (at most 40 characters, as the
    services' generated ids), locked FOR UPDATE when `lock`; else a French not_found."""
    from .errors import not_found
    row = None
    if isinstance(key, str) and len(key) <= 40:
        row = session.get(model, key, with_for_update=lock or None)
    if row is None:
        raise not_found(message)
    return row
