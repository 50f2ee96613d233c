"""Nameko-side registration of what crosses the wire."""
import logging

from nameko.exceptions import deserialize_to_instance

from .errors import DomainError

deserialize_to_instance(DomainError)

# The caller's deadline travels as the AMQP header `nameko.lsb_deadline` (epoch seconds): nameko
# puts a worker's context data in headers prefixed `nameko.` and hands them back, unprefixed, as
# the next worker's context data (so nested calls inherit it).
DEADLINE_KEY = "lsb_deadline"


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
