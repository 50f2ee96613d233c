"""API v1: collectivity baskets along the approval chain, the quote requests and orders made
from them, and the bookshop's management of those. Thin: each route is one RPC to the baskets
service, which re-checks who may do what; the views are the service's."""
from flask import g
from flask.views import MethodView

from ..rpc_client import rpc
from ..security import ADMIN, COLLECTIVITY
from ..tabs import COLLECTIVITY_ORDER_TABS
from . import schemas
from . import routes
from .base import (Blueprint, Boolean, any_of, In, Integer, Length, NoBody, OneOf, Query, Range,
                   String)

blp = Blueprint("api_baskets", __name__, url_prefix="/api/v1",
                description="Paniers collectivité, demandes de devis et commandes")
blp.before_request(routes.json_only)


class ListQuery(Query):
    include_transformed = Boolean(strict=False, load_default=False)
    view = String(load_default="mine", validate=OneOf(["mine", "to_validate", "validated"]))


class BasketCreateIn(In):
    client_number = String(load_default=None, allow_none=True, validate=Length(max=40))
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
    transformation, and optionally `expected_total_ttc`: the total the client confirmed (e.g.
    the basket's `totals.total_ttc` it showed); if the lines, re-priced at the transformation,
    come to another total, the answer is a 409 and nothing is placed."""
    comment = String(load_default="", validate=Length(max=2000))
    kind = String(load_default="", validate=Length(max=20))
    reference = String(load_default="", validate=Length(max=200))
    delivery_address = Integer(load_default=0, validate=Range(min=0, max=1000))
    # « livraison » to `delivery_address`, or « retrait » at the bookshop (no address)
    delivery_mode = String(load_default="livraison", validate=OneOf(["livraison", "retrait"]))
    expected_total_ttc = String(load_default=None, validate=Length(max=20))


class PriceQuery(Query):
    client_number = String(load_default=None, validate=Length(max=40))


class QuotesQuery(Query):
    archived = Boolean(strict=False, load_default=False)
    # the quote's number, or words of its collectivity's name or client number, reference,
    # contact or e-mails (each word found; accents and case ignored)
    search = String(load_default="", validate=Length(max=50), metadata={
        "description": "N° du devis, ou mots du nom ou du n° de la collectivité, de la "
                       "référence, du contact ou des e-mails (accents et majuscules "
                       "indifférents)."})
    page = Integer(strict=False, load_default=1, validate=Range(min=1, max=1_000_000))
    per_page = Integer(strict=False, load_default=50, validate=Range(min=1, max=200))


class OrdersQuery(Query):
    tab = String(load_default="pending", validate=OneOf(COLLECTIVITY_ORDER_TABS))
    eans = String(load_default="", validate=Length(max=1100))
    # words of the collectivity's name, client number, reference or e-mails (accents, case: any)
    client = String(load_default="", validate=Length(max=100))
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


def change(method, *args, **kwargs):
    """A call that changes something: with the request's Idempotency-Key."""
    return routes.change("baskets", method, g.user["id"], *args, **kwargs)


@blp.view("/basket-menus", COLLECTIVITY)
class Menus(MethodView):
    @blp.answers(schemas.Menu(many=True))
    def get(self):
        """The top bar's entries for this role, with counts."""
        return call("basket_menus")


@blp.view("/baskets", COLLECTIVITY)
class Baskets(MethodView):
    @blp.answers(schemas.BasketSummary(many=True), query=ListQuery)
    def get(self, args):
        """One's baskets (view=mine), those waiting for one's validation (to_validate), or the
        validated ones (validated)."""
        if args["view"] == "to_validate":
            return call("baskets_to_validate")
        if args["view"] == "validated":
            return call("validated_baskets")
        return call("list_my_baskets", args["include_transformed"])

    @blp.answers(schemas.Basket, 201, takes=BasketCreateIn, idempotent=True)
    def post(self, data):
        """Create a basket (client_number required when the account has several clients)."""
        return change("create_basket", data["client_number"], data["name"])


@blp.view("/baskets/<int:basket_id>", COLLECTIVITY)
class Basket(MethodView):
    @blp.answers(schemas.Basket)
    def get(self, basket_id):
        """The basket priced now: lines, totals, history, the actions one may take."""
        return call("get_basket", basket_id)

    @blp.answers(schemas.Basket, takes=RenameIn, idempotent=True)
    def put(self, data, basket_id):
        """Rename."""
        return change("rename_basket", basket_id, data["name"])

    @blp.answers(schemas.BasketDeleted, idempotent=True)
    def delete(self, basket_id):
        return change("delete_basket", basket_id)


@blp.view("/baskets/<int:basket_id>/lines", COLLECTIVITY)
class Lines(MethodView):
    @blp.answers(schemas.Basket, 201, takes=LineIn, idempotent=True)
    def post(self, data, basket_id):
        """Add an article (or add to its quantity)."""
        return change("add_line", basket_id, data["ean"].strip(), data["quantity"])


@blp.view("/baskets/<int:basket_id>/lines/<ean>", COLLECTIVITY)
class Line(MethodView):
    @blp.answers(schemas.Basket, takes=QuantityIn, idempotent=True)
    def put(self, data, basket_id, ean):
        return change("set_quantity", basket_id, ean[:20], data["quantity"])

    @blp.answers(schemas.Basket, idempotent=True)
    def delete(self, basket_id, ean):
        return change("remove_line", basket_id, ean[:20])


MOVES = {"submission": "submit_basket", "unlock": "unlock_basket", "lock": "lock_basket",
         "recall": "recall_basket"}


@blp.view("/baskets/<int:basket_id>/" + any_of([*MOVES, "return", "transformation"]),
          COLLECTIVITY)
class Move(MethodView):
    @blp.answers(schemas.MoveResult, takes=MoveIn, idempotent=True)
    def post(self, data, basket_id, action):
        """Move the basket along the chain (`recall`: its creator takes back a basket just
        sent, while it waits untouched). A transformation answers with the quote request or
        order made (kind "quote" or "order", reference required)."""
        if action in MOVES:
            return change(MOVES[action], basket_id)
        if action == "return":
            return change("return_basket", basket_id, data["comment"])
        return change("transform_basket", basket_id, data["kind"], data["reference"],
                      data["comment"], data["delivery_address"],
                      expected_total=data["expected_total_ttc"],
                      delivery_mode=data["delivery_mode"])


@blp.view("/articles/<ean>/price", COLLECTIVITY)
class Price(MethodView):
    @blp.answers(schemas.ArticlePrice, query=PriceQuery)
    def get(self, args, ean):
        """The collectivity's own price for one unit of an article."""
        return call("article_price", args["client_number"], ean[:20])


@blp.view("/documents/<any(quote, order):kind>", COLLECTIVITY)
class Documents(MethodView):
    @blp.answers(schemas.DocumentSummary(many=True))
    def get(self, kind):
        """The quote requests or orders of one's clients."""
        return call("list_my_documents", kind)


@blp.view("/documents/<any(quote, order):kind>/<int:number>", COLLECTIVITY)
class Document(MethodView):
    @blp.answers(schemas.Document)
    def get(self, kind, number):
        return call("get_my_document", kind, number)


@blp.view("/documents/<any(quote, order):kind>/<int:number>/basket", COLLECTIVITY)
class Reorder(MethodView):
    @blp.answers(schemas.ReorderedBasket, 201, takes=NoBody, idempotent=True)
    def post(self, _body, kind, number):
        """« Commander ce devis » / « Commander à nouveau »: a new basket of one's own with the
        lines of one's client's quote request or order, at today's prices, to check and send
        along the chain (`skipped`: articles no longer in the catalogue)."""
        return change("basket_from_document", kind, number)


@blp.view("/admin/quotes", [ADMIN])
class AdminQuotes(MethodView):
    @blp.answers(schemas.QuotesPage, query=QuotesQuery)
    def get(self, args):
        return call("admin_list_quotes", args["archived"], args["search"], args["page"],
                    args["per_page"])


@blp.view("/admin/quotes/<int:number>", [ADMIN])
class AdminQuote(MethodView):
    @blp.answers(schemas.Document)
    def get(self, number):
        return call("admin_get_document", "quote", number)


@blp.view("/admin/quotes/<int:number>/archive", [ADMIN])
class AdminArchive(MethodView):
    @blp.answers(schemas.Document, takes=NoBody, idempotent=True)
    def post(self, _body, number):
        return change("admin_archive_quote", number)


@blp.view("/admin/orders", [ADMIN])
class AdminOrders(MethodView):
    @blp.answers(schemas.OrdersPage, query=OrdersQuery)
    def get(self, args):
        """The orders of one tab, filtered (eans: comma-separated; dates: YYYY-MM-DD)."""
        tab = args.pop("tab")
        return call("admin_list_orders", tab, args)


@blp.view("/admin/orders/<int:number>", [ADMIN])
class AdminOrder(MethodView):
    @blp.answers(schemas.Document)
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


@blp.view("/admin/orders/<int:number>/" + any_of(ORDER_ACTIONS), [ADMIN])
class AdminOrderAction(MethodView):
    @blp.answers(schemas.Document, takes=OrderReasonIn, idempotent=True)
    def post(self, data, number, action):
        """Mettre à disposition (availability), Expédier (shipment), Clôturer (closure),
        Annuler (cancellation, reason required), Réinitialiser le statut (reset)."""
        return change("admin_order_action", number, ORDER_ACTIONS[action], data["reason"])


@blp.view("/admin/orders/<int:number>/" + any_of(DEPRECATED_ORDER_ACTIONS, "old_action"),
          [ADMIN])
class AdminOrderActionDeprecated(MethodView):
    @blp.answers(schemas.Document, takes=OrderReasonIn, idempotent=True)
    @blp.doc(deprecated=True)
    def post(self, data, number, old_action):
        """Deprecated names of the order actions: made_available is `availability`, shipped
        `shipment`, closed `closure`, cancelled `cancellation`; same effect and answer."""
        return change("admin_order_action", number, old_action, data["reason"])


@blp.view("/admin/<any(quote, order):kind>s/<int:number>/messages", [ADMIN])
class AdminMessage(MethodView):
    @blp.answers(schemas.Document, 201, takes=MessageIn, idempotent=True)
    def post(self, data, kind, number):
        """Send a message to the client (mailed)."""
        return change("admin_send_message", kind, number, data["message"])
