"""The distribution date and the buyers told their books are ready (issue 10 K5,
domain.distribution_date).

Each action locks the grouped order's row first (`load.locked`): two identical requests at once
run one after the other, and the second finds the date already set (no second mail)."""
from .. import domain
from ..models import Distribution
from ..presenters import grouped_order_view, sub_order_ready_event
from .distribution import _check_access
from .load import locked


def tell_buyers(session, go, now, record, public_url, rescheduled=False) -> list:
    """One `sub_order_made_available` per buyer not cancelled, if the mails are on (the
    caller holds the grouped order's lock and changed its state: once per change)."""
    mails_on = domain.ready_mails_on(go.buyer_ready_mails, go.pickup_kind)
    told = []
    for sub in go.subs:
        if domain.ready_mail_wanted(go.status, sub.status, mails_on):
            record(session, "sub_order_made_available",
                   sub_order_ready_event(sub, go, public_url, now, rescheduled))
            told.append(sub.number)
    return told


def set_distribution_date(session, number, day, slot, account, now, record,
                          public_url) -> dict:
    """The initiator (its own) or the bookshop sets, changes or removes the distribution date
    and slot; once made available, a real change tells the buyers (the same date saved again
    tells nobody)."""
    go = locked(session, number)
    _check_access(go, account)
    domain.check_can_set_distribution_date(go.status,
                                           session.get(Distribution, number) is not None)
    new_day = domain.check_distribution_date(day, now)
    new_slot = domain.check_distribution_slot(slot)
    if new_day is None:
        new_slot = ""  # a slot without its day says nothing
    if domain.distribution_changed(go.distribution_date, go.distribution_slot, new_day,
                                   new_slot):
        go.distribution_date, go.distribution_slot = new_day, new_slot
        session.flush()
        if new_day is not None:
            tell_buyers(session, go, now, record, public_url, rescheduled=True)
    return grouped_order_view(go, now, public_url)


def set_buyer_ready_mails(session, number, enabled, now, public_url) -> dict:
    """The bookshop turns this grouped order's buyer mails (books ready, new date) on or off."""
    go = locked(session, number)
    domain.check_can_switch_ready_mails(go.status)
    go.buyer_ready_mails = bool(enabled)
    session.flush()
    return grouped_order_view(go, now, public_url)
