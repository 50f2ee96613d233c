"""API v1: the bookshop's order desk (issue 9), ADMIN only, read-only: the month calendar, the
filtered list of every order, one order. Thin: each route is one RPC to order_desk, whose
domain checks the filters (a reversed amount range is a 400 in French)."""
from flask.views import MethodView
from marshmallow import fields

from ..rpc_client import rpc
from ..security import ADMIN
from .base import Blueprint, Integer, Length, OneOf, Out, Query, Range, String
from .routes import json_only

blp = Blueprint("api_order_desk", __name__, url_prefix="/api/v1",
                description="Commandes (le registre de la librairie)")
blp.before_request(json_only)

KINDS = ["sub_order", "grouped_order", "collectivity_order", "quote"]


class CalendarQuery(Query):
    year = Integer(strict=False, required=True, validate=Range(min=2000, max=2100))
    month = Integer(strict=False, required=True, validate=Range(min=1, max=12))


class Day(Out):
    day = fields.String()
    in_month = fields.Boolean()
    count = fields.Integer()
    total_ttc = fields.String()
    cancelled = fields.Integer()
    today = fields.Boolean()


class YearMonth(Out):
    year = fields.Integer()
    month = fields.Integer()


class CalendarOut(Out):
    year = fields.Integer()
    month = fields.Integer()
    title = fields.String()
    weekdays = fields.List(fields.String())
    count = fields.Integer()
    total_ttc = fields.String()
    cancelled = fields.Integer()
    previous = fields.Nested(YearMonth)
    next = fields.Nested(YearMonth)
    weeks = fields.List(fields.List(fields.Nested(Day)))


class OrdersQuery(Query):
    """The filters as order_desk reads them (its domain says what is wrong, in French)."""
    number = String(load_default="", validate=Length(max=20))
    customer = String(load_default="", validate=Length(max=200))
    amount_from = String(load_default="", validate=Length(max=20))
    amount_to = String(load_default="", validate=Length(max=20))
    period_from = String(load_default="", validate=Length(max=10))
    period_to = String(load_default="", validate=Length(max=10))
    day = String(load_default="", validate=Length(max=10))
    kind = String(load_default="", validate=OneOf(["", *KINDS]))
    payment_state = String(load_default="", validate=Length(max=20))
    progress = String(load_default="", validate=Length(max=20))
    invoiced = String(load_default="", validate=OneOf(["", "yes", "no"]))
    sort = String(load_default="date", validate=OneOf(["date", "number", "amount", "customer"]))
    direction = String(load_default="desc", validate=OneOf(["asc", "desc"]))
    page = Integer(strict=False, load_default=1, validate=Range(min=1, max=100000))


class DeskOrder(Out):
    kind = fields.String()
    kind_label = fields.String()
    number = fields.Integer()
    grouped_order_number = fields.Integer(allow_none=True)
    customer_name = fields.String()
    customer_email = fields.String()
    client_name = fields.String()
    client_number = fields.String()
    total_ttc = fields.String()
    placed_at = fields.String(allow_none=True)
    placed_day = fields.String(allow_none=True)
    payment_state = fields.String(allow_none=True)
    payment_label = fields.String()
    payment_method = fields.String(allow_none=True)
    payment_method_label = fields.String()
    cheque_number = fields.String()
    progress = fields.String()
    progress_label = fields.String()
    progress_at = fields.String(allow_none=True)
    invoice_number = fields.String(allow_none=True)
    batch_number = fields.Integer(allow_none=True)
    detail_url = fields.String()
    updated_at = fields.String(allow_none=True)


class DeskOrderPage(Out):
    orders = fields.List(fields.Nested(DeskOrder))
    total = fields.Integer()
    total_ttc = fields.String()
    page = fields.Integer()
    per_page = fields.Integer()
    pages = fields.Integer()
    previous_page = fields.Integer(allow_none=True)
    next_page = fields.Integer(allow_none=True)
    sort = fields.String()
    direction = fields.String()
    filters = fields.Dict(keys=fields.String(), values=fields.String())


@blp.view("/admin/desk/calendar", [ADMIN])
class Calendar(MethodView):
    @blp.answers(CalendarOut, query=CalendarQuery)
    def get(self, args):
        """The month's days (Paris): count and total TTC of the orders placed."""
        return rpc("order_desk", "calendar", args["year"], args["month"])


@blp.view("/admin/desk/orders", [ADMIN])
class Orders(MethodView):
    @blp.answers(DeskOrderPage, query=OrdersQuery)
    def get(self, args):
        """Every order, filtered, sorted, 25 a page."""
        filters = {k: v for k, v in args.items() if v not in ("", None)}
        return rpc("order_desk", "list_orders", filters)


@blp.view("/admin/desk/orders/<any(sub_order, grouped_order, collectivity_order, quote):kind>"
           "/<int:number>", [ADMIN])
class Order(MethodView):
    @blp.answers(DeskOrder)
    def get(self, kind, number):
        """One order as the register holds it."""
        return rpc("order_desk", "get_order", kind, number)
