"""Reminder mails before the deadline (issue 10, K1), run by the deadline timer: the initiator's
(the figures so far) and each unpaid buyer's (their link to pay, or the cheque / cash
instructions), each recorded as an event once. The claim is a guarded UPDATE of `reminded_at`
(… WHERE reminded_at IS NULL): with several instances, or the timer firing twice, one
transaction wins each grouped order and each sub-order; the others update nothing and record
nothing."""
from sqlalchemy import select

from services.common.errors import DomainError
from services.common.guards import transition

from .. import domain
from ..models import GroupedOrder, SubOrder
from ..presenters import deadline_approached_event, payment_reminded_event


def _claim(session, model, key, now, *where) -> bool:
    try:
        transition(session, model, key, [None], {"reminded_at": now}, column="reminded_at",
                   where=where)
    except DomainError:  # another instance took it first
        return False
    return True


def _candidates(session, now, days, *where):
    """Open grouped orders whose reminder day (for `days`) has come: a bound on the deadline in
    SQL, the exact rule (domain.reminders) in Python."""
    if days <= 0:
        return []
    return list(session.scalars(
        select(GroupedOrder).where(
            GroupedOrder.status == domain.OPEN, GroupedOrder.closes_at > now,
            GroupedOrder.deadline <= domain.latest_reminded_deadline(now, days), *where)
        .order_by(GroupedOrder.number)))


def remind_initiators(session, now, record, public_url, days, buyer_days=0) -> list:
    done = []
    for go in _candidates(session, now, days, GroupedOrder.reminded_at.is_(None)):
        if not domain.initiator_reminder_due(
                go.status, go.deadline, go.opens_on, go.created_at, go.reminded_at, now, days):
            continue
        if not _claim(session, GroupedOrder, go.number, now,
                      GroupedOrder.status == domain.OPEN):
            continue
        subs = list(session.scalars(select(SubOrder).where(
            SubOrder.grouped_order_number == go.number).order_by(SubOrder.number)))
        record(session, "grouped_order_deadline_approached",
               deadline_approached_event(go, subs, now, public_url,
                                         reminds_buyers=buyer_days > 0 and go.buyer_reminders))
        done.append(go.number)
    return done


def remind_buyers(session, now, record, public_url, days) -> list:
    done = []
    for go in _candidates(session, now, days, GroupedOrder.buyer_reminders.is_(True)):
        subs = session.scalars(select(SubOrder).where(
            SubOrder.grouped_order_number == go.number,
            SubOrder.status == domain.AWAITING_PAYMENT, SubOrder.reminded_at.is_(None),
            SubOrder.payment_method != domain.PICKUP,  # pays on distribution day
            SubOrder.created_at < domain.reminder_starts_at(go.deadline, days))
            .order_by(SubOrder.number))
        for sub in list(subs):
            if not domain.buyer_reminder_due(go.status, go.deadline, go.opens_on,
                                             go.buyer_reminders, sub.status, sub.created_at,
                                             sub.reminded_at, now, days, sub.payment_method):
                continue
            if not _claim(session, SubOrder, sub.number, now,
                          SubOrder.status == domain.AWAITING_PAYMENT):
                continue
            record(session, "sub_order_payment_reminded",
                   payment_reminded_event(sub, go, now, public_url))
            done.append(sub.number)
    return done


def send_reminders(session, now, record, public_url, initiator_days, buyer_days) -> dict:
    """Every reminder due now, each once: {"initiators": [numbers], "buyers": [numbers]}."""
    return {"initiators": remind_initiators(session, now, record, public_url, initiator_days,
                                            buyer_days),
            "buyers": remind_buyers(session, now, record, public_url, buyer_days)}


def set_buyer_reminders(session, number, enabled, now, public_url) -> dict:
    """The bookshop turns this grouped order's buyer reminders on or off."""
    from ..presenters import grouped_order_view
    from .load import locked
    go = locked(session, number)
    go.buyer_reminders = bool(enabled)
    session.flush()
    return grouped_order_view(go, now, public_url)
