"""The payloads of the order desk's and the school cycle's events (issues 9 and 10): the
reminders, the books made available, the desk's progress, payments' states, invoices and the
logistician's hand-offs. The registry is services/common/contracts/events.py; the shared pieces
(a grouped order's or a sub-order's reference, a line) and the other producers' payloads are in
services/common/contracts/payloads.py."""
from marshmallow import fields, validate

from services.common.progress import PROGRESS_CODES

from .fields import Money
from .payloads import GroupedOrderRef, Payload, SubOrderLine, SubOrderRef

# ---- the order desk (issue 9) and reading lists (issue 10) ---------------------------------
# An order of any kind is named on the wire by an OrderKey: its kind and its owner's number.
ORDER_KINDS = ("sub_order", "grouped_order", "collectivity_order", "quote")
# The one progress vocabulary (references 002 §2 and 003 step 2): services.common.progress


class OrderKey(Payload):
    kind = fields.String(required=True, validate=validate.OneOf(ORDER_KINDS))
    number = fields.Integer(required=True)


class SubOrderPlacedV1(SubOrderRef):
    """A buyer subscribed (a new order for the desk, awaiting its payment)."""
    quantity = fields.Integer(required=True)                 # copies, all titles
    total_ttc = Money(required=True)
    subscribed_at = fields.String(required=True)
    payment_method = fields.String(load_default="online", validate=validate.OneOf(
        ["online", "cheque", "cash", "pickup"]))
    lines = fields.List(fields.Nested(SubOrderLine), load_default=list)
    buyer_url = fields.String(load_default="")  # the buyer's own page (optional: older events)
    # whether the buyers get « Vos livres sont prêts » (the bookshop's switch on the grouped
    # order): a buyer paying at pickup is promised that mail only then
    buyers_told_when_ready = fields.Boolean(load_default=True)


class TitleFiguresRef(Payload):
    """One title's copies and totals TTC so far, paid and awaiting payment."""
    ean = fields.String(required=True)
    title = fields.String(required=True)
    copies_paid = fields.Integer(required=True)
    copies_awaiting = fields.Integer(required=True)
    total_paid = Money(required=True)
    total_awaiting = Money(required=True)


class UnpaidBuyer(Payload):
    sub_order_number = fields.Integer(required=True)
    first_name = fields.String(required=True)
    last_name = fields.String(required=True)
    email = fields.String(required=True)
    quantity = fields.Integer(required=True)
    total_ttc = Money(required=True)
    payment_method = fields.String(load_default="online", validate=validate.OneOf(
        ["online", "cheque", "cash", "pickup"]))


class GroupedOrderDeadlineApproachedV1(GroupedOrderRef):
    """The initiator's reminder fell due (issue 10, K1): N days before the deadline, once per
    grouped order, with the figures so far."""
    days_left = fields.Integer(required=True)          # subscription days left, today included
    reminded_at = fields.String(required=True)
    paid_quantity = fields.Integer(required=True)
    awaiting_quantity = fields.Integer(required=True)
    paid_total = Money(required=True)
    awaiting_total = Money(required=True)
    paid_sub_orders = fields.Integer(required=True)
    by_title = fields.List(fields.Nested(TitleFiguresRef), load_default=list)
    unpaid_buyers = fields.List(fields.Nested(UnpaidBuyer), load_default=list)
    reminds_buyers = fields.Boolean(load_default=True)  # they get their own reminder too


class SubOrderPaymentRemindedV1(SubOrderRef):
    """A buyer's payment reminder fell due (issue 10, K1): the sub-order still awaits its
    payment N days before the deadline; once per sub-order."""
    quantity = fields.Integer(required=True)
    total_ttc = Money(required=True)
    lines = fields.List(fields.Nested(SubOrderLine), load_default=list)
    subscribed_at = fields.String(required=True)
    payment_method = fields.String(load_default="online", validate=validate.OneOf(
        ["online", "cheque", "cash", "pickup"]))
    pay_url = fields.String(required=True)              # the buyer's own page (pay online)
    days_left = fields.Integer(required=True)
    reminded_at = fields.String(required=True)


class SubOrderEmailCorrectedV1(SubOrderRef):
    """The bookshop corrected a buyer's mistyped e-mail (`buyer.email`: the new one): its
    messages go there from now on; the buyer is told there, with their order's page."""
    previous_email = fields.String(required=True)
    quantity = fields.Integer(required=True)
    total_ttc = Money(required=True)
    lines = fields.List(fields.Nested(SubOrderLine), load_default=list)
    status = fields.String(required=True)               # awaiting_payment | paid | cancelled
    status_label = fields.String(required=True)
    payment_method = fields.String(load_default="online", validate=validate.OneOf(
        ["online", "cheque", "cash", "pickup"]))
    page_url = fields.String(required=True)             # the buyer's own page (pay online)
    corrected_at = fields.String(required=True)


class SubOrderMadeAvailableV1(SubOrderRef):
    """A buyer's books are ready (the grouped order made available), or, `rescheduled`, the
    distribution's date was set or changed afterwards (issue 10 K5): one event per buyer not
    cancelled, only when the grouped order's buyer mails are on."""
    quantity = fields.Integer(required=True)
    total_ttc = Money(required=True)
    lines = fields.List(fields.Nested(SubOrderLine), load_default=list)
    payment_method = fields.String(load_default="online", validate=validate.OneOf(
        ["online", "cheque", "cash", "pickup"]))
    amount_due = Money(allow_none=True, load_default=None)  # to pay at pickup; None: paid
    buyer_url = fields.String(required=True)                # the buyer's own page
    distribution_date = fields.String(allow_none=True, load_default=None)  # ISO day
    distribution_slot = fields.String(load_default="")
    distribution_label = fields.String(load_default="")     # « le lundi 14 décembre 2026, … »
    rescheduled = fields.Boolean(load_default=False)
    made_available_at = fields.String(allow_none=True, load_default=None)
    told_at = fields.String(required=True)


class SubOrderDistributionRemindedV1(SubOrderRef):
    """The day before distribution day: one buyer not cancelled reminded of the date, the place,
    their titles and what to bring; once per buyer and date, when the buyer mails are on."""
    quantity = fields.Integer(required=True)
    total_ttc = Money(required=True)
    lines = fields.List(fields.Nested(SubOrderLine), load_default=list)
    payment_method = fields.String(load_default="online", validate=validate.OneOf(
        ["online", "cheque", "cash", "pickup"]))
    amount_due = Money(allow_none=True, load_default=None)  # to pay at pickup; None: paid
    buyer_url = fields.String(required=True)
    distribution_date = fields.String(required=True)        # ISO day: tomorrow
    distribution_slot = fields.String(load_default="")
    distribution_label = fields.String(required=True)
    reminded_at = fields.String(required=True)


PAYMENT_STATES = ["pending", "processing", "succeeded", "refused", "cancelled", "error",
                  "refunded"]


class PaymentStateChangedV1(Payload):
    """A payment entered one of reference 003's states (payments.domain.states), from
    `previous_state`. A payment started (created pending and sent to the provider's page in one
    transaction) publishes one: `processing` (or `error`) from `pending` (issue 11)."""
    payment_id = fields.String(required=True)
    reference_kind = fields.String(required=True)             # an ORDER_KINDS kind
    reference_id = fields.String(required=True)               # the order's number
    state = fields.String(required=True, validate=validate.OneOf(PAYMENT_STATES))
    label = fields.String(required=True)                      # the reference 003 label
    amount = Money(required=True)
    method = fields.String(load_default="online", validate=validate.OneOf(
        ["online", "cheque", "cash"]))
    cheque_number = fields.String(load_default="")
    occurred_at = fields.String(required=True)
    # the state it left (issue 11; None: created in `state`, or an event of a payments
    # service older than the field)
    previous_state = fields.String(load_default=None, allow_none=True,
                                   validate=validate.OneOf(PAYMENT_STATES))


class OrderProgressedV1(Payload):
    """An order moved along the one progress vocabulary (who, when, from -> to, comment)."""
    order = fields.Nested(OrderKey, required=True)
    from_status = fields.String(load_default=None, allow_none=True,
                                validate=validate.OneOf(PROGRESS_CODES))
    to_status = fields.String(required=True, validate=validate.OneOf(PROGRESS_CODES))
    label = fields.String(required=True)
    comment = fields.String(load_default="")
    by = fields.String(load_default="")                       # an e-mail, or "système"
    at = fields.String(required=True)
    customer_name = fields.String(load_default="")
    customer_email = fields.String(load_default="")
    # optional: other addresses mailed too (who placed a collectivity's order, who made its
    # basket, besides its client's contact)
    cc_emails = fields.List(fields.String(), load_default=list)
    total_ttc = Money(load_default=None, allow_none=True)
    detail_url = fields.String(load_default="")
    # False when the owner's own event mailed the customer already (a grouped order made
    # available, a collectivity order's status change): one mail per move
    mail = fields.Boolean(load_default=True)


class CreditedLine(Payload):
    ean = fields.String(load_default="")
    quantity = fields.Integer(required=True)
    total_ttc = Money(required=True)


class InvoiceIssuedV1(Payload):
    """An invoice (kind "invoice") or a credit note (kind "credit_note") was issued."""
    number = fields.String(required=True)                     # YYYY-MM-NNNNNNNNN
    kind = fields.String(required=True, validate=validate.OneOf(["invoice", "credit_note"]))
    order = fields.Nested(OrderKey, required=True)
    invoice_number = fields.String(load_default="")           # a credit note's invoice
    total_ht = Money(required=True)
    vat_total = Money(required=True)
    total_ttc = Money(required=True)
    issued_at = fields.String(required=True)
    customer_name = fields.String(load_default="")
    customer_email = fields.String(load_default="")
    facturx = fields.Boolean(load_default=False)
    # a credit note that leaves nothing of its invoice: the owner unlocks the order
    cancels_invoice = fields.Boolean(load_default=False)
    # a credit note on a paid invoice: what the bookshop owes back now (what was already handed
    # back at pickup left out) and why; its owner asks payments for it (optional: an older
    # event, or an invoice, says nothing: nothing to refund)
    to_refund = Money(load_default="0.00")
    reason = fields.String(load_default="")
    # optional, for the customer's mail: their own page of the order, the due date, paid
    detail_url = fields.String(load_default="")
    due_on = fields.String(load_default="")
    paid = fields.Boolean(load_default=False)
    credit_mode = fields.String(load_default="")   # a credit note's: refund | deduct
    # a credit note's lines (optional: an older event has none): the copies it takes back
    lines = fields.List(fields.Nested(CreditedLine), load_default=list)


class InvoiceSettledV1(Payload):
    """An invoice on account (a collectivity's) was marked paid by the bookshop (« Marquer
    réglée »): its transfer or cheque came in."""
    number = fields.String(required=True)
    order = fields.Nested(OrderKey, required=True)
    amount = Money(required=True)          # what was collected (its credit notes deducted)
    settled_at = fields.String(required=True)
    note = fields.String(load_default="")  # how: « virement du 12/01 »


class OrdersHandedOffV1(Payload):
    """A batch of orders was handed to the logistician (each order once)."""
    batch_number = fields.Integer(required=True)
    orders = fields.List(fields.Nested(OrderKey), required=True)
    created_at = fields.String(required=True)
    created_by = fields.String(load_default="")
