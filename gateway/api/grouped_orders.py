"""API v1: grouped orders for the initiator, the buyers (public, by token) and the bookshop.
Thin: each route is one RPC; the views are those of the grouped_orders service."""
from flask import g
from flask.views import MethodView

from services.grouped_orders.domain import MAX_TITLES, NAME_MAX

from .. import idempotency
from ..http_security import public_url_for
from ..rpc_client import rpc
from ..security import ADMIN, ANONYMOUS, COLLECTIVITY
from ..tabs import GROUPED_ORDER_TAB_KEYS
from . import schemas
from .base import (Blueprint, Boolean, Email, In, Integer, Length, List, Nested, OneOf, Query,
                   String, allow_methods)
from .routes import json_only

blp = Blueprint("api_grouped_orders", __name__, url_prefix="/api/v1",
                description="Commandes groupées")
blp.before_request(json_only)
idempotent = idempotency.api_doc(blp)  # the Idempotency-Key header, documented


class ReadingListTitleIn(In):
    ean = String(required=True, validate=Length(max=20))
    optional = Boolean(load_default=False)   # a buyer may take 0 copies of it


class CreateIn(In):
    """One title (`ean`, as before reading lists) or several (`titles`, in order, each required
    unless `optional`); `opens_on`: the first day of subscriptions (none: open at once)."""
    client_number = String(required=True, validate=Length(max=40))
    ean = String(load_default=None, validate=Length(max=20))
    titles = List(Nested(ReadingListTitleIn), load_default=None, validate=Length(min=1, max=MAX_TITLES))
    deadline = String(required=True, validate=Length(max=10))
    opens_on = String(load_default=None, validate=Length(max=10))
    pickup = String(required=True, validate=Length(max=20))
    comment = String(load_default="", validate=Length(max=1000))


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
    quantity = Integer(load_default=None)
    lines = List(Nested(SubscriptionLineIn), load_default=None, validate=Length(max=MAX_TITLES))
    accepted_terms = Boolean(required=True)


class ReasonIn(In):
    reason = String(load_default="", validate=Length(max=1000))


class TabQuery(Query):
    tab = String(load_default="validation",
                 validate=OneOf(GROUPED_ORDER_TAB_KEYS))


@blp.route("/grouped-orders")
@allow_methods(COLLECTIVITY, "get", "post")
class Mine(MethodView):
    @blp.response(200, schemas.GroupedOrder(many=True))
    def get(self):
        """The signed-in account's grouped orders."""
        return rpc("grouped_orders", "list_my_grouped_orders", g.user["id"])

    @blp.arguments(CreateIn)
    @blp.response(201, schemas.GroupedOrder)
    @idempotent
    def post(self, data):
        """Create a grouped order of one title (`ean`) or a reading list (`titles`); deadline
        and opens_on YYYY-MM-DD; pickup "bookshop" or "address-N"."""
        return rpc("grouped_orders", "create_grouped_order", g.user["id"], data,
                   idempotency_key=idempotency.key())


@blp.route("/grouped-orders/<int:number>")
@allow_methods(COLLECTIVITY, "get")
class MineOne(MethodView):
    @blp.response(200, schemas.GroupedOrder)
    def get(self, number):
        return rpc("grouped_orders", "get_my_grouped_order", g.user["id"], number)


@blp.route("/grouped-orders/<int:number>/deadline")
@allow_methods(COLLECTIVITY, "put")
class Deadline(MethodView):
    @blp.arguments(DeadlineIn)
    @blp.response(200, schemas.GroupedOrder)
    @idempotent
    def put(self, data, number):
        return rpc("grouped_orders", "change_deadline", g.user["id"], number, data["deadline"],
                   idempotency_key=idempotency.key())


@blp.route("/public/grouped-orders/<token>")
@allow_methods([ANONYMOUS], "get")
class Public(MethodView):
    @blp.response(200, schemas.PublicGroupedOrder)
    def get(self, token):
        """What the public subscription page shows."""
        return rpc("grouped_orders", "public_grouped_order", token[:64])


@blp.route("/public/grouped-orders/<token>/subscriptions")
@allow_methods([ANONYMOUS], "post")
class Subscribe(MethodView):
    @blp.arguments(SubscribeIn)
    @blp.response(201, schemas.Subscription)
    @idempotent
    def post(self, data, token):
        """Subscribe; the answer carries the buyer's own token for paying and following."""
        return rpc("grouped_orders", "subscribe", token[:64], data,
                   idempotency_key=idempotency.key())


@blp.route("/public/grouped-orders/<token>/subscriptions/<buyer_token>")
@allow_methods([ANONYMOUS], "get")
class BuyerStatus(MethodView):
    @blp.response(200, schemas.BuyerStatus)
    def get(self, token, buyer_token):
        return rpc("grouped_orders", "buyer_status", token[:64], buyer_token[:64])


@blp.route("/public/grouped-orders/<token>/subscriptions/<buyer_token>/payments")
@allow_methods([ANONYMOUS], "post")
class Pay(MethodView):
    @blp.response(201, schemas.PaymentStarted)
    @idempotent
    def post(self, token, buyer_token):
        """Start a payment attempt: redirect the buyer to `redirect_url`."""
        return_url = public_url_for("subscription.result", token=token, buyer_token=buyer_token)
        return rpc("grouped_orders", "start_payment", token[:64], buyer_token[:64], return_url,
                   idempotency_key=idempotency.key())


@blp.route("/admin/grouped-orders")
@allow_methods([ADMIN], "get")
class AdminList(MethodView):
    @blp.arguments(TabQuery, location="query")
    @blp.response(200, schemas.GroupedOrderTab)
    def get(self, args):
        return rpc("grouped_orders", "admin_list", g.user["id"], args["tab"])


@blp.route("/admin/grouped-orders/<int:number>")
@allow_methods([ADMIN], "get")
class AdminOne(MethodView):
    @blp.response(200, schemas.GroupedOrder)
    def get(self, number):
        return rpc("grouped_orders", "admin_get", g.user["id"], number)


ACTIONS = {"validation": "validate_grouped_order", "availability": "make_available",
           "reset": "reset_status"}


@blp.route("/admin/grouped-orders/<int:number>/<any(validation, availability, reset):action>")
@allow_methods([ADMIN], "post")
class AdminAction(MethodView):
    @blp.response(200, schemas.GroupedOrder)
    @idempotent
    def post(self, number, action):
        """Validate (send to Librisoft), make available, or reset the status. The validation
        answers the grouped order without `sub_orders` (summary, status, blockers): GET it for
        its sub-orders."""
        return rpc("grouped_orders", ACTIONS[action], g.user["id"], number,
                   idempotency_key=idempotency.key())


@blp.route("/admin/grouped-orders/<int:number>/cancellation")
@allow_methods([ADMIN], "post")
class AdminCancel(MethodView):
    @blp.arguments(ReasonIn)
    @blp.response(200, schemas.GroupedOrder)
    @idempotent
    def post(self, data, number):
        return rpc("grouped_orders", "cancel_grouped_order", g.user["id"], number,
                   data["reason"], idempotency_key=idempotency.key())


@blp.route("/admin/sub-orders/<int:sub_number>/<any(validation, cancellation):action>")
@allow_methods([ADMIN], "post")
class AdminSubAction(MethodView):
    @blp.arguments(ReasonIn)
    @blp.response(200, schemas.GroupedOrder)
    @idempotent
    def post(self, data, sub_number, action):
        """Validate a sub-order paid otherwise, or cancel it (`reason` told to the buyer)."""
        if action == "validation":
            return rpc("grouped_orders", "admin_validate_sub_order", g.user["id"], sub_number,
                       idempotency_key=idempotency.key())
        # a body that was a JSON list crashed here (500) before it was a schema
        return rpc("grouped_orders", "admin_cancel_sub_order", g.user["id"], sub_number,
                   data["reason"][:500], idempotency_key=idempotency.key())
