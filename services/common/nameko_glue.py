"""What makes a nameko service of this suite: the `Store` dependency (database + outbox), the
`consumes` decorator (idempotent, retried, dead-lettered event handling) and `MessagingService`,
the base class whose entrypoints relay the outbox, retry dead letters and answer `health`.

Entrypoints built on these stay a few lines: load -> domain/handler -> dump.

Broker faults. In nameko 2.14 an exception escaping a worker's result handling or a managed
thread kills the whole container, and `nameko run` exits. When RabbitMQ goes away under load two
such exceptions happen: the RPC reply (`Responder.send_response` opens a new publisher
connection, which fails with `ConnectionRefusedError` / kombu `OperationalError` once its
retries are spent) and the ack of a delivered message on the dead connection (a socket error,
which nameko's `QueueConsumer.ack_message` does not catch: it only catches amqp's
`ConnectionError`). Both are raised from `Container._run_worker` after the service method ran, so
the container is killed and every entrypoint of the process goes down with it (upstream:
nameko/nameko#511 for the ack, #746 for a publisher with RabbitMQ down). The classes below
(`QueueConsumer`, `RpcConsumer`, `Rpc`, `EventHandler`, `RpcProxy`) are nameko's with those
two paths made to log and carry on: an ack that cannot be sent is redelivered by the broker (event
consumers are idempotent; RPC requests are recognised by their correlation id and by their
deadline), and the consumer thread itself reconnects with backoff instead of dying.

Request deadlines (issue 14). The gateway sends each RPC request with an AMQP `expiration` equal
to its timeout and a `nameko.lsb_deadline` header (epoch seconds). A request whose deadline has
passed is dropped before it starts (the caller already answered the user); the header travels on
to nested calls made through `RpcProxy`, which wait no longer than what is left of it."""
import functools
import inspect
import logging
import time
from collections import OrderedDict

import amqp.exceptions
import eventlet
import kombu.exceptions
import sqlalchemy.exc
from nameko.amqp.publish import Publisher
from nameko.events import EventHandler as NamekoEventHandler
from nameko.extensions import DependencyProvider
from nameko.messaging import QueueConsumer as NamekoQueueConsumer, QueueConsumerStopped
from nameko.constants import (AMQP_SSL_CONFIG_KEY, AMQP_URI_CONFIG_KEY, DEFAULT_SERIALIZER,
                              LOGIN_METHOD_CONFIG_KEY, SERIALIZER_CONFIG_KEY)
from nameko.rpc import (MethodProxy as NamekoMethodProxy, ReplyListener as NamekoReplyListener,
                        Responder as NamekoResponder, get_rpc_exchange,
                        Rpc as NamekoRpc, RpcConsumer as NamekoRpcConsumer,
                        RpcProxy as NamekoRpcProxy, ServiceProxy as NamekoServiceProxy)
from nameko.timer import timer
from sqlalchemy import text, update

from . import config, idempotency, inbox, outbox, validation, wire  # noqa: F401  (wire: DomainError)
from .contracts.events import contract, CONTRACTS, RETIRED_CONSUMERS
from .event_queues import (consumer_queues, delete_retired_queues, event_exchange,  # noqa: F401
                           event_queue_name)
from .db import Database, DATABASE_UNAVAILABLE, retry_on_disconnect
from .errors import DomainError, unavailable
from .messaging_models import messaging_tables

log = logging.getLogger(__name__)

# what a lost broker connection raises, from amqp, kombu or the socket underneath
BROKER_ERRORS = (OSError, amqp.exceptions.ConnectionError, amqp.exceptions.ChannelError,
                 kombu.exceptions.OperationalError, kombu.exceptions.MessageStateError)

DEADLINE_KEY = wire.DEADLINE_KEY  # the context-data key carrying the caller's deadline
# how long a nested call waits when its caller gave no deadline (timers, consumers)
NESTED_RPC_TIMEOUT = float(config.env("NESTED_RPC_TIMEOUT", "15"))
# how long a worker's relay waits before it starts, so that the events recorded by workers
# finishing meanwhile go in the same relay transaction (issue 11); 0: at once
RELAY_LINGER = max(0.0, float(config.env("RELAY_LINGER_MS", "20")) / 1000)


deadline_of, expired = wire.deadline_of, wire.expired


# ---- consumers that survive the broker going away -------------------------------------------
class QueueConsumer(NamekoQueueConsumer):
    """nameko's QueueConsumer whose acks/requeues never kill the container and whose consumer
    thread reconnects (with backoff) whatever the connection raised."""

    def ack_message(self, message):
        self._settle(message, "ack")

    def requeue_message(self, message):
        self._settle(message, "requeue")

    @staticmethod
    def _settle(message, how):
        if not message.channel.connection:
            return  # the connection is gone: the broker has already taken the message back
        try:
            message.ack() if how == "ack" else message.requeue()
        except BROKER_ERRORS as exc:
            log.warning("could not %s message %s (%r): the broker will deliver it again",
                        how, message.delivery_tag, exc)

    def on_consume_ready(self, connection, channel, consumers, **kwargs):
        reconnected = self._consumers_ready.ready()
        super().on_consume_ready(connection, channel, consumers, **kwargs)
        if reconnected:
            log.info("broker connection back: consuming again")
            for dependency in self.container.dependencies:
                if isinstance(dependency, Store):
                    self.container.spawn_managed_thread(dependency.broker_back)

    def run(self, *args, **kwargs):
        delay = 0.5
        while not self.should_stop:
            try:
                return super().run(*args, **kwargs)
            except QueueConsumerStopped:
                raise
            except Exception as exc:  # noqa: BLE001  (logged; the loop reconnects)
                log.warning("broker consumer lost (%r); reconnecting in %.1f s", exc, delay)
                eventlet.sleep(delay)
                delay = min(delay * 2, 5)


class ReplyResponder(NamekoResponder):
    """Sends an RPC reply WITHOUT waiting for the broker's publisher confirm (nameko waits for
    one on every reply: a round trip to RabbitMQ per RPC, ~13 % of a service's time on the
    subscription path, issue 11). A reply lost in a broker fault only means the caller times out
    and retries (requests are idempotent: keys, guarded transitions, the correlation ids
    below); events keep their confirms and `mandatory` (AmqpPublisher, through the outbox)."""

    publisher_cls = functools.partial(Publisher, use_confirms=False)


class RpcConsumer(NamekoRpcConsumer):
    """Answers RPC requests; an answer that cannot be sent is logged, not fatal. Remembers the
    correlation ids it has started so that a request redelivered after a broker fault is not
    carried out twice by this process."""

    queue_consumer = QueueConsumer()
    REMEMBERED = 5000

    def setup(self):
        super().setup()
        self._started = OrderedDict()

    def seen(self, message):
        """True if this request was already started here (a redelivery); else remember it."""
        cid = message.properties.get("correlation_id")
        if cid is None:
            return False
        if cid in self._started:
            return True
        self._started[cid] = True
        while len(self._started) > self.REMEMBERED:
            self._started.popitem(last=False)
        return False

    def handle_result(self, message, result, exc_info):
        """nameko's, with the reply published without a publisher confirm (ReplyResponder)."""
        config_ = self.container.config
        responder = ReplyResponder(
            config_[AMQP_URI_CONFIG_KEY], get_rpc_exchange(config_),
            config_.get(SERIALIZER_CONFIG_KEY, DEFAULT_SERIALIZER), message,
            ssl=config_.get(AMQP_SSL_CONFIG_KEY), login_method=config_.get(LOGIN_METHOD_CONFIG_KEY))
        try:
            result, exc_info = responder.send_response(result, exc_info)
            self.queue_consumer.ack_message(message)
            return result, exc_info
        except BROKER_ERRORS as exc:
            log.warning("RPC answer to %s not sent (%r): the caller will time out",
                        message.properties.get("correlation_id"), exc)
            self.queue_consumer.ack_message(message)
            return result, exc_info


class Rpc(NamekoRpc):
    """nameko's @rpc entrypoint, on the consumers above, refusing expired or repeated requests
    before a worker is spawned."""

    rpc_consumer = RpcConsumer()

    def handle_message(self, body, message):
        context = self.unpack_message_headers(message)
        if expired(context):
            log.warning("%s: request expired before it started (caller gave up); dropped",
                        self.method_name)
            self.rpc_consumer.queue_consumer.ack_message(message)
            return
        if self.rpc_consumer.seen(message):
            log.warning("%s: request %s delivered again after a broker fault; not run twice",
                        self.method_name, message.properties.get("correlation_id"))
            self.rpc_consumer.queue_consumer.ack_message(message)
            return
        super().handle_message(body, message)

    def check_signature(self, args, kwargs):
        # check against the service's own method, not the @rpc wrapper around it
        import inspect
        from nameko.exceptions import IncorrectSignature
        fn = getattr(self.container.service_cls, self.method_name)
        fn = getattr(fn, "__wrapped__", fn)
        try:
            inspect.getcallargs(fn, None, *args, **kwargs)
        except TypeError as exc:
            raise IncorrectSignature(str(exc))


class EventHandler(NamekoEventHandler):
    queue_consumer = QueueConsumer()

    def setup(self):
        """nameko's queue, bound with the contract's key for this handler (`binding_key`: an
        event routed by its payload reaches only the handlers that want it)."""
        super().setup()
        c = CONTRACTS.get(self.event_type)
        if c is not None:
            self.queue.routing_key = c.binding_key(self.container.service_name,
                                                   self.method_name)


class ReplyListener(NamekoReplyListener):
    queue_consumer = QueueConsumer()


class MethodProxy(NamekoMethodProxy):
    """A nested RPC call that waits no longer than its caller's deadline (or
    NESTED_RPC_TIMEOUT), and whose request expires at that deadline.

    Its request is published without waiting for the broker's publisher confirm (issue 11: a
    round trip to RabbitMQ inside the caller's request, e.g. the payment page's
    `payments.start_payment`). A request lost in a broker fault, or sent to a service with no
    instance running (nameko's UnknownService needs the confirm), only means no reply: the
    call ends at its deadline as "unavailable" (503, Retry-After) and the user's retry runs it
    again (nested calls are idempotent: keys, guarded transitions). Transient (delivery mode
    1): a request that expires with its caller's deadline is not worth the broker's disk."""

    publisher_cls = functools.partial(Publisher, use_confirms=False, delivery_mode=1)

    def __call__(self, *args, **kwargs):
        deadline = deadline_of(self.worker_ctx.data)
        now = time.time()
        own = deadline is None  # a timer or a consumer: this call gets its own deadline
        if own:
            deadline = now + NESTED_RPC_TIMEOUT
        remaining = deadline - now
        if remaining <= 0:
            raise unavailable()
        self.publisher.expiration = max(remaining, 0.001)
        try:
            if own:
                self.worker_ctx.data[DEADLINE_KEY] = deadline
            reply = self._call(*args, **kwargs)
        except BROKER_ERRORS as exc:
            raise unavailable() from exc
        finally:
            if own:
                self.worker_ctx.data.pop(DEADLINE_KEY, None)
        with eventlet.Timeout(remaining, False):
            return reply.result()
        log.warning("nested call %s.%s timed out", self.service_name, self.method_name)
        raise unavailable()


class ServiceProxy(NamekoServiceProxy):
    def __getattr__(self, name):
        return MethodProxy(self.worker_ctx, self.service_name, name, self.reply_listener,
                           **self.options)


class RpcProxy(NamekoRpcProxy):
    """nameko's RpcProxy (a service calling another), on the robust reply listener."""

    rpc_reply_listener = ReplyListener()

    def get_dependency(self, worker_ctx):
        return ServiceProxy(worker_ctx, self.target_service, self.rpc_reply_listener,
                            **self.options)


def event_handler(source, event_type, **kwargs):
    return EventHandler.decorator(source, event_type, **kwargs)


class RequestDeadline(DependencyProvider):
    """`self.request_deadline`: the deadline (epoch seconds) the caller gave, or None."""

    def get_dependency(self, worker_ctx):
        return deadline_of(worker_ctx.data)


def rpc(fn=None, **kwargs):
    """nameko's @rpc, with DomainError expected: a refused request is logged as a warning and
    travels to the caller as DomainError (code, message, details), not as a crash.

    Before the method starts, a request whose caller's deadline has passed is refused (it never
    runs). A database that cannot be reached travels back as DomainError "unavailable" (the
    gateway answers 503 with Retry-After), not as a crash."""
    kwargs.setdefault("expected_exceptions", (DomainError,))

    def decorate(fn):
        @functools.wraps(fn)
        def entry(self, *args, **kw):
            deadline = getattr(self, "request_deadline", None)
            if isinstance(deadline, float) and time.time() >= deadline:
                log.warning("%s: caller's deadline passed before the work started; not run",
                            fn.__name__)
                raise unavailable("La demande a expiré avant d'être traitée. Réessayez.")
            # defence in depth behind the gateway's own check: a NUL byte in any argument is
            # bad input, never a database crash (psycopg2 refuses it with ValueError)
            validation.check_no_nul(args, kw)
            try:
                return fn(self, *args, **kw)
            except DATABASE_UNAVAILABLE as exc:
                log.warning("%s: database unavailable: %r", fn.__name__, exc)
                raise unavailable() from exc

        entry.__signature__ = inspect.signature(fn)  # nameko still checks the real signature
        return Rpc.decorator(**kwargs)(entry)

    if fn is None:
        return decorate
    return decorate(fn)


FAST_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}


class AmqpPublisher:
    """Publishes an outbox row: publisher confirms, mandatory, consumer queues declared first.
    An unroutable event raises (nameko's UndeliverableMessage) and stays in the outbox. An event
    whose contract has no consumer yet (issue 9/10: `sub_order_placed`, emitted before the order
    desk consumes it) is published without `mandatory`: no queue is bound, nothing is waiting
    for it, and it must not stop the outbox's later events (it did: `sub_order_paid` waited
    behind it forever)."""

    def __init__(self, amqp_uri):
        self.amqp_uri, self.retired = amqp_uri, set()
        self.publisher = Publisher(amqp_uri, use_confirms=True, mandatory=True,
                                   retry=True, retry_policy=FAST_RETRY)
        # fail within a second or two when the broker is down: the relay retries on its own
        self.publisher.transport_options = dict(FAST_RETRY)

    def __call__(self, event_type, body):
        if event_type in RETIRED_CONSUMERS and event_type not in self.retired:
            self._retire(event_type)
        exchange, declare, mandatory = _routing(event_type)
        c = contract(event_type)
        key = event_type if c.topic is None else c.routing_key(body.get("payload") or {})
        self.publisher.publish(body, exchange=exchange, routing_key=key,
                               declare=declare, mandatory=mandatory)


    def _retire(self, event_type):
        """The queues of the consumers `event_type` no longer has, deleted once per process
        (services.common.event_queues); tried again at the next publish if the broker refused."""
        if delete_retired_queues(self.amqp_uri, event_type, dict(FAST_RETRY)):
            self.retired.add(event_type)


@functools.cache
def _routing(event_type):
    """An event's exchange, what to declare before publishing it and whether `mandatory`: made
    once per event type, not per event (issue 11; kombu binds a copy of each entity to the
    channel and remembers what that connection declared).

    An event no service consumes yet (a contract whose consumers are still to come, e.g.
    payment_state_changed before the order desk) is published without `mandatory`: unroutable
    by design, it must not stay in the outbox and hold back the events recorded after it (the
    relay keeps their order)."""
    c = contract(event_type)
    exchange = event_exchange(c.source)
    return exchange, [exchange, *consumer_queues(event_type)], bool(c.consumers)


class StoreHandle:
    def __init__(self, provider):
        self._provider = provider
        self.db = provider.database
        self.recorded = 0

    def transaction(self):
        return self.db.transaction()

    def run(self, fn, *args, **kwargs):
        """`fn(session, *args, **kwargs)` in one transaction (committed when it returns): what
        each entrypoint does, load -> use case -> commit; run again once if its first statement
        met a connection the database had dropped (no pre-ping: services.common.db)."""
        return self.db.run(fn, *args, **kwargs)

    def run_retry_on_conflict(self, fn, *args, **kwargs):
        """`run`, and once more if the first attempt lost a race on a unique key
        (IntegrityError: a concurrent twin committed the same key first, e.g. the same
        idempotency key): the second attempt, in a new transaction, finds what the twin wrote.
        A second IntegrityError is raised."""
        try:
            return self.run(fn, *args, **kwargs)
        except sqlalchemy.exc.IntegrityError:
            return self.run(fn, *args, **kwargs)

    def relay(self):
        return self._provider.relay()

    def once(self, key, operation, actor, request, fn, *args):
        """`fn(session, *args)` in a transaction, once per idempotency key (None: always): a
        retry with the same key gets the first result (services.common.idempotency)."""
        return retry_on_disconnect(idempotency.once, self, key, operation, actor, request, fn,
                                   *args)

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
        # what this instance handled (RPC requests, events), logged when it stops: with several
        # instances of a service, each one's share (benchmarks/bench_subscription_form.py
        # --instances, docs/performance.md)
        self.handled = {"rpc": 0, "event": 0, "worker": 0}
        self.database = Database(self.container.service_name, self.metadata)
        self.publish = AmqpPublisher(self.container.config.get("AMQP_URI") or config.amqp_uri())
        self._lock = eventlet.semaphore.Semaphore()
        self._again = False
        self._relay_coming = False
        self._handles = {}

    def stop(self):
        log.info("%s instance stopping: handled %d RPC requests, %d events (%d event workers)",
                 self.container.service_name, self.handled["rpc"], self.handled["event"],
                 self.handled["worker"])
        self.database.dispose()

    def get_dependency(self, worker_ctx):
        kind = ("rpc" if isinstance(worker_ctx.entrypoint, NamekoRpc) else
                "event" if isinstance(worker_ctx.entrypoint, NamekoEventHandler) else None)
        if kind == "rpc" and worker_ctx.entrypoint.method_name != "health":
            self.handled[kind] += 1
        handle = StoreHandle(self)
        self._handles[worker_ctx] = handle
        return handle

    def worker_teardown(self, worker_ctx):
        if isinstance(worker_ctx.entrypoint, NamekoEventHandler):
            batch = worker_ctx.args[0] if worker_ctx.args else None
            self.handled["event"] += len(batch) if hasattr(batch, "take") else 1
            self.handled["worker"] += 1
        handle = self._handles.pop(worker_ctx, None)
        if handle is not None and handle.recorded:
            self.relay_soon()

    def relay_soon(self):
        """A relay RELAY_LINGER from now unless one is coming: the workers ending meanwhile share
        its transaction (issue 11); one ending after its claim schedules the next one."""
        if not RELAY_LINGER:
            self.container.spawn_managed_thread(self.relay)
            return
        if self._relay_coming:
            return
        self._relay_coming = True

        def later():
            try:
                eventlet.sleep(RELAY_LINGER)
            finally:
                self._relay_coming = False
            self.relay()

        self.container.spawn_managed_thread(later)

    def broker_back(self):
        """The broker is reachable again: what waited in the outbox goes now, not after the
        backoff its failed attempts earned while the broker was away."""
        try:
            table, _, _ = messaging_tables(self.database.metadata)
            with self.database.transaction() as session:
                session.execute(update(table).where(table.c.published_at.is_(None))
                                .values(next_attempt_at=outbox.utcnow()))
        except Exception:  # noqa: BLE001  (database down: the timer will relay later)
            log.warning("outbox not rescheduled after the broker came back", exc_info=True)
        self.relay()

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


def consumes(event_type, wanted=None):
    """Decorate `def on_x(self, session, payload, envelope)` as the service's idempotent,
    retried handler of `event_type`. The handler runs in a transaction that also records the
    event id; if it keeps failing the event is dead-lettered, never dropped.

    `wanted(payload)`: a cheap, pure test of whether the handler does anything for this event
    (e.g. notifications mails only the buyers paying at the bookshop on `sub_order_placed`);
    an event it refuses is acknowledged without a transaction (issue 11). The entry returns
    inbox.process's outcome ("processed", "skipped", "duplicate", ...).

    Delivered events come in batches (services.common.batching, issue 11): the entry then gets
    a `Batch`, handles what waited in one transaction (inbox.process_batch) and returns the
    batch's summary ("processed" if any event was); called with one body, it handles it."""
    from .batching import BatchEventHandler, summary  # (batching builds on this module)
    c = contract(event_type)

    def decorate(fn):
        @functools.wraps(fn)
        def entry(self, body):
            handler = functools.partial(fn, self)
            if not hasattr(body, "take"):  # one body (a test, a direct call)
                return inbox.process(self.store.db, fn.__name__, event_type, body, handler,
                                     wanted=wanted)
            body.outcomes = inbox.process_batch(self.store.db, fn.__name__, event_type,
                                                body.take(), handler, wanted=wanted)
            return summary(body.outcomes)

        entry.__consumes__ = event_type
        entry.__handler__ = fn
        entry.__wanted__ = wanted
        # requeue_on_error: if even parking failed (database down), the broker keeps the message
        return BatchEventHandler.decorator(c.source, event_type, requeue_on_error=True)(entry)

    return decorate


class MessagingService:
    """Base of every service: subclasses set `name` and `store = Store(Base.metadata)`."""

    name = None
    store = None
    request_deadline = RequestDeadline()

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
        """This process answers (so the broker and its RPC consumer work); says whether its
        database does."""
        try:
            with self.store.transaction() as session:
                session.execute(text("SELECT 1"))
            return {"service": self.name, "status": "ok", "database": "ok",
                    "outbox_pending": outbox.pending_count(self.store.db),
                    "dead_letters": inbox.open_count(self.store.db)}
        except DATABASE_UNAVAILABLE as exc:
            log.warning("health: database unavailable: %r", exc)
            return {"service": self.name, "status": "degraded", "database": "down",
                    "outbox_pending": None, "dead_letters": None}

    @rpc
    def list_dead_letters(self, include_done=False):
        return [_jsonable(d) for d in inbox.list_letters(self.store.db, include_done)]

    @rpc
    def replay_dead_letter(self, letter_id):
        return inbox.replay(self.store.db, int(letter_id), self._handlers(), manual=True)


def _jsonable(row):
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


__all__ = ["Store", "consumes", "MessagingService", "CONTRACTS", "rpc", "timer", "RpcProxy"]
