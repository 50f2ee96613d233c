"""What makes a nameko service of this suite: the `Store` dependency (database + outbox), the
`consumes` decorator (idempotent, retried, dead-lettered event handling) and `MessagingService`,
the base class whose entrypoints relay the outbox, retry dead letters and answer `health`.

Entrypoints built on these stay a few lines: load -> domain/handler -> dump."""
import functools
import inspect
import logging

import eventlet
from kombu import Exchange, Queue
from nameko.constants import PERSISTENT
from nameko.amqp.publish import Publisher
from nameko.events import event_handler
from nameko.extensions import DependencyProvider
from nameko.rpc import rpc as nameko_rpc
from nameko.timer import timer
from sqlalchemy import text

from . import config, inbox, outbox, validation, wire  # noqa: F401  (wire registers DomainError)
from .contracts.events import contract, CONTRACTS
from .db import Database
from .errors import DomainError

log = logging.getLogger(__name__)


def rpc(fn=None, **kwargs):
    """nameko's @rpc, with DomainError expected: a refused request is logged as a warning and
    travels to the caller as DomainError (code, message, details), not as a crash."""
    kwargs.setdefault("expected_exceptions", (DomainError,))
    if fn is None:
        return lambda f: nameko_rpc(**kwargs)(_refusing_nul(f))
    return nameko_rpc(**kwargs)(_refusing_nul(fn))


def _refusing_nul(fn):
    """Defence in depth behind the gateway's own check: a NUL byte in any argument is bad input
    (DomainError invalid), never a database crash (psycopg2 refuses it with ValueError)."""
    @functools.wraps(fn)
    def entry(self, *args, **kwargs):
        validation.check_no_nul(args, kwargs)
        return fn(self, *args, **kwargs)
    entry.__signature__ = inspect.signature(fn)  # nameko still checks the real signature
    return entry


def event_exchange(source):
    return Exchange(f"{source}.events", type="topic", durable=True, delivery_mode=PERSISTENT,
                    auto_delete=False)


def consumer_queues(event_type):
    """The durable queues of every consumer of `event_type`, as nameko declares them."""
    c = contract(event_type)
    exchange = event_exchange(c.source)
    return [Queue(c.queue_name(service, method), exchange=exchange, routing_key=c.name,
                  durable=True, auto_delete=False, exclusive=False)
            for service, method in c.consumers]


class AmqpPublisher:
    """Publishes an outbox row: publisher confirms, mandatory, consumer queues declared first.
    An unroutable event raises (nameko's UndeliverableMessage) and stays in the outbox."""

    def __init__(self, amqp_uri):
        self.publisher = Publisher(amqp_uri, use_confirms=True, mandatory=True,
                                   retry=True, retry_policy={"max_retries": 2})

    def __call__(self, event_type, body):
        c = contract(event_type)
        exchange = event_exchange(c.source)
        self.publisher.publish(body, exchange=exchange, routing_key=event_type,
                               declare=[exchange, *consumer_queues(event_type)])


class StoreHandle:
    def __init__(self, provider):
        self._provider = provider
        self.db = provider.database
        self.recorded = 0

    def transaction(self):
        return self.db.transaction()

    def relay(self):
        return self._provider.relay()

    def record(self, session, event_type, payload):
        """Store an event in the outbox in `session`'s transaction; relayed once committed."""
        self.recorded += 1
        return outbox.record(session, self.db.metadata, self._provider.container.service_name,
                             event_type, payload)


class Store(DependencyProvider):
    """The service's database and outbox. `self.store.transaction()`, `self.store.record(...)`."""

    def __init__(self, metadata, **kwargs):
        self.metadata = metadata
        super().__init__(**kwargs)

    def setup(self):
        self.database = Database(self.container.service_name, self.metadata)
        self.publish = AmqpPublisher(self.container.config.get("AMQP_URI") or config.amqp_uri())
        self._lock = eventlet.semaphore.Semaphore()
        self._again = False
        self._handles = {}

    def stop(self):
        self.database.dispose()

    def get_dependency(self, worker_ctx):
        handle = StoreHandle(self)
        self._handles[worker_ctx] = handle
        return handle

    def worker_teardown(self, worker_ctx):
        handle = self._handles.pop(worker_ctx, None)
        if handle is not None and handle.recorded:
            self.container.spawn_managed_thread(self.relay)

    def relay(self):
        """Publish what the outbox holds; one relay at a time in this process."""
        if self._lock.locked():
            self._again = True
            return 0
        with self._lock:
            published = 0
            while True:
                self._again = False
                try:
                    published += outbox.relay(self.database, self.publish)
                except Exception:  # database unreachable: the timer will come back
                    log.exception("outbox relay failed")
                    return published
                if not self._again:
                    return published


def consumes(event_type):
    """Decorate `def on_x(self, session, payload, envelope)` as the service's idempotent,
    retried handler of `event_type`. The handler runs in a transaction that also records the
    event id; if it keeps failing the event is dead-lettered, never dropped."""
    c = contract(event_type)

    def decorate(fn):
        @functools.wraps(fn)
        def entry(self, body):
            return inbox.process(self.store.db, fn.__name__, event_type, body,
                                 functools.partial(fn, self))

        entry.__consumes__ = event_type
        entry.__handler__ = fn
        # requeue_on_error: if even parking failed (database down), the broker keeps the message
        return event_handler(c.source, event_type, requeue_on_error=True)(entry)

    return decorate


class MessagingService:
    """Base of every service: subclasses set `name` and `store = Store(Base.metadata)`."""

    name = None
    store = None

    def _handlers(self):
        handlers = {}
        for attr in dir(type(self)):
            member = getattr(type(self), attr, None)
            fn = getattr(member, "__handler__", None)
            if fn is not None:
                handlers[attr] = functools.partial(fn, self)
        return handlers

    @timer(interval=1)
    def relay_outbox(self):
        self.store.relay()

    @timer(interval=5)
    def retry_dead_letters(self):
        inbox.retry_due(self.store.db, self._handlers())

    @rpc
    def health(self):
        with self.store.transaction() as session:
            session.execute(text("SELECT 1"))
        return {"service": self.name, "status": "ok",
                "outbox_pending": outbox.pending_count(self.store.db),
                "dead_letters": inbox.open_count(self.store.db)}

    @rpc
    def list_dead_letters(self, include_done=False):
        return [_jsonable(d) for d in inbox.list_letters(self.store.db, include_done)]

    @rpc
    def replay_dead_letter(self, letter_id):
        return inbox.replay(self.store.db, int(letter_id), self._handlers(), manual=True)


def _jsonable(row):
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


__all__ = ["Store", "consumes", "MessagingService", "CONTRACTS", "rpc", "timer"]
