"""A pool of nameko standalone RPC proxies for a threaded WSGI server.

One standalone proxy must never be used by two threads at once (it hangs), and opening one per
request costs a connection and a reply queue. Each call borrows a started proxy, returns it
afterwards, and discards it if the broker connection or a reply failed."""
import logging
import queue
import threading
from contextlib import contextmanager

from nameko.exceptions import RpcTimeout, UnknownService
from nameko.standalone.rpc import ClusterRpcProxy

import services.common.wire  # noqa: F401  (DomainError travels back as itself)
from services.common.errors import DomainError

log = logging.getLogger(__name__)


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
        proxy = runner.start()
        with self._lock:
            self.created += 1
        return runner, proxy

    @contextmanager
    def borrow(self):
        try:
            item = self._idle.get_nowait()
        except queue.Empty:
            item = self._new()
        healthy = False
        try:
            yield item[1]
            healthy = True
        except DomainError:
            healthy = True
            raise
        finally:
            if healthy and self._idle.qsize() < self.size:
                self._idle.put(item)
            else:
                self._stop(item)

    def call(self, service, method, *args, **kwargs):
        try:
            with self.borrow() as proxy:
                return getattr(getattr(proxy, service), method)(*args, **kwargs)
        except (RpcTimeout, UnknownService) as exc:
            raise ServiceUnavailable(service, type(exc).__name__) from exc
        except (OSError, ConnectionError) as exc:
            raise ServiceUnavailable(service, "broker unreachable") from exc

    @staticmethod
    def _stop(item):
        try:
            item[0].stop()
        except Exception:  # already broken
            log.debug("discarding a broken RPC proxy", exc_info=True)

    def close(self):
        while True:
            try:
                self._stop(self._idle.get_nowait())
            except queue.Empty:
                return
