"""A pool of nameko standalone RPC proxies for a threaded WSGI server.

One standalone proxy must never be used by two threads at once (it hangs), and opening one per
request costs a connection and a reply queue. Each call borrows a started proxy, returns it
afterwards, and discards it if the broker connection or a reply failed.

Faults. Every call is bounded: a request carries its deadline (AMQP `expiration` and the
`nameko.lsb_deadline` header, a second before this pool gives up) so that a service never starts
it after the user was answered; a borrowed proxy whose reply connection died (broker restarted)
is replaced before use; a broker that cannot be reached fails within a second or two, not after
kombu's default retries (up to 9 s). Every broker fault is a `ServiceUnavailable` (503).

Requests go without a publisher confirm and as transient messages (issue 11): a confirm is a
round trip to RabbitMQ inside every page, and a persistent request is written to the broker's
disk although it expires with the page's deadline anyway. A request lost in a broker fault only
means no reply: the call ends at its deadline as `ServiceUnavailable` (503) and the user's retry
runs it again (writes carry idempotency keys). nameko's `UnknownService` (a service whose queue
was never declared) needs the confirm: such a call now also ends at its deadline, as a 503."""
import logging
import queue
import select
import threading
import time
from contextlib import contextmanager

import amqp.exceptions
import kombu.exceptions
from nameko.exceptions import RpcTimeout, UnknownService
from nameko.amqp.publish import Publisher
from nameko.rpc import MethodProxy as NamekoMethodProxy
from nameko.standalone.rpc import ClusterRpcProxy

import services.common.wire  # noqa: F401  (DomainError travels back as itself)
from services.common.errors import DomainError
from services.common.wire import DEADLINE_KEY

log = logging.getLogger(__name__)

BROKER_ERRORS = (OSError, amqp.exceptions.ConnectionError, amqp.exceptions.ChannelError,
                 kombu.exceptions.OperationalError)
# one quick reconnection (a pooled connection gone stale), then give up
FAST_RETRY = {"max_retries": 1, "interval_start": 0.2, "interval_step": 0.3, "interval_max": 0.5}
# the service must have started the work this long before the gateway stops waiting
START_MARGIN = 1.0


class RequestPublisher(Publisher):
    """An RPC request: no publisher confirm, transient (never written to the broker's disk),
    not `mandatory` (without a confirm a returned request could not be told apart, and a
    stray basic.return would break the next publish on the pooled channel)."""

    use_confirms = False
    delivery_mode = 1  # transient

    def publish(self, payload, **kwargs):
        kwargs["mandatory"] = False
        return super().publish(payload, **kwargs)


class MethodProxy(NamekoMethodProxy):
    publisher_cls = RequestPublisher


class ServiceUnavailable(Exception):
    def __init__(self, service, reason):
        self.service, self.reason = service, reason
        super().__init__(f"{service}: {reason}")


class RpcPool:
    def __init__(self, amqp_uri, size=8, timeout=10):
        self.config = {"AMQP_URI": amqp_uri}
        self.size, self.timeout = size, timeout
        self._idle = queue.LifoQueue()
        self._lock = threading.Lock()
        self.created = 0

    def _new(self):
        runner = ClusterRpcProxy(self.config, timeout=self.timeout)
        runner.start()
        with self._lock:
            self.created += 1
        return runner

    @staticmethod
    def _alive(runner):
        """False if the proxy's reply connection is known dead (e.g. the broker restarted
        since it was last used): a reply sent to it would be lost. A connection with nothing to
        read is alive: asked without waiting (issue 11: draining it with a 1 ms timeout made
        every call wait that millisecond); one with something to read (a late reply, a
        heartbeat, the broker's close or the end of the stream) is drained to find out."""
        connection = runner._reply_listener.queue_consumer.consumer.connection
        try:
            readable, _, _ = select.select([connection.connection.sock], [], [], 0)
            if not readable:
                return True
            connection.drain_events(timeout=0.001)
        except TimeoutError:
            return True
        except Exception:  # noqa: BLE001  (closed, reset, forced: discard it)
            return False
        return True

    @contextmanager
    def borrow(self):
        runner = None
        while runner is None:
            try:
                runner = self._idle.get_nowait()
            except queue.Empty:
                runner = self._new()
                break
            if not self._alive(runner):
                self._stop(runner)
                runner = None
        healthy = False
        try:
            yield runner
            healthy = True
        except DomainError:
            healthy = True
            raise
        finally:
            if healthy and self._idle.qsize() < self.size:
                self._idle.put(runner)
            else:
                self._stop(runner)

    def call(self, service, method, *args, **kwargs):
        try:
            with self.borrow() as runner:
                expires_in = max(self.timeout - START_MARGIN, self.timeout / 2)
                runner._worker_ctx.data[DEADLINE_KEY] = time.time() + expires_in
                proxy = MethodProxy(runner._worker_ctx, service, method, runner._reply_listener,
                                    expiration=expires_in, retry_policy=FAST_RETRY)
                proxy.publisher.transport_options = dict(FAST_RETRY)
                return proxy(*args, **kwargs)
        except DomainError as exc:
            if exc.code == "unavailable":  # the service's database (or a service it called)
                raise ServiceUnavailable(service, exc.message) from exc
            raise
        except (RpcTimeout, UnknownService) as exc:
            raise ServiceUnavailable(service, type(exc).__name__) from exc
        except BROKER_ERRORS as exc:
            raise ServiceUnavailable(service, f"broker unreachable: {exc!r}") from exc

    def broker_reachable(self, timeout=2):
        """Whether a new connection to the broker opens now (for /health)."""
        from kombu import Connection
        try:
            with Connection(self.config["AMQP_URI"], connect_timeout=timeout) as conn:
                conn.ensure_connection(max_retries=1, timeout=timeout)
            return True
        except Exception:  # noqa: BLE001  (any failure means: not reachable)
            return False

    @staticmethod
    def _stop(runner):
        try:
            runner.stop()
        except Exception:  # already broken
            log.debug("discarding a broken RPC proxy", exc_info=True)

    def close(self):
        while True:
            try:
                self._stop(self._idle.get_nowait())
            except queue.Empty:
                return
