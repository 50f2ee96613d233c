"""API v1: invoices and credit notes (avoirs), read-only, over the invoicing service.

- The bookshop (ADMIN): the register (`GET /admin/invoices`, newest first, with the totals of
  invoices, credit notes and the net), one invoice or credit note (`GET
  /admin/invoices/<number>`, with its lines; an invoice with its credit notes and what is left
  to credit) and its PDF (`…/pdf`: Factur-X for a public buyer), as on the Finances page.
- A collectivity's account (Utilisateur, Approbateur, Collectivité): the invoices and credit
  notes of its clients' collectivity orders only (`GET /invoices`, `/invoices/<number>`,
  `…/pdf`). Which orders are the account's is asked of their owner, baskets
  (`list_my_documents`, `get_my_document`: the same check as the order's page and its PDF);
  another's invoice, or a parent's, is a 404, as if it did not exist.

Thin: each route is the RPCs of the pages that show the same thing."""
import base64
import re

from flask import Response, g
from flask.views import MethodView
from marshmallow import fields

from services.common.contracts.fields import booleans, integers, texts
from services.common.errors import DomainError, not_found

from ..rpc_client import rpc, slow_rpc
from ..security import ADMIN, APPROBATEUR, COLLECTIVITE, UTILISATEUR
from .base import Blueprint, Integer, Length, Out, Query, Range, String
from .routes import json_only
from .schemas import many

blp = Blueprint("api_invoices", __name__, url_prefix="/api/v1",
                description="Factures et avoirs")
blp.before_request(json_only)

CUSTOMERS = [UTILISATEUR, APPROBATEUR, COLLECTIVITE]
NUMBER = re.compile(r"^\d{4}-\d{2}-\d{9}$")  # YYYY-MM-NNNNNNNNN
UNKNOWN = "Facture introuvable."


# ---- answers ----------------------------------------------------------------------------------
class OrderRef(Out):
    kind, kind_label = texts(2)
    number = fields.Integer()


class Customer(Out):
    name, email, client_number, siret, chorus_service_code = texts(5)
    address_lines = fields.List(fields.String())
    public_buyer = fields.Boolean()


class Payment(Out):
    method, state_label, cheque_number = texts(3)


class VatRate(Out):
    """One VAT rate: its base HT and its amount (base = the rate's TTC / (1 + rate))."""
    rate, base_ht, amount = texts(3)


class Line(Out):
    """A line as invoiced (or credited: `position` is the invoice line's it credits); a
    collectivity's discounted line adds its public price, its rate and the unit discount."""
    position, quantity = integers(2)
    ean, title, publisher, vat_rate = texts(4)
    unit_price_ttc, total_ht, vat_amount, total_ttc = texts(4)
    public_price_ttc, discount_percent, unit_discount, line_discount = texts(4)


class CreditNoteRef(Out):
    number, total_ttc, issued_at = texts(3)


class Remaining(Out):
    """What is left to credit of an invoice line."""
    position, quantity = integers(2)
    title, unit_price_ttc = texts(2)


class Settlement(Out):
    """What an invoice says was paid (net of a refund or an extra payment at pickup)."""
    paid, refunded_at_pickup, extra_at_pickup, net_paid, balance = texts(5)


class Credit(Out):
    """What becomes of a credit note's amount: `refund` (its invoice was paid: `to_refund`,
    less what was `already_refunded` at pickup) or `deduct` (from what the invoice asks)."""
    mode, credited, already_refunded, to_refund, to_deduct = texts(5)


class InvoiceSummary(Out):
    """An invoice (`kind` invoice) or a credit note (`credit_note`, `invoice_number` the invoice
    it corrects). Money as strings ("43.80"), dates ISO (Paris days)."""
    number, kind, kind_label, title, reference = texts(5)
    issued_at, issued_on, sale_date, due_on = texts(4)
    total_ht, vat_total, total_ttc, reason, invoice_number = texts(5)
    paid, cancelled, facturx = booleans(3)
    order = fields.Nested(OrderRef)
    customer = fields.Nested(Customer)
    payment = fields.Nested(Payment)
    vat = many(VatRate)
    invoice_issued_on = fields.String()   # a credit note's invoice's day
    invoice_paid = fields.Boolean()       # whether a credit note's invoice was paid
    # in the register: what was handed back at pickup that no credit note covers yet
    to_regularise = fields.String()
    credit_notes = many(CreditNoteRef)            # an invoice's, oldest first
    remaining_ttc = fields.String()               # what all that is left comes to (TTC)
    credited_ttc = fields.String()                # an invoice's credit notes, TTC
    due_ttc = fields.String()                     # what is still owed on it: not paid, less
                                                  # its credit notes (deducted); else 0.00


class Invoice(InvoiceSummary):
    lines = many(Line)
    discount_total = fields.String()
    settlement = fields.Nested(Settlement)        # an invoice, as it printed it
    remaining = many(Remaining)                   # an invoice's lines left to credit
    credit = fields.Nested(Credit)                # a credit note


class Sums(Out):
    total_ht, vat_total, total_ttc = texts(3)
    count = fields.Integer()


class RegisterTotals(Out):
    invoice = fields.Nested(Sums)
    credit_note = fields.Nested(Sums)
    net = fields.Nested(Sums)  # invoices less credit notes (no count)


class RegisterQuery(Out):
    recherche, du, au = texts(3)


class InvoicePage(Out):
    items = many(InvoiceSummary)
    totals = fields.Nested(RegisterTotals)   # every document the filters keep
    filters = fields.Nested(RegisterQuery)   # as understood (words folded)
    more = fields.Boolean()                  # documents beyond `limit` left out of `items`


class InvoicesQuery(Query):
    limit = Integer(strict=False, load_default=500, validate=Range(min=1, max=2000))
    # words of the number, customer, client number, SIRET or reference (accents and case
    # ignored); a period of issue, Paris days (YYYY-MM-DD)
    recherche = String(load_default="", validate=Length(max=200))
    du = String(load_default="", validate=Length(max=10))
    au = String(load_default="", validate=Length(max=10))


def _filters(args):
    return {k: args[k] for k in ("recherche", "du", "au") if args.get(k)} or None


PDF = {"description": "Le PDF (application/pdf).",
       "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}


# ---- helpers ----------------------------------------------------------------------------------
def _invoice(number):
    if not NUMBER.match(number or ""):
        raise not_found(UNKNOWN)
    return rpc("invoicing", "get_invoice", number)


def _own_invoice(number):
    """The invoice if it is one of the account's collectivity orders'; else a 404."""
    invoice = _invoice(number)
    order = invoice["order"]
    if order["kind"] != "collectivity_order":
        raise not_found(UNKNOWN)
    try:
        rpc("baskets", "get_my_document", g.user["id"], "order", int(order["number"]))
    except DomainError as exc:
        if exc.code in ("not_found", "forbidden"):
            raise not_found(UNKNOWN) from None
        raise
    return invoice


def _pdf(invoice):
    pdf = base64.b64decode(slow_rpc("invoicing", "invoice_pdf", invoice["number"]))
    name = ("avoir" if invoice["kind"] == "credit_note" else "facture") + \
        f"-{invoice['number']}.pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


# ---- the bookshop -----------------------------------------------------------------------------
@blp.view("/admin/invoices", [ADMIN])
class AdminInvoices(MethodView):
    @blp.answers(InvoicePage, query=InvoicesQuery)
    def get(self, args):
        """Every invoice and credit note (or those of `recherche`, `du`, `au`), newest first
        (`limit`), with their totals."""
        return rpc("invoicing", "list_invoices", args["limit"], None, None, _filters(args))


@blp.view("/admin/invoices/<number>", [ADMIN])
class AdminInvoice(MethodView):
    @blp.answers(Invoice)
    def get(self, number):
        """One invoice (with its credit notes and what is left to credit) or credit note."""
        return _invoice(number)


@blp.view("/admin/invoices/<number>/pdf", [ADMIN])
class AdminInvoicePdf(MethodView):
    @blp.doc(responses={"200": PDF})
    @blp.response(200, content_type="application/pdf")
    def get(self, number):
        """Its PDF (Factur-X, EN 16931, for a public buyer)."""
        return _pdf(_invoice(number))


# ---- a collectivity's account -----------------------------------------------------------------
@blp.view("/invoices", CUSTOMERS)
class Invoices(MethodView):
    @blp.answers(InvoicePage, query=InvoicesQuery)
    def get(self, args):
        """The invoices and credit notes of the account's collectivity orders, newest first."""
        mine = rpc("baskets", "list_my_documents", g.user["id"], "order")
        return rpc("invoicing", "list_invoices", args["limit"], "collectivity_order",
                   [d["number"] for d in mine], _filters(args))


@blp.view("/invoices/<number>", CUSTOMERS)
class MyInvoice(MethodView):
    @blp.answers(Invoice)
    def get(self, number):
        """One of the account's invoices or credit notes (another's: 404)."""
        return _own_invoice(number)


@blp.view("/invoices/<number>/pdf", CUSTOMERS)
class MyInvoicePdf(MethodView):
    @blp.doc(responses={"200": PDF})
    @blp.response(200, content_type="application/pdf")
    def get(self, number):
        """Its PDF (Factur-X for a public buyer)."""
        return _pdf(_own_invoice(number))
