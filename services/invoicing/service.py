"""The invoicing service (reference 003 step 2, issue 9): « Générer une facture » for an order,
credit notes, the gapless `YYYY-MM-NNNNNNNNN` series, the PDFs (Factur-X for public buyers).
Each entrypoint is one or two lines over `self.store` and the use cases. Issuing is an admin's
only (checked here against accounts); reading trusts the gateway's checks (the customer's own
order), as payments' payouts do."""
import base64

from services.common import config
from services.common.clock import utcnow
from services.common.errors import DomainError, forbidden
from services.common.nameko_glue import MessagingService, RpcProxy, Store, consumes, rpc

from . import domain, presenters, render, use_cases
from .models import Base


class InvoicingService(MessagingService):
    name = "invoicing"
    store = Store(Base.metadata)
    accounts = RpcProxy("accounts")
    grouped_orders = RpcProxy("grouped_orders")
    baskets = RpcProxy("baskets")

    def _admin(self, actor_id):
        account = self.accounts.get_account(actor_id)
        if not account["active"] or account["role"] != "admin":
            raise forbidden("Seule la librairie émet les factures et les avoirs.")

    def _owner(self, kind):
        return getattr(self, domain.ORDER_OWNERS[kind])

    @rpc
    def issue_invoice(self, actor_id, kind, number):
        """The order's invoice, made once (the same order asked again: the same invoice)."""
        kind, number = use_cases.issuing.check_invoiceable(kind, number)
        self._admin(actor_id)
        return self._issue(actor_id, kind, number)[0]

    @rpc
    def issue_invoices(self, actor_id, kind, numbers):
        """« Facturer les sous-commandes payées »: each order's invoice (one already invoiced
        keeps its own), each in its own transaction; {issued, existing, refused}."""
        kind, numbers = use_cases.issuing.check_batch(kind, numbers)
        self._admin(actor_id)
        outcome = {"issued": [], "existing": [], "refused": []}
        for number in numbers:
            try:
                invoice, made = self._issue(actor_id, kind, number)
            except DomainError as exc:
                if exc.code in ("unavailable", "forbidden"):
                    raise
                outcome["refused"].append({"order": int(number), "message": exc.message})
                continue
            outcome["issued" if made else "existing"].append(
                {"order": int(number), "number": invoice["number"],
                 "total_ttc": invoice["total_ttc"]})
        return outcome

    def _issue(self, actor_id, kind, number):
        """(the order's invoice, whether it was made now)."""
        existing = self.store.run(use_cases.issuing.live_invoice_answer, kind, number)
        if existing is not None:
            return existing, False
        document = self._owner(kind).order_document(kind, int(number))
        invoice = self.store.run_retry_on_conflict(
            use_cases.issue_invoice, kind, number, document, actor_id, utcnow(),
            self.store.record, config.seller()["payment_days"])
        return invoice, True

    @rpc
    def issue_credit_note(self, actor_id, invoice_number, reason, lines=None,
                          idempotency_key=None):
        """A credit note for all that is left of the invoice (`lines` None) or for
        {position: quantity}; once per idempotency key."""
        self._admin(actor_id)
        return self.store.once(idempotency_key, "issue_credit_note", actor_id,
                               {"invoice": invoice_number, "reason": reason, "lines": lines},
                               use_cases.issue_credit_note, invoice_number, lines, reason,
                               actor_id, utcnow(), self.store.record)

    @rpc
    def settle_invoice(self, actor_id, number, note="", idempotency_key=None):
        """« Marquer réglée »: an invoice on account marked paid, once."""
        self._admin(actor_id)
        return self.store.once(idempotency_key, "settle_invoice", actor_id,
                               {"invoice": number, "note": note}, use_cases.settle_invoice,
                               number, note, actor_id, utcnow(), self.store.record)

    @consumes("sub_order_cancelled")
    def on_sub_order_cancelled(self, session, payload, envelope):
        """A sub-order its owner cancelled by itself while invoiced (the grouped order failed
        its minimum at the deadline): its invoice gets its credit note at once."""
        use_cases.credit_cancelled_order(session, "sub_order", payload["sub_order_number"],
                                         payload.get("reason", ""), utcnow(), self.store.record)

    @consumes("collectivity_order_status_changed",
              wanted=lambda payload: payload.get("action") == "cancelled")
    def on_collectivity_order_status_changed(self, session, payload, envelope):
        """A collectivity order cancelled in the instant its invoice was being issued (its
        owner had not heard of the invoice yet): the invoice is credited at once."""
        use_cases.credit_cancelled_order(session, "collectivity_order", payload["number"],
                                         payload.get("reason", ""), utcnow(), self.store.record)

    @rpc
    def list_invoices(self, limit=500, order_kind=None, order_numbers=None, filters=None):
        """The register (the Finances page, the API); with `order_kind` and `order_numbers`,
        those orders' invoices and credit notes only (a customer's own); `filters`:
        {recherche, du, au} (domain.register)."""
        return self.store.run(use_cases.list_invoices, limit, order_kind, order_numbers,
                              filters)

    @rpc
    def export_invoices_csv(self, filters=None):
        return self.store.run(use_cases.export_csv, filters)

    @rpc
    def get_invoice(self, number):
        return self.store.run(use_cases.get_invoice, number)

    @rpc
    def order_invoices(self, kind, number):
        return self.store.run(use_cases.order_invoices, kind, number)

    @rpc
    def invoices_for_orders(self, kind, numbers):
        return self.store.run(use_cases.invoices_for_orders, kind, numbers)

    @rpc
    def invoice_pdf(self, number):
        """The PDF (Factur-X for a public buyer), base64, drawn in a child process."""
        view = presenters.document_view(self.store.run(use_cases.get_invoice, number),
                                        config.seller())
        return base64.b64encode(render.render_in_child(view)).decode()
