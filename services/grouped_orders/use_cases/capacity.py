"""The minimum to go ahead and the capacity cap (issue 10; the rules: domain.capacity and
domain.title_minimums): the copies held, the room left for a subscription, the public progress
(overall and per title), the initiator's limits, and at the deadline the failure of a grouped
order whose minimum (overall, or a required title's) was not reached, or the optional titles
under theirs dropped."""
from sqlalchemy import func, select, text

from services.common.errors import conflict
from services.common.guards import transition

from .. import domain
from ..models import GroupedOrder, SubOrder, SubOrderLine
from ..presenters import (cancelled_event, grouped_order_failed_event, grouped_order_view,
                          refund_requested_event, sub_order_cancelled_event)
from . import credit_refunds
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


def title_copies(session, number) -> dict:
    """{(title row id, status): copies} of a grouped order's paid and awaiting sub-orders, per
    title, and {(title row id, "at_pickup"): copies} of those awaiting their payment at pickup
    (part of the awaiting ones): one Core statement."""
    t, x = SubOrder.__table__, SubOrderLine.__table__
    pickup = t.c.payment_method == domain.PICKUP
    rows = session.execute(
        select(x.c.title_id, t.c.status, pickup, func.coalesce(func.sum(x.c.quantity), 0))
        .join(t, t.c.number == x.c.sub_order_number)
        .where(t.c.grouped_order_number == number,
               t.c.status.in_((domain.PAID, domain.AWAITING_PAYMENT)))
        .group_by(x.c.title_id, t.c.status, pickup)).all()
    found = {}
    for title_id, status, at_pickup, n in rows:
        found[(title_id, status)] = found.get((title_id, status), 0) + int(n)
        if status == domain.AWAITING_PAYMENT and at_pickup:
            found[(title_id, "at_pickup")] = found.get((title_id, "at_pickup"), 0) + int(n)
    return found


def counted(by_title, title_id) -> int:
    """A title's copies that count toward its minimum: paid, and to be paid at pickup."""
    return by_title.get((title_id, domain.PAID), 0) + by_title.get((title_id, "at_pickup"), 0)


def titles_progress(go, paid_of, pickup_of=None) -> list:
    """Each title with a minimum: « Titre : 3 / 5 exemplaires payés » (`paid_of`: title row id
    -> copies that count; `pickup_of`: of those, the ones to be paid at pickup)."""
    return [domain.title_progress(t.ean, t.title, t.required, t.min_copies,
                                  paid_of.get(t.id, 0), (pickup_of or {}).get(t.id, 0))
            for t in go.titles if t.min_copies is not None]


def pickup_copies(session, number) -> int:
    """The copies awaiting their payment at pickup (issue 10 K5, part of those awaiting
    payment): counted toward the minimum with the paid ones (docs/reading-lists.md)."""
    t = SubOrder.__table__
    return int(session.scalar(
        select(func.coalesce(func.sum(t.c.quantity), 0))
        .where(t.c.grouped_order_number == number, t.c.status == domain.AWAITING_PAYMENT,
               t.c.payment_method == domain.PICKUP)))


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
    progress = domain.progress(go.min_copies, go.max_copies, *copies(session, go.number),
                               at_pickup=pickup_copies(session, go.number),
                               smallest=domain.smallest_order(t.required for t in go.titles))
    if any(t.min_copies is not None for t in go.titles):
        by_title = title_copies(session, go.number)
        paid_of = {t.id: counted(by_title, t.id) for t in go.titles}
        pickup_of = {t.id: by_title.get((t.id, "at_pickup"), 0) for t in go.titles}
    else:
        paid_of = pickup_of = {}
    return dict(progress, titles=titles_progress(go, paid_of, pickup_of))


def public_progress(session, token, now) -> dict:
    """The public page's progress, polled by its script: a few numbers, nothing of the buyers."""
    go = by_token(session, token)
    progress = progress_of(session, go)
    open_ = domain.can_subscribe(go.status, go.deadline, now, go.opens_on)
    return {"number": go.number, "status": go.status,
            "status_label": domain.STATUS_LABELS[go.status],
            "subscriptions_open": open_ and not progress["full"], "progress": progress}


def change_copy_limits(session, number, account_id, minimum, maximum, now, public_url,
                       title_minimums=None) -> dict:
    """The initiator changes the minimum and the cap while the grouped order is open; a cap
    below the copies already held is refused (400), nothing changed. `title_minimums` ({ean:
    value}, None: unchanged): each title's own minimum (a title left out: none)."""
    go = own(session, number, account_id)
    go = locked(session, number)
    if go.status != domain.OPEN:
        raise conflict("Le minimum et le maximum d'exemplaires ne se changent que tant que la "
                       "commande groupée est ouverte.")
    paid, awaiting = copies(session, number)
    limits = domain.check_copy_limits(minimum, maximum, paid + awaiting)
    kept = {t.ean: t.min_copies for t in go.titles}  # unchanged: still under the new cap
    per_title = domain.check_title_minimums(
        [t.ean for t in go.titles], kept if title_minimums is None else title_minimums,
        limits.maximum)
    transition(session, GroupedOrder, number, [domain.OPEN],
               {"min_copies": limits.minimum, "max_copies": limits.maximum},
               message=domain.ALREADY_DONE)
    for t in go.titles:
        t.min_copies = per_title[t.ean]
    session.flush()
    return grouped_order_view(go, now, public_url)


def fail_below_minimum(session, number, now, record, public_url) -> bool:
    """At the deadline (the timer, or the bookshop closing the subscriptions): the minimums
    (domain.deadline_outcome). A required title under its own minimum, or fewer paid copies
    than the overall minimum (counted on the titles kept), and the grouped order fails; an
    optional title under its minimum is dropped (cut to 0 as « Titres indisponibles » does:
    use_cases.unavailability) and the grouped order goes on. Runs once: the caller's guarded
    move to « En attente de validation » is the claim. Answers whether it failed."""
    go = locked(session, number)
    if go.status != domain.AWAITING_VALIDATION or (
            go.min_copies is None and all(t.min_copies is None for t in go.titles)):
        return False
    by_title = title_copies(session, number)
    counts = [domain.TitleCount(t.id, t.title, t.required, t.min_copies,
                                counted(by_title, t.id), by_title.get((t.id, "at_pickup"), 0))
              for t in go.titles]
    at_pickup = pickup_copies(session, number)  # committed: they count (issue 10 K5)
    outcome = domain.deadline_outcome(go.min_copies, counts, at_pickup)
    if outcome.fails:
        paid, _ = copies(session, number)
        paid += at_pickup
        _fail(session, go, outcome, paid, now, record, public_url)
        return True
    if outcome.dropped:
        from .unavailability import set_available  # it uses the bookshop's cancellation
        for count in counts:
            held = sum(by_title.get((count.key, s), 0)
                       for s in (domain.PAID, domain.AWAITING_PAYMENT))
            if count.key in outcome.dropped and held:
                set_available(session, number, count.key, 0, now, record, public_url,
                              cause={"minimum": count.minimum, "paid": count.paid})
    return False


def _fail(session, go, outcome, paid, now, record, public_url):
    """The grouped order fails: its guarded move from « En attente de validation » to
    « Annulée » is the claim (one failure, however many instances); each sub-order not
    cancelled is cancelled by its own guarded move, a paid one refunded through payments
    (refund_requested, once); the buyers and the initiator get `grouped_order_failed` (the
    usual cancellation mails are not sent: `minimum_failed`); nothing goes to Librisoft (it
    was never validated)."""
    number, reason = go.number, outcome.reason
    subs = [sub for sub in go.subs if domain.cancelled_with_the_order(sub.status)]
    transition(session, GroupedOrder, number, [domain.AWAITING_VALIDATION],
               {"status": domain.CANCELLED, "cancelled_at": now,
                "cancel_reason": reason[:domain.REASON_MAX]}, message=domain.ALREADY_DONE)
    for sub in subs:
        # what credit notes gave back already is not refunded twice: the rest, or nothing
        refund, left, credit = credit_refunds.cancellation_refund(session, sub)
        transition(session, SubOrder, sub.number, [sub.status],
                   dict({"status": domain.SUB_CANCELLED, "cancelled_at": now,
                         "cancel_reason": reason[:domain.SUB_REASON_MAX]},
                        **({"refund_state": "requested"} if refund else {})),
                   message=domain.SUB_ALREADY_DONE)
        if refund:
            record(session, "refund_requested", refund_requested_event(
                sub.paid_payment_id, str(left), reason, sub))
        record(session, "sub_order_cancelled", dict(
            sub_order_cancelled_event(sub, go, public_url, reason, refund), minimum_failed=True,
            **credit))
        record(session, "grouped_order_failed", dict(
            grouped_order_failed_event(go, public_url, reason, paid, sub, refund),
            per_title=outcome.per_title, **credit))
    record(session, "grouped_order_cancelled",
           dict(cancelled_event(go, public_url, reason), minimum_failed=True))
    record(session, "grouped_order_failed", dict(
        grouped_order_failed_event(go, public_url, reason, paid), per_title=outcome.per_title))
