"""The order desk: the register of every order the bookshop receives (sub-orders, grouped
orders, collectivity orders, quotes), fed by its owners' events, and the desk's reads (the month
calendar, the filtered list, one order). Each entrypoint is `self.store.run(use_case, …)`."""
from services.common.clock import utcnow
from services.common.errors import invalid
from services.common.nameko_glue import MessagingService, RpcProxy, Store, consumes, rpc

from . import use_cases
from .adapters import owners
from .domain.register import paris_day
from .models import Base


class OrderDeskService(MessagingService):
    name = "order_desk"
    store = Store(Base.metadata)
    grouped_orders = RpcProxy("grouped_orders")   # the owners asked for their moves
    baskets = RpcProxy("baskets")

    def _apply(self, use_case, session, payload, envelope):
        use_case(session, payload, envelope, utcnow(), self.store.record)

    # ---- RPC (read-only: the gateway's routes are admin only) --------------------------------
    @rpc
    def calendar(self, year, month):
        return self.store.run(use_cases.calendar_month, year, month, paris_day(utcnow()))

    @rpc
    def list_orders(self, filters=None):
        return self.store.run(use_cases.list_orders, filters)

    @rpc
    def get_order(self, kind, number):
        return self.store.run(use_cases.get_order, kind, number)

    # ---- progress states and their history (admin: the gateway's routes) ----------------------
    @rpc
    def progress_history(self, kind, number):
        return self.store.run(use_cases.progress_history, kind, number)

    @rpc
    def move_progress(self, kind, number, to, comment="", by="", actor_id=None, expected=None,
                      idempotency_key=None):
        """The bookshop moves an order's progress (`by`: its e-mail, `actor_id`: its account,
        `expected`: the state it saw). A move that is the owner's action is asked of the owner,
        whose event then moves the progress; the others are recorded here. The answer: the
        order's progress and history (`progress_history`)."""
        move = self.store.run(use_cases.plan_move, kind, number, to, comment, expected)
        if move.owner is None:
            return self.store.once(idempotency_key, "move_progress", by,
                                   [kind, int(number), to, comment, expected],
                                   use_cases.record_move, kind, number, to, comment, by,
                                   expected, utcnow(), self.store.record)
        if actor_id is None:
            raise invalid("Le compte qui demande ce changement d'état est requis.")
        asked = self.store.run(use_cases.ask_owner, move, number, by, utcnow())
        try:
            owners.ask({"grouped_orders": self.grouped_orders, "baskets": self.baskets}, move,
                       number, actor_id, idempotency_key)
        except Exception:
            self.store.run(use_cases.drop_request, asked)
            raise
        return self.store.run(use_cases.progress_history, kind, number)

    # ---- the owners' events ------------------------------------------------------------------
    @consumes("grouped_order_created")
    def on_grouped_order_created(self, session, payload, envelope):
        self._apply(use_cases.on_grouped_order_created, session, payload, envelope)

    @consumes("grouped_order_validated")
    def on_grouped_order_validated(self, session, payload, envelope):
        self._apply(use_cases.on_grouped_order_validated, session, payload, envelope)

    @consumes("grouped_order_made_available")
    def on_grouped_order_made_available(self, session, payload, envelope):
        self._apply(use_cases.on_grouped_order_made_available, session, payload, envelope)

    @consumes("grouped_order_cancelled")
    def on_grouped_order_cancelled(self, session, payload, envelope):
        self._apply(use_cases.on_grouped_order_cancelled, session, payload, envelope)

    @consumes("grouped_order_distributed")
    def on_grouped_order_distributed(self, session, payload, envelope):
        self._apply(use_cases.on_grouped_order_distributed, session, payload, envelope)

    @consumes("grouped_order_failed")
    def on_grouped_order_failed(self, session, payload, envelope):
        self._apply(use_cases.on_grouped_order_failed, session, payload, envelope)

    @consumes("sub_order_placed")
    def on_sub_order_placed(self, session, payload, envelope):
        self._apply(use_cases.on_sub_order_placed, session, payload, envelope)

    @consumes("sub_order_paid")
    def on_sub_order_paid(self, session, payload, envelope):
        self._apply(use_cases.on_sub_order_paid, session, payload, envelope)

    @consumes("sub_order_cancelled")
    def on_sub_order_cancelled(self, session, payload, envelope):
        self._apply(use_cases.on_sub_order_cancelled, session, payload, envelope)

    @consumes("sub_order_refunded")
    def on_sub_order_refunded(self, session, payload, envelope):
        self._apply(use_cases.on_sub_order_refunded, session, payload, envelope)

    @consumes("sub_order_email_corrected")
    def on_sub_order_email_corrected(self, session, payload, envelope):
        self._apply(use_cases.on_sub_order_email_corrected, session, payload, envelope)

    @consumes("sub_order_adjusted")
    def on_sub_order_adjusted(self, session, payload, envelope):
        self._apply(use_cases.on_sub_order_adjusted, session, payload, envelope)

    @consumes("quote_requested")
    def on_quote_requested(self, session, payload, envelope):
        self._apply(use_cases.on_quote_requested, session, payload, envelope)

    @consumes("collectivity_order_placed")
    def on_collectivity_order_placed(self, session, payload, envelope):
        self._apply(use_cases.on_collectivity_order_placed, session, payload, envelope)

    @consumes("collectivity_order_status_changed")
    def on_collectivity_order_status_changed(self, session, payload, envelope):
        self._apply(use_cases.on_collectivity_order_status_changed, session, payload, envelope)

    @consumes("classic_order_status_changed")
    def on_classic_order_status_changed(self, session, payload, envelope):
        self._apply(use_cases.on_classic_order_status_changed, session, payload, envelope)

    @consumes("payment_state_changed")
    def on_payment_state_changed(self, session, payload, envelope):
        self._apply(use_cases.on_payment_state_changed, session, payload, envelope)

    @consumes("invoice_issued")
    def on_invoice_issued(self, session, payload, envelope):
        self._apply(use_cases.on_invoice_issued, session, payload, envelope)

    @consumes("invoice_settled")
    def on_invoice_settled(self, session, payload, envelope):
        self._apply(use_cases.on_invoice_settled, session, payload, envelope)

    @consumes("orders_handed_off")
    def on_orders_handed_off(self, session, payload, envelope):
        self._apply(use_cases.on_orders_handed_off, session, payload, envelope)
