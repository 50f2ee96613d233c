"""Nameko-side registration of what crosses the wire."""
import logging
import time
from contextlib import contextmanager

import nameko.amqp.publish as nameko_publish
from kombu import Connection
from kombu.pools import producers
from nameko.constants import DEFAULT_TRANSPORT_OPTIONS
from nameko.exceptions import deserialize_to_instance

from .errors import DomainError

deserialize_to_instance(DomainError)

# The caller's deadline travels as the AMQP header `nameko.lsb_deadline` (epoch seconds): nameko
# puts a worker's context data in headers prefixed `nameko.` and hands them back, unprefixed, as
# the next worker's context data (so nested calls inherit it).
DEADLINE_KEY = "lsb_deadline"


def deadline_of(data):
    """The deadline (epoch seconds) in a worker's context data, or None."""
    try:
        value = (data or {}).get(DEADLINE_KEY)
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def expired(data, now=None):
    deadline = deadline_of(data)
    return deadline is not None and (now if now is not None else time.time()) >= deadline


class _QuietExpected(logging.Filter):
    """A refused request (a DomainError, expected: wrong password, empty date…) is one warning
    line, not a traceback; tracebacks stay for real errors. amqp's "Received method (60, 80)
    during closing channel" (a late ack as a channel closes, harmless) is dropped. Installed
    wherever RPC is used: the services (nameko_glue), the gateway (rpc.py), the demo loader."""

    def filter(self, record):
        if record.msg == "(expected) error handling worker %s: %s":
            record.msg, record.exc_info, record.exc_text = "refused %s: %s", None, None
        return "during closing channel" not in str(record.msg)


logging.getLogger("nameko.containers").addFilter(_QuietExpected())
logging.getLogger("amqp").addFilter(_QuietExpected())


# ---- one connection description per publisher setting (issue 11) ------------------------------
# nameko's `Publisher.publish` builds a new kombu `Connection` for every message only to find its
# pool of producers (≈ 0.1 ms of CPU per RPC request, reply and event): the description is made
# once per setting here and reused as the pool's key. It is never connected itself (the pool
# connects clones of it), so the threads and green threads share it safely.
_described = {}


@contextmanager
def _get_producer(amqp_uri, confirms=True, ssl=None, login_method=None,
                  transport_options=None):
    options = dict(transport_options or DEFAULT_TRANSPORT_OPTIONS, confirm_publish=confirms)
    key = (amqp_uri, confirms, repr(ssl), login_method, tuple(sorted(options.items())))
    described = _described.get(key)
    if described is None:
        described = _described[key] = Connection(amqp_uri, transport_options=options, ssl=ssl,
                                                 login_method=login_method)
    with producers[described].acquire(block=True) as producer:
        yield producer


nameko_publish.get_producer = _get_producer
