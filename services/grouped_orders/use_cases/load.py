"""Finding the rows a use case works on, locked as its decision needs."""
from sqlalchemy import select

from services.common.errors import not_found

from .. import domain
from ..models import GroupedOrder, PaymentAttempt, SubOrder, SubOrderLine


def get_grouped_order(session, number) -> GroupedOrder:
    go = session.get(GroupedOrder, number)
    if go is None:
        raise not_found("Commande groupée introuvable.")
    return go


def own(session, number, account_id) -> GroupedOrder:
    """The initiator's own grouped order (another's is not even said to exist)."""
    go = get_grouped_order(session, number)
    domain.check_owner(go.initiator_id, account_id)
    return go


def locked(session, number) -> GroupedOrder:
    """The grouped order, its row locked (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises
    the service's transactions): its actions and its sub-orders' run one after the other, each
    deciding on what the previous one left."""
    go = get_grouped_order(session, number)
    session.refresh(go, with_for_update=True)
    return go


def locked_sub(session, sub_number) -> tuple[SubOrder, GroupedOrder]:
    """The sub-order and its grouped order, both locked (the grouped order first, as every
    action of the grouped order does)."""
    sub = session.get(SubOrder, sub_number)
    if sub is None:
        raise not_found("Sous-commande introuvable.")
    go = locked(session, sub.grouped_order_number)
    session.refresh(sub, with_for_update=True)
    return sub, go


def by_token(session, token, share=False, exclusive=False) -> GroupedOrder:
    """`share`: a shared row lock (FOR SHARE on PostgreSQL) so that the grouped order cannot be
    closed, validated or cancelled while a subscription or a payment attempt is being made.
    `exclusive`: its row lock (FOR UPDATE), read again. A subscription takes the shared one
    (its cap is counted under an advisory lock: capacity.check_room, issue 11)."""
    q = select(GroupedOrder).where(GroupedOrder.token == (token or "")[:64])
    if exclusive:
        q = q.with_for_update()
    elif share:
        q = q.with_for_update(read=True)
    go = session.scalar(q.execution_options(populate_existing=True) if exclusive else q)
    if go is None:
        raise not_found("Ce lien de souscription n'existe pas.")
    return go


# a parent's own link (mails, result page) that leads nowhere: cut, or mistyped
BUYER_LINK_UNKNOWN = ("Commande introuvable : vérifiez le lien reçu par e-mail (il doit être "
                      "ouvert en entier).")


def sub_by_buyer_token(session, token, buyer_token, share=False) -> SubOrder:
    go = by_token(session, token, share)
    sub = session.scalar(select(SubOrder).where(SubOrder.buyer_token == (buyer_token or "")[:64],
                                                SubOrder.grouped_order_number == go.number))
    if sub is None:
        raise not_found(BUYER_LINK_UNKNOWN)
    return sub


def sub_for_payment(session, payload):
    """The sub-order a payment event is about (locked) and the attempt it belongs to, if any;
    (None, None) for a payment of something else."""
    if payload.get("reference_kind") != "sub_order":
        return None, None
    # the sub-order's row lock: a payment and the bookshop's action on it run one at a time
    sub = session.get(SubOrder, int(payload["reference_id"]), with_for_update=True)
    attempt = session.scalar(select(PaymentAttempt).where(
        PaymentAttempt.payment_id == payload["payment_id"]))
    return sub, attempt


def sub_rules(session, number) -> list:
    """What the rules need of a grouped order's sub-orders (domain.Sub with their lines, keyed
    by title row id), in number order: one Core statement, no ORM object nor payment attempt
    loaded (10,000 sub-orders in ~20 ms)."""
    t, li = SubOrder.__table__, SubOrderLine.__table__  # Core statements, no ORM loading
    rows = session.execute(
        select(t.c.number, t.c.status, t.c.payment_method, li.c.title_id, li.c.quantity,
               li.c.unit_price)
        .join(li, li.c.sub_order_number == t.c.number)
        .where(t.c.grouped_order_number == number).order_by(t.c.number, li.c.position))
    subs = {}
    for sub_number, status, method, title_id, quantity, unit_price in rows:
        sub = subs.setdefault(sub_number, domain.Sub(sub_number, status, (),
                                                     method or domain.ONLINE))
        sub.lines += (domain.Line(title_id, quantity, unit_price),)
    return list(subs.values())
