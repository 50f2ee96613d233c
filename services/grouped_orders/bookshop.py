"""The bookshop's side of grouped orders (reference 000, "Le libraire"): the tabs, validating or
cancelling sub-orders by hand, validating the grouped order for Librisoft, cancelling it,
making it available; and the deadline timer."""
from sqlalchemy import func, select, update

from services.common.errors import invalid
from services.common.guards import transition

from . import domain
from .handlers import get_grouped_order, paid_payload
from .models import GroupedOrder, SubOrder
from .views import buyer, grouped_order_view, ref


def list_tab(session, tab, now, public_url) -> dict:
    if tab not in domain.TABS:
        tab = "validation"
    counts = dict(session.execute(select(GroupedOrder.status, func.count())
                                  .group_by(GroupedOrder.status)).all())
    q = select(GroupedOrder).where(GroupedOrder.status.in_(domain.TABS[tab])) \
        .order_by(GroupedOrder.closes_at, GroupedOrder.number)
    return {"tab": tab,
            "counts": {t: sum(counts.get(s, 0) for s in statuses)
                       for t, statuses in domain.TABS.items()},
            "grouped_orders": [grouped_order_view(go, now, public_url, with_subs=False)
                               for go in session.scalars(q)]}


def get(session, number, now, public_url) -> dict:
    return grouped_order_view(get_grouped_order(session, number), now, public_url)


def _locked(session, number) -> GroupedOrder:
    """The grouped order, its row locked (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises
    the service's transactions): its actions and its sub-orders' run one after the other, each
    deciding on what the previous one left."""
    go = get_grouped_order(session, number)
    session.refresh(go, with_for_update=True)
    return go


def _sub(session, sub_number) -> tuple[SubOrder, GroupedOrder]:
    """The sub-order and its grouped order, both locked (the grouped order first, as every
    action of the grouped order does)."""
    sub = session.get(SubOrder, sub_number)
    if sub is None:
        from services.common.errors import not_found
        raise not_found("Sous-commande introuvable.")
    go = _locked(session, sub.grouped_order_number)
    session.refresh(sub, with_for_update=True)
    return sub, go


def _move_sub(session, sub, values):
    """The guarded move of a sub-order from the status it was decided on."""
    transition(session, SubOrder, sub.number, [sub.status], values,
               message=domain.SUB_ALREADY_DONE)


def _move(session, go, values):
    """The guarded move of a grouped order from the status it was decided on."""
    transition(session, GroupedOrder, go.number, [go.status], values,
               message=domain.ALREADY_DONE)


def validate_sub_order(session, sub_number, now, record, public_url) -> dict:
    """A payment that did not go through automatically (a cheque handed over, say)."""
    sub, go = _sub(session, sub_number)
    domain.check_sub_order_action(sub.status, go.status, "validate")
    _move_sub(session, sub, {"status": domain.PAID, "paid_at": now, "paid_manually": True})
    record(session, "sub_order_paid", paid_payload(sub, go, public_url, now, manual=True))
    return grouped_order_view(go, now, public_url)


def cancel_sub_order(session, sub_number, reason, now, record, public_url) -> dict:
    sub, go = _sub(session, sub_number)
    domain.check_sub_order_action(sub.status, go.status, "cancel")
    _cancel_sub(session, sub, go, (reason or "").strip()[:500], now, record, public_url)
    return grouped_order_view(go, now, public_url)


def _cancel_sub(session, sub, go, reason, now, record, public_url):
    refund = sub.status == domain.PAID and sub.paid_payment_id is not None
    total = domain.money(sub.unit_price * sub.quantity)
    _move_sub(session, sub, dict({"status": domain.SUB_CANCELLED, "cancelled_at": now,
                                  "cancel_reason": reason},
                                 **({"refund_state": "requested"} if refund else {})))
    if refund:
        record(session, "refund_requested", {
            "payment_id": sub.paid_payment_id, "amount": str(total), "reason": reason,
            "reference_kind": "sub_order", "reference_id": str(sub.number)})
    record(session, "sub_order_cancelled", {
        "sub_order_number": sub.number, "grouped_order": ref(go, public_url),
        "buyer": buyer(sub), "quantity": sub.quantity, "total_ttc": str(total),
        "reason": reason, "refund_expected": refund})


def validate(session, number, now, record, public_url) -> dict:
    go = _locked(session, number)
    subs = list(go.subs)
    domain.check_can_validate(go.status, go.deadline, now,
                              [domain.Sub(s.number, s.quantity, s.unit_price, s.status)
                               for s in subs])
    domain.check_transition(go.status, domain.PROCESSING)
    paid = [s for s in subs if s.status == domain.PAID]
    quantity = sum(s.quantity for s in paid)
    _move(session, go, {"status": domain.PROCESSING, "validated_at": now})
    record(session, "grouped_order_validated", dict(
        ref(go, public_url), billing_label=go.billing_label, quantity=quantity,
        unit_price_ttc=str(go.unit_price), total_ttc=str(domain.money(go.unit_price * quantity)),
        validated_at=now.isoformat(), comment=go.comment))
    return grouped_order_view(go, now, public_url)


def cancel(session, number, reason, now, record, public_url) -> dict:
    go = _locked(session, number)
    reason = (reason or "").strip()
    if not reason:
        raise invalid("Indiquez le motif de l'annulation.", {"reason": ["Obligatoire."]})
    domain.check_transition(go.status, domain.CANCELLED)
    for sub in go.subs:
        if sub.status != domain.SUB_CANCELLED:
            _cancel_sub(session, sub, go, reason[:500], now, record, public_url)
    _move(session, go, {"status": domain.CANCELLED, "cancelled_at": now,
                        "cancel_reason": reason[:1000]})
    record(session, "grouped_order_cancelled", dict(
        ref(go, public_url), reason=reason,
        validated_at=go.validated_at.isoformat() if go.validated_at else None))
    return grouped_order_view(go, now, public_url)


def make_available(session, number, now, record, public_url) -> dict:
    go = _locked(session, number)
    domain.check_transition(go.status, domain.CLOSED)
    _move(session, go, {"status": domain.CLOSED, "made_available_at": now})
    quantity = sum(s.quantity for s in go.subs if s.status == domain.PAID)
    record(session, "grouped_order_made_available", dict(
        ref(go, public_url), made_available_at=now.isoformat(), quantity=quantity))
    return grouped_order_view(go, now, public_url)


def reset_status(session, number, now, public_url) -> dict:
    go = _locked(session, number)
    _move(session, go, {"status": domain.previous_status(go.status), "made_available_at": None})
    return grouped_order_view(go, now, public_url)


def close_expired(session, now, record, public_url) -> list:
    """The deadline timer. The conditional UPDATE is the claim: with several instances running,
    each grouped order changes status (and gets its mail) exactly once."""
    numbers = session.scalars(
        update(GroupedOrder)
        .where(GroupedOrder.status == domain.OPEN, GroupedOrder.closes_at <= now)
        .values(status=domain.AWAITING_VALIDATION)
        .returning(GroupedOrder.number)).all()
    for number in numbers:
        go = session.get(GroupedOrder, number)
        session.refresh(go)
        subs = list(go.subs)
        paid = [s for s in subs if s.status == domain.PAID]
        record(session, "grouped_order_deadline_passed", dict(
            ref(go, public_url), paid_quantity=sum(s.quantity for s in paid),
            paid_total=str(sum((domain.money(s.unit_price * s.quantity) for s in paid),
                               domain.money(0))),
            awaiting_payment=sum(1 for s in subs if s.status == domain.AWAITING_PAYMENT)))
    return list(numbers)


def close_now(session, number, now, record, public_url) -> dict:
    """« Clore les souscriptions maintenant »: the bookshop closes an open grouped order before
    its deadline (the deadline timer's effect, today). The conditional UPDATE is the claim: of
    two clicks, one closes it and sends the initiator's mail, the other is refused."""
    go = get_grouped_order(session, number)
    claimed = session.execute(
        update(GroupedOrder)
        .where(GroupedOrder.number == number, GroupedOrder.status == domain.OPEN)
        .values(status=domain.AWAITING_VALIDATION, closes_at=now)).rowcount
    session.refresh(go)
    if not claimed:
        domain.check_can_close_now(go.status)
    subs = list(go.subs)
    paid = [s for s in subs if s.status == domain.PAID]
    record(session, "grouped_order_deadline_passed", dict(
        ref(go, public_url), paid_quantity=sum(s.quantity for s in paid),
        paid_total=str(sum((domain.money(s.unit_price * s.quantity) for s in paid),
                           domain.money(0))),
        awaiting_payment=sum(1 for s in subs if s.status == domain.AWAITING_PAYMENT),
        closed_early=True, closed_at=now.isoformat()))
    return grouped_order_view(go, now, public_url)
