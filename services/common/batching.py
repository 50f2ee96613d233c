"""Event consumption in batches (issue 11): the entrypoint behind `@consumes`.

nameko spawns one worker per delivered event (its dependencies injected, a transaction, the
event id claimed, a commit, an ack). Under load the events of one handler are already waiting
when a worker starts: `BatchEventHandler` hands up to `EVENT_BATCH_SIZE` of them (default 50)
to ONE worker, which runs them through `inbox.process_batch` (their ids claimed in one
statement, the handlers in one transaction, in delivery order), then acks each message.

- A short wait: a handler that was idle waits `EVENT_BATCH_LINGER_MS` (default 50 ms) before
  it starts a batch that is not full, so that under a steady stream (a hundred subscriptions a
  second) the events arriving meanwhile share its transaction; alone, an event is handled by
  `inbox.process` as before, 50 ms later. 0 turns the wait off.
- One batch at a time per handler and instance: the next batch's worker waits for the
  previous one to be settled, so events of one handler are handled in delivery order in this
  instance (before, up to `max_workers` ran at once in any order) and two batches of one
  handler never lock the same rows in opposite orders.
- Nothing lost, nothing twice: a message is acked only once its event is processed, skipped,
  a duplicate or dead-lettered; if the batch's transaction fails, the failing event is handled
  alone (`inbox.process`: a poison event is dead-lettered alone) and the others in batches
  again (split around it, or in halves when the failure is not one handler's); an event that
  cannot even be parked (database down) and those after it are requeued (`requeue_on_error`).
- Prefetch: nameko's `QueueConsumer` is one per container, shared by the RPC and event
  entrypoints, with a prefetch of `max_workers` (10) per consumer. The batching handlers have
  a queue consumer of their own (`BatchQueueConsumer`: a separate shared extension, so a
  connection of its own) whose prefetch is `EVENT_PREFETCH` per handler (default twice the
  batch: the next batch arrives while one is handled). The RPC side is untouched.
"""
import logging
from collections import deque
from functools import partial

import eventlet
from nameko.exceptions import ContainerBeingKilled

from . import config
from .inbox import REQUEUE
from .nameko_glue import EventHandler, QueueConsumer

log = logging.getLogger(__name__)

EVENT_BATCH_SIZE = max(1, int(config.env("EVENT_BATCH_SIZE", "50")))
EVENT_PREFETCH = max(1, int(config.env("EVENT_PREFETCH", str(2 * EVENT_BATCH_SIZE))))
# how long a handler that was idle waits for more events before it starts a batch that is not
# full (issue 11: under a steady stream each event was a batch of one, a transaction each)
EVENT_BATCH_LINGER = max(0.0, float(config.env("EVENT_BATCH_LINGER_MS", "50")) / 1000)


class BatchQueueConsumer(QueueConsumer):
    """The batching handlers' consumer: its own connection, a prefetch that lets batches form,
    and deliveries handed to the handler's buffer directly (no greenthread per message)."""

    @property
    def prefetch_count(self):
        return EVENT_PREFETCH

    def handle_message(self, provider, body, message):
        provider.handle_message(body, message)

    def unregister_provider(self, provider):
        if not self._consumers_ready.ready():
            # stopped while still starting (a SIGTERM just after the RPC consumer, a connection
            # of its own, answered): nameko sends this event once per provider, an
            # AssertionError from the second one on, and the service does not stop
            if not self._last_provider_unregistered.ready():
                self._last_provider_unregistered.send()
            return
        super().unregister_provider(provider)


class Batch:
    """A worker's events: taken from its handler's buffer when the worker starts (what waits
    then, up to EVENT_BATCH_SIZE), settled (acked or requeued) when it ends."""

    def __init__(self, handler):
        self.handler = handler
        self.items = None  # [(body, message)] once taken
        self.outcomes = []

    def take(self):
        if self.items is None:
            self.items = self.handler.take()
        return [body for body, _ in self.items]

    def __len__(self):
        return len(self.items or ())

    def __repr__(self):
        return f"<Batch of {len(self)} events>"


class BatchEventHandler(EventHandler):
    """`@consumes`' entrypoint: the events waiting for one handler, to one worker.

    The service method receives a `Batch` (`Batch.take()` gives the bodies) and sets
    `batch.outcomes`, one per body (inbox.process_batch's); a message is requeued if its outcome
    is inbox.REQUEUE, or if the method raised (requeue_on_error), else acked."""

    queue_consumer = BatchQueueConsumer()

    def setup(self):
        super().setup()
        self.batch_size = EVENT_BATCH_SIZE
        self._waiting = deque()  # (body, message) delivered, not yet in a batch
        self._scheduled = False  # a worker is coming for what waits
        self._one_at_a_time = eventlet.semaphore.Semaphore()

    def handle_message(self, body, message):
        """A delivery (in the queue consumer's thread): buffered; a worker is scheduled for it
        unless one is coming already."""
        self._waiting.append((body, message))
        if not self._scheduled:
            self._schedule()

    def _schedule(self):
        self._scheduled = True
        self.container.spawn_managed_thread(
            self._start_batch, identifier=f"BatchEventHandler.batch[{self.method_name}]")

    def _start_batch(self):
        self._one_at_a_time.acquire()  # the previous batch settled first: delivery order kept
        if EVENT_BATCH_LINGER and len(self._waiting) < self.batch_size:
            eventlet.sleep(EVENT_BATCH_LINGER)  # what arrives meanwhile joins this batch
        batch = Batch(self)
        try:
            self.container.spawn_worker(self, (batch,), {},
                                        handle_result=partial(self.handle_result, batch))
        except ContainerBeingKilled:
            self._one_at_a_time.release()
            for _, message in batch.items or self.take():
                self.queue_consumer.requeue_message(message)

    def take(self):
        """What waits, up to the batch size; what is left gets the next worker."""
        items = [self._waiting.popleft()
                 for _ in range(min(self.batch_size, len(self._waiting)))]
        if self._waiting:
            self._schedule()
        else:
            self._scheduled = False
        return items

    def handle_result(self, batch, worker_ctx, result=None, exc_info=None):
        try:
            batch.take()  # (already taken by the method, unless it failed before)
            outcomes = batch.outcomes if exc_info is None else []
            for n, (_, message) in enumerate(batch.items):
                outcome = outcomes[n] if n < len(outcomes) else None
                if outcome is None and self.requeue_on_error or outcome == REQUEUE:
                    self.queue_consumer.requeue_message(message)
                else:
                    self.queue_consumer.ack_message(message)
        finally:
            self._one_at_a_time.release()
        return result, exc_info


def summary(outcomes):
    """One word for a batch's outcomes, as a single event's worker returns it: "processed" if
    any event was (e.g. notifications sends its due mails after a consumer that queued some),
    else the first of the others."""
    for word in ("processed", REQUEUE, "dead_lettered", "parked", "duplicate", "skipped"):
        if word in outcomes:
            return word
    return None
