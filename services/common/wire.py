"""Nameko-side registration of what crosses the wire."""
from nameko.exceptions import deserialize_to_instance

from .errors import DomainError

deserialize_to_instance(DomainError)
