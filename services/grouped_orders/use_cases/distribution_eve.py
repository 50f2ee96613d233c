"""The reminder the day before distribution day (domain.distribution_date: eve_reminder_due),
run by the deadline timer: one `sub_order_distribution_reminded` per buyer not cancelled, once
per date. The claim is a guarded UPDATE of `eve_reminded_for` from the value read (… WHERE
eve_reminded_for IS NULL, or = the earlier date): with several instances, or the timer firing
twice, one transaction wins each sub-order; the others update nothing and record nothing. The
grouped order's row is locked while its buyers are reminded: a date changed meanwhile waits."""
from sqlalchemy import or_, select

from services.common.errors import DomainError
from services.common.guards import transition

from .. import domain
from ..distribution_presenters import eve_reminded_event
from ..models import Distribution, GroupedOrder, SubOrder
from .load import locked


def claim(session, sub_number, reminded_for, day) -> bool:
    """This instance reminds the buyer of `day` (they were last reminded of `reminded_for`)."""
    try:
        transition(session, SubOrder, sub_number, [reminded_for], {"eve_reminded_for": day},
                   column="eve_reminded_for")
    except DomainError:  # another instance took it first
        return False
    return True


def remind_eve(session, now, record, public_url) -> list:
    """Every reminder due now (the grouped orders distributed tomorrow): the sub-orders
    reminded."""
    day = domain.eve_of(now)
    waiting = select(SubOrder.number).where(  # a buyer not reminded of this date yet
        SubOrder.grouped_order_number == GroupedOrder.number,
        SubOrder.status != domain.SUB_CANCELLED,
        or_(SubOrder.eve_reminded_for.is_(None), SubOrder.eve_reminded_for != day)).exists()
    numbers = session.scalars(select(GroupedOrder.number).where(
        GroupedOrder.distribution_date == day,
        GroupedOrder.status.in_([domain.PROCESSING, domain.CLOSED]), waiting)
        .order_by(GroupedOrder.number)).all()
    done = []
    for number in numbers:
        go = locked(session, number)
        mails_on = domain.ready_mails_on(go.buyer_ready_mails, go.pickup_kind)
        distributed = session.get(Distribution, number) is not None
        for sub in go.subs:
            if not domain.eve_reminder_due(go.status, distributed, go.distribution_date,
                                           mails_on, sub.status, sub.eve_reminded_for, now):
                continue
            if not claim(session, sub.number, sub.eve_reminded_for, go.distribution_date):
                continue
            record(session, "sub_order_distribution_reminded",
                   eve_reminded_event(sub, go, public_url, now))
            done.append(sub.number)
    return done
