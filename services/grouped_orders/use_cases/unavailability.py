"""A title becomes unavailable (issue 10, K3): the bookshop sets the copies a title of a closed
reading list will actually get; the sub-orders holding it are adjusted (domain.unavailability:
first subscribed served first), each difference refunded online (a partial `refund_requested`
under its own key), or noted « à rendre » (a cheque, cash), a sub-order left without any copy
cancelled; each buyer still holding copies is told by `sub_order_adjusted`. The adjusted lines
show in red until the bookshop checks them (« J'ai vérifié »).

Two identical requests at once: the grouped order's row lock puts them one after the other; the
second finds the quantity already set and changes nothing (and the idempotency key of the
gateway's form besides)."""
from sqlalchemy import select

from services.common import invoiced
from services.common.errors import not_found
from services.common.money import money, money_str

from .. import domain
from ..models import SubOrderAdjustment, TitleAvailability
from ..presenters import buyer, event_lines, ref, refund_requested_event, rule_lines, sub_total
from . import credit_refunds
from .bookshop import _cancel_sub
from .invoice_events import live_invoice
from .load import get_grouped_order, locked, own


def _title(go, title_id):
    title = next((t for t in go.titles if t.id == title_id), None)
    if title is None:
        raise not_found("Ce titre n'est pas dans la liste de cette commande groupée.")
    return title


def _steps(session, sub_numbers) -> list:
    if not sub_numbers:
        return []
    return list(session.scalars(select(SubOrderAdjustment).where(
        SubOrderAdjustment.sub_order_number.in_(sub_numbers)).order_by(SubOrderAdjustment.id)))


def set_available(session, number, title_id, available, now, record, public_url,
                  cause=None) -> dict:
    """The bookshop says `title_id` will get `available` copies: the sub-orders are adjusted.
    `cause` ({"minimum", "paid"}): not the bookshop's cut but the deadline dropping an
    optional title under its own minimum (use_cases.capacity): the same adjustments, the
    reasons and mails saying why."""
    go = locked(session, number)
    domain.check_can_adjust(go.status)
    title = _title(go, int(title_id))
    current = session.get(TitleAvailability, title.id, with_for_update=True)
    plan = _plan(session, go, title, available, current)
    if plan is None:  # the same quantity again (a double click): nothing more
        return adjustments_view(session, go)
    value, live, line_of, kept = plan
    for sub in live:
        line = line_of[sub.number]
        if kept[sub.number] != line.quantity:
            _adjust(session, go, sub, title, line, kept[sub.number], value, now, record,
                    public_url, cause)
    if current is None:
        session.add(TitleAvailability(title_id=title.id, grouped_order_number=go.number,
                                      available=value, adjusted_at=now))
    else:
        current.available, current.adjusted_at, current.checked_at = value, now, None
    session.flush()
    return adjustments_view(session, go)


def preview_available(session, number, title_id, available) -> dict:
    """What `set_available` would do, written nowhere: the bookshop's confirmation names the
    copies ordered and each buyer whose line goes down (before → after), or refuses at once
    a quantity with nothing to cut (French 400)."""
    go = get_grouped_order(session, number)
    domain.check_can_adjust(go.status)
    title = _title(go, int(title_id))
    current = session.get(TitleAvailability, title.id)
    subs = sorted(go.subs, key=lambda s: (s.created_at, s.number))
    ordered = sum(x.quantity for s in subs if s.status != domain.SUB_CANCELLED
                  for x in s.lines if x.title_id == title.id)
    plan = _plan(session, go, title, available, current)
    if plan is None:
        return {"title": title.title, "ordered": ordered, "available": current.available,
                "unchanged": True, "changes": []}
    value, live, line_of, kept = plan
    return {"title": title.title, "ordered": ordered, "available": value, "unchanged": False,
            "changes": [{"sub_order_number": s.number, "buyer": f"{s.first_name} {s.last_name}",
                         "before": line_of[s.number].quantity, "after": kept[s.number],
                         "paid": s.status == domain.PAID}
                        for s in live if kept[s.number] != line_of[s.number].quantity]}


def _plan(session, go, title, available, current):
    """(the quantity, the live sub-orders holding the title, their line of it, the copies each
    keeps: first subscribed served first), or None when the quantity is already the one set;
    a quantity with nothing to cut is refused (domain.check_available)."""
    subs = sorted(go.subs, key=lambda s: (s.created_at, s.number))
    line_of = {s.number: x for s in subs for x in s.lines if x.title_id == title.id}
    live = [s for s in subs if s.status != domain.SUB_CANCELLED and s.number in line_of]
    value = domain.check_available(available, sum(line_of[s.number].quantity for s in live),
                                   current.available if current is not None else None)
    if value is None:
        return None
    ordered = {}
    for step in _steps(session, [s.number for s in subs]):
        if step.title_id == title.id:
            ordered.setdefault(step.sub_order_number, step.quantity_before)  # the first one
    kept = domain.allocate(value, [
        domain.Holder(s.number, s.created_at, ordered.get(s.number, line_of[s.number].quantity),
                      s.status) for s in live])
    return value, live, line_of, kept


def _why(title, before, after, cause) -> str:
    """The refund's and the cancellation's reason."""
    if cause is None:
        return f"« {title.title} » indisponible : {before} → {after} exemplaire(s)."
    return (f"« {title.title} » retiré : minimum de {cause['minimum']} exemplaires payés non "
            f"atteint à la clôture des souscriptions ({cause['paid']} payés) ; {before} → {after} "
            f"exemplaire(s).")


def _adjust(session, go, sub, title, line, after, available, now, record, public_url,
            cause=None):
    if cause is None:  # the deadline's drop, as the minimum's failure, does not wait on it
        invoiced.check_not_invoiced(live_invoice(session, "sub_order", sub.number),
                                    f"La sous-commande n° {sub.number}")
    before_lines = rule_lines(sub)
    after_lines = tuple(domain.Line(x.key, after if x.key == title.id else x.quantity,
                                    x.unit_price) for x in before_lines)
    change = domain.sub_change(before_lines, after_lines, sub.status, sub.payment_method,
                               sub.paid_payment_id is not None)
    credited = credit_refunds.credited(session, sub.number)  # given back by credit notes
    change = domain.owed_after_credits(change, credited)
    before = line.quantity
    step = SubOrderAdjustment(sub_order_number=sub.number, title_id=title.id,
                              available=available, quantity_before=before, quantity_after=after,
                              amount=change.difference if change.money != domain.NO_MONEY
                              else money(0), money_way=change.money, created_at=now)
    if change.cancelled:  # no copy left: cancelled, its payment refunded in full (its lines
        # kept as they were cancelled, as any cancelled sub-order's)
        paid = sub.status == domain.PAID
        step.amount = max(money(0), sub_total(sub) - credited) if paid else money(0)
        step.money_way = domain.give_back_way(sub.status, sub.payment_method,
                                              sub.paid_payment_id is not None)
        step.refund_state = "requested" if step.money_way == domain.ONLINE_REFUND and \
            step.amount > 0 else None
        _cancel_sub(session, sub, go, (
            f"« {title.title} » indisponible : {before} → 0 exemplaire ; plus aucun titre "
            "dans votre commande." if cause is None else
            _why(title, before, 0, cause) + " Plus aucun titre dans votre commande."
        )[:domain.SUB_REASON_MAX], now, record, public_url)
    else:
        line.quantity = after
        sub.quantity, sub.total = change.after_quantity, change.after_total
    if change.money == domain.ONLINE_REFUND:
        step.refund_state = "requested"
        record(session, "refund_requested", dict(
            refund_requested_event(sub.paid_payment_id, money_str(change.difference),
                                   _why(title, before, after, cause), sub),
            request_key=domain.adjustment_key(title.id, available, sub.number)))
    session.add(step)
    session.flush()
    if not change.cancelled:
        record(session, "sub_order_adjusted", {
            "sub_order_number": sub.number, "grouped_order": ref(go, public_url),
            "buyer": buyer(sub), "ean": title.ean, "title": title.title,
            "quantity_before": before, "quantity_after": after,
            "unit_price_ttc": money_str(line.unit_price),
            "total_before": money_str(change.before_total),
            "total_after": money_str(change.after_total), "amount": money_str(step.amount),
            "money_way": change.money, "payment_method": sub.payment_method or domain.ONLINE,
            "lines": event_lines(sub), "adjusted_at": now.isoformat(),
            **({"cause": "unavailable"} if cause is None else {"cause": "minimum_not_reached",
                                         "title_minimum": cause["minimum"],
                                         "title_paid": cause["paid"]})})


def confirm(session, number, now) -> dict:
    """« J'ai vérifié »: the adjusted lines no longer show in red (once: a second click finds
    nothing left to check)."""
    go = locked(session, number)
    for row in session.scalars(select(TitleAvailability).where(
            TitleAvailability.grouped_order_number == go.number,
            TitleAvailability.checked_at.is_(None))):
        row.checked_at = now
    session.flush()
    return adjustments_view(session, go)


def on_partial_refund(session, payload, sub, now=None) -> bool:
    """A partial refund asked for by an adjustment is done (payment_refunded, partial): its
    step is marked refunded. True when the event was one of ours."""
    key = payload.get("request_key") or ""
    if not key.startswith("adjust-") or sub is None:
        return False
    for step in _steps(session, [sub.number]):
        if domain.adjustment_key(step.title_id, step.available, sub.number) == key:
            step.refund_state, step.refunded_at = "refunded", step.refunded_at or now
    return True


def admin_view(session, number) -> dict:
    return adjustments_view(session, get_grouped_order(session, number))


def initiator_view(session, number, account_id) -> dict:
    return adjustments_view(session, own(session, number, account_id))


def adjustments_view(session, go) -> dict:
    """The titles cut and every adjusted line: before → after, the money owed back and how,
    `unchecked` (red) until the bookshop checked them."""
    titles = {t.id: t for t in go.titles}
    cuts = {a.title_id: a for a in session.scalars(select(TitleAvailability).where(
        TitleAvailability.grouped_order_number == go.number))}
    subs = {s.number: s for s in go.subs}
    lines = {}
    for step in _steps(session, list(subs)):
        key = (step.sub_order_number, step.title_id)
        first = lines.get(key)
        lines[key] = {
            "sub_order_number": step.sub_order_number, "title_id": step.title_id,
            "title": titles[step.title_id].title, "ean": titles[step.title_id].ean,
            "buyer": f"{subs[step.sub_order_number].first_name} "
                     f"{subs[step.sub_order_number].last_name}",
            "before": first["before"] if first else step.quantity_before,
            "after": step.quantity_after,
            "refunded": money_str(money(first["refunded"] if first else 0)
                                  + (step.amount if step.money_way == domain.ONLINE_REFUND
                                     else 0)),
            "to_give_back": money_str(money(first["to_give_back"] if first else 0)
                                      + (step.amount if step.money_way == domain.BY_HAND
                                         else 0)),
            "cancelled": subs[step.sub_order_number].status == domain.SUB_CANCELLED,
            # a cancelled one: its whole refund's state (the cancellation's)
            "refund_state": subs[step.sub_order_number].refund_state
            if subs[step.sub_order_number].status == domain.SUB_CANCELLED
            else step.refund_state or (first or {}).get("refund_state"),
            "unchecked": cuts[step.title_id].checked_at is None
            if step.title_id in cuts else False}
    return {"number": go.number, "status": go.status,
            "can_adjust": go.status == domain.AWAITING_VALIDATION,
            "titles": [{"title_id": t.id, "ean": t.ean, "title": t.title,
                        "available": cuts[t.id].available if t.id in cuts else None,
                        "adjusted_at": cuts[t.id].adjusted_at.isoformat() if t.id in cuts
                        else None,
                        "checked_at": cuts[t.id].checked_at.isoformat()
                        if t.id in cuts and cuts[t.id].checked_at else None}
                       for t in go.titles],
            "lines": sorted(lines.values(), key=lambda x: (x["sub_order_number"],
                                                            x["title_id"])),
            "unchecked": any(a.checked_at is None for a in cuts.values())}
