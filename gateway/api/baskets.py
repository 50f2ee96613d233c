"""API v1: collectivity baskets along the approval chain, the quote requests and orders made
from them, and the bookshop's management of those. Thin: each route is one RPC to the baskets
service, which re-checks who may do what; the views are the service's."""
from flask import g
from flask.views import MethodView

from .. import idempotency
from ..rpc_client import rpc
from ..security import ADMIN, COLLECTIVITY
from ..tabs import COLLECTIVITY_ORDER_TABS
from . import schemas
from .base import (Blueprint, Boolean, In, Integer, Length, OneOf, Query, Range, String,
                   allow_methods)
from .routes import json_only

blp = Blueprint("api_baskets", __name__, url_prefix="/api/v1",
                description="Paniers collectivité, demandes de devis et commandes")
blp.before_request(json_only)


class ListQuery(Query):
    include_transformed = Boolean(load_default=False)
    view = String(load_default="mine",
                         validate=OneOf(["mine", "to_validate", "validated"]))


class BasketCreateIn(In):
    client_number = String(load_default=None, allow_none=True,
                                  validate=Length(max=40))
    name = String(load_default="", validate=Length(max=200))


class RenameIn(In):
    name = String(required=True, validate=Length(max=200))


class LineIn(In):
    """`quantity`: a whole number (2.5 was truncated to 2); its range is the service's rule."""
    ean = String(required=True, validate=Length(max=20))
    quantity = Integer(load_default=1)


class QuantityIn(In):
    quantity = Integer(required=True)


class MoveIn(In):
    """`comment` for a return; kind, reference, comment and delivery_address for a
    transformation."""
    comment = String(load_default="", validate=Length(max=2000))
    kind = String(load_default="", validate=Length(max=20))
    reference = String(load_default="", validate=Length(max=200))
    delivery_address = Integer(load_default=0, validate=Range(min=0, max=1000))


class PriceQuery(Query):
    client_number = String(load_default=None, validate=Length(max=40))


class QuotesQuery(Query):
    archived = Boolean(load_default=False)
    search = String(load_default="", validate=Length(max=50))
    page = Integer(strict=False, load_default=1, validate=Range(min=1, max=1_000_000))
    per_page = Integer(strict=False, load_default=50, validate=Range(min=1, max=200))


class OrdersQuery(Query):
    tab = String(load_default="pending", validate=OneOf(COLLECTIVITY_ORDER_TABS))
    eans = String(load_default="", validate=Length(max=1100))
    client_delivered = String(load_default="", validate=Length(max=40))
    client_invoiced = String(load_default="", validate=Length(max=40))
    date_from = String(load_default="", validate=Length(max=10))
    date_to = String(load_default="", validate=Length(max=10))
    delivery_mode = String(load_default="", validate=Length(max=20))
    number = String(load_default="", validate=Length(max=40))
    page = Integer(strict=False, load_default=1, validate=Range(min=1, max=1_000_000))
    per_page = Integer(strict=False, load_default=50, validate=Range(min=1, max=200))


class OrderReasonIn(In):
    reason = String(load_default="", validate=Length(max=1000))


class MessageIn(In):
    message = String(required=True, validate=Length(max=5000))


def call(method, *args):
    return rpc("baskets", method, g.user["id"], *args)


def change(method, *args):
    """A call that changes something: with the request's Idempotency-Key."""
    return rpc("baskets", method, g.user["id"], *args, idempotency_key=idempotency.key())


idempotent = idempotency.api_doc(blp)  # the Idempotency-Key header, documented


@blp.route("/basket-menus")
@allow_methods(COLLECTIVITY, "get")
class Menus(MethodView):
    @blp.response(200, schemas.Menu(many=True))
    def get(self):
        """The top bar's entries for this role, with counts."""
        return call("basket_menus")


@blp.route("/baskets")
@allow_methods(COLLECTIVITY, "get", "post")
class Baskets(MethodView):
    @blp.arguments(ListQuery, location="query")
    @blp.response(200, schemas.BasketSummary(many=True))
    def get(self, args):
        """One's baskets (view=mine), those waiting for one's validation (to_validate), or the
        validated ones (validated)."""
        if args["view"] == "to_validate":
            return call("baskets_to_validate")
        if args["view"] == "validated":
            return call("validated_baskets")
        return call("list_my_baskets", args["include_transformed"])

    @blp.arguments(BasketCreateIn)
    @blp.response(201, schemas.Basket)
    @idempotent
    def post(self, data):
        """Create a basket (client_number required when the account has several clients)."""
        return change("create_basket", data["client_number"], data["name"])


@blp.route("/baskets/<int:basket_id>")
@allow_methods(COLLECTIVITY, "get", "put", "delete")
class Basket(MethodView):
    @blp.response(200, schemas.Basket)
    def get(self, basket_id):
        """The basket priced now: lines, totals, history, the actions one may take."""
        return call("get_basket", basket_id)

    @blp.arguments(RenameIn)
    @blp.response(200, schemas.Basket)
    @idempotent
    def put(self, data, basket_id):
        """Rename."""
        return change("rename_basket", basket_id, data["name"])

    @blp.response(200, schemas.BasketDeleted)
    @idempotent
    def delete(self, basket_id):
        return change("delete_basket", basket_id)


@blp.route("/baskets/<int:basket_id>/lines")
@allow_methods(COLLECTIVITY, "post")
class Lines(MethodView):
    @blp.arguments(LineIn)
    @blp.response(201, schemas.Basket)
    @idempotent
    def post(self, data, basket_id):
        """Add an article (or add to its quantity)."""
        return change("add_line", basket_id, data["ean"].strip(), data["quantity"])


@blp.route("/baskets/<int:basket_id>/lines/<ean>")
@allow_methods(COLLECTIVITY, "put", "delete")
class Line(MethodView):
    @blp.arguments(QuantityIn)
    @blp.response(200, schemas.Basket)
    @idempotent
    def put(self, data, basket_id, ean):
        return change("set_quantity", basket_id, ean[:20], data["quantity"])

    @blp.response(200, schemas.Basket)
    @idempotent
    def delete(self, basket_id, ean):
        return change("remove_line", basket_id, ean[:20])


@blp.route("/baskets/<int:basket_id>/<any(submission, unlock, lock, return, transformation):"
           "action>")
@allow_methods(COLLECTIVITY, "post")
class Move(MethodView):
    @blp.arguments(MoveIn)
    @blp.response(200, schemas.MoveResult)
    @idempotent
    def post(self, data, basket_id, action):
        """Move the basket along the chain. A transformation answers with the quote request or
        order made (kind "quote" or "order", reference required)."""
        if action == "submission":
            return change("submit_basket", basket_id)
        if action == "unlock":
            return change("unlock_basket", basket_id)
        if action == "lock":
            return change("lock_basket", basket_id)
        if action == "return":
            return change("return_basket", basket_id, data["comment"])
        return change("transform_basket", basket_id, data["kind"], data["reference"],
                    data["comment"], data["delivery_address"])


@blp.route("/articles/<ean>/price")
@allow_methods(COLLECTIVITY, "get")
class Price(MethodView):
    @blp.arguments(PriceQuery, location="query")
    @blp.response(200, schemas.ArticlePrice)
    def get(self, args, ean):
        """The collectivity's own price for one unit of an article."""
        return call("article_price", args["client_number"], ean[:20])


@blp.route("/documents/<any(quote, order):kind>")
@allow_methods(COLLECTIVITY, "get")
class Documents(MethodView):
    @blp.response(200, schemas.DocumentSummary(many=True))
    def get(self, kind):
        """The quote requests or orders of one's clients."""
        return call("list_my_documents", kind)


@blp.route("/documents/<any(quote, order):kind>/<int:number>")
@allow_methods(COLLECTIVITY, "get")
class Document(MethodView):
    @blp.response(200, schemas.Document)
    def get(self, kind, number):
        return call("get_my_document", kind, number)


@blp.route("/admin/quotes")
@allow_methods([ADMIN], "get")
class AdminQuotes(MethodView):
    @blp.arguments(QuotesQuery, location="query")
    @blp.response(200, schemas.QuotesPage)
    def get(self, args):
        return call("admin_list_quotes", args["archived"], args["search"], args["page"],
                    args["per_page"])


@blp.route("/admin/quotes/<int:number>")
@allow_methods([ADMIN], "get")
class AdminQuote(MethodView):
    @blp.response(200, schemas.Document)
    def get(self, number):
        return call("admin_get_document", "quote", number)


@blp.route("/admin/quotes/<int:number>/archive")
@allow_methods([ADMIN], "post")
class AdminArchive(MethodView):
    @blp.response(200, schemas.Document)
    @idempotent
    def post(self, number):
        return change("admin_archive_quote", number)


@blp.route("/admin/orders")
@allow_methods([ADMIN], "get")
class AdminOrders(MethodView):
    @blp.arguments(OrdersQuery, location="query")
    @blp.response(200, schemas.OrdersPage)
    def get(self, args):
        """The orders of one tab, filtered (eans: comma-separated; dates: YYYY-MM-DD)."""
        tab = args.pop("tab")
        return call("admin_list_orders", tab, args)


@blp.route("/admin/orders/<int:number>")
@allow_methods([ADMIN], "get")
class AdminOrder(MethodView):
    @blp.response(200, schemas.Document)
    def get(self, number):
        return call("admin_get_document", "order", number)


# The order actions are named by the noun of the action, as the basket moves (`submission`,
# `transformation`) and the grouped orders' (`validation`, `availability`, `reset`) are; the
# service's names are the statuses they lead to.
ORDER_ACTIONS = {"availability": "made_available", "shipment": "shipped", "closure": "closed",
                 "cancellation": "cancelled", "reset": "reset"}
# the names of before, still answered (external clients use them), documented as deprecated
DEPRECATED_ORDER_ACTIONS = {"made_available": "availability", "shipped": "shipment",
                            "closed": "closure", "cancelled": "cancellation"}


@blp.route("/admin/orders/<int:number>/<any(availability, shipment, closure, cancellation, "
           "reset):action>")
@allow_methods([ADMIN], "post")
class AdminOrderAction(MethodView):
    @blp.arguments(OrderReasonIn)
    @blp.response(200, schemas.Document)
    @idempotent
    def post(self, data, number, action):
        """Mettre à disposition (availability), Expédier (shipment), Clôturer (closure),
        Annuler (cancellation, reason required), Réinitialiser le statut (reset)."""
        return change("admin_order_action", number, ORDER_ACTIONS[action], data["reason"])


@blp.route("/admin/orders/<int:number>/<any(made_available, shipped, closed, cancelled):"
           "old_action>")
@allow_methods([ADMIN], "post")
class AdminOrderActionDeprecated(MethodView):
    @blp.arguments(OrderReasonIn)
    @blp.response(200, schemas.Document)
    @blp.doc(deprecated=True)
    @idempotent
    def post(self, data, number, old_action):
        """Deprecated names of the order actions: made_available is `availability`, shipped
        `shipment`, closed `closure`, cancelled `cancellation`; same effect and answer."""
        return change("admin_order_action", number, old_action, data["reason"])


@blp.route("/admin/<any(quote, order):kind>s/<int:number>/messages")
@allow_methods([ADMIN], "post")
class AdminMessage(MethodView):
    @blp.arguments(MessageIn)
    @blp.response(201, schemas.Document)
    @idempotent
    def post(self, data, kind, number):
        """Send a message to the client (mailed)."""
        return change("admin_send_message", kind, number, data["message"])
