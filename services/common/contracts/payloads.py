"""The payloads of the event contracts (services/common/contracts/events.py holds the registry:
name, version, producer, consumers): one schema per event and version, grouped by the service
that publishes it, with the pieces several share (a grouped order's or a sub-order's reference,
a buyer, a line). A consumer loads a payload through its schema; unknown keys are dropped, a
field added later has a default, so an older event still loads."""
from marshmallow import EXCLUDE, Schema, fields, validate

from .fields import Money, Percent


class Payload(Schema):
    class Meta:
        unknown = EXCLUDE


# ---- librisoft_bridge ----------------------------------------------------------------------
class Address(Payload):
    label = fields.String(load_default="")
    line1 = fields.String(load_default="")
    line2 = fields.String(load_default="")
    postal_code = fields.String(load_default="")
    city = fields.String(load_default="")


class Discounts(Payload):
    vat_2_1 = Percent(required=True)
    vat_5_5 = Percent(required=True)
    vat_20 = Percent(required=True)
    school = Percent(required=True)


class CollectivityClientUpdatedV1(Payload):
    """The full state of a collectivity client after a Librisoft sync (state transfer).
    `revision` grows with every change: a consumer ignores a revision older than the one it has."""
    number = fields.String(required=True)
    revision = fields.Integer(required=True)
    name = fields.String(required=True)
    addresses = fields.List(fields.Nested(Address), load_default=list)
    phone = fields.String(load_default="")
    email = fields.String(load_default="")
    gencod = fields.String(load_default="")
    active = fields.Boolean(required=True)
    discounts = fields.Nested(Discounts, required=True)
    lang_law_warning = fields.Boolean(load_default=False)
    # « Client bloqué » in Librisoft: no order placed for it (quotes still asked); absent from
    # the events published before it existed: not blocked
    blocked = fields.Boolean(load_default=False)


# ---- accounts ------------------------------------------------------------------------------
class AccountCreatedV1(Payload):
    account_id = fields.Integer(required=True)
    email = fields.String(required=True)
    role = fields.String(required=True)
    client_names = fields.List(fields.String(), load_default=list)
    created_by_email = fields.String(load_default="")


class PasswordResetRequestedV1(Payload):
    account_id = fields.Integer(required=True)
    email = fields.String(required=True)
    token = fields.String(required=True)
    expires_at = fields.String(required=True)


# ---- grouped orders (issue 3) --------------------------------------------------------------
class ArticleRef(Payload):
    ean = fields.String(required=True)
    title = fields.String(required=True)
    author = fields.String(load_default="", allow_none=True)
    publisher = fields.String(load_default="", allow_none=True)
    price_ttc = Money(required=True)
    vat_rate = fields.String(required=True)


class Buyer(Payload):
    first_name = fields.String(required=True)
    last_name = fields.String(required=True)
    email = fields.String(required=True)


class TitleRef(ArticleRef):
    """A title of a reading list (issue 10), in the list's order."""
    required = fields.Boolean(load_default=True)   # False: a buyer may take 0 copies
    position = fields.Integer(load_default=1)
    min_copies = fields.Integer(load_default=None, allow_none=True)  # its own minimum, if any


class SubOrderLine(Payload):
    """One title of an order: quantity × unit price TTC = total TTC."""
    ean = fields.String(required=True)
    title = fields.String(required=True)
    publisher = fields.String(load_default="", allow_none=True)
    quantity = fields.Integer(required=True)
    unit_price_ttc = Money(required=True)
    vat_rate = fields.String(required=True)
    total_ttc = Money(required=True)


class GroupedOrderRef(Payload):
    """What every grouped-order event carries to name the order and its initiator."""
    number = fields.Integer(required=True)
    client_number = fields.String(required=True)
    client_name = fields.String(required=True)
    initiator_email = fields.String(required=True)
    contact_email = fields.String(load_default="")
    article = fields.Nested(ArticleRef, required=True)  # the first title
    titles = fields.List(fields.Nested(TitleRef), load_default=list)  # every title (issue 10)
    deadline = fields.String(required=True)           # ISO date, last day of subscriptions
    pickup_label = fields.String(required=True)       # the pickup place, one line per part
    subscription_url = fields.String(load_default="")
    detail_url = fields.String(load_default="")


class GroupedOrderReopenedV1(GroupedOrderRef):
    """Its initiator reopened a grouped order closed and not validated yet, until the new
    `deadline` (parents who forgot); `closed_early`: the bookshop had closed it before its
    deadline (« Clore les souscriptions maintenant »)."""
    closed_early = fields.Boolean(load_default=False)
    reopened_at = fields.String(required=True)


class GroupedOrderCreatedV1(GroupedOrderRef):
    comment = fields.String(load_default="")
    opens_on = fields.String(load_default="")  # ISO date, or "" (open at once)
    min_copies = fields.Integer(load_default=None, allow_none=True)
    max_copies = fields.Integer(load_default=None, allow_none=True)
    payment_methods = fields.List(fields.String(), load_default=lambda: ["online"])


class GroupedOrderDeadlinePassedV1(GroupedOrderRef):
    paid_quantity = fields.Integer(required=True)
    paid_total = Money(required=True)
    awaiting_payment = fields.Integer(required=True)
    # the bookshop closed the subscriptions before the deadline (« Clore les souscriptions
    # maintenant »), at closed_at
    closed_early = fields.Boolean(load_default=False)
    closed_at = fields.String(load_default="")
    lines = fields.List(fields.Nested(SubOrderLine), load_default=list)  # paid, per title
    # issue 10: the optional titles dropped under their own minimum ({ean, title, min_copies})
    dropped_titles = fields.List(fields.Dict(), load_default=list)
    # issue 10 K5: of `awaiting_payment`, the sub-orders to be paid at pickup (ordered all the
    # same, never validated nor cancelled by the bookshop), their copies and total
    at_pickup_sub_orders = fields.Integer(load_default=0)
    at_pickup_quantity = fields.Integer(load_default=0)
    at_pickup_total = Money(load_default="0.00")


class GroupedOrderValidatedV1(GroupedOrderRef):
    """Duplicated by librisoft_bridge as a classic order: one line per title (`lines`, the paid
    copies of each at its public price); an event without `lines` (before reading lists) is one
    line, the paid quantity at the public price. `quantity`, `total_ttc`: every title;
    `unit_price_ttc`: the first title's."""
    billing_label = fields.String(load_default="")
    quantity = fields.Integer(required=True)
    unit_price_ttc = Money(required=True)
    total_ttc = Money(required=True)
    lines = fields.List(fields.Nested(SubOrderLine), load_default=list)
    validated_at = fields.String(required=True)
    comment = fields.String(load_default="")


class GroupedOrderMadeAvailableV1(GroupedOrderRef):
    made_available_at = fields.String(required=True)
    quantity = fields.Integer(required=True)
    lines = fields.List(fields.Nested(SubOrderLine), load_default=list)
    # issue 10 K5 (optional, older events have neither): the distribution's date in words,
    # and whether each buyer is mailed too (sub_order_made_available)
    distribution_label = fields.String(load_default="")
    buyers_told = fields.Boolean(load_default=False)


class GroupedOrderCopiesChangedV1(GroupedOrderRef):
    """A validated grouped order's copies went down after its validation: a credit note took
    some back from a parent's sub-order. `quantity` and `lines`: what it holds now (as
    grouped_order_made_available's)."""
    quantity = fields.Integer(required=True)
    lines = fields.List(fields.Nested(SubOrderLine), load_default=list)
    changed_at = fields.String(required=True)
    credit_note_number = fields.String(load_default="")


class DistributionAbsent(Payload):
    """A buyer who did not come on distribution day: their books wait at the pickup place."""
    sub_order_number = fields.Integer(required=True)
    buyer = fields.Nested(Buyer, required=True)
    quantity = fields.Integer(required=True)
    total_ttc = Money(required=True)
    lines = fields.List(fields.Nested(SubOrderLine), load_default=list)


class DistributionNote(Payload):
    """A refund or an extra payment noted at pickup."""
    sub_order_number = fields.Integer(required=True)
    buyer_name = fields.String(load_default="")
    kind = fields.String(required=True, validate=validate.OneOf(["refund", "extra"]))
    kind_label = fields.String(required=True)
    amount = Money(required=True)
    comment = fields.String(load_default="")


class GroupedOrderDistributedV1(GroupedOrderRef):
    """« Valider la distribution » (issue 10 K5): the recap (buyers expected, came, collected
    everything; refunds and extra payments noted) and who did not come."""
    distributed_at = fields.String(required=True)
    validated_by = fields.String(load_default="")
    expected = fields.Integer(required=True)
    came = fields.Integer(required=True)
    collected_all = fields.Integer(required=True)
    refunds = Money(required=True)
    extra_payments = Money(required=True)
    absent = fields.List(fields.Nested(DistributionAbsent), load_default=list)
    notes = fields.List(fields.Nested(DistributionNote), load_default=list)
    # buyers paying at pickup who still owe (issue 10 K5): came without paying, or did not
    # come; the money not collected (they stay unpaid)
    came_owing = fields.List(fields.Nested(DistributionAbsent), load_default=list)
    absent_owing = fields.List(fields.Nested(DistributionAbsent), load_default=list)
    not_collected = Money(load_default="0.00")


class GroupedOrderCancelledV1(GroupedOrderRef):
    reason = fields.String(required=True)
    # set when it had been validated: librisoft_bridge then has a classic order to cancel
    validated_at = fields.String(load_default=None, allow_none=True)
    # issue 10: cancelled because its minimum of copies was not reached at the deadline (the
    # initiator and the buyers are mailed by grouped_order_failed instead)
    minimum_failed = fields.Boolean(load_default=False)
    # optional: its initiator cancelled it (not validated, no parent paid), not the bookshop
    by_initiator = fields.Boolean(load_default=False)


class GroupedOrderFailedV1(GroupedOrderRef):
    """Issue 10: the minimum of paid copies was not reached at the deadline; the grouped order
    is cancelled, its paid sub-orders refunded. One event per mail: to the initiator
    (`audience` "initiator") or to one sub-order's buyer ("buyer", with the sub-order)."""
    reason = fields.String(required=True)
    min_copies = fields.Integer(required=True, allow_none=True)  # None: a title's minimum
    paid_copies = fields.Integer(required=True)
    per_title = fields.Boolean(load_default=False)  # a title's own minimum (`reason` names it)
    audience = fields.String(required=True, validate=validate.OneOf(["initiator", "buyer"]))
    to_email = fields.String(required=True)
    sub_order_number = fields.Integer(load_default=None, allow_none=True)
    buyer = fields.Nested(Buyer, load_default=None, allow_none=True)
    total_ttc = Money(load_default=None, allow_none=True)
    refund_expected = fields.Boolean(load_default=False)
    lines = fields.List(fields.Nested(SubOrderLine), load_default=list)
    payment_method = fields.String(load_default="online", validate=validate.OneOf(
        ["online", "cheque", "cash", "pickup"]))
    # optional, as in sub_order_cancelled: credit notes gave back `credited` already, the rest
    # (`refund_amount`) is refunded
    credited = Money(load_default="0.00")
    refund_amount = Money(load_default=None, allow_none=True)


class SubOrderRef(Payload):
    """What every sub-order event carries first: the sub-order, its grouped order, its buyer."""
    sub_order_number = fields.Integer(required=True)
    grouped_order = fields.Nested(GroupedOrderRef, required=True)
    buyer = fields.Nested(Buyer, required=True)


class SubOrderPaidV1(SubOrderRef):
    quantity = fields.Integer(required=True)                 # copies, all titles
    unit_price_ttc = Money(required=True)                    # the first line's
    lines = fields.List(fields.Nested(SubOrderLine), load_default=list)
    total_ttc = Money(required=True)
    subscribed_at = fields.String(required=True)
    paid_at = fields.String(required=True)
    manual = fields.Boolean(load_default=False)       # validated by the bookshop (a cheque)
    # issue 9: how it was paid (a cheque's number), for the buyer's mail and the desk
    payment_method = fields.String(load_default="online", validate=validate.OneOf(
        ["online", "cheque", "cash", "pickup"]))
    cheque_number = fields.String(load_default="")
    buyer_url = fields.String(load_default="")  # the buyer's own page (optional: older events)


class SubOrderCancelledV1(SubOrderRef):
    quantity = fields.Integer(required=True)
    total_ttc = Money(required=True)
    lines = fields.List(fields.Nested(SubOrderLine), load_default=list)
    reason = fields.String(load_default="")
    refund_expected = fields.Boolean(required=True)
    # issue 9: a cheque or cash paid at the bookshop is handed back there
    payment_method = fields.String(load_default="online", validate=validate.OneOf(
        ["online", "cheque", "cash", "pickup"]))
    minimum_failed = fields.Boolean(load_default=False)  # issue 10: grouped_order_failed mails
    by_buyer = fields.Boolean(load_default=False)  # the parent cancelled it from their page
    # optional: credit notes already gave back `credited` of its payment; what is refunded now
    # is `refund_amount` (the rest); both absent: nothing was credited, `total_ttc` is refunded
    credited = Money(load_default="0.00")
    refund_amount = Money(load_default=None, allow_none=True)
    # optional: cancelled by this credit note, which took every copy left (its own mails told
    # the buyer: notifications mails nothing more)
    credit_note_number = fields.String(load_default="")


class SubOrderRefundedV1(SubOrderRef):
    """The buyer's money is back: the sub-order's payment after a cancellation, or a payment it
    did not count (after a cancellation or a refusal, twice), refunded automatically."""
    amount = Money(required=True)
    reason = fields.String(load_default="")
    automatic = fields.Boolean(load_default=False)
    payment_id = fields.String(load_default="")
    refunded_at = fields.String(required=True)
    # issue 9: a cheque or cash handed back by the bookshop, not on a card
    payment_method = fields.String(load_default="online", validate=validate.OneOf(
        ["online", "cheque", "cash", "pickup"]))
    # the buyer's own lines (optional: an older event has none; its mail names no title)
    lines = fields.List(fields.Nested(SubOrderLine), load_default=list)
    # optional: a credit note's refund (a part of the payment, or all that was left of it),
    # not a cancellation: the sub-order stays as it is
    credit_note_number = fields.String(load_default="")
    invoice_number = fields.String(load_default="")


class SubOrderAdjustedV1(SubOrderRef):
    """A title of the buyer's closed reading list came short (issue 10, K3): its copies before
    and after, the sub-order's total before and after, and the difference owed back: refunded
    online (`online_refund`), to be handed back by the bookshop (`by_hand`, a cheque or cash),
    or nothing (`none`: not paid yet, it simply owes less)."""
    ean = fields.String(required=True)
    title = fields.String(required=True)
    quantity_before = fields.Integer(required=True)
    quantity_after = fields.Integer(required=True)
    unit_price_ttc = Money(required=True)
    total_before = Money(required=True)
    total_after = Money(required=True)
    amount = Money(required=True)
    money_way = fields.String(required=True, validate=validate.OneOf(
        ["online_refund", "by_hand", "none"]))
    payment_method = fields.String(load_default="online", validate=validate.OneOf(
        ["online", "cheque", "cash", "pickup"]))
    lines = fields.List(fields.Nested(SubOrderLine), load_default=list)  # after
    adjusted_at = fields.String(required=True)
    # why: the bookshop's cut, or an optional title under its own minimum at the deadline
    cause = fields.String(load_default="unavailable", validate=validate.OneOf(
        ["unavailable", "minimum_not_reached"]))
    title_minimum = fields.Integer(load_default=None, allow_none=True)
    title_paid = fields.Integer(load_default=None, allow_none=True)


class RefundRequestedV1(Payload):
    payment_id = fields.String(required=True)
    amount = Money(required=True)
    reason = fields.String(load_default="")
    reference_kind = fields.String(required=True)
    reference_id = fields.String(required=True)
    # issue 10 (K3): a PARTIAL refund (a title cut), asked for once under this key; absent: the
    # whole payment is refunded, as before
    request_key = fields.String(load_default="")


# ---- payments ------------------------------------------------------------------------------
class PaymentResult(Payload):
    payment_id = fields.String(required=True)
    reference_kind = fields.String(required=True)     # "sub_order"
    reference_id = fields.String(required=True)       # the sub-order number
    amount = Money(required=True)
    provider = fields.String(required=True)
    occurred_at = fields.String(required=True)


class PaymentSucceededV1(PaymentResult):
    # issue 9: how it was paid; a cheque or cash is recorded by the bookshop (no provider)
    method = fields.String(load_default="online", validate=validate.OneOf(
        ["online", "cheque", "cash"]))
    cheque_number = fields.String(load_default="")


class PaymentFailedV1(PaymentResult):
    state = fields.String(required=True, validate=validate.OneOf(
        ["refused", "cancelled", "error"]))
    reason = fields.String(load_default="")
    customer_email = fields.String(load_default="")
    description = fields.String(load_default="")
    return_url = fields.String(load_default="")


class PaymentRefundedV1(PaymentResult):
    refund_id = fields.String(required=True)
    reason = fields.String(load_default="")
    late = fields.Boolean(load_default=False)   # a success after a failure, refunded at once
    # issue 10 (K3): a partial refund's key (the payment stays confirmed until all is given back)
    request_key = fields.String(load_default="")
    partial = fields.Boolean(load_default=False)


# ---- librisoft_bridge: classic orders ------------------------------------------------------
class ClassicOrderStatusChangedV1(Payload):
    """Librisoft picked up a classic order or posted its status back."""
    order_number = fields.Integer(required=True)       # the bridge's classic order number
    source_kind = fields.String(required=True)         # "grouped_order", "collectivity_order" or "quote"
    source_number = fields.Integer(required=True)
    picked_up = fields.Boolean(required=True)
    librisoft_number = fields.String(load_default="", allow_none=True)
    status = fields.String(load_default="", allow_none=True)   # e.g. "Attente fournisseur(s)"
    # the source was cancelled: the bridge told Librisoft (cancelled_at), which applied it
    cancelled = fields.Boolean(load_default=False)
    cancelled_at = fields.String(load_default=None, allow_none=True)
    cancellation_acknowledged = fields.Boolean(load_default=False)
    cancellation_acknowledged_at = fields.String(load_default=None, allow_none=True)


# ---- baskets: collectivity quotes and orders (issue 4) --------------------------------------
class DocumentLine(Payload):
    ean = fields.String(required=True)
    title = fields.String(required=True)
    quantity = fields.Integer(required=True)
    vat_rate = fields.String(required=True)
    public_price_ttc = Money(required=True)
    unit_price_ttc = Money(required=True)
    discount_percent = Money(required=True)
    discount_amount = Money(required=True)
    total_ttc = Money(required=True)
    total_ht = Money(required=True)
    vat_amount = Money(required=True)


class DocumentTotals(Payload):
    discount_total = Money(required=True)
    subtotal_ht = Money(required=True)
    vat_total = Money(required=True)
    subtotal_ttc = Money(required=True)
    total_ttc = Money(required=True)


class CollectivityDocumentV1(Payload):
    """A quote request or an order made from a basket, its lines frozen at their prices."""
    number = fields.Integer(required=True)
    client_number = fields.String(required=True)
    client_name = fields.String(required=True)
    basket_number = fields.Integer(required=True)
    basket_name = fields.String(required=True)
    basket_creator_email = fields.String(required=True)
    placed_by_email = fields.String(required=True)
    reference = fields.String(required=True)            # "Référence collectivité"
    comment = fields.String(load_default="")
    contact_name = fields.String(load_default="")
    contact_email = fields.String(load_default="")
    contact_phone = fields.String(load_default="")
    delivery_label = fields.String(load_default="")
    billing_label = fields.String(load_default="")
    lines = fields.List(fields.Nested(DocumentLine), required=True)
    totals = fields.Nested(DocumentTotals, required=True)
    placed_at = fields.String(required=True)
    detail_url = fields.String(load_default="")


class CollectivityOrderStatusChangedV1(Payload):
    """The bookshop moved a collectivity order (each of these mails the client but reset)."""
    number = fields.Integer(required=True)
    client_name = fields.String(required=True)
    to_emails = fields.List(fields.String(), required=True)
    action = fields.String(required=True, validate=validate.OneOf(
        ["made_available", "shipped", "closed", "cancelled", "reset"]))
    status_label = fields.String(required=True)
    reason = fields.String(load_default="")
    total_ttc = Money(required=True)
    reference = fields.String(load_default="")
    delivery_label = fields.String(load_default="")
    at = fields.String(required=True)
    detail_url = fields.String(load_default="")
    # optional: the order is (back) with Librisoft: a reset's initial status is « en cours »
    picked_up = fields.Boolean(load_default=False)
    # optional: « livraison » (to an address: made available = ready to be delivered) or
    # « retrait » (fetched at the bookshop: made available = waiting there)
    delivery_mode = fields.String(load_default="retrait")


class BasketMovedV1(Payload):
    """A basket sent on along the approval chain, or returned to the level before (reference
    001): its new holders are told (`to_emails`, the client's active accounts of that level,
    or the owner when it comes back to the draft)."""
    basket_id = fields.Integer(required=True)
    basket_name = fields.String(required=True)
    client_number = fields.String(required=True)
    client_name = fields.String(required=True)
    action = fields.String(required=True, validate=validate.OneOf(["submitted", "returned"]))
    to_level = fields.Integer(required=True, validate=validate.Range(min=0, max=2))
    to_level_label = fields.String(required=True)
    by_email = fields.String(required=True)
    to_emails = fields.List(fields.String(), required=True)
    comment = fields.String(load_default="")
    lines = fields.Integer(required=True)                # references (titles)
    copies = fields.Integer(required=True)               # copies, as the basket's page counts
    total_ttc = Money(required=True)
    detail_url = fields.String(load_default="")


class CollectivityMessageSentV1(Payload):
    number = fields.Integer(required=True)
    kind = fields.String(required=True)                 # "quote" | "collectivity_order"
    to_emails = fields.List(fields.String(), required=True)
    client_name = fields.String(required=True)
    message = fields.String(required=True)
    reference = fields.String(load_default="")
    detail_url = fields.String(load_default="")
