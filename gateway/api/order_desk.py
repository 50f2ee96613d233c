"""API v1: the bookshop's order desk (issue 9), ADMIN only, read-only: the month calendar, the
filtered list of every order, one order. Thin: each route is one RPC to order_desk, whose
domain checks the filters (a reversed amount range is a 400 in French)."""
from flask.views import MethodView
from marshmallow import fields

from services.common.contracts.fields import booleans, integers, texts

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
    day, total_ttc = texts(2)
    # cancelled, « annulées par avoir » (invoice credited entirely) and a parent's sub-orders
    # to pay online not paid yet: apart, not counted
    count, cancelled, credited, unpaid = integers(4)
    in_month, today = booleans(2)


class YearMonth(Out):
    year, month = integers(2)


class CalendarOut(YearMonth):
    title, total_ttc = texts(2)
    count, cancelled, credited, unpaid = integers(4)
    weekdays = fields.List(fields.String())
    # null before 2000-01 and after 2100-12 (the months the calendar shows)
    previous = fields.Nested(YearMonth, allow_none=True)
    next = fields.Nested(YearMonth, allow_none=True)
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
    invoiced = String(load_default="", validate=OneOf(["", "yes", "no", "oui", "non"]))
    sort = String(load_default="date", validate=OneOf(["date", "number", "amount", "customer"]))
    direction = String(load_default="desc", validate=OneOf(["asc", "desc"]))
    page = Integer(strict=False, load_default=1, validate=Range(min=1, max=100000))


class DeskOrder(Out):
    kind, kind_label, customer_name, customer_email, client_name, client_number = texts(6)
    total_ttc, payment_label, payment_method_label, cheque_number = texts(4)
    progress, progress_label, detail_url = texts(3)
    placed_at, placed_day, payment_state, payment_method = texts(4, null=True)
    progress_at, invoice_number, updated_at = texts(3, null=True)
    number = fields.Integer()
    grouped_order_number, batch_number = integers(2, null=True)
    credited = fields.Boolean()  # its invoice taken entirely by credit notes, not reinvoiced
    credited_ttc = fields.String()  # what partial credit notes took off its live invoice


class DeskOrderPage(Out):
    orders = fields.List(fields.Nested(DeskOrder))
    total, page, per_page, pages = integers(4)
    counted = fields.Integer()  # how many of them the calendar counts (its cell's number)
    previous_page, next_page = integers(2, null=True)
    # the amount as the calendar counts it (no cancelled order, no quote, a grouped order by
    # its sub-orders); the quote requests listed apart
    total_ttc, sort, direction, quotes_ttc = texts(4)
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
