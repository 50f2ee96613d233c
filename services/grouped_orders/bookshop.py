"""The bookshop's side of grouped orders (reference 000, "Le libraire"): the tabs, validating or
cancelling sub-orders by hand, validating the grouped order for Librisoft, cancelling it,
making it available; and the deadline timer."""
from sqlalchemy import func, select, update

from services.common.errors import invalid

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


def _sub(session, sub_number) -> SubOrder:
    sub = session.get(SubOrder, sub_number)
    if sub is None:
        from services.common.errors import not_found
        raise not_found("Sous-commande introuvable.")
    return sub


def validate_sub_order(session, sub_number, now, record, public_url) -> dict:
    """A payment that did not go through automatically (a cheque handed over, say)."""
    sub = _sub(session, sub_number)
    go = sub.grouped_order
    domain.check_sub_order_action(sub.status, go.status, "validate")
    sub.status, sub.paid_at, sub.paid_manually = domain.PAID, now, True
    record(session, "sub_order_paid", paid_payload(sub, go, public_url, now, manual=True))
    return grouped_order_view(go, now, public_url)


def cancel_sub_order(session, sub_number, reason, now, record, public_url) -> dict:
    sub = _sub(session, sub_number)
    go = sub.grouped_order
    domain.check_sub_order_action(sub.status, go.status, "cancel")
    _cancel_sub(session, sub, go, (reason or "").strip()[:500], now, record, public_url)
    return grouped_order_view(go, now, public_url)


def _cancel_sub(session, sub, go, reason, now, record, public_url):
    refund = sub.status == domain.PAID and sub.paid_payment_id is not None
    total = domain.money(sub.unit_price * sub.quantity)
    sub.status, sub.cancelled_at, sub.cancel_reason = domain.SUB_CANCELLED, now, reason
    if refund:
        sub.refund_state = "requested"
        record(session, "refund_requested", {
            "payment_id": sub.paid_payment_id, "amount": str(total), "reason": reason,
            "reference_kind": "sub_order", "reference_id": str(sub.number)})
    record(session, "sub_order_cancelled", {
        "sub_order_number": sub.number, "grouped_order": ref(go, public_url),
        "buyer": buyer(sub), "quantity": sub.quantity, "total_ttc": str(total),
        "reason": reason, "refund_expected": refund})


def validate(session, number, now, record, public_url) -> dict:
    go = get_grouped_order(session, number)
    subs = list(go.subs)
    domain.check_can_validate(go.status, go.deadline, now,
                              [domain.Sub(s.number, s.quantity, s.unit_price, s.status)
                               for s in subs])
    domain.check_transition(go.status, domain.PROCESSING)
    paid = [s for s in subs if s.status == domain.PAID]
    quantity = sum(s.quantity for s in paid)
    go.status, go.validated_at = domain.PROCESSING, now
    record(session, "grouped_order_validated", dict(
        ref(go, public_url), billing_label=go.billing_label, quantity=quantity,
        unit_price_ttc=str(go.unit_price), total_ttc=str(domain.money(go.unit_price * quantity)),
        validated_at=now.isoformat(), comment=go.comment))
    return grouped_order_view(go, now, public_url)


def cancel(session, number, reason, now, record, public_url) -> dict:
    go = get_grouped_order(session, number)
    reason = (reason or "").strip()
    if not reason:
        raise invalid("Indiquez le motif de l'annulation.", {"reason": ["Obligatoire."]})
    domain.check_transition(go.status, domain.CANCELLED)
    for sub in go.subs:
        if sub.status != domain.SUB_CANCELLED:
            _cancel_sub(session, sub, go, reason[:500], now, record, public_url)
    go.status, go.cancelled_at, go.cancel_reason = domain.CANCELLED, now, reason[:1000]
    record(session, "grouped_order_cancelled", dict(ref(go, public_url), reason=reason))
    return grouped_order_view(go, now, public_url)


def make_available(session, number, now, record, public_url) -> dict:
    go = get_grouped_order(session, number)
    domain.check_transition(go.status, domain.CLOSED)
    go.status, go.made_available_at = domain.CLOSED, now
    quantity = sum(s.quantity for s in go.subs if s.status == domain.PAID)
    record(session, "grouped_order_made_available", dict(
        ref(go, public_url), made_available_at=now.isoformat(), quantity=quantity))
    return grouped_order_view(go, now, public_url)


def reset_status(session, number, now, public_url) -> dict:
    go = get_grouped_order(session, number)
    go.status = domain.previous_status(go.status)
    go.made_available_at = None
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
