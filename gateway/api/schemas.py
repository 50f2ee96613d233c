"""The gateway's HTTP schemas (kept apart from RPC schemas and event contracts): what each
route takes (`In`, French messages, checked at the door) and what it answers (`Out`, declared in
/api/v1/openapi.json; tests/unit/gateway/test_api_answers.py and tests/e2e/test_api_fuzz.py
check real answers against it). Articles and collectivity clients are answered with the wire
schemas of services/common/contracts/catalogue.py, the ones the librisoft_bridge dumps them with.

An answer declares its fields by type, several on a line (`number, quantity = integers(2)`,
services/common/contracts/fields.py; `null=True`: each may be null); what several answers share is one mixin (`Status`,
`Cancelled`, `Contact`, `InLibrisoft`, `ClientNamed`, `Counted`...)."""
from marshmallow import fields

from services.common.contracts import catalogue
from services.common.contracts.fields import booleans, integers, texts
from services.common.roles import ADMIN, COLLECTIVITY_ROLES

from .base import (Boolean, Email, In, Integer, Items, Length, List, OneOf, Out, Query, Range,
                   String)


# ---- how answers declare their fields -------------------------------------------------------
def many(schema):
    return fields.List(fields.Nested(schema))


def per_key(values=fields.Integer):
    """An object of counts (or labels) per key: `{"paid": 2, "cancelled": 0}`."""
    return fields.Dict(keys=fields.String(), values=values())


FREE = {"description": "Free-form object (keys as the service sends them)."}


# ---- sign-in, accounts, articles, clients -----------------------------------------------------
class LoginIn(In):
    email = String(required=True, validate=Length(max=254))
    password = String(required=True, validate=Length(max=200))


class ClientRef(Out):
    number, name = texts(2)


class AccountOut(Out):
    id = fields.Integer()
    email, role, role_label = texts(3)
    active = fields.Boolean()
    created_at = fields.String()
    last_login_at = fields.String(allow_none=True)
    clients = many(ClientRef)
    creatable_roles = fields.List(fields.String())
    # in a list: whether the signed-in account may (de)activate it (an account also attached
    # to another client is the bookshop's to manage)
    manageable = fields.Boolean()


class AccountIn(In):
    email = Email(required=True)
    password = String(required=True, validate=Length(max=200))
    role = String(required=True, validate=OneOf([*COLLECTIVITY_ROLES, ADMIN]))
    client_numbers = List(String(validate=Length(max=40)), load_default=list,
                          validate=Items(max=200))
    active = Boolean(load_default=True)


class ActiveIn(In):
    active = Boolean(required=True)


class PasswordIn(In):
    current = String(required=True, validate=Length(max=200))
    password = String(required=True, validate=Length(max=200))


class ArticleQuery(Query):
    q = String(load_default="", validate=Length(max=200))
    page = Integer(strict=False, load_default=1, validate=Range(min=1, max=10_000))
    per_page = Integer(strict=False, load_default=20, validate=Range(min=1, max=100))


Article = catalogue.Article          # the librisoft_bridge's own wire schemas
ArticlePage = catalogue.ArticlePage


class Page(Out, catalogue.Page):
    """One page of a longer list: which page, how many per page, how many in all."""


class ClientOut(Out, catalogue.ClientState):
    """A collectivity client (its state as Librisoft last sent it) and its accounts."""
    accounts = many(AccountOut)


class ClientsOverview(Out):
    clients = many(ClientOut)
    alerts = fields.List(fields.String())
    inactive_accounts = many(AccountOut)


# ---- what several answers share ---------------------------------------------------------------
class Status(Out):
    status, status_label = texts(2)


class Cancelled(Out):
    cancelled_at, cancel_reason = texts(2, null=True)


class Contact(Out):
    contact_email, contact_phone = texts(2, null=True)


class InLibrisoft(Out):
    """The classic order's number and status in Librisoft, once it has picked it up."""
    librisoft_number, librisoft_status = texts(2, null=True)


class ClientNamed(Out):
    client_number, client_name = texts(2, null=True)


class Counted(Out):
    """How many lines and articles, for how much."""
    line_count, article_count = integers(2)
    subtotal_ht, total_ttc = texts(2)


class Actions(Out):
    """The actions one may take (keys) and their French labels."""
    actions = fields.List(fields.String())
    action_labels = per_key(fields.String)


class ActionEvent(Out):
    """One line of a basket's or a document's history: who did what, when, with what comment."""
    at, actor_email, comment = texts(3, null=True)
    actor_id = fields.Integer(allow_none=True)
    action, action_label = texts(2)


# ---- answers of the grouped orders API (services/grouped_orders/presenters.py) ----------------
class AtPickup(Out):
    """Issue 10 K5: the sub-orders to be paid at pickup (part of those awaiting payment)."""
    sub_orders, articles = integers(2)
    total = fields.String()


class GroupedOrderSummary(Out):
    articles, sub_orders = per_key(), per_key()
    total_awaiting, total_paid = texts(2)
    # « à encaisser au retrait », and what is ordered (paid + at pickup), never « payés »
    at_pickup = fields.Nested(AtPickup)
    ordered_articles = fields.Integer()
    total_ordered = fields.String()


class TitleCopies(Out):
    cancelled, awaiting_payment, paid = integers(3)


class TitleFigures(Out):
    """One title's copies and totals TTC by sub-order status (a reading list, issue 10)."""
    ean, title, unit_price, total_cancelled, total_awaiting, total_paid = texts(6)
    position = fields.Integer()
    required = fields.Boolean()
    copies = fields.Nested(TitleCopies)
    copies_at_pickup = fields.Integer()     # issue 10 K5: part of the awaiting copies
    total_at_pickup = fields.String()


class Title(Out):
    """A title of a grouped order, at its public price; `required`: every buyer takes one."""
    id, position = integers(2)
    ean, title, vat_rate, price_ttc = texts(4)
    author, publisher, collection = texts(3, null=True)
    required = fields.Boolean()
    min_copies = fields.Integer(allow_none=True)  # its own minimum of paid copies (issue 10)


class SubOrderLine(Out):
    """A sub-order's quantity of one title: unit price × quantity = total."""
    ean, title, vat_rate, unit_price, total = texts(5)
    author, publisher = texts(2, null=True)
    position, quantity = integers(2)
    required = fields.Boolean()


class SubOrder(Status, Cancelled):
    number, quantity, payment_attempts = integers(3)   # quantity: copies, every title
    first_name, last_name, email, total = texts(4)
    pupil = fields.String()                              # optional: the pupil, as typed
    unit_price = fields.String(allow_none=True)          # one title: its price (else `lines`)
    lines = fields.List(fields.Nested(SubOrderLine))
    created_at, paid_at, refund_state, refund_label = texts(4, null=True)
    last_payment_state, last_payment_id = texts(2, null=True)
    paid_manually = fields.Boolean(allow_none=True)
    # issue 9: online | cheque | cash at the bookshop, a cheque's number (7 digits)
    payment_method, payment_method_label, cheque_number, paid_by = texts(4, null=True)
    at_pickup = fields.Boolean()  # issue 10 K5: to be paid on distribution day, not paid


class PaymentMethodChoice(Out):
    value, label = texts(2)


class TitleProgress(Out):
    """Issue 10: a title's paid copies toward its own minimum (« Titre : 3 / 5 exemplaires
    payés »)."""
    ean, title, label = texts(3)
    minimum, paid = integers(2)
    required, minimum_reached = booleans(2)


class Progress(Out):
    """Issue 10: paid copies toward the minimum, copies left under the cap (null: no limit);
    `titles`: each title with a minimum of its own."""
    paid, awaiting = integers(2)
    at_pickup = fields.Integer()  # issue 10 K5: counted toward the minimum, not paid
    minimum, maximum, percent, left = integers(4, null=True)
    minimum_reached, full = booleans(2)
    label = fields.String()
    titles = fields.List(fields.Nested(TitleProgress))


class Sold(Out):
    """What every grouped order shows, to the public as to its initiator and the bookshop."""
    number = fields.Integer()
    deadline, unit_price = texts(2)                      # unit_price: the first title's
    client_name, pickup_label, opens_on = texts(3, null=True)
    article = fields.Dict(metadata=FREE)         # the first title
    titles = fields.List(fields.Nested(Title))   # every title, in order
    not_open_yet = fields.Boolean()
    subscriptions_open = fields.Boolean()
    # issue 9: how buyers may pay (online always; cheque / cash when the bookshop allows it)
    payment_methods = fields.List(fields.String())
    payment_method_choices = fields.List(fields.Nested(PaymentMethodChoice))
    progress = fields.Nested(Progress)  # issue 10: toward the minimum and the cap
    # issue 10 K5: the distribution's date (YYYY-MM-DD), slot, and in words
    distribution_date = fields.String(allow_none=True)
    distribution_slot, distribution_label = texts(2)


class GroupedOrder(Sold, Status, Cancelled, Contact, InLibrisoft):
    """A grouped order as its initiator and the bookshop see it (`sub_orders` on one)."""
    days_left, initiator_id = integers(2)
    deadline_warning, subscription_url, detail_url = texts(3)
    deadline_passed, pending_payments = booleans(2)
    initiator_email, client_number, pickup_kind, billing_label, comment = texts(5, null=True)
    created_at, validated_at, made_available_at = texts(3, null=True)
    classic_order_number = fields.Integer(allow_none=True)
    summary = fields.Nested(GroupedOrderSummary)
    by_title = fields.List(fields.Nested(TitleFigures))
    validation_blockers = fields.List(fields.String())
    sub_orders = many(SubOrder)
    min_copies, max_copies = integers(2, null=True)  # issue 10
    buyer_ready_mails = fields.Boolean()  # each buyer mailed when the books are ready (K5)


class GroupedOrderTab(Out):
    tab = fields.String()
    counts = per_key()
    grouped_orders = many(GroupedOrder)


class PublicGroupedOrder(Sold, Status):
    """What the public subscription page shows: nothing of the other buyers."""
    max_quantity = fields.Integer()
    token = fields.String()
    full = fields.Boolean()  # issue 10: the cap is reached, no more subscriptions


class Subscription(SubOrder):
    """The sub-order made; `buyer_token` lets the buyer pay and follow it."""
    buyer_token = fields.String()


class BuyerStatus(SubOrder):
    can_pay = fields.Boolean()
    grouped_order = fields.Nested(PublicGroupedOrder)


class PaymentStarted(Out):
    payment_id, redirect_url = texts(2)


# ---- answers of the baskets API (services/baskets/presenters/) --------------------------------
class DocumentRef(Out):
    kind = fields.String()
    number = fields.Integer()


class BasketSummary(ClientNamed, Counted):
    id, owner_id, level = integers(3)
    name, state, state_label = texts(3)
    owner_email, owner_role, owner_role_label = texts(3, null=True)
    created_at, updated_at, transformed_at = texts(3, null=True)
    locked = fields.Boolean()
    document = fields.Nested(DocumentRef, allow_none=True)


class PricedLine(Out):
    ean, vat_rate, public_price_ttc, public_price_ht, unit_price_ttc = texts(5)
    discount_percent, discount_amount, total_ttc, total_ht, vat_amount = texts(5)
    title, author, publisher = texts(3, null=True)
    quantity = fields.Integer()
    lang_law_capped = fields.Boolean()
    school_book = fields.Boolean(allow_none=True)


class BasketLine(PricedLine):
    in_catalogue = fields.Boolean()
    priced_at = fields.String(allow_none=True)


class Totals(Out):
    discount_total, subtotal_ht, vat_total, subtotal_ttc, total_ttc = texts(5)


class BasketEvent(ActionEvent):
    actor_role, actor_role_label, from_label, to_label = texts(4, null=True)
    from_level, to_level = integers(2, null=True)


class BasketClient(Out):
    number, name, email, phone = texts(4, null=True)
    addresses = fields.List(fields.Dict(metadata=FREE), allow_none=True)
    discounts = fields.Dict(allow_none=True, metadata=FREE)
    lang_law_warning = fields.Boolean(allow_none=True)


class Basket(BasketSummary, Actions):
    """A basket priced now: lines, totals, history, the actions one may take."""
    lines = many(BasketLine)
    totals = fields.Nested(Totals)
    history = many(BasketEvent)
    last_return = fields.Nested(BasketEvent, allow_none=True)
    lang_law_capped = fields.Boolean()
    client = fields.Nested(BasketClient, allow_none=True)


class SkippedLine(Out):
    ean, title = texts(2)


class ReorderedBasket(Basket):
    """A new basket made from a quote request or an order, at today's prices; `skipped`: its
    articles no longer in the catalogue (left out)."""
    skipped = many(SkippedLine)


class BasketDeleted(Out):
    deleted = fields.Integer()


class Menu(Out):
    key, label = texts(2)
    count = fields.Integer()


class ArticlePrice(PricedLine):
    """The public price and the collectivity's own for one unit."""
    price_ttc, client_number = texts(2)
    availability, client_name = texts(2, null=True)
    lang_law_warning = fields.Boolean()


class DocumentSummary(Status, ClientNamed, Counted, Contact, InLibrisoft):
    number = fields.Integer()
    kind, kind_label = texts(2)
    basket_id = fields.Integer(allow_none=True)
    basket_name, basket_creator_email, placed_by_email, contact_name = texts(4, null=True)
    reference, placed_at, payment_mode, delivery_mode, delivery_mode_label = texts(5, null=True)
    archived = fields.Boolean()
    archived_at, made_available_at, shipped_at = texts(3, null=True)


class AdminActions(Actions):
    list_action = fields.String(allow_none=True)


class AdminDocumentRow(DocumentSummary, AdminActions):
    pass


class DocumentLine(PricedLine):
    position = fields.Integer()
    lang_law_capped = fields.Boolean(allow_none=True)


class DocumentEvent(ActionEvent):
    from_status, to_status = texts(2, null=True)


class DocumentMessage(Out):
    at, from_email, message = texts(3, null=True)


class Document(DocumentSummary, AdminActions, Cancelled):
    """A quote request or an order (`actions`, `action_labels`, `list_action` for the
    bookshop)."""
    comment, delivery_label, billing_label = texts(3, null=True)
    delivery_client_number, billing_client_number = texts(2, null=True)
    lines = many(DocumentLine)
    totals = fields.Nested(Totals)
    history = many(DocumentEvent)
    messages = many(DocumentMessage)
    picked_up = fields.Boolean()
    picked_up_at, closed_at = texts(2, null=True)
    classic_order_number = fields.Integer(allow_none=True)
    detail_url = fields.String()


class QuoteCounts(Out):
    current, archived = integers(2)


class QuotesPage(Page):
    archived = fields.Boolean()
    search = fields.String()
    counts = fields.Nested(QuoteCounts)
    quotes = many(AdminDocumentRow)


class OrderTab(Menu):
    """One tab of the bookshop's orders: its key, its label, how many orders."""


class OrderFilters(Out):
    eans = fields.List(fields.String())
    client, client_delivered, client_invoiced, delivery_mode, number = texts(5)
    date_from, date_to = texts(2)
    page, per_page = integers(2)


class OrdersPage(Page):
    tab = fields.String()
    tabs = many(OrderTab)
    filters = fields.Nested(OrderFilters)
    delivery_modes = per_key(fields.String)
    orders = many(AdminDocumentRow)


class MoveResult(Basket, Document):
    """A move along the chain answers with the basket (submission, unlock, lock, return), a
    transformation with the quote request or order made (`kind` "quote" or "order")."""
