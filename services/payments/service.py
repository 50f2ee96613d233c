"""The payments service: buyers pay their sub-order on the provider's hosted page (the built-in
sandbox); grouped_orders starts payments over RPC and consumes payment_succeeded,
payment_failed and payment_refunded. Each entrypoint is load -> handler -> dump."""
from datetime import datetime, timezone

from nameko.web.handlers import http
from sqlalchemy.exc import IntegrityError

from services.common.nameko_glue import MessagingService, Store, consumes, rpc, timer

from . import handlers, sandbox_notify, sandbox_pages, web
from .dependencies import PaymentProvider
from .models import Base
from .providers import MAX_CALLBACK_BYTES


def now():
    return datetime.now(timezone.utc)


class PaymentsService(MessagingService):
    name = "payments"
    store = Store(Base.metadata)
    payment_provider = PaymentProvider()

    def _do(self, fn, *args):
        """Run a handler in a transaction; once more if a concurrent twin won a unique key."""
        for attempt in (1, 2):
            try:
                with self.store.transaction() as session:
                    return fn(session, *args)
            except IntegrityError:
                if attempt == 2:
                    raise

    # ---- RPC ---------------------------------------------------------------------------------
    @rpc
    def start_payment(self, data):
        return self._do(handlers.start_payment, self.payment_provider.provider, data, now(),
                        self.store.record)

    @rpc
    def get_payment(self, payment_id):
        return self._do(handlers.get_payment, payment_id)

    @rpc
    def list_payments(self, reference_kind, reference_id):
        return self._do(handlers.list_payments, reference_kind, reference_id)

    @rpc
    def refund(self, payment_id, reason=""):
        return self._do(handlers.refund_payment, self.payment_provider.provider, payment_id,
                        None, reason, now(), self.store.record)

    # ---- events ------------------------------------------------------------------------------
    @consumes("refund_requested")
    def on_refund_requested(self, session, payload, envelope):
        handlers.refund_payment(session, self.payment_provider.provider, payload["payment_id"],
                                payload["amount"], payload.get("reason", ""), now(),
                                self.store.record,
                                reference=(payload["reference_kind"], payload["reference_id"]))

    # ---- provider callbacks ------------------------------------------------------------------
    @http("POST", "/payments/v1/callbacks/sandbox")
    def sandbox_callback(self, request):
        return web.respond_json(lambda: self._callback(request))

    def _callback(self, request):
        provider = self.payment_provider.provider
        event = provider.verify_callback(request.headers,
                                         web.read_body(request, MAX_CALLBACK_BYTES), now())
        try:
            return self._do_once(handlers.apply_callback, provider, event, now(),
                                 self.store.record)
        except IntegrityError:  # the same event id, applied meanwhile by another worker
            return {"status": "duplicate"}

    def _do_once(self, fn, *args):
        with self.store.transaction() as session:
            return fn(session, *args)

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
            db, request, checkout_id, now(), lambda n: handle.deliver_soon(db, n)))

    @timer(interval=5)
    def redeliver_sandbox_notifications(self):
        sandbox_notify.deliver_due(self.store.db, self.payment_provider.settings)
