"""The logistics service (reference 003, step 3): the orders ready to hand to the logistician
(fed by the owners' events and the order desk's `order_progressed`), the numbered batches that
take them once each, their files (CSV, JSON), and their signed POST to `LOGISTICIAN_URL`,
retried by a timer until acknowledged. Publishes `orders_handed_off`. The RPCs take no account:
the gateway's « Logisticien » page is ADMIN only (as payments' payouts)."""
import logging

from nameko.extensions import DependencyProvider

from services.common.clock import utcnow
from services.common.nameko_glue import MessagingService, Store, consumes, rpc, timer

from . import use_cases
from .adapters import logistician
from .models import Base
from .use_cases import orders

log = logging.getLogger(__name__)

class LogisticianClient(DependencyProvider):
    """The logistician's URL and secret from the environment, read once."""

    def setup(self):
        self.client = logistician.from_environment()

    def get_dependency(self, worker_ctx):
        return self.client


class LogisticsService(MessagingService):
    name = "logistics"
    store = Store(Base.metadata)
    logistician = LogisticianClient()

    @consumes("grouped_order_validated")
    def on_grouped_order_validated(self, session, payload, envelope):
        orders.grouped_order_validated(session, payload, utcnow())

    @consumes("grouped_order_made_available")
    def on_grouped_order_made_available(self, session, payload, envelope):
        orders.grouped_order_made_available(session, payload, utcnow())

    @consumes("grouped_order_copies_changed")
    def on_grouped_order_copies_changed(self, session, payload, envelope):
        orders.grouped_order_copies_changed(session, payload, utcnow())

    @consumes("grouped_order_cancelled")
    def on_grouped_order_cancelled(self, session, payload, envelope):
        orders.grouped_order_cancelled(session, payload, utcnow())

    @consumes("collectivity_order_placed")
    def on_collectivity_order_placed(self, session, payload, envelope):
        orders.collectivity_order_placed(session, payload, utcnow())

    @consumes("collectivity_order_status_changed")
    def on_collectivity_order_status_changed(self, session, payload, envelope):
        orders.collectivity_order_status_changed(session, payload, utcnow())

    @consumes("order_progressed")
    def on_order_progressed(self, session, payload, envelope):
        orders.order_progressed(session, payload, utcnow())

    @consumes("invoice_issued")
    def on_invoice_issued(self, session, payload, envelope):
        """A credit note on a collectivity order: the copies it takes back are not handed
        over."""
        orders.credit_note_issued(session, payload, utcnow())

    @rpc
    def list_candidates(self):
        return self.store.run(use_cases.list_candidates)

    @rpc
    def list_batches(self, limit=50):
        return self.store.run(use_cases.list_batches, limit)

    @rpc
    def get_batch(self, number):
        return self.store.run(use_cases.get_batch, number)

    @rpc
    def batch_file(self, number, fmt):
        return self.store.run(use_cases.batch_file, number, fmt)

    @rpc
    def order_batches(self, order_keys):
        return self.store.run(use_cases.order_batches, order_keys)

    @rpc
    def hand_off(self, actor, order_keys=None, take_all=False, idempotency_key=None):
        """« Mettre les commandes à disposition du logisticien » + « Exécuter »."""
        request = {"order_keys": list(order_keys or ()), "take_all": bool(take_all)}
        return self.store.once(idempotency_key, "hand_off", actor, request, use_cases.hand_off,
                               request["order_keys"], request["take_all"], actor, utcnow(),
                               self.store.record, self.logistician.url)

    @timer(interval=1)
    def deliver_batches(self):
        if not self.logistician.configured:
            return
        try:
            use_cases.deliver_due(self.store.db, self.logistician, utcnow)
        except Exception:  # noqa: BLE001  (database down: the next tick tries again)
            log.warning("delivering the due batches failed", exc_info=True)
