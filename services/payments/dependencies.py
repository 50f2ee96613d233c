"""nameko DependencyProviders of the payments service: the payment provider (the sandbox, set
up from the environment and this process's WEB_SERVER_ADDRESS) and a way to run the sandbox's
callbacks in a managed greenthread, off the buyer's request."""
import logging

from nameko.extensions import DependencyProvider

from . import sandbox, sandbox_notify

log = logging.getLogger(__name__)


class ProviderHandle:
    """What a worker sees: `provider` (the interface of `providers`), the sandbox `settings`,
    and `deliver_soon(db, notification_id)`."""

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


class PaymentProvider(DependencyProvider):
    def setup(self):
        self.settings = sandbox.settings_from_env(
            self.container.config.get("WEB_SERVER_ADDRESS"))
        self.provider = sandbox.SandboxProvider(self.settings)

    def get_dependency(self, worker_ctx):
        return ProviderHandle(self.provider, self.settings, self.container.spawn_managed_thread)
