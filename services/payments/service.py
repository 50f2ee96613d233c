"""The payments service: buyers pay their sub-order on the provider's hosted page (the built-in
sandbox); grouped_orders starts payments over RPC and consumes payment_succeeded,
payment_failed and payment_refunded. Each entrypoint is `self.store.run(use_case, …)`."""
from nameko.extensions import DependencyProvider
from nameko.web.handlers import http
from sqlalchemy.exc import IntegrityError

from services.common.clock import utcnow
from services.common.nameko_glue import MessagingService, Store, consumes, rpc, timer

from . import use_cases
from .adapters import sandbox, sandbox_notify, sandbox_pages, web
from .adapters.handle import ProviderHandle
from .adapters.providers import MAX_CALLBACK_BYTES
from .models import Base


class PaymentProvider(DependencyProvider):
    """The payment provider (the sandbox, set up from the environment and this process's
    WEB_SERVER_ADDRESS); its sandbox callbacks run in managed threads, off the buyer's request."""

    def setup(self):
        self.settings = sandbox.settings_from_env(
            self.container.config.get("WEB_SERVER_ADDRESS"))
        self.provider = sandbox.SandboxProvider(self.settings)

    def get_dependency(self, worker_ctx):
        return ProviderHandle(self.provider, self.settings, self.container.spawn_managed_thread)


class PaymentsService(MessagingService):
    name = "payments"
    store = Store(Base.metadata)
    payment_provider = PaymentProvider()

    # ---- RPC (once more if a concurrent twin won a unique key) -------------------------------
    @rpc
    def start_payment(self, data):
        return self.store.run_retry_on_conflict(
            use_cases.start_payment, self.payment_provider.provider, data, utcnow(),
            self.store.record)

    @rpc
    def get_payment(self, payment_id):
        return self.store.run_retry_on_conflict(use_cases.get_payment, payment_id)

    @rpc
    def list_payments(self, reference_kind, reference_id):
        return self.store.run_retry_on_conflict(use_cases.list_payments, reference_kind,
                                                reference_id)

    @rpc
    def record_manual_payment(self, reference_kind, reference_id, amount, method,
                              cheque_number="", by=""):
        """A cheque or cash received by the bookshop (issue 9): one payment per reference, the
        cheque number checked (7 digits); a second one is a 409."""
        return self.store.run_retry_on_conflict(
            use_cases.record_manual_payment, reference_kind, reference_id, amount, method,
            cheque_number, by, utcnow(), self.store.record)

    @rpc
    def refund(self, payment_id, reason=""):
        return self.store.run_retry_on_conflict(
            use_cases.refund_payment, self.payment_provider.provider, payment_id, None, reason,
            utcnow(), self.store.record)

    # ---- payouts (reference 002 §3): ADMIN only, enforced by the gateway's routes ------------
    @rpc
    def list_payouts(self, actor_id=None, status=None):
        return self.store.run(use_cases.list_payouts, actor_id, status)

    @rpc
    def get_payout(self, payout_id):
        return self.store.run(use_cases.get_payout, payout_id)

    @rpc
    def export_payouts_csv(self):
        return self.store.run(use_cases.export_payouts_csv)

    @rpc
    def mark_payout_paid(self, payout_id, idempotency_key):
        return self.store.run_retry_on_conflict(use_cases.mark_payout_paid, payout_id,
                                                idempotency_key, utcnow())

    # ---- events ------------------------------------------------------------------------------
    @consumes("refund_requested")
    def on_refund_requested(self, session, payload, envelope):
        use_cases.refund_payment(session, self.payment_provider.provider, payload["payment_id"],
                                 payload["amount"], payload.get("reason", ""), utcnow(),
                                 self.store.record,
                                 reference=(payload["reference_kind"], payload["reference_id"]),
                                 request_key=payload.get("request_key", ""))

    @consumes("sub_order_cancelled")
    def on_sub_order_cancelled(self, session, payload, envelope):
        """A cancelled sub-order's payment page still open is closed (nothing to pay)."""
        use_cases.close_open_checkouts(session, self.payment_provider.provider, "sub_order",
                                       payload["sub_order_number"], utcnow(), self.store.record)

    # ---- provider callbacks ------------------------------------------------------------------
    @http("POST", "/payments/v1/callbacks/sandbox")
    def sandbox_callback(self, request):
        return web.respond_json(lambda: self._callback(request))

    def _callback(self, request):
        provider = self.payment_provider.provider
        event = provider.verify_callback(request.headers,
                                         web.read_body(request, MAX_CALLBACK_BYTES), utcnow())
        try:
            return self.store.run(use_cases.apply_callback, provider, event, utcnow(),
                                  self.store.record)
        except IntegrityError:  # the same event id, applied meanwhile by another worker
            return {"status": "duplicate"}

    @http("GET,POST,PUT,PATCH,DELETE", "/payments/v1/<path:path>")
    def unknown_route(self, request, path):
        return web.error_response(404, "not_found",
                                  f"Route inconnue : {request.method} {request.path[:200]}.")

    # ---- the sandbox's hosted page -----------------------------------------------------------
    @http("GET", "/sandbox/checkout/<checkout_id>")
    def sandbox_checkout_page(self, request, checkout_id):
        return web.respond_html(lambda: sandbox_pages.show(
            self.store.db, self.payment_provider.settings, checkout_id))

    @http("POST", "/sandbox/checkout/<checkout_id>")
    def sandbox_checkout_submit(self, request, checkout_id):
        handle, db = self.payment_provider, self.store.db
        return web.respond_html(lambda: sandbox_pages.submit(
            db, request, checkout_id, utcnow(), lambda n: handle.deliver_soon(db, n)))

    @timer(interval=5)
    def redeliver_sandbox_notifications(self):
        sandbox_notify.deliver_due(self.store.db, self.payment_provider.settings)
