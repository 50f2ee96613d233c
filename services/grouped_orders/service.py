"""The grouped_orders service: grouped orders, their public subscription and payment, the
bookshop's validation, the deadline timer. Entrypoints: load -> handler -> dump."""
import base64
from datetime import datetime, timezone

from services.common.nameko_glue import RpcProxy  # nested calls bounded by the deadline

from services.common import config, idempotency
from services.common.errors import forbidden
from services.common.nameko_glue import MessagingService, Store, consumes, rpc, timer

from . import bookshop, handlers, pdf
from .models import Base

DEADLINE_INTERVAL = float(config.env("GROUPED_ORDERS_DEADLINE_INTERVAL", "30"))


def now():
    return datetime.now(timezone.utc)


def public_url():
    return config.env("PUBLIC_URL", "http://localhost:8000")


def bookshop_label():
    return config.env("BOOKSHOP_PICKUP", "À la librairie\nLibrairie des Collectivités\n"
                                         "12 rue Saint-Dizier\n54000 NANCY")


class GroupedOrdersService(MessagingService):
    name = "grouped_orders"
    store = Store(Base.metadata)
    accounts = RpcProxy("accounts")
    catalogue = RpcProxy("librisoft_bridge")
    payments = RpcProxy("payments")

    def _tx(self, fn, *args):
        with self.store.transaction() as session:
            return fn(session, *args)

    def _once(self, key, operation, actor, request, fn, *args):
        """Like _tx, once per idempotency key: a retry gets the first result back."""
        return idempotency.once(self.store, key, operation, actor, request, fn, *args)

    def _account(self, actor_id, admin=False):
        account = self.accounts.get_account(actor_id)
        if not account["active"] or (account["role"] == "admin") != admin:
            raise forbidden()
        return account

    # -- initiator ----------------------------------------------------------------------------
    @rpc
    def pickup_options(self, actor_id, client_number):
        self._account(actor_id)
        client = self.accounts.get_client_for_account(actor_id, client_number)
        return handlers.pickup_choices(client, bookshop_label())

    @rpc
    def create_grouped_order(self, actor_id, data, idempotency_key=None):
        initiator = self._account(actor_id)
        data = dict(data or {})
        client = self.accounts.get_client_for_account(actor_id, str(data.get("client_number")))
        article = self.catalogue.get_article(str(data.get("ean", ""))[:20])
        return self._once(idempotency_key, "create_grouped_order", actor_id, data,
                          handlers.create, initiator, client, article, data, now(),
                          self.store.record, public_url(), bookshop_label())

    @rpc
    def list_my_grouped_orders(self, actor_id):
        return self._tx(handlers.list_for_initiator, actor_id, now(), public_url())

    @rpc
    def get_my_grouped_order(self, actor_id, number):
        return self._tx(handlers.get_for_initiator, int(number), actor_id, now(), public_url())

    @rpc
    def change_deadline(self, actor_id, number, deadline, idempotency_key=None):
        return self._once(idempotency_key, "change_deadline", actor_id,
                          {"number": int(number), "deadline": deadline},
                          handlers.change_deadline, int(number), actor_id, deadline, now(),
                          public_url())

    @rpc
    def export_pdf(self, actor_id, number):
        """The sign-in sheet, base64: the initiator's own grouped order, or any for the admin."""
        account = self.accounts.get_account(actor_id)
        if account["role"] == "admin":
            view = self._tx(bookshop.get, int(number), now(), public_url())
        else:
            view = self._tx(handlers.get_for_initiator, int(number), actor_id, now(),
                            public_url())
        return base64.b64encode(pdf.render_in_child(view)).decode()

    # -- buyers -------------------------------------------------------------------------------
    @rpc
    def public_grouped_order(self, token):
        return self._tx(handlers.public, token, now())

    @rpc
    def subscribe(self, token, data, idempotency_key=None):
        data = dict(data or {})
        return self._once(idempotency_key, "subscribe", "", {"token": token, "data": data},
                          handlers.subscribe, token, data, now())

    @rpc
    def buyer_status(self, token, buyer_token):
        return self._tx(handlers.buyer_status, token, buyer_token, now())

    @rpc
    def start_payment(self, token, buyer_token, return_url, idempotency_key=None):
        """With a key, a retry finds the first attempt again and, through the attempt's own
        key, the same payment at the provider (even if the first answer was lost)."""
        attempt = self._once(idempotency_key, "start_payment", "",
                             {"token": token, "buyer_token": buyer_token,
                              "return_url": return_url},
                             handlers.begin_payment_attempt, token, buyer_token, now())
        payment = self.payments.start_payment({
            "reference_kind": attempt["reference_kind"],
            "reference_id": attempt["reference_id"], "amount": attempt["amount"],
            "description": attempt["description"], "customer_email": attempt["customer_email"],
            "return_url": return_url, "idempotency_key": attempt["idempotency_key"]})
        self._tx(handlers.attach_payment, attempt["attempt_id"], payment)
        return {"payment_id": payment["payment_id"], "redirect_url": payment["redirect_url"]}

    @consumes("payment_succeeded")
    def on_payment_succeeded(self, session, payload, envelope):
        handlers.on_payment_succeeded(session, payload, now(), self.store.record, public_url())

    @consumes("payment_failed")
    def on_payment_failed(self, session, payload, envelope):
        handlers.on_payment_failed(session, payload)

    @consumes("payment_refunded")
    def on_payment_refunded(self, session, payload, envelope):
        handlers.on_payment_refunded(session, payload, now(), self.store.record, public_url())

    @consumes("classic_order_status_changed")
    def on_classic_order_status_changed(self, session, payload, envelope):
        handlers.on_classic_order_status_changed(session, payload)

    # -- bookshop -----------------------------------------------------------------------------
    @rpc
    def admin_list(self, actor_id, tab="validation"):
        self._account(actor_id, admin=True)
        return self._tx(bookshop.list_tab, tab, now(), public_url())

    @rpc
    def admin_get(self, actor_id, number):
        self._account(actor_id, admin=True)
        return self._tx(bookshop.get, int(number), now(), public_url())

    @rpc
    def admin_validate_sub_order(self, actor_id, sub_number, idempotency_key=None):
        self._account(actor_id, admin=True)
        return self._once(idempotency_key, "admin_validate_sub_order", actor_id,
                          {"sub_number": int(sub_number)}, bookshop.validate_sub_order,
                          int(sub_number), now(), self.store.record, public_url())

    @rpc
    def admin_cancel_sub_order(self, actor_id, sub_number, reason="", idempotency_key=None):
        self._account(actor_id, admin=True)
        return self._once(idempotency_key, "admin_cancel_sub_order", actor_id,
                          {"sub_number": int(sub_number), "reason": reason},
                          bookshop.cancel_sub_order, int(sub_number), reason, now(),
                          self.store.record, public_url())

    @rpc
    def validate_grouped_order(self, actor_id, number, idempotency_key=None):
        self._account(actor_id, admin=True)
        return self._once(idempotency_key, "validate_grouped_order", actor_id,
                          {"number": int(number)}, bookshop.validate, int(number), now(),
                          self.store.record, public_url())

    @rpc
    def close_subscriptions_now(self, actor_id, number, idempotency_key=None):
        self._account(actor_id, admin=True)
        return self._once(idempotency_key, "close_subscriptions_now", actor_id,
                          {"number": int(number)}, bookshop.close_now, int(number), now(),
                          self.store.record, public_url())

    @rpc
    def cancel_grouped_order(self, actor_id, number, reason, idempotency_key=None):
        self._account(actor_id, admin=True)
        return self._once(idempotency_key, "cancel_grouped_order", actor_id,
                          {"number": int(number), "reason": reason}, bookshop.cancel,
                          int(number), reason, now(), self.store.record, public_url())

    @rpc
    def make_available(self, actor_id, number, idempotency_key=None):
        self._account(actor_id, admin=True)
        return self._once(idempotency_key, "make_available", actor_id, {"number": int(number)},
                          bookshop.make_available, int(number), now(), self.store.record,
                          public_url())

    @rpc
    def reset_status(self, actor_id, number, idempotency_key=None):
        self._account(actor_id, admin=True)
        return self._once(idempotency_key, "reset_status", actor_id, {"number": int(number)},
                          bookshop.reset_status, int(number), now(), public_url())

    @timer(interval=DEADLINE_INTERVAL)
    def close_expired(self):
        self._tx(bookshop.close_expired, now(), self.store.record, public_url())
