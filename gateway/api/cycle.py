"""API v1: the school's cycle of a grouped order (issue 10), the same RPCs and the same
authorization as its pages: the opening day (K1, the initiator's page), the totals to send to
suppliers (K2, one grouped order's « Récapitulatif par produits » for its initiator or the
bookshop, the bookshop's « vue globale » over a period), a title that comes short (K3, the
bookshop's), distribution day (K5, the initiator's own or the bookshop's: the list, a tick, a
payment at pickup, a note, « Valider la distribution »), and the public progress toward the
minimum and the cap. A reading list's titles and per-title figures are in the grouped order's
own answer (`titles`, `by_title`).

Thin: each route is one RPC to grouped_orders, whose rules say what is wrong (a French 400),
what is too late (409: a distribution already validated, subscriptions already open) and whose
grouped order it is (another initiator's is a 404). Every write takes an Idempotency-Key."""
from datetime import datetime

from flask import g
from flask.views import MethodView
from marshmallow import fields

from services.common.clock import PARIS
from services.common.errors import DomainError
from services.grouped_orders.domain.suppliers import default_period

from ..rpc_client import rpc
from ..security import ADMIN, ANONYMOUS, COLLECTIVITE, COLLECTIVITY
from ..progress_words import progress_text
from . import routes, schemas
from .base import (Blueprint, Boolean, In, Integer, Length, NoBody, OneOf, Out, Query, Range,
                   String)
from .grouped_orders import call, change

blp = Blueprint("api_cycle", __name__, url_prefix="/api/v1",
                description="Commandes groupées : le cycle de l'école (ouverture, "
                            "fournisseurs, titres indisponibles, distribution, progression)")
blp.before_request(routes.json_only)

GROUPED_ORDER = "/grouped-orders/<int:number>"
ADMIN_GROUPED_ORDER = "/admin/grouped-orders/<int:number>"
READERS = [*COLLECTIVITY, ADMIN]          # the initiator (its own) or the bookshop (any)
DISTRIBUTORS = [COLLECTIVITE, ADMIN]      # as the distribution page (gateway/views)
ROW_ID = Range(min=1, max=2**31 - 1)
texts, integers = schemas.texts, schemas.integers


def many(schema):
    return fields.List(fields.Nested(schema))


# ---- K1: the opening day ------------------------------------------------------------------------
class OpeningIn(In):
    """The first day of subscriptions (YYYY-MM-DD), from today up to the deadline; null or ""
    opens them at once."""
    opens_on = String(required=True, allow_none=True, validate=Length(max=10))


@blp.view(GROUPED_ORDER + "/opening", COLLECTIVITY)
class Opening(MethodView):
    @blp.answers(schemas.GroupedOrder, takes=OpeningIn, idempotent=True)
    def put(self, data, number):
        """Move the opening day while subscriptions have not opened yet (409 once they have);
        a day in the past or after the deadline is a 400, nothing changed."""
        return change("change_opening", number, data["opens_on"] or "")


# ---- K2: the totals to send to suppliers -------------------------------------------------------
class Figures(Out):
    """Copies and amounts paid, awaiting payment, and apart to be paid at pickup (« À encaisser
    au retrait »: ordered, not paid, issue 10 K5; not among the awaiting ones); cancelled:
    nothing."""
    copies_paid, copies_awaiting, copies_at_pickup = integers(3)
    ttc_paid, ht_paid, vat_paid, ttc_awaiting, ht_awaiting, vat_awaiting = texts(6)
    ttc_at_pickup, ht_at_pickup, vat_at_pickup = texts(3)


class RateFigures(Figures):
    vat_rate = fields.String()


class SupplierTitle(Figures):
    ean, title, vat_rate = texts(3)
    orders = fields.List(fields.Integer(), metadata={
        "description": "The grouped orders holding the title."})


class Publisher(Out):
    name = fields.String()
    totals = fields.Nested(Figures)
    by_rate = many(RateFigures)
    titles = many(SupplierTitle)


class RecapOrder(Figures):
    number, titles = integers(2)             # titles: how many on its list
    deadline, status, status_label, title = texts(4)
    client_name = fields.String(allow_none=True)


class SupplierTotals(Out):
    """Per publisher (the article's distributor when known) and title, per VAT rate, and in
    all; the grouped orders covered, each with its own totals."""
    publishers = many(Publisher)
    totals = fields.Nested(Figures)
    by_rate = many(RateFigures)
    grouped_orders = many(RecapOrder)


class OrderSupplierTotals(SupplierTotals):
    number = fields.Integer()


class PeriodSupplierTotals(SupplierTotals):
    start, end = texts(2)


class PeriodQuery(Query):
    """The days (YYYY-MM-DD, Paris) the deadlines fall in, both included: the current month
    by default, a year at most."""
    start = String(load_default="", validate=Length(max=10))
    end = String(load_default="", validate=Length(max=10))


PERIOD_FIELDS = {"du": "start", "au": "end"}  # the service names them as its page does


@blp.view(GROUPED_ORDER + "/supplier-totals", READERS)
class OrderTotals(MethodView):
    @blp.answers(OrderSupplierTotals)
    def get(self, number):
        """« Récapitulatif par produits » of one grouped order: the initiator's own, any for
        the bookshop (the CSV and the PDF: its pages)."""
        return call("supplier_recap", number)


@blp.view("/admin/supplier-totals", [ADMIN])
class PeriodTotals(MethodView):
    @blp.answers(PeriodSupplierTotals, query=PeriodQuery)
    def get(self, args):
        """« Vue globale »: every grouped order not cancelled whose deadline is in the period,
        a title of several grouped orders one line."""
        start, end = default_period(datetime.now(PARIS).date())
        try:
            return call("admin_supplier_recap", args["start"] or start.isoformat(),
                        args["end"] or end.isoformat())
        except DomainError as exc:
            exc.details = {PERIOD_FIELDS.get(k, k): v for k, v in (exc.details or {}).items()}
            raise


# ---- K3: a title comes short --------------------------------------------------------------------
class AdjustedTitle(Out):
    title_id = fields.Integer()
    ean, title = texts(2)
    available = fields.Integer(allow_none=True, metadata={
        "description": "The copies the bookshop will get (null: not cut)."})
    adjusted_at, checked_at = texts(2, null=True)


class AdjustedLine(Out):
    """A buyer's line of a cut title: before → after, refunded online or « à rendre »."""
    sub_order_number, title_id, before, after = integers(4)
    title, ean, buyer, refunded, to_give_back = texts(5)
    cancelled = fields.Boolean()
    unchecked = fields.Boolean(metadata={"description": "Red until « J'ai vérifié »."})
    refund_state = fields.String(allow_none=True)


class Adjustments(Out):
    number = fields.Integer()
    status = fields.String()
    can_adjust, unchecked = schemas.booleans(2)
    titles = many(AdjustedTitle)
    lines = many(AdjustedLine)


class AvailableIn(In):
    available = Integer(required=True, validate=Range(min=0, max=2**31 - 1))


@blp.view(GROUPED_ORDER + "/adjustments", READERS)
class TitleAdjustments(MethodView):
    @blp.answers(Adjustments)
    def get(self, number):
        """The titles cut and the adjusted lines (red until the bookshop checked them)."""
        return call("admin_adjustments" if g.user["role"] == ADMIN else "my_adjustments",
                    number)


@blp.view(ADMIN_GROUPED_ORDER + "/titles/<int:title_id>/availability", [ADMIN])
class TitleAvailability(MethodView):
    @blp.answers(Adjustments, takes=AvailableIn, idempotent=True)
    def post(self, data, number, title_id):
        """The copies of a title the bookshop will actually get (0: unavailable), once
        subscriptions are closed and before the validation, only down: the first subscribed
        served first, the others' lines reduced or cancelled, the difference refunded, each
        buyer mailed. The same quantity again changes nothing."""
        return change("admin_set_title_available", number, title_id, data["available"])


@blp.view(ADMIN_GROUPED_ORDER + "/adjustments/verification", [ADMIN])
class AdjustmentsChecked(MethodView):
    @blp.answers(Adjustments, takes=NoBody, idempotent=True)
    def post(self, _body, number):
        """« J'ai vérifié »: the adjusted lines no longer show in red."""
        return change("admin_confirm_adjustments", number)


# ---- K5: distribution day -----------------------------------------------------------------------
class BuyerLine(Out):
    title = fields.String()
    quantity = fields.Integer()


class Note(Out):
    """A refund or an extra payment noted at pickup."""
    id, sub_order_number = integers(2)
    buyer_name, kind, kind_label, amount, comment, noted_by = texts(6)
    noted_at = fields.String(allow_none=True)


class DistributionBuyer(Out):
    number, quantity = integers(2)
    first_name, last_name, email, total, status, status_label = texts(6)
    payment_method, paid_by, marked_by, search = texts(4)
    awaiting_payment, came, collected_all = schemas.booleans(3)
    marked_at = fields.String(allow_none=True)
    due = fields.String(allow_none=True)  # still to pay (at pickup): null once paid
    lines = many(BuyerLine)
    notes = many(Note)


class Owing(Out):
    """A buyer paying at pickup who has not paid yet: who, and how much."""
    number = fields.Integer()
    first_name, last_name, total = texts(3)


class DistributionRecap(Out):
    expected, came, collected_all, absent = integers(4)
    refunds, extra_payments, came_owing_total, absent_owing_total = texts(4)
    came_owing, absent_owing = many(Owing), many(Owing)


class AbsentBuyer(Out):
    number = fields.Integer()
    first_name, last_name, email = texts(3)


class Distribution(Out):
    """The buyers not cancelled by name (those matching `q`), their ticks and notes, the
    recap, who did not come (so far, or as validated)."""
    number, count = integers(2)
    status, status_label, validated_by, query = texts(4)
    client_name, pickup_label, initiator_email = texts(3, null=True)
    made_available_at, validated_at = texts(2, null=True)
    can_distribute, distributed = schemas.booleans(2)
    # the distribution's date (YYYY-MM-DD), slot and words; whether it may be set now
    distribution_date = fields.String(allow_none=True)
    distribution_slot, distribution_label = texts(2)
    can_set_date = fields.Boolean()
    validation_waits_for = fields.String(allow_none=True, metadata={
        "description": "Le jour de la distribution (AAAA-MM-JJ) tant qu'il n'est pas venu : la "
                       "validation attend ce jour-là (409 avant)."})
    can_record_payments = fields.Boolean(metadata={
        "description": "« a payé » still taken: also after the validation (an absent buyer "
                       "paying at pickup comes afterwards)."})
    buyers = many(DistributionBuyer)
    recap = fields.Nested(DistributionRecap)
    absent = many(AbsentBuyer)
    notes = many(Note)


class Tick(Out):
    sub_order_number = fields.Integer()
    came, collected_all = schemas.booleans(2)
    changed = fields.Boolean(metadata={"description": "False: it was so already."})


class PickupPayment(Out):
    sub_order_number = fields.Integer()
    status, paid_by = texts(2)


class DistributionQuery(Query):
    q = String(load_default="", validate=Length(max=100))


class TickIn(In):
    """« venu » (`came`) or « a tout retiré » (`collected_all`, which ticks `came` too)."""
    sub_order = Integer(required=True, validate=ROW_ID)
    field = String(required=True, validate=OneOf(["came", "collected_all"]))
    value = Boolean(required=True)


class PickupPaymentIn(In):
    """« a payé » at pickup: a cheque (its 7-digit number) or cash."""
    sub_order = Integer(required=True, validate=ROW_ID)
    method = String(required=True, validate=OneOf(["cheque", "cash"]))
    cheque_number = String(load_default="", validate=Length(max=40))


class NoteIn(In):
    """A refund (`refund`) or an extra payment (`extra`) at pickup: the amount in euros to the
    cent ("12,50" or "12.50") and why."""
    sub_order = Integer(required=True, validate=ROW_ID)
    kind = String(required=True, validate=OneOf(["refund", "extra"]))
    amount = String(required=True, validate=Length(max=20))
    comment = String(required=True, validate=Length(max=600))


DISTRIBUTION = GROUPED_ORDER + "/distribution"


def distribution_change(method, number, *args):
    """A write of distribution day: the service names the buyer `sub` (its page's field), the
    API `sub_order`: the details say the field as it was sent."""
    try:
        return change(method, number, *args)
    except DomainError as exc:
        exc.details = {("sub_order" if k == "sub" else k): v
                       for k, v in (exc.details or {}).items()}
        raise


@blp.view(DISTRIBUTION, DISTRIBUTORS)
class DistributionList(MethodView):
    @blp.answers(Distribution, query=DistributionQuery)
    def get(self, args, number):
        """Distribution day's list (`q`: a name, accents and case ignored)."""
        return call("distribution", number, args["q"])


class DistributionDateIn(In):
    """The distribution's day (YYYY-MM-DD or DD/MM/YYYY; null or "" removes it) and its
    optional slot (« de 16 h 30 à 18 h », 100 characters)."""
    distribution_date = String(required=True, allow_none=True, validate=Length(max=20))
    distribution_slot = String(load_default="", validate=Length(max=150))


@blp.view(DISTRIBUTION + "/date", DISTRIBUTORS)
class DistributionDate(MethodView):
    @blp.answers(schemas.GroupedOrder, takes=DistributionDateIn, idempotent=True)
    def put(self, data, number):
        """Set, change or remove the distribution's date, once validated until the
        distribution is (409 otherwise); a day in the past is a 400. Once made available, a
        real change mails each buyer the new date (if the bookshop left their mails on)."""
        return change("set_distribution_date", number, data["distribution_date"] or "",
                      data["distribution_slot"] or "")


@blp.view(DISTRIBUTION + "/ticks", DISTRIBUTORS)
class DistributionTick(MethodView):
    @blp.answers(Tick, takes=TickIn, idempotent=True)
    def post(self, data, number):
        """Tick or un-tick at once; the same tick twice is one change (`changed` false)."""
        return distribution_change("distribution_tick", number, data["sub_order"], data["field"],
                      data["value"])


@blp.view(DISTRIBUTION + "/payments", DISTRIBUTORS)
class DistributionPayment(MethodView):
    @blp.answers(PickupPayment, takes=PickupPaymentIn, idempotent=True)
    def post(self, data, number):
        """A sub-order still awaiting payment paid at pickup (recorded by payments, once: a
        second one is a 409); also after the validation, for an absent buyer who comes
        afterwards."""
        return distribution_change("distribution_payment", number, data["sub_order"], data["method"],
                      data["cheque_number"])


@blp.view(DISTRIBUTION + "/notes", DISTRIBUTORS)
class DistributionNote(MethodView):
    @blp.answers(Note, 201, takes=NoteIn, idempotent=True)
    def post(self, data, number):
        """Note a refund or an extra payment handed over at pickup."""
        return distribution_change("distribution_note", number, data["sub_order"], data["kind"],
                      data["amount"], data["comment"])


@blp.view(DISTRIBUTION + "/validation", DISTRIBUTORS)
class DistributionValidation(MethodView):
    @blp.answers(Distribution, takes=NoBody, idempotent=True)
    def post(self, _body, number):
        """« Valider la distribution »: once (409 after), who did not come; the initiator gets
        the recap, each absent buyer a mail."""
        return change("validate_distribution", number)


# ---- progress (public) ------------------------------------------------------------------------
class PublicProgressOut(Out):
    """Paid copies toward the minimum, the copies left under the cap: nothing of the buyers."""
    number = fields.Integer()
    status, status_label = texts(2)
    subscriptions_open = fields.Boolean()
    progress = fields.Nested(schemas.Progress)
    texts = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "The public page's sentences: `minimum`, `cap` (when set)."})


@blp.view("/public/grouped-orders/<token>/progress", [ANONYMOUS])
class PublicProgress(MethodView):
    @blp.answers(PublicProgressOut)
    def get(self, token):
        """The public page's progress (« 7 / 10 exemplaires »), to poll."""
        found = rpc("grouped_orders", "public_progress", token[:64])
        return dict(found, texts=progress_text(found["progress"], found.get("status")))
