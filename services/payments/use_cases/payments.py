"""Starting a payment (its provider checkout), reading payments."""
import secrets

from sqlalchemy import and_, bindparam, exists, or_, select, text, update

from services.common.errors import invalid

from .. import domain
from ..adapters.providers import CheckoutRequest, ProviderError
from ..models import Payment, Refund
from ..presenters import payment_view, start_view
from .common import entered, load, move

MAX_LISTED = 200

# start_payment in Core statements written once (issue 11: it was ORM, a savepoint, an UPDATE
# at the flush). The payments of the reference and the one of the key, if any, in one read:
PAYMENTS, REFUNDS = Payment.__table__, Refund.__table__
EARLIER = select(
    PAYMENTS.c.id, PAYMENTS.c.reference_kind, PAYMENTS.c.reference_id, PAYMENTS.c.amount,
    PAYMENTS.c.description, PAYMENTS.c.customer_email, PAYMENTS.c.return_url,
    PAYMENTS.c.idempotency_key, PAYMENTS.c.state, PAYMENTS.c.redirect_url,
    exists().where(REFUNDS.c.payment_id == PAYMENTS.c.id, REFUNDS.c.late).label("refunded_late"),
).where(or_(and_(PAYMENTS.c.reference_kind == bindparam("reference_kind"),
                 PAYMENTS.c.reference_id == bindparam("reference_id")),
            PAYMENTS.c.idempotency_key == bindparam("idempotency_key")))
# the new payment, unless a twin request with the same key holds it (a concurrent twin's insert
# waits for the first transaction, then does nothing: no savepoint, no IntegrityError). A text
# statement: SQLAlchemy does not cache the compiled form of an `on_conflict_do_nothing()`.
_NEW = ("id", "reference_kind", "reference_id", "amount", "description", "customer_email",
        "return_url", "idempotency_key", "provider", "state", "method", "created_at",
        "updated_at")
INSERT_NEW = text(
    f"INSERT INTO payments ({', '.join(_NEW)}) VALUES ({', '.join(':' + c for c in _NEW)}) "
    "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id"
).bindparams(*(bindparam(c, type_=PAYMENTS.c[c].type) for c in _NEW))
BY_KEY = EARLIER.where(PAYMENTS.c.idempotency_key == bindparam("idempotency_key"))
# pending -> processing with its checkout, guarded (the row was inserted by this transaction)
ON_PROVIDER_PAGE = (update(PAYMENTS)
                    .where(PAYMENTS.c.id == bindparam("payment_id"),
                           PAYMENTS.c.state == domain.PENDING)
                    .values(checkout_id=bindparam("checkout_id"),
                            redirect_url=bindparam("redirect_url"),
                            state=domain.move(domain.PENDING, domain.PROCESSING),
                            updated_at=bindparam("now")))


def _same(row, req):
    """The payment already started with this idempotency key: the same request, or conflict."""
    domain.same_request(domain.StartRequest(
        row.reference_kind, row.reference_id, row.amount, row.description, row.customer_email,
        row.return_url, row.idempotency_key), req)
    return start_view(row)


def start_payment(session, provider, data, now, record) -> dict:
    """A new payment and its provider checkout; the same idempotency key gives the same payment.
    Four statements and the provider's (the sandbox: one): the earlier payments read, the new
    one inserted, moved to processing with its checkout, one `payment_state_changed`
    (processing, from pending)."""
    req = domain.start_request(data)
    key = {"reference_kind": req.reference_kind, "reference_id": req.reference_id,
           "idempotency_key": req.idempotency_key}
    earlier = session.execute(EARLIER, key).all()
    for row in earlier:
        if row.idempotency_key == req.idempotency_key:
            return _same(row, req)
    domain.check_reference_payable((row.state, row.refunded_late) for row in earlier)
    payment = Payment(id="pay_" + secrets.token_urlsafe(16), reference_kind=req.reference_kind,
                      reference_id=req.reference_id, amount=req.amount,
                      description=req.description, customer_email=req.customer_email,
                      return_url=req.return_url, idempotency_key=req.idempotency_key,
                      provider=provider.name, state=domain.PENDING, method=domain.ONLINE,
                      created_at=now, updated_at=now)
    inserted = session.execute(INSERT_NEW, {c: getattr(payment, c) for c in _NEW}).scalar()
    if inserted is None:  # a twin with the same key committed it first: its payment
        return _same(session.execute(BY_KEY, key).one(), req)
    try:
        checkout = provider.create_checkout(session, CheckoutRequest(
            payment.id, payment.amount, payment.description, payment.customer_email,
            payment.return_url))
    except ProviderError:
        stored = load(session, payment.id)
        move(session, stored, domain.ERROR, now, now, record)  # one event: error
        return start_view(stored)
    session.execute(ON_PROVIDER_PAGE, {"payment_id": payment.id, "now": now,
                                       "checkout_id": checkout.checkout_id,
                                       "redirect_url": checkout.redirect_url})
    payment.checkout_id, payment.redirect_url = checkout.checkout_id, checkout.redirect_url
    payment.state = domain.move(payment.state, domain.PROCESSING)
    # created pending and moved on in this transaction: one event, the state entered last
    entered(session, payment, now, record, previous=domain.PENDING)
    return start_view(payment)


def get_payment(session, payment_id) -> dict:
    return payment_view(load(session, payment_id))


def list_payments(session, reference_kind, reference_id) -> list:
    if not isinstance(reference_kind, str) or not isinstance(reference_id, str):
        raise invalid("Référence attendue : reference_kind et reference_id en texte.")
    payments = session.scalars(
        select(Payment).where(Payment.reference_kind == reference_kind,
                              Payment.reference_id == reference_id)
        .order_by(Payment.created_at.desc()).limit(MAX_LISTED))
    return [payment_view(p) for p in payments]


def close_open_checkouts(session, provider, reference_kind, reference_id, now, record) -> list:
    """Its order cancelled (by the bookshop, by the parent, by its grouped order): each of its
    online payments still on the provider's page is closed there and cancelled, so the buyer
    can no longer pay a cancelled order (a payment taken on it was refunded at once, the
    provider's fee lost). A buyer who chose first keeps their outcome (a payment then comes
    and its owner refunds it); a provider that cannot close a page leaves it open. Once: a
    cancelled payment is not processing any more. Returns the payments closed."""
    expire = getattr(provider, "expire_checkout", None)
    if expire is None:
        return []
    open_ones = session.scalars(select(Payment).where(
        Payment.reference_kind == reference_kind, Payment.reference_id == str(reference_id),
        Payment.provider == provider.name, Payment.state == domain.PROCESSING)
        .order_by(Payment.created_at).with_for_update()).all()
    closed = []
    for p in open_ones:
        if p.checkout_id and expire(session, p.checkout_id, now):
            move(session, p, domain.CANCELLED, now, now, record)
            closed.append(p.id)
    return closed
