"""Totals to send to suppliers (issue 10 K2): the « Récapitulatif par produits » of one grouped
order (the bookshop's, or its initiator's own) and the « vue globale » of every grouped order
whose deadline falls in a period (the bookshop's). Read only: Core statements, no ORM object
of a sub-order loaded."""
from sqlalchemy import select

from .. import domain
from ..models import GroupedOrder, GroupedOrderTitle
from ..presenters import supplier_recap_view
from .load import get_grouped_order, own, sub_rules


def _titles(session, numbers) -> dict:
    """{grouped order number: {title row id: domain.SupplierTitle}}."""
    t = GroupedOrderTitle.__table__
    found = {n: {} for n in numbers}
    if not numbers:
        return found
    rows = session.execute(select(t.c.id, t.c.grouped_order_number, t.c.ean, t.c.title,
                                  t.c.publisher, t.c.vat_rate, t.c.position, t.c.article)
                           .where(t.c.grouped_order_number.in_(numbers)))
    for id_, number, ean, title, publisher, vat_rate, position, article in rows:
        found[number][id_] = domain.SupplierTitle(
            id_, ean, title, domain.supplier_of(publisher, article), vat_rate or "5.5",
            position)
    return found


def _recap(session, orders) -> dict:
    numbers = [go.number for go in orders]
    titles = _titles(session, numbers)
    recap = domain.supplier_recap((n, titles[n], sub_rules(session, n)) for n in numbers)
    return supplier_recap_view(recap, orders)


def order_recap(session, number, actor_id, role) -> dict:
    """One grouped order's recap: any for the bookshop, its own for an initiator."""
    go = get_grouped_order(session, number) if role == "admin" else \
        own(session, number, actor_id)
    return dict(_recap(session, [go]), number=go.number)


def period_recap(session, start, end) -> dict:
    """Every grouped order (not cancelled) whose deadline is from `start` to `end`."""
    start, end = domain.check_period(start, end)
    orders = list(session.scalars(
        select(GroupedOrder).where(GroupedOrder.deadline >= start, GroupedOrder.deadline <= end,
                                   GroupedOrder.status != domain.CANCELLED)
        .order_by(GroupedOrder.deadline, GroupedOrder.number)))
    return dict(_recap(session, orders), start=start.isoformat(), end=end.isoformat())
