"""Reminder mails before the deadline (issue 10, K1; reference 004 step 2 "Ouverture des
commandes"): the initiator gets the figures so far, and each buyer who subscribed but has not
paid gets their own link to pay (online) or the cheque / cash instructions.

The day: N **calendar** days before the deadline, in Paris time (the deadline is a calendar
day and buyers pay online any day, week-ends and bank holidays included). A reminder is due
from the start of that day (Paris midnight) until subscriptions close, once. N = 0 turns it
off. A grouped order created, or a sub-order subscribed, on or after the reminder day gets no
reminder: the creation mail (or the buyer's confirmation) has just told them the same."""
from datetime import date, datetime, timedelta, timezone

from .deadlines import closes_at, not_open_yet, opens_at, paris_today
from .payment_methods import PICKUP
from .status import AWAITING_PAYMENT, OPEN

__all__ = ["DEFAULT_REMINDER_DAYS", "reminder_days", "reminder_day", "reminder_starts_at",
           "in_reminder_window", "latest_reminded_deadline", "initiator_reminder_due",
           "buyer_reminder_due"]

DEFAULT_REMINDER_DAYS = 3
MAX_REMINDER_DAYS = 60


def reminder_days(raw, default=DEFAULT_REMINDER_DAYS) -> int:
    """A setting's value (REMINDER_DAYS_BEFORE_DEADLINE...): whole days, 0 (off) to 60; a bad
    value falls back to `default` rather than stopping the timer."""
    try:
        days = int(str(raw).strip())
    except (TypeError, ValueError):
        return default
    return days if 0 <= days <= MAX_REMINDER_DAYS else default


def reminder_day(deadline: date, days: int) -> date:
    """The Paris day the reminder goes: `days` calendar days before the deadline."""
    return deadline - timedelta(days=days)


def reminder_starts_at(deadline: date, days: int) -> datetime:
    """Paris midnight at the start of the reminder day, in UTC."""
    return opens_at(reminder_day(deadline, days))


def latest_reminded_deadline(now: datetime, days: int) -> date:
    """The last deadline whose reminder day has come (a query's bound: deadline <= this)."""
    return paris_today(now) + timedelta(days=days)


def _aware(moment: datetime) -> datetime:
    """A stored instant (SQLite gives it back without its zone: it is UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def in_reminder_window(status, deadline: date, opens_on, now: datetime, days: int) -> bool:
    """Open, subscriptions started, from the reminder day's start until they close."""
    return (days > 0 and status == OPEN and not not_open_yet(opens_on, now)
            and reminder_starts_at(deadline, days) <= now < closes_at(deadline))


def initiator_reminder_due(status, deadline: date, opens_on, created_at: datetime,
                           reminded_at, now: datetime, days: int) -> bool:
    return (reminded_at is None and in_reminder_window(status, deadline, opens_on, now, days)
            and _aware(created_at) < reminder_starts_at(deadline, days))


def buyer_reminder_due(go_status, deadline: date, opens_on, buyer_reminders: bool,
                       sub_status, subscribed_at: datetime, reminded_at, now: datetime,
                       days: int, payment_method=None) -> bool:
    """A sub-order still awaiting its payment (online abandoned or refused, a cheque or cash
    not received yet), subscribed before the reminder day, not reminded yet, the bookshop not
    having turned buyers' reminders off for this grouped order. A buyer paying at pickup
    (issue 10 K5) owes nothing before distribution day: never reminded to pay."""
    return (buyer_reminders and reminded_at is None and sub_status == AWAITING_PAYMENT
            and payment_method != PICKUP
            and in_reminder_window(go_status, deadline, opens_on, now, days)
            and _aware(subscribed_at) < reminder_starts_at(deadline, days))
