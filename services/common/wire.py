"""Nameko-side registration of what crosses the wire."""
from nameko.exceptions import deserialize_to_instance

from .errors import DomainError

deserialize_to_instance(DomainError)

# The caller's deadline travels as the AMQP header `nameko.lsb_deadline` (epoch seconds): nameko
# puts a worker's context data in headers prefixed `nameko.` and hands them back, unprefixed, as
# the next worker's context data (so nested calls inherit it).
DEADLINE_KEY = "lsb_deadline"
