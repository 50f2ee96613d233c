"""The buyers' side (reference 000, "Souscription"), from the public link: the public page,
subscribing, the buyer's own sub-order, and starting a payment (step 1: an attempt with its own
idempotency key; step 3: the payment the provider gave for it)."""
import secrets
from types import SimpleNamespace

from sqlalchemy import bindparam, func, insert, select, update

from services.common.db import DEFERRING, defer_writes, write
from services.common.errors import not_found
from services.common.validation import normalise_email

from .. import domain
from ..models import (Distribution, DistributionNote, GroupedOrder, GroupedOrderTitle,
                      PaymentAttempt, SubOrder, SubOrderAdjustment, SubOrderLine)
from ..presenters import (buyer_status_view, payment_request, public_view, sub_order_placed_event,
                          subscribed_view)
from . import capacity, credit_refunds
from .bookshop import _cancel_sub
from .load import BUYER_LINK_UNKNOWN, by_token, locked_sub, sub_by_buyer_token


def public(session, token, now) -> dict:
    """With the progress toward the minimum and the cap (issue 10): a full grouped order takes
    no more subscriptions."""
    go = by_token(session, token)
    view = public_view(go, now)
    view["progress"] = capacity.progress_of(session, go)
    view["full"] = view["progress"]["full"]
    view["subscriptions_open"] = view["subscriptions_open"] and not view["full"]
    return view


def subscribe(session, token, data, now, record, public_url) -> dict:
    """A buyer's sub-order: a quantity per title (`lines`, or `quantity` for a grouped order of
    one title), one line per title, its total the sum; `sub_order_placed` recorded with it."""
    sub, _go = _subscribe(session, token, data, now, record, public_url)
    return subscribed_view(sub)


# the subscription's statements, built once (SQLAlchemy caches their compiled form by statement:
# nothing is compiled again per request, issue 11)
_GO, _TI = GroupedOrder.__table__, GroupedOrderTitle.__table__
_SUB, _LINE, _ATT = SubOrder.__table__, SubOrderLine.__table__, PaymentAttempt.__table__
_GO_COLUMNS = ("number", "token", "status", "deadline", "opens_on", "payment_methods",
               "max_copies", "client_number", "client_name", "initiator_email",
               "contact_email", "article", "pickup_label", "pickup_kind", "buyer_ready_mails")
_TITLE_COLUMNS = ("id", "position", "ean", "title", "author", "publisher", "vat_rate",
                  "price_ttc", "required", "min_copies")
# the orders the buyer's address placed on this grouped order lately
# (domain.check_subscription_rate): counted in the same statement, no round trip more
_RECENT_BY_EMAIL = (select(func.count()).select_from(_SUB)
                    .where(_SUB.c.grouped_order_number == _GO.c.number,
                           _SUB.c.email == bindparam("email"),
                           _SUB.c.created_at >= bindparam("since"))
                    .scalar_subquery())
# the grouped order and its titles in one statement, its row locked FOR SHARE (not closed,
# validated nor cancelled meanwhile; SQLite serialises the service's transactions)
_GO_AND_TITLES = (
    select(*(_GO.c[k] for k in _GO_COLUMNS), _RECENT_BY_EMAIL.label("recent_by_email"),
           *(_TI.c[k].label(f"t_{k}") for k in _TITLE_COLUMNS))
    .join(_TI, _TI.c.grouped_order_number == _GO.c.number)
    .where(_GO.c.token == bindparam("token")).order_by(_TI.c.position)
    .with_for_update(read=True, of=_GO))
_NEW_SUB = insert(_SUB).returning(_SUB.c.number)
# on PostgreSQL, with the id its attempt to pay will have (the sequence's next value): the
# lines, the attempt, the outbox row and the key's result then go in one round trip
# (services.common.db.defer_writes)
_NEW_SUB_AND_ATTEMPT_ID = insert(_SUB).returning(
    _SUB.c.number, func.nextval(func.pg_get_serial_sequence(_ATT.name, _ATT.c.id.name)))
_NEW_LINE, _NEW_ATTEMPT_ROW = insert(_LINE), insert(_ATT)
_NEW_ATTEMPT = insert(_ATT).returning(_ATT.c.id)


def _grouped_order_to_subscribe(session, token, email, now):
    """The grouped order (a plain record with its `titles`, in order) read FOR SHARE, with
    `recent_by_email`: the orders `email` placed on it within domain.SUBSCRIPTION_WINDOW."""
    rows = session.execute(_GO_AND_TITLES, {"token": (token or "")[:64], "email": email,
                                            "since": now - domain.SUBSCRIPTION_WINDOW}).all()
    if not rows:
        raise not_found("Ce lien de souscription n'existe pas.")
    go = SimpleNamespace(**{k: getattr(rows[0], k) for k in _GO_COLUMNS})
    go.recent_by_email = rows[0].recent_by_email
    go.titles = [SimpleNamespace(**{k: getattr(r, f"t_{k}") for k in _TITLE_COLUMNS})
                 for r in rows]
    return go


def _subscribe(session, token, data, now, record, public_url, paying=False):
    """`subscribe`: the new sub-order (a plain record shaped as the presenters read it) and its
    grouped order (its row locked FOR SHARE: not closed, validated nor cancelled meanwhile; the
    cap counted one subscription at a time: `capacity.check_room`). Core statements: the
    grouped order with its titles, the sub-order, its lines (issue 11: no ORM unit of work on
    the form's POST)."""
    try:  # as it will be stored (lower-cased): « Victim@… » is the same inbox
        email = normalise_email(data.get("email"))
    except ValueError:
        email = ""  # refused below, with the form's other mistakes
    go = _grouped_order_to_subscribe(session, token, email, now)
    domain.check_subscription_open(go.status, go.deadline, now, go.opens_on)
    titles = go.titles
    rules = [domain.Title(t.ean, t.price_ttc, t.required) for t in titles]
    asked, single = domain.quantities_asked(rules, data.get("lines"), data.get("quantity"))
    first, last, email, lines = domain.check_subscription(
        data.get("first_name"), data.get("last_name"), data.get("email"), rules, asked,
        data.get("accepted_terms"), single)
    pupil = domain.check_pupil(data.get("pupil"))
    method = domain.check_buyer_method(data.get("payment_method"), go.payment_methods)
    domain.check_subscription_rate(go.recent_by_email)
    quantity = domain.lines_quantity(lines)
    capacity.check_room(session, go, quantity)
    values = dict(grouped_order_number=go.number, buyer_token=secrets.token_urlsafe(24),
                  first_name=first, last_name=last, email=email, pupil=pupil,
                  payment_method=method,
                  quantity=quantity, total=domain.lines_total(lines),
                  status=domain.AWAITING_PAYMENT, created_at=now)
    defer_writes(session)
    attempt_id = None
    if paying and domain.starts_online_payment(method) and session.info.get(DEFERRING):
        number, attempt_id = session.execute(_NEW_SUB_AND_ATTEMPT_ID, values).one()
    else:
        number = session.execute(_NEW_SUB, values).scalar_one()
    sub = SimpleNamespace(
        number=number, attempt_id=attempt_id, attempts=[], paid_at=None, paid_manually=False,
        cheque_number=None, cancelled_at=None, cancel_reason="", refund_state=None,
        refunded_at=None, last_payment_state=None,
        lines=[SimpleNamespace(title=t, title_id=t.id, position=t.position,
                               quantity=line.quantity, unit_price=line.unit_price)
               for t, line in zip(titles, lines)], **values)
    for x in sub.lines:
        write(session, _NEW_LINE, {"sub_order_number": number, "title_id": x.title_id,
                                   "position": x.position, "quantity": x.quantity,
                                   "unit_price": x.unit_price})
    record(session, "sub_order_placed", sub_order_placed_event(sub, go, public_url))
    return sub, go


def buyer_status(session, token, buyer_token, now) -> dict:
    sub = sub_by_buyer_token(session, token, buyer_token)
    steps = session.scalars(select(SubOrderAdjustment).where(
        SubOrderAdjustment.sub_order_number == sub.number).order_by(SubOrderAdjustment.id))
    handed = session.scalars(select(DistributionNote).where(
        DistributionNote.sub_order_number == sub.number, DistributionNote.kind == "refund")
        .order_by(DistributionNote.id))
    view = buyer_status_view(sub, sub.grouped_order, now, list(steps),
                             credit_refunds.of_sub(session, sub.number), list(handed),
                             credit_refunds.credited(session, sub.number))
    # distribution day is over (« Valider la distribution »): the page no longer says « venez
    # les retirer le … », a day past, but that the books wait at the pickup place
    done = session.get(Distribution, sub.grouped_order_number)
    view["grouped_order"]["distributed"] = done is not None
    return view


def cancel_by_buyer(session, token, buyer_token, now, record, public_url) -> dict:
    """The parent cancels their own order from its page (domain.check_buyer_can_cancel): the
    sub-order and its grouped order locked, then cancelled as the bookshop cancels one
    (`sub_order_cancelled`: the parent's mail, the order desk, the counts); the page's view."""
    sub, go = locked_sub(session, sub_by_buyer_token(session, token, buyer_token).number)
    domain.check_buyer_can_cancel(sub.status, go.status, go.deadline, now)
    _cancel_sub(session, sub, go, domain.BUYER_CANCEL_REASON, now, record, public_url)
    session.flush()
    return buyer_status(session, token, buyer_token, now)


def begin_payment_attempt(session, token, buyer_token, now) -> dict:
    """Step 1 of paying: a new attempt with its own idempotency key (no payment can start once
    subscriptions are closed)."""
    sub = sub_by_buyer_token(session, token, buyer_token, share=True)
    go = sub.grouped_order
    domain.check_can_pay(sub.status, go.status, go.deadline, now)  # opened: it exists
    return _new_attempt(session, sub, go, now)


def _new_attempt(session, sub, go, now) -> dict:
    key = f"sub-{sub.number}-{secrets.token_hex(8)}"
    row = {"sub_order_number": sub.number, "state": "starting", "created_at": now,
           "idempotency_key": key, "redirect_url": "", "refund_reason": ""}
    attempt_id = getattr(sub, "attempt_id", None)
    if attempt_id is not None:  # its id known already: written with the others
        write(session, _NEW_ATTEMPT_ROW, dict(row, id=attempt_id))
    else:
        attempt_id = session.execute(_NEW_ATTEMPT, row).scalar_one()
    return payment_request(SimpleNamespace(id=attempt_id, idempotency_key=key), sub, go)


def subscribe_and_begin_payment(session, token, data, now, record, public_url) -> dict:
    """The subscription form's POST (issue 11): subscribing and step 1 of paying in one
    transaction; the same checks as `subscribe` then `begin_payment_attempt` (the grouped
    order's row stays locked from the subscription's checks: nothing to read again). A buyer
    paying by cheque or cash at the bookshop, or at pickup, starts no online payment (`attempt`
    None). Step 2 (the payment) waits for the payment page: `attempt_to_pay`."""
    sub, go = _subscribe(session, token, data, now, record, public_url, paying=True)
    view = subscribed_view(sub)
    if not domain.starts_online_payment(sub.payment_method):
        return {"sub": view, "attempt": None}
    return {"sub": view, "attempt": _new_attempt(session, sub, go, now)}


_LATEST_ATTEMPT = (select(func.max(_ATT.c.id)).where(_ATT.c.sub_order_number == _SUB.c.number)
                   .correlate(_SUB).scalar_subquery())
# the payment page's one statement (built once): the grouped order (its row FOR SHARE, as
# `begin_payment_attempt` takes it: not closed meanwhile), the sub-order, its latest attempt and
# its lines with their titles, one row per line
_TO_PAY = (
    select(_GO.c.number.label("go_number"), _GO.c.status.label("go_status"), _GO.c.deadline,
           _SUB.c.number, _SUB.c.status, _SUB.c.total, _SUB.c.email, _SUB.c.quantity,
           _ATT.c.id.label("attempt_id"), _ATT.c.idempotency_key, _ATT.c.state,
           _ATT.c.payment_id, _ATT.c.redirect_url, _LINE.c.quantity.label("line_quantity"),
           _TI.c.title)
    .select_from(_GO.join(_SUB, _SUB.c.grouped_order_number == _GO.c.number)
                 .join(_LINE, _LINE.c.sub_order_number == _SUB.c.number)
                 .join(_TI, _TI.c.id == _LINE.c.title_id)
                 .outerjoin(_ATT, _ATT.c.id == _LATEST_ATTEMPT))
    .where(_GO.c.token == bindparam("token"), _SUB.c.buyer_token == bindparam("buyer_token"))
    .order_by(_LINE.c.position)
    .with_for_update(read=True, of=_GO))


def attempt_to_pay(session, token, buyer_token, now) -> dict | None:
    """The payment page (issue 11): what payments is asked for the sub-order's latest attempt
    (its own idempotency key: asking again gives the same payment, never a second charge), with
    `redirect_url` once a payment was attached to it. None when there is nothing to pay online
    (the sub-order paid, cancelled, by cheque or cash, its latest attempt refused or abandoned:
    the result page says so). After the deadline: the French refusal of `check_can_pay`.
    One Core statement, built once (`_TO_PAY`)."""
    rows = session.execute(_TO_PAY, {"token": (token or "")[:64],
                                     "buyer_token": (buyer_token or "")[:64]}).all()
    if not rows:
        raise not_found(BUYER_LINK_UNKNOWN)
    found = rows[0]
    if found.status != domain.AWAITING_PAYMENT:
        return None
    if found.attempt_id is None or found.state not in ("starting", "pending", "processing"):
        return None
    domain.check_can_pay(found.status, found.go_status, found.deadline, now)
    lines = [SimpleNamespace(quantity=r.line_quantity, title=SimpleNamespace(title=r.title))
             for r in rows]
    sub = SimpleNamespace(number=found.number, total=found.total, email=found.email,
                          quantity=found.quantity, lines=lines)
    attempt = SimpleNamespace(id=found.attempt_id, idempotency_key=found.idempotency_key)
    return dict(payment_request(attempt, sub, SimpleNamespace(number=found.go_number)),
                payment_id=found.payment_id, redirect_url=found.redirect_url or None)


_ATTACH = (update(_ATT).where(_ATT.c.id == bindparam("attempt_id"), _ATT.c.state == "starting")
           .values(payment_id=bindparam("payment_id"), redirect_url=bindparam("redirect_url"),
                   state=bindparam("state")))


def attach_payment(session, attempt_id, payment: dict):
    """Step 3: the payment the provider gave for this attempt, in one guarded statement (built
    once): the attempt still starting (a second tab of the payment page attaching the same
    payment, or a payment event that came first, changes nothing)."""
    session.execute(_ATTACH, {"attempt_id": attempt_id, "payment_id": payment["payment_id"],
                              "redirect_url": payment.get("redirect_url") or "",
                              "state": payment.get("state", "processing")})
