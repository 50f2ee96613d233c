"""What a worker of the payments service sees of its payment provider (the nameko
`PaymentProvider` dependency in service.py builds it): the provider, the sandbox's settings, and
a way to send a sandbox notification from a spawned thread, off the buyer's request."""
import logging

from . import sandbox_notify

log = logging.getLogger(__name__)


class ProviderHandle:
    """`provider` (the interface of `providers`), the sandbox `settings`, and
    `deliver_soon(db, notification_id)`."""

    def __init__(self, provider, settings, spawn):
        self.provider = provider
        self.settings = settings
        self._spawn = spawn

    def deliver_soon(self, db, notification_id):
        self._spawn(lambda: self._deliver(db, notification_id))

    def _deliver(self, db, notification_id):
        # nameko kills the container when a managed thread raises: never let it (the timer
        # sends again what is left undelivered)
        try:
            sandbox_notify.deliver(db, self.settings, notification_id)
        except Exception:
            log.exception("sandbox: sending notification %s failed", notification_id)
