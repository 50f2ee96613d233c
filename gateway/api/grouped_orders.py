"""API v1: grouped orders for the initiator, the buyers (public, by token) and the bookshop.
Thin: each route is one RPC; the views are those of the grouped_orders service."""
from flask import g
from flask.views import MethodView
from marshmallow import ValidationError, validates_schema

from services.common.errors import invalid
from services.grouped_orders.domain import MAX_TITLES, NAME_MAX, minimums_by_ean

from ..http_security import public_url_for
from ..rpc_client import rpc
from ..security import ADMIN, ANONYMOUS, COLLECTIVITY
from ..tabs import GROUPED_ORDER_TAB_KEYS
from . import schemas
from .base import (Blueprint, Boolean, Email, In, Integer, Items, Length, List, Nested, NoBody,
                   OneOf, Query, String, any_of)
from . import routes

blp = Blueprint("api_grouped_orders", __name__, url_prefix="/api/v1",
                description="Commandes groupées")
blp.before_request(routes.json_only)


def call(method, *args):
    """An RPC to grouped_orders as the signed-in account."""
    return rpc("grouped_orders", method, g.user["id"], *args)


def change(method, *args):
    """The same, for a change: with the request's Idempotency-Key."""
    return routes.change("grouped_orders", method, g.user["id"], *args)


class ReadingListTitleIn(In):
    ean = String(required=True, validate=Length(max=20))
    optional = Boolean(load_default=False)   # a buyer may take 0 copies of it
    min_copies = Integer(load_default=None, allow_none=True)  # its own minimum (issue 10)


class CreateIn(In):
    """One title (`ean`, as before reading lists) or several (`titles`, in order, each required
    unless `optional`); `opens_on`: the first day of subscriptions (none: open at once)."""
    # none: the account's only client (as the page and the baskets' API); required when the
    # account has several
    client_number = String(load_default=None, validate=Length(max=40))
    ean = String(load_default=None, validate=Length(max=20))
    titles = List(Nested(ReadingListTitleIn), load_default=None,
                  validate=Items(min=1, max=MAX_TITLES))
    deadline = String(required=True, validate=Length(max=10))
    opens_on = String(load_default=None, validate=Length(max=10))
    pickup = String(required=True, validate=Length(max=20))
    comment = String(load_default="", validate=Length(max=1000))
    # issue 10: the minimum of paid copies to go ahead, the cap on copies held (none: no limit)
    min_copies = Integer(load_default=None, allow_none=True)
    max_copies = Integer(load_default=None, allow_none=True)


class TitleMinimumIn(In):
    ean = String(required=True, validate=Length(max=20))
    min_copies = Integer(load_default=None, allow_none=True)


class CopyLimitsIn(In):
    """The minimum and the cap (issue 10), while the grouped order is open; null: no limit.
    `titles` (optional): each title's own minimum (a title left out: none)."""
    min_copies = Integer(load_default=None, allow_none=True)
    max_copies = Integer(load_default=None, allow_none=True)
    titles = List(Nested(TitleMinimumIn), load_default=None,
                  validate=Length(max=MAX_TITLES))


class DeadlineIn(In):
    deadline = String(required=True, validate=Length(max=10))


class SubscriptionLineIn(In):
    ean = String(required=True, validate=Length(max=20))
    quantity = Integer(required=True)


class SubscribeIn(In):
    """Names as long as the service allows (they were refused in French at 101 characters by
    the service and in English at 201 by this schema); the e-mail checked as the service does;
    the quantity a whole number (2.5 was truncated to 2), its range checked by the service:
    `quantity` for a grouped order of one title, or `lines` (a quantity per title: 0 for an
    optional title, at least 1 for a required one)."""
    first_name = String(required=True, validate=Length(max=NAME_MAX))
    last_name = String(required=True, validate=Length(max=NAME_MAX))
    email = Email(required=True)
    # optional: the pupil (and class) the books are for (the sign-in sheet, distribution day)
    pupil = String(load_default="", validate=Length(max=NAME_MAX))
    quantity = Integer(load_default=None)
    lines = List(Nested(SubscriptionLineIn), load_default=None, validate=Items(max=MAX_TITLES))
    accepted_terms = Boolean(required=True)
    # issue 9: online (the default) or, when the grouped order allows it, a cheque or cash at
    # the bookshop (no online payment: the bookshop records it)
    payment_method = String(load_default="online",
                            validate=OneOf(["online", "cheque", "cash", "pickup"]))

    @validates_schema
    def _one_way_to_say_the_quantity(self, data, **kwargs):
        """`quantity` or `lines`, not both (both were taken, `lines` silently winning)."""
        if data.get("quantity") is not None and data.get("lines") is not None:
            raise ValidationError("Donnez soit « quantity » (un seul titre), soit « lines » (une "
                                  "quantité par titre), pas les deux.", "quantity")


class ManualPaymentIn(In):
    """A sub-order's cheque (its 7-digit number, required) or cash, received by the bookshop."""
    method = String(required=True, validate=OneOf(["cheque", "cash"]))
    cheque_number = String(load_default="", validate=Length(max=40))


class ReasonIn(In):
    reason = String(load_default="", validate=Length(max=1000))


class TabQuery(Query):
    tab = String(load_default="validation",
                 validate=OneOf(GROUPED_ORDER_TAB_KEYS))


@blp.view("/grouped-orders", COLLECTIVITY)
class Mine(MethodView):
    @blp.answers(schemas.GroupedOrder(many=True))
    def get(self):
        """The signed-in account's grouped orders."""
        return call("list_my_grouped_orders")

    @blp.answers(schemas.GroupedOrder, 201, takes=CreateIn, idempotent=True)
    def post(self, data):
        """Create a grouped order of one title (`ean`) or a reading list (`titles`); deadline
        and opens_on YYYY-MM-DD; pickup "bookshop" or "address-N"; `client_number` may be left
        out by an account of one client."""
        if not data.get("client_number"):
            numbers = [c["number"] for c in g.user.get("clients") or []]
            if len(numbers) != 1:
                raise invalid("Choisissez le client collectivité de la commande groupée.",
                              {"client_number": ["Champ obligatoire : ce compte a plusieurs "
                                                 "clients."]})
            data = dict(data, client_number=numbers[0])
        return change("create_grouped_order", data)


@blp.view("/grouped-orders/<int:number>", COLLECTIVITY)
class MineOne(MethodView):
    @blp.answers(schemas.GroupedOrder)
    def get(self, number):
        """One of the signed-in account's grouped orders, with its sub-orders."""
        return call("get_my_grouped_order", number)


@blp.view("/grouped-orders/<int:number>/deadline", COLLECTIVITY)
class Deadline(MethodView):
    @blp.answers(schemas.GroupedOrder, takes=DeadlineIn, idempotent=True)
    def put(self, data, number):
        """Move the deadline (YYYY-MM-DD); a grouped order closed and not validated yet is
        reopened until it (409 once a title was cut after its close)."""
        return change("change_deadline", number, data["deadline"])


@blp.view("/grouped-orders/<int:number>/copy-limits", COLLECTIVITY)
class CopyLimits(MethodView):
    @blp.answers(schemas.GroupedOrder, takes=CopyLimitsIn, idempotent=True)
    def put(self, data, number):
        """Set the minimum of paid copies and the cap on copies held (null: none); a cap
        below the copies already subscribed is a 400, nothing changed."""
        per_title = None if data["titles"] is None else minimums_by_ean(
            (t["ean"], t["min_copies"]) for t in data["titles"])
        return rpc("grouped_orders", "change_copy_limits", g.user["id"], number,
                   data["min_copies"], data["max_copies"], title_minimums=per_title,
                   idempotency_key=routes.idempotency.key())


@blp.view("/grouped-orders/<int:number>/cancellation", COLLECTIVITY)
class Cancellation(MethodView):
    @blp.answers(schemas.GroupedOrder, takes=ReasonIn, idempotent=True)
    def post(self, data, number):
        """Cancel one's own grouped order (`reason`, required, told to the parents) while the
        bookshop has not validated it and no parent has paid (else a 409: the bookshop cancels
        and refunds)."""
        return change("cancel_my_grouped_order", number, data["reason"])


@blp.view("/public/grouped-orders/<token>", [ANONYMOUS])
class Public(MethodView):
    @blp.answers(schemas.PublicGroupedOrder)
    def get(self, token):
        """What the public subscription page shows."""
        return rpc("grouped_orders", "public_grouped_order", token[:64])


@blp.view("/public/grouped-orders/<token>/subscriptions", [ANONYMOUS])
class Subscribe(MethodView):
    @blp.answers(schemas.Subscription, 201, takes=SubscribeIn, idempotent=True)
    def post(self, data, token):
        """Subscribe; the answer carries the buyer's own token for paying and following."""
        return routes.change("grouped_orders", "subscribe", token[:64], data)


@blp.view("/public/grouped-orders/<token>/subscriptions/<buyer_token>", [ANONYMOUS])
class BuyerStatus(MethodView):
    @blp.answers(schemas.BuyerStatus)
    def get(self, token, buyer_token):
        """A buyer's sub-order and whether it can still be paid."""
        return rpc("grouped_orders", "buyer_status", token[:64], buyer_token[:64])


@blp.view("/public/grouped-orders/<token>/subscriptions/<buyer_token>/payments", [ANONYMOUS])
class Pay(MethodView):
    @blp.answers(schemas.PaymentStarted, 201, takes=NoBody, idempotent=True)
    def post(self, _body, token, buyer_token):
        """Start a payment attempt: redirect the buyer to `redirect_url`."""
        return_url = public_url_for("subscription.result", token=token, buyer_token=buyer_token)
        return routes.change("grouped_orders", "start_payment", token[:64], buyer_token[:64],
                             return_url)


@blp.view("/admin/grouped-orders", [ADMIN])
class AdminList(MethodView):
    @blp.answers(schemas.GroupedOrderTab, query=TabQuery)
    def get(self, args):
        """The bookshop's grouped orders of one tab, with the count of each tab."""
        return call("admin_list", args["tab"])


@blp.view("/admin/grouped-orders/<int:number>", [ADMIN])
class AdminOne(MethodView):
    @blp.answers(schemas.GroupedOrder)
    def get(self, number):
        """A grouped order with its sub-orders, as the bookshop sees it."""
        return call("admin_get", number)


ACTIONS = {"validation": "validate_grouped_order", "availability": "make_available",
           "reset": "reset_status"}


@blp.view("/admin/grouped-orders/<int:number>/" + any_of(ACTIONS), [ADMIN])
class AdminAction(MethodView):
    @blp.answers(schemas.GroupedOrder, takes=NoBody, idempotent=True)
    def post(self, _body, number, action):
        """Validate (send to Librisoft), make available, or reset the status. The validation
        answers the grouped order without `sub_orders` (summary, status, blockers): GET it for
        its sub-orders."""
        return change(ACTIONS[action], number)


@blp.view("/admin/grouped-orders/<int:number>/cancellation", [ADMIN])
class AdminCancel(MethodView):
    @blp.answers(schemas.GroupedOrder, takes=ReasonIn, idempotent=True)
    def post(self, data, number):
        """Cancel the grouped order (`reason` told to the buyers)."""
        return change("cancel_grouped_order", number, data["reason"])


@blp.view("/admin/sub-orders/<int:sub_number>/<any(validation, cancellation):action>", [ADMIN])
class AdminSubAction(MethodView):
    @blp.answers(schemas.GroupedOrder, takes=ReasonIn, idempotent=True)
    def post(self, data, sub_number, action):
        """Validate a sub-order paid otherwise, or cancel it (`reason` told to the buyer)."""
        if action == "validation":
            return change("admin_validate_sub_order", sub_number)
        # a body that was a JSON list crashed here (500) before it was a schema
        return change("admin_cancel_sub_order", sub_number, data["reason"][:500])


class BuyerEmailIn(In):
    email = Email(required=True)


@blp.view("/admin/sub-orders/<int:sub_number>/email", [ADMIN])
class AdminBuyerEmail(MethodView):
    @blp.answers(schemas.GroupedOrder, takes=BuyerEmailIn, idempotent=True)
    def put(self, data, sub_number):
        """Correct a buyer's mistyped e-mail; they are told at the new one (the same address
        again: a 409)."""
        return change("admin_correct_buyer_email", sub_number, data["email"])


@blp.view("/admin/sub-orders/<int:sub_number>/manual-payment", [ADMIN])
class AdminManualPayment(MethodView):
    @blp.answers(schemas.GroupedOrder, takes=ManualPaymentIn, idempotent=True)
    def post(self, data, sub_number):
        """Validate a sub-order paid at the bookshop by cheque (7-digit number) or cash (issue
        9): a bad number is a 400 with nothing changed, a second validation a 409."""
        return change("admin_record_manual_payment", sub_number, data["method"],
                      data["cheque_number"])
