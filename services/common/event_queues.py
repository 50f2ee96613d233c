"""The events' exchanges and their consumers' durable queues, named as nameko names them, and the
queues of consumers an event no longer has (contracts.events.RETIRED_CONSUMERS), deleted once by
the producer. kombu only: the publishers (services.common.nameko_glue, the outbox relay) and
the tests share these names."""
import logging

import amqp.exceptions
import kombu
import kombu.exceptions
from kombu import Exchange, Queue
from kombu.entity import PERSISTENT_DELIVERY_MODE

from .contracts.events import RETIRED_CONSUMERS, contract

log = logging.getLogger(__name__)


def event_exchange(source):
    return Exchange(f"{source}.events", type="topic", durable=True,
                    delivery_mode=PERSISTENT_DELIVERY_MODE, auto_delete=False)


def event_queue_name(source, event_type, service, method):
    """The queue of `service`'s handler `method` of `source`'s `event_type` events, named as
    nameko's EventHandler names it (SERVICE_POOL handler type: "evt-{source}-{event}--{service}.
    {method}"): the producer declares it before publishing so that no event is unroutable."""
    return f"evt-{source}-{event_type}--{service}.{method}"


def consumer_queues(event_type):
    """The durable queues of every consumer of `event_type`, as nameko declares them."""
    c = contract(event_type)
    exchange = event_exchange(c.source)
    return [Queue(event_queue_name(c.source, c.name, service, method), exchange=exchange,
                  routing_key=c.binding_key(service, method),
                  durable=True, auto_delete=False, exclusive=False)
            for service, method in c.consumers]


def delete_retired_queues(amqp_uri, event_type, transport_options=None) -> bool:
    """Delete the queues of the consumers `event_type` no longer has: bound still on a broker
    that ran an older version, they would fill for good. False when the broker refused (the
    caller tries again at its next publish)."""
    c = contract(event_type)
    try:
        with kombu.Connection(amqp_uri, transport_options=transport_options or {}) as conn:
            channel = conn.default_channel
            for service, method in RETIRED_CONSUMERS.get(event_type, ()):
                channel.queue_delete(event_queue_name(c.source, c.name, service, method))
    except (OSError, kombu.exceptions.KombuError, amqp.exceptions.AMQPError) as exc:
        log.warning("retired queues of %s not deleted yet: %r", event_type, exc)
        return False
    return True
