"""`order_document(kind, number)`: a sub-order's or a grouped order's document (issue 9), the
shape of services.common.contracts.documents, checked before it leaves; and who may read it."""
from decimal import Decimal
from secrets import compare_digest

from sqlalchemy import select

from services.common.contracts.documents import dump_document
from services.common.errors import invalid, not_found
from services.common.money import money_str

from .. import domain
from ..models import DistributionNote, SubOrder, SubOrderAdjustment
from ..document_presenters import grouped_order_document, sub_order_document
from ..presenters import pay_url, refunds_view
from . import credit_refunds
from .load import BUYER_LINK_UNKNOWN, get_grouped_order, sub_rules

KINDS = ("sub_order", "grouped_order")


def _sub(session, number) -> SubOrder:
    sub = session.get(SubOrder, number)
    if sub is None:
        raise not_found("Sous-commande introuvable.")
    return sub


def _given_back(session, sub):
    """All that was given back, or is being given back, to the sub-order's buyer (as their
    page says it: presenters.refunds_view)."""
    steps = list(session.scalars(select(SubOrderAdjustment).where(
        SubOrderAdjustment.sub_order_number == sub.number)))
    handed = list(session.scalars(select(DistributionNote).where(
        DistributionNote.sub_order_number == sub.number, DistributionNote.kind == "refund")))
    view = refunds_view(sub, sub.grouped_order, steps, credit_refunds.of_sub(session, sub.number),
                        handed, credit_refunds.credited(session, sub.number))
    return Decimal(view["refunded_total"]) + Decimal(view["refunding_total"])


def _number(number) -> int:
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise not_found("Commande introuvable.") from None
    if not 0 < number < 2**31:
        raise not_found("Commande introuvable.")
    return number


def order_document(session, kind, number, public_url="") -> dict:
    """`public_url`: the site's, for a sub-order's `detail_url` (the parent's own page)."""
    number = _number(number)
    if kind == "sub_order":
        sub = _sub(session, number)
        noted = session.execute(select(DistributionNote.kind, DistributionNote.amount).where(
            DistributionNote.sub_order_number == number)).all()
        doc = sub_order_document(sub, sub.grouped_order, noted,
                                 credit_refunds.credited(session, number))
        given = _given_back(session, sub)
        if given > 0:  # the printed order says it (it said « Payée », the total, nothing more)
            doc["payment"]["refunded_to_buyer"] = money_str(given)
        if public_url:
            doc["detail_url"] = pay_url(sub.grouped_order, sub, public_url)
        return dump_document(doc)
    if kind == "grouped_order":
        go = get_grouped_order(session, number)
        t = SubOrder.__table__
        manual = session.scalars(select(t.c.number).where(
            t.c.grouped_order_number == number, t.c.paid_manually.is_(True))).all()
        return dump_document(grouped_order_document(go, sub_rules(session, number), manual))
    raise invalid("Type de commande inconnu : sub_order ou grouped_order.",
                  {"kind": ["sub_order ou grouped_order."]})


def check_access(session, kind, number, access: dict):
    """Who asks for an order's document, checked here (the gateway passes what it knows):
    `{"admin": True}` (the bookshop), `{"initiator_id": id}` (the collectivity account that
    created the grouped order: its grouped order and their sub-orders), `{"token": t,
    "buyer_token": b}` (the parent's link: their sub-order only). Anything else: not found."""
    number = _number(number)
    access = access or {}
    if access.get("admin") is True:
        return
    if kind == "sub_order":
        sub = session.get(SubOrder, number)
        if sub is None:
            raise not_found("Sous-commande introuvable.")
        go = sub.grouped_order
        if access.get("buyer_token"):
            if compare_digest(sub.buyer_token, str(access["buyer_token"])[:64]) and \
                    compare_digest(go.token, str(access.get("token") or "")[:64]):
                return
            raise not_found(BUYER_LINK_UNKNOWN)
        if access.get("initiator_id") is not None:
            domain.check_owner(go.initiator_id, access["initiator_id"])
            return
    elif kind == "grouped_order" and access.get("initiator_id") is not None:
        domain.check_owner(get_grouped_order(session, number).initiator_id,
                           access["initiator_id"])
        return
    raise not_found("Commande introuvable.")


def readable_document(session, kind, number, access) -> dict:
    """The document, if `access` may read it (`check_access`)."""
    check_access(session, kind, number, access)
    return order_document(session, kind, number)
