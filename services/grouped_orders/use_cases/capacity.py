"""The minimum to go ahead and the capacity cap (issue 10; the rules: domain.capacity): the
copies held, the room left for a subscription, the public progress, the initiator's limits, and
the failure of a grouped order whose minimum was not reached at the deadline."""
from sqlalchemy import func, select, text

from services.common.errors import conflict
from services.common.guards import transition

from .. import domain
from ..models import GroupedOrder, SubOrder
from ..presenters import (cancelled_event, grouped_order_failed_event, grouped_order_view,
                          refund_requested_event, sub_order_cancelled_event, sub_total)
from .load import by_token, locked, own


def copies(session, number) -> tuple[int, int]:
    """(paid, awaiting payment) copies of a grouped order, every title: one Core statement."""
    t = SubOrder.__table__
    rows = dict(session.execute(
        select(t.c.status, func.coalesce(func.sum(t.c.quantity), 0))
        .where(t.c.grouped_order_number == number,
               t.c.status.in_((domain.PAID, domain.AWAITING_PAYMENT)))
        .group_by(t.c.status)).all())
    return int(rows.get(domain.PAID, 0)), int(rows.get(domain.AWAITING_PAYMENT, 0))


# the key space of the transaction-level advisory lock under which capped subscriptions count
CAP_LOCK_SPACE = 1110


def check_room(session, go, asked):
    """Under the cap, in the subscription's transaction. The caller holds the grouped order's
    row lock FOR SHARE (it cannot be closed, validated, cancelled nor its limits changed
    meanwhile; subscriptions to a grouped order without a cap run side by side, issue 11); with
    a cap, the subscriptions of one grouped order count one after the other under its advisory
    lock (PostgreSQL; SQLite serialises the service's transactions), so the cap is never
    overrun (tests/integration/test_capacity_postgres.py). A cap set while a subscription is
    in flight waits for it (the initiator's change locks the row FOR UPDATE) and counts it."""
    if go.max_copies is None:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:space, :number)"),
                        {"space": CAP_LOCK_SPACE, "number": go.number})
    paid, awaiting = copies(session, go.number)
    domain.check_room(go.max_copies, paid + awaiting, asked)


def progress_of(session, go) -> dict:
    return domain.progress(go.min_copies, go.max_copies, *copies(session, go.number))


def public_progress(session, token, now) -> dict:
    """The public page's progress, polled by its script: a few numbers, nothing of the buyers."""
    go = by_token(session, token)
    progress = progress_of(session, go)
    open_ = domain.can_subscribe(go.status, go.deadline, now, go.opens_on)
    return {"number": go.number, "status": go.status,
            "status_label": domain.STATUS_LABELS[go.status],
            "subscriptions_open": open_ and not progress["full"], "progress": progress}


def change_copy_limits(session, number, account_id, minimum, maximum, now, public_url) -> dict:
    """The initiator changes the minimum and the cap while the grouped order is open; a cap
    below the copies already held is refused (400), nothing changed."""
    go = own(session, number, account_id)
    go = locked(session, number)
    if go.status != domain.OPEN:
        raise conflict("Le minimum et le maximum d'exemplaires ne se changent que tant que la "
                       "commande groupée est ouverte.")
    paid, awaiting = copies(session, number)
    limits = domain.check_copy_limits(minimum, maximum, paid + awaiting)
    transition(session, GroupedOrder, number, [domain.OPEN],
               {"min_copies": limits.minimum, "max_copies": limits.maximum},
               message=domain.ALREADY_DONE)
    return grouped_order_view(go, now, public_url)


def fail_below_minimum(session, number, now, record, public_url) -> bool:
    """At the deadline (the timer, or the bookshop closing the subscriptions): a grouped order
    with fewer paid copies than its minimum fails. Its guarded move from « En attente de
    validation » to « Annulée » is the claim (one failure, however many instances); each
    sub-order not cancelled is cancelled by its own guarded move, a paid one refunded through
    payments (refund_requested, once); the buyers and the initiator get `grouped_order_failed`
    (the usual cancellation mails are not sent: `minimum_failed`); nothing goes to Librisoft
    (it was never validated). Answers whether it failed."""
    go = locked(session, number)
    if go.min_copies is None or go.status != domain.AWAITING_VALIDATION:
        return False
    paid, _ = copies(session, number)
    if domain.minimum_reached(go.min_copies, paid):
        return False
    reason = domain.minimum_failure_reason(go.min_copies, paid)
    subs = [sub for sub in go.subs if domain.cancelled_with_the_order(sub.status)]
    transition(session, GroupedOrder, number, [domain.AWAITING_VALIDATION],
               {"status": domain.CANCELLED, "cancelled_at": now,
                "cancel_reason": reason[:domain.REASON_MAX]}, message=domain.ALREADY_DONE)
    for sub in subs:
        refund = domain.refund_on_cancel(sub.status, sub.paid_payment_id)
        transition(session, SubOrder, sub.number, [sub.status],
                   dict({"status": domain.SUB_CANCELLED, "cancelled_at": now,
                         "cancel_reason": reason[:domain.SUB_REASON_MAX]},
                        **({"refund_state": "requested"} if refund else {})),
                   message=domain.SUB_ALREADY_DONE)
        if refund:
            record(session, "refund_requested", refund_requested_event(
                sub.paid_payment_id, str(sub_total(sub)), reason, sub))
        record(session, "sub_order_cancelled", dict(
            sub_order_cancelled_event(sub, go, public_url, reason, refund), minimum_failed=True))
        record(session, "grouped_order_failed",
               grouped_order_failed_event(go, public_url, reason, paid, sub, refund))
    record(session, "grouped_order_cancelled",
           dict(cancelled_event(go, public_url, reason), minimum_failed=True))
    record(session, "grouped_order_failed", grouped_order_failed_event(go, public_url, reason,
                                                                       paid))
    return True
