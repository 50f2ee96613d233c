"""The pages' forms, declared: one schema per form, read by webargs (`Login.read()`).

Each field says how much of what was typed the page keeps: a text is cut at its limit (as the
pages always did: the service then refuses a value that is still too long, with its own French
message, and the page shows it next to the field), a check box is "1" or not, a number that is
not one is left to the service to refuse. The fields speak French (gateway/api/base.py); a form
that cannot be read at all is the French 400 page of gateway/errors.py. Fields not declared
(`csrf_token`, `idempotency_key`) are ignored here: flask-wtf and gateway/idempotency.py read
them."""
import functools

from flask import request
from marshmallow import EXCLUDE, Schema, ValidationError, fields

from services.common.validation import whole_number

from .api.base import Parser, String

parser = Parser()


class Text(String):
    """Text cut at `limit` characters (stripped first if `strip`); "" when absent."""

    def __init__(self, limit, *, strip=False, **kwargs):
        kwargs.setdefault("load_default", "")
        self.limit, self.strip = limit, strip
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        return (value.strip() if self.strip else value)[:self.limit]


class TextList(fields.List):
    """A repeated field (`<select multiple>`, check boxes): `count` values at most, each cut
    at `limit` characters."""

    def __init__(self, limit, count, **kwargs):
        kwargs.setdefault("load_default", list)
        self.count = count
        super().__init__(Text(limit), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(list(value)[:self.count], attr, data, **kwargs)


class Flag(fields.Field):
    """A check box or a hidden switch: True when it says "1"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("load_default", False)
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return value == "1"


class Switch(Flag):
    """A switch a page's script (or its no-script button) sends as "1" (on) or "0" (off);
    absent: off; anything else is not a switch: the form's French 400."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value not in ("0", "1", ""):
            raise ValidationError("« 1 » (coché) ou « 0 » (décoché).")
        return value == "1"


class OnOff(Switch):
    """A hidden field that says what to do, "1" (on) or "0" (off), and nothing else: « 2 » or
    « abc » deactivated an account."""

    def __init__(self, **kwargs):
        kwargs["required"] = True
        kwargs.pop("load_default", None)
        kwargs.setdefault("error_messages", {"required": "« 1 » (activer) ou « 0 » (désactiver)."})
        fields.Field.__init__(self, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if value not in ("0", "1"):
            raise ValidationError("« 1 » (activer) ou « 0 » (désactiver).")
        return value == "1"


class Choice(fields.Field):
    """A hidden field naming where to go back to: the value, or None if it is not one of
    `choices`."""

    def __init__(self, *choices, **kwargs):
        kwargs.setdefault("load_default", None)
        self.choices = choices
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return value if value in self.choices else None


class WholeNumber(fields.Field):
    """A row id or a count typed or chosen in the page: the number, or `default` when it is not
    a whole number (the service, or the page, then says what is wrong)."""

    def __init__(self, *, default=None, limit=12, **kwargs):
        kwargs.setdefault("load_default", default)
        self.default, self.limit = default, limit
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        number = whole_number(str(value)[:self.limit])
        return self.default if number is None else number


class Quantity(fields.Field):
    """A quantity of articles: 0 to 9,999; -1 when it is not a number, which the service
    refuses with its own message."""

    def __init__(self, *, default=1, **kwargs):
        kwargs.setdefault("load_default", default)
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return max(0, min(int(value), 9999))
        except (TypeError, ValueError):
            return -1


@functools.cache
def schema(cls) -> Schema:
    """One instance per form, made once (issue 11: building a marshmallow schema deep-copies
    its fields, a fifth of the gateway's own work on the subscription form's POST); loading
    with it keeps no state, so the gateway's threads share it."""
    return cls()


class Form(Schema):
    """A page's form: the declared fields, read from `request.form`."""

    class Meta:
        unknown = EXCLUDE

    @classmethod
    def read(cls) -> dict:
        return parser.parse(schema(cls), request, location="form")


# ---- the forms --------------------------------------------------------------------------------
PASSWORD = 200
EMAIL = 254


class Login(Form):
    email = Text(EMAIL)
    password = Text(PASSWORD)


class ForgottenPassword(Form):
    email = Text(EMAIL)


class NewPassword(Form):
    password = Text(PASSWORD)
    confirmation = Text(PASSWORD)


class ChangePassword(NewPassword):
    current = Text(PASSWORD)


class NewAccount(Form):
    email = Text(EMAIL)
    password = Text(PASSWORD)
    confirmation = Text(PASSWORD)
    role = Text(20)
    client_numbers = TextList(40, 200)


class AccountActive(Form):
    active = OnOff()
    back = Choice("clients")


TITLES = 20  # a reading list's titles at most (services.grouped_orders.domain.MAX_TITLES)


class Subscription(Form):
    """One `quantity` per title, each after the `ean` it is for (a hidden field); a page
    without `ean` (one title, as before reading lists) sends its one `quantity`."""
    first_name = Text(200)
    last_name = Text(200)
    email = Text(300)
    pupil = Text(200)  # optional: the pupil (and class) the books are for
    ean = TextList(20, TITLES)
    quantity = TextList(4, TITLES)
    accepted_terms = Flag()
    payment_method = Text(10, strip=True)  # online (default), cheque, cash (issue 9)
    again = Flag()  # « passer une seconde commande identique » (the same, from this browser)


class QueryForm(Form):
    """A page's GET form: the declared fields, read from the query string."""

    @classmethod
    def read(cls) -> dict:
        return parser.parse(schema(cls), request, location="query")


class ReadingList(QueryForm):
    """The reading list being built (its first title is in the path): the others, those
    marked optional, and what the page's search looks for."""
    titre = TextList(20, TITLES)
    facultatif = TextList(20, TITLES)
    q = Text(200, strip=True)


class NewGroupedOrder(Form):
    step = Choice("create")
    titles = TextList(20, TITLES)     # the reading list's EANs, in order
    optional = TextList(20, TITLES)   # those a buyer may leave at 0
    deadline = Text(10)
    opens_on = Text(10)
    pickup = Text(20)
    comment = Text(1001)  # one more than the service keeps: refused in French, not cut
    min_copies = Text(7, strip=True)  # issue 10: empty, no minimum (the service checks)
    max_copies = Text(7, strip=True)  # empty, no cap
    title_min = TextList(7, TITLES)   # each title's own minimum, in the order of `titles`


class Deadline(Form):
    deadline = Text(10)


class Opening(Form):
    """The initiator's new opening day (issue 10, K1): empty opens at once."""
    opens_on = Text(10)


class BuyerReminders(Form):
    """The bookshop lets the grouped order's unpaid buyers be reminded before the deadline."""
    enabled = Flag()
class CopyLimits(Form):
    """The initiator's minimum and cap of copies (issue 10), while the grouped order is open;
    a reading list's own minimum per title (`title_min`, each after the `ean` it is for)."""
    min_copies = Text(7, strip=True)
    max_copies = Text(7, strip=True)
    ean = TextList(20, TITLES)
    title_min = TextList(7, TITLES)


class Confirmation(Form):
    """The confirmation step of an irreversible action (gateway/views/__init__.py)."""
    confirmed = Flag()
    # one character more than the services keep: a longer reason is refused, not cut
    reason = Text(1001)


class SubOrderAction(Form):
    grouped_order = WholeNumber(default=0)
    reason = Text(500)


class ManualPayment(Form):
    """The bookshop records a sub-order's cheque (with its number) or cash (issue 9)."""
    grouped_order = WholeNumber(default=0)
    method = Text(10, strip=True)
    cheque_number = Text(40)
    confirmed = Flag()


class PaymentMethods(Form):
    """What a grouped order allows besides online payment (issue 9; paying at pickup: issue
    10 K5)."""
    cheque = Flag()
    cash = Flag()
    pickup = Flag()


class OrderAction(Form):
    """An action on a collectivity order or quote, from its page or from the list (`back_url`,
    a page of the admin, is where to go back to)."""
    back = Choice("list", "quotes")
    back_url = Text(2000)
    reason = Text(1001)  # one more than the service keeps: refused in French, not cut


class Message(Form):
    message = Text(5001)  # one more than the service keeps: refused in French, not cut


class NewBasket(Form):
    client_number = Text(40)
    name = Text(200)
    ean = Text(20, strip=True)
    quantity = Quantity()


class AddToBasket(Form):
    ean = Text(20, strip=True)
    basket_id = WholeNumber()
    quantity = Quantity()


class BasketName(Form):
    name = Text(200)


class BasketLine(Form):
    ean = Text(20, strip=True)
    quantity = Quantity()


class TypedQuantity(Form):
    """A refused quantity as it was typed (« 2.5 », « 10000 »), to show it back."""
    quantity = Text(10)


class BasketComment(Form):
    comment = Text(2000)


class Transformation(Form):
    """`expected_total`: the total TTC the page showed (a price changed since: refused)."""
    reference = Text(200)
    comment = Text(2000)
    delivery_address = Text(4, load_default="0")
    delivery_mode = Text(20, strip=True)  # livraison (default) | retrait (at the bookshop)
    expected_total = Text(20, strip=True)


class DeskFilters(QueryForm):
    """The order desk's calendar month and list filters (/admin/commandes): kept as typed,
    checked by order_desk (its domain's `filters.parse`, French messages per field)."""
    month = Text(7, strip=True)            # "2021-01": the calendar's month
    day = Text(10, strip=True)
    number = Text(20, strip=True)
    customer = Text(200, strip=True)
    amount_from = Text(20, strip=True)
    amount_to = Text(20, strip=True)
    period_from = Text(10, strip=True)
    period_to = Text(10, strip=True)
    kind = Text(30, strip=True)
    payment_state = Text(20, strip=True)
    progress = Text(20, strip=True)
    invoiced = Text(3, strip=True)
    sort = Text(10, strip=True)
    direction = Text(4, strip=True)
    page = Text(6, strip=True)


class BuyerEmail(Form):
    """The bookshop corrects a buyer's mistyped e-mail (the grouped order's page, row)."""
    grouped_order = WholeNumber(default=0)
    email = Text(300)


class ProgressMove(Form):
    """A move of an order's progress on the desk: the state chosen, the state the page showed
    (the order moved since: a 409), a comment (a cancellation's reason: its confirmation page's
    `reason`)."""
    to = Text(20)
    current = Text(20)
    # one character more than the service keeps: a longer comment is refused in French (its
    # 1,000 characters at most), not stored cut
    comment = Text(1001)


class ClientBilling(Form):
    """A collectivity client's SIRET and Chorus Pro service code (the bookshop's, issue 9):
    accounts checks them (python-stdnum) and answers in French."""
    siret = Text(40, strip=True)
    chorus_service_code = Text(200, strip=True)
class HandOff(Form):
    """« Mettre les commandes à disposition du logisticien » (reference 003, step 3): the
    orders ticked (their "kind:number"), or every ready order, and the action chosen."""
    commandes = TextList(40, 501)
    toutes = Flag()
    action = Text(40)


class SupplierPeriod(QueryForm):
    """The « vue globale » of the totals to send to suppliers: the grouped orders whose
    deadline falls from `du` to `au` (Paris days, checked by grouped_orders)."""
    du = Text(10, strip=True)
    au = Text(10, strip=True)


class SignInSheet(QueryForm):
    """Which sign-in sheet: every buyer (default) or one section per publisher (`editeur`)."""
    par = Text(10, strip=True)
class AvailableCopies(Form):
    """The copies of a title the bookshop will actually get (issue 10, K3): a whole number,
    checked by grouped_orders (0 to the copies ordered, excluded); then its confirmation."""
    available = Text(10, strip=True)
    confirmed = Flag()
# ---- distribution day (issue 10 K5) -----------------------------------------------------------
class DistributionSearch(QueryForm):
    """The distribution page's search box (a name; accents and case do not matter)."""
    q = Text(100, strip=True)


class DistributionTick(Form):
    """One tick of the distribution page: a sub-order, « venu » or « a tout retiré », on/off."""
    sub = WholeNumber(default=0)
    field = Text(20, strip=True)
    value = Switch()
    q = Text(100, strip=True)     # the search to come back to (without JavaScript)


class DistributionPayment(Form):
    """« a payé » at pickup: a cheque (its 7-digit number) or cash."""
    sub = WholeNumber(default=0)
    method = Text(10, strip=True)
    cheque_number = Text(40)
    q = Text(100, strip=True)


class DistributionDate(Form):
    """The distribution's day (a date field: AAAA-MM-JJ, or JJ/MM/AAAA typed) and its optional
    time slot (issue 10 K5)."""
    distribution_date = Text(20, strip=True)
    distribution_slot = Text(150, strip=True)
    had_date = Flag()  # a date was set when the page was drawn: an empty day removes it


class BuyerReadyMails(Form):
    """The bookshop mails (or not) the buyers when their books are ready (issue 10 K5)."""
    enabled = Flag()


class DistributionNote(Form):
    """A refund or an extra payment noted at pickup: amount and why."""
    sub = WholeNumber(default=0)
    kind = Text(10, strip=True)
    amount = Text(20, strip=True)
    comment = Text(600)
    q = Text(100, strip=True)
