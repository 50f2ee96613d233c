"""The gateway's HTTP schemas (kept apart from RPC schemas and event contracts): what each
route takes (`In`, French messages, checked at the door) and what it answers (`Out`, declared in
/api/v1/openapi.json and checked against it by tests/e2e/test_api_fuzz.py)."""
from marshmallow import fields

from .base import (Boolean, Email, In, Integer, Length, List, OneOf, Out, Query, Range,
                   String)


class LoginIn(In):
    email = String(required=True, validate=Length(max=254))
    password = String(required=True, validate=Length(max=200))


class ClientRef(Out):
    number = fields.String()
    name = fields.String()


class AccountOut(Out):
    id = fields.Integer()
    email = fields.String()
    role = fields.String()
    role_label = fields.String()
    active = fields.Boolean()
    created_at = fields.String()
    last_login_at = fields.String(allow_none=True)
    clients = fields.List(fields.Nested(ClientRef))
    creatable_roles = fields.List(fields.String())


class AccountIn(In):
    email = Email(required=True)
    password = String(required=True, validate=Length(max=200))
    role = String(required=True, validate=OneOf(
        ["utilisateur", "approbateur", "collectivite", "admin"]))
    client_numbers = List(String(validate=Length(max=40)), load_default=list,
                          validate=Length(max=200))
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


class Article(Out):
    ean = fields.String()
    title = fields.String()
    author = fields.String(allow_none=True)
    publisher = fields.String(allow_none=True)
    collection = fields.String(allow_none=True)
    genre = fields.String(allow_none=True)
    publication_date = fields.String(allow_none=True)
    format = fields.String(allow_none=True)
    price_ttc = fields.String()
    price_ht = fields.String(allow_none=True)
    vat_rate = fields.String()
    school_book = fields.Boolean()
    availability = fields.String(allow_none=True)
    summary = fields.String(allow_none=True)


class Page(Out):
    """One page of a longer list: which page, how many per page, how many in all."""
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class ArticlePage(Page):
    items = fields.List(fields.Nested(Article))


class Discounts(Out):
    vat_2_1 = fields.String()
    vat_5_5 = fields.String()
    vat_20 = fields.String()
    school = fields.String()


class ClientOut(Out):
    number = fields.String()
    name = fields.String()
    active = fields.Boolean()
    discounts = fields.Nested(Discounts)
    lang_law_warning = fields.Boolean()
    accounts = fields.List(fields.Nested(AccountOut))


class ClientsOverview(Out):
    clients = fields.List(fields.Nested(ClientOut))
    alerts = fields.List(fields.String())
    inactive_accounts = fields.List(fields.Nested(AccountOut))


# ---- answers of the grouped orders API (services/grouped_orders/presenters.py) ----------------
def _s(**kw):
    """A text that may be absent (null)."""
    return fields.String(allow_none=True, **kw)


def _i(**kw):
    return fields.Integer(allow_none=True, **kw)


def _b(**kw):
    return fields.Boolean(allow_none=True, **kw)


FREE = {"description": "Free-form object (keys as the service sends them)."}


class GroupedOrderSummary(Out):
    articles = fields.Dict(keys=fields.String(), values=fields.Integer())
    sub_orders = fields.Dict(keys=fields.String(), values=fields.Integer())
    total_awaiting = fields.String()
    total_paid = fields.String()


class TitleCopies(Out):
    cancelled = fields.Integer()
    awaiting_payment = fields.Integer()
    paid = fields.Integer()


class TitleFigures(Out):
    """One title's copies and totals TTC by sub-order status (a reading list, issue 10)."""
    ean = fields.String()
    title = fields.String()
    position = fields.Integer()
    required = fields.Boolean()
    unit_price = fields.String()
    copies = fields.Nested(TitleCopies)
    total_cancelled = fields.String()
    total_awaiting = fields.String()
    total_paid = fields.String()


class Title(Out):
    """A title of a grouped order, at its public price; `required`: every buyer takes one."""
    id = fields.Integer()
    position = fields.Integer()
    ean = fields.String()
    title = fields.String()
    author = _s()
    publisher = _s()
    collection = _s()
    vat_rate = fields.String()
    price_ttc = fields.String()
    required = fields.Boolean()


class SubOrderLine(Out):
    """A sub-order's quantity of one title: unit price × quantity = total."""
    ean = fields.String()
    title = fields.String()
    author = _s()
    publisher = _s()
    position = fields.Integer()
    required = fields.Boolean()
    vat_rate = fields.String()
    quantity = fields.Integer()
    unit_price = fields.String()
    total = fields.String()


class Status(Out):
    status = fields.String()
    status_label = fields.String()


class SubOrder(Status):
    number = fields.Integer()
    first_name = fields.String()
    last_name = fields.String()
    email = fields.String()
    quantity = fields.Integer()                  # copies, every title
    unit_price = _s()                            # one title: its price (else see `lines`)
    lines = fields.List(fields.Nested(SubOrderLine))
    total = fields.String()
    created_at = _s()
    paid_at = _s()
    paid_manually = _b()
    cancelled_at = _s()
    cancel_reason = _s()
    refund_state = _s()
    refund_label = _s()
    last_payment_state = _s()
    payment_attempts = fields.Integer()
    last_payment_id = _s()


class Sold(Out):
    """What every grouped order shows, to the public as to its initiator and the bookshop."""
    number = fields.Integer()
    deadline = fields.String()
    client_name = _s()
    article = fields.Dict(metadata=FREE)         # the first title
    titles = fields.List(fields.Nested(Title))   # every title, in order
    unit_price = fields.String()                 # the first title's
    pickup_label = _s()
    opens_on = _s()
    not_open_yet = fields.Boolean()
    subscriptions_open = fields.Boolean()


class GroupedOrder(Sold, Status):
    """A grouped order as its initiator and the bookshop see it (`sub_orders` on one)."""
    days_left = fields.Integer()
    deadline_warning = fields.String()
    deadline_passed = fields.Boolean()
    initiator_id = fields.Integer()
    initiator_email = _s()
    client_number = _s()
    contact_email = _s()
    contact_phone = _s()
    pickup_kind = _s()
    billing_label = _s()
    comment = _s()
    created_at = _s()
    validated_at = _s()
    made_available_at = _s()
    cancelled_at = _s()
    cancel_reason = _s()
    classic_order_number = _i()
    librisoft_number = _s()
    librisoft_status = _s()
    summary = fields.Nested(GroupedOrderSummary)
    by_title = fields.List(fields.Nested(TitleFigures))
    validation_blockers = fields.List(fields.String())
    pending_payments = fields.Boolean()
    subscription_url = fields.String()
    detail_url = fields.String()
    sub_orders = fields.List(fields.Nested(SubOrder))


class GroupedOrderTab(Out):
    tab = fields.String()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    grouped_orders = fields.List(fields.Nested(GroupedOrder))


class PublicGroupedOrder(Sold, Status):
    """What the public subscription page shows: nothing of the other buyers."""
    max_quantity = fields.Integer()
    token = fields.String()


class Subscription(SubOrder):
    """The sub-order made; `buyer_token` lets the buyer pay and follow it."""
    buyer_token = fields.String()


class BuyerStatus(SubOrder):
    grouped_order = fields.Nested(PublicGroupedOrder)
    can_pay = fields.Boolean()


class PaymentStarted(Out):
    payment_id = fields.String()
    redirect_url = fields.String()


# ---- answers of the baskets API (services/baskets/views.py, document_views.py) ----------------
class DocumentRef(Out):
    kind = fields.String()
    number = fields.Integer()


class ClientNamed(Out):
    client_number = _s()
    client_name = _s()


class Counted(Out):
    """How many lines and articles, for how much."""
    line_count = fields.Integer()
    article_count = fields.Integer()
    subtotal_ht = fields.String()
    total_ttc = fields.String()


class BasketSummary(ClientNamed, Counted):
    id = fields.Integer()
    name = fields.String()
    owner_id = fields.Integer()
    owner_email = _s()
    owner_role = _s()
    owner_role_label = _s()
    level = fields.Integer()
    state = fields.String()
    state_label = fields.String()
    locked = fields.Boolean()
    created_at = _s()
    updated_at = _s()
    transformed_at = _s()
    document = fields.Nested(DocumentRef, allow_none=True)


class PricedLine(Out):
    ean = fields.String()
    title = _s()
    quantity = fields.Integer()
    vat_rate = fields.String()
    public_price_ttc = fields.String()
    public_price_ht = fields.String()
    unit_price_ttc = fields.String()
    discount_percent = fields.String()
    discount_amount = fields.String()
    total_ttc = fields.String()
    total_ht = fields.String()
    vat_amount = fields.String()
    lang_law_capped = fields.Boolean()
    author = _s()
    publisher = _s()
    school_book = _b()


class BasketLine(PricedLine):
    in_catalogue = fields.Boolean()
    priced_at = _s()


class Totals(Out):
    discount_total = fields.String()
    subtotal_ht = fields.String()
    vat_total = fields.String()
    subtotal_ttc = fields.String()
    total_ttc = fields.String()


class ActionEvent(Out):
    """One line of a basket's or a document's history: who did what, when, with what comment."""
    at = _s()
    actor_id = _i()
    actor_email = _s()
    action = fields.String()
    action_label = fields.String()
    comment = _s()


class BasketEvent(ActionEvent):
    actor_role = _s()
    actor_role_label = _s()
    from_level = _i()
    from_label = _s()
    to_level = _i()
    to_label = _s()


class BasketClient(Out):
    number = _s()
    name = _s()
    email = _s()
    phone = _s()
    addresses = fields.List(fields.Dict(metadata=FREE), allow_none=True)
    discounts = fields.Dict(allow_none=True, metadata=FREE)
    lang_law_warning = _b()


class Actions(Out):
    """The actions one may take (keys) and their French labels."""
    actions = fields.List(fields.String())
    action_labels = fields.Dict(keys=fields.String(), values=fields.String())


class Basket(BasketSummary, Actions):
    """A basket priced now: lines, totals, history, the actions one may take."""
    lines = fields.List(fields.Nested(BasketLine))
    totals = fields.Nested(Totals)
    history = fields.List(fields.Nested(BasketEvent))
    last_return = fields.Nested(BasketEvent, allow_none=True)
    lang_law_capped = fields.Boolean()
    client = fields.Nested(BasketClient, allow_none=True)


class BasketDeleted(Out):
    deleted = fields.Integer()


class Menu(Out):
    key = fields.String()
    label = fields.String()
    count = fields.Integer()


class ArticlePrice(PricedLine):
    """The public price and the collectivity's own for one unit."""
    availability = _s()
    price_ttc = fields.String()
    client_number = fields.String()
    client_name = _s()
    lang_law_warning = fields.Boolean()


class DocumentSummary(Status, ClientNamed, Counted):
    number = fields.Integer()
    kind = fields.String()
    kind_label = fields.String()
    basket_id = _i()
    basket_name = _s()
    basket_creator_email = _s()
    placed_by_email = _s()
    contact_name = _s()
    contact_email = _s()
    contact_phone = _s()
    reference = _s()
    placed_at = _s()
    payment_mode = _s()
    delivery_mode = _s()
    delivery_mode_label = _s()
    librisoft_number = _s()
    librisoft_status = _s()
    archived = fields.Boolean()
    archived_at = _s()
    made_available_at = _s()
    shipped_at = _s()


class AdminActions(Actions):
    list_action = _s()


class AdminDocumentRow(DocumentSummary, AdminActions):
    pass


class DocumentLine(PricedLine):
    position = fields.Integer()
    lang_law_capped = _b()


class DocumentEvent(ActionEvent):
    from_status = _s()
    to_status = _s()


class DocumentMessage(Out):
    at = _s()
    from_email = _s()
    message = _s()


class Document(DocumentSummary, AdminActions):
    """A quote request or an order (`actions`, `action_labels`, `list_action` for the
    bookshop)."""
    comment = _s()
    delivery_label = _s()
    billing_label = _s()
    delivery_client_number = _s()
    billing_client_number = _s()
    lines = fields.List(fields.Nested(DocumentLine))
    totals = fields.Nested(Totals)
    history = fields.List(fields.Nested(DocumentEvent))
    messages = fields.List(fields.Nested(DocumentMessage))
    picked_up = fields.Boolean()
    picked_up_at = _s()
    classic_order_number = _i()
    closed_at = _s()
    cancelled_at = _s()
    cancel_reason = _s()
    detail_url = fields.String()


class QuoteCounts(Out):
    current = fields.Integer()
    archived = fields.Integer()


class QuotesPage(Page):
    archived = fields.Boolean()
    search = fields.String()
    counts = fields.Nested(QuoteCounts)
    quotes = fields.List(fields.Nested(AdminDocumentRow))


class OrderTab(Menu):
    """One tab of the bookshop's orders: its key, its label, how many orders."""


class OrderFilters(Out):
    eans = fields.List(fields.String())
    client_delivered = fields.String()
    client_invoiced = fields.String()
    date_from = fields.String()
    date_to = fields.String()
    delivery_mode = fields.String()
    number = fields.String()
    page = fields.Integer()
    per_page = fields.Integer()


class OrdersPage(Page):
    tab = fields.String()
    tabs = fields.List(fields.Nested(OrderTab))
    filters = fields.Nested(OrderFilters)
    delivery_modes = fields.Dict(keys=fields.String(), values=fields.String())
    orders = fields.List(fields.Nested(AdminDocumentRow))


class MoveResult(Basket, Document):
    """A move along the chain answers with the basket (submission, unlock, lock, return), a
    transformation with the quote request or order made (`kind` "quote" or "order")."""
