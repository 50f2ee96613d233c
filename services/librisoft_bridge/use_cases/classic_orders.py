"""Classic orders made and read: each use case takes the session of its transaction (the
inbox's, for an event consumer) and plain values, and returns plain dicts (see `presenters`).

An order changes under a row lock (FOR UPDATE on PostgreSQL; SQLite serialises writers), so two
simultaneous cancellations make one change and one event."""
import logging

from sqlalchemy import func, insert, select, update

from services.common import clock
from services.common.errors import not_found

from .. import presenters
from ..domain import cancellations
from ..domain.documents import from_document
from ..domain.grouped_orders import from_grouped_order
from ..domain.orders import (GROUPED_ORDER, MAX_PER_PAGE, list_filter, listing, order_number,
                             source_kind_filter)
from ..domain.orders import source_number as parsed_source_number
from ..domain.paging import page_window
from ..models import order_lines, orders

log = logging.getLogger(__name__)


class SourceNotTakenYet(Exception):
    """A cancellation arrived before the order it cancels: the inbox retries it later."""


def take_grouped_order(session, payload, now=None) -> tuple:
    """Duplicate a validated grouped order as a classic order, once: (order number, created).
    An order already taken from the same grouped order is kept as it is, whatever the event id
    (the unique (source_kind, source_number) refuses a second one: should two instances race,
    the loser's IntegrityError makes the inbox retry, and the retry finds the order)."""
    return _take(session, GROUPED_ORDER, payload, from_grouped_order, now)


def take_document(session, kind, payload, now=None) -> tuple:
    """A collectivity's quote request (kind "quote") or order ("collectivity_order") as a
    classic order, once per (kind, number), like a grouped order: (order number, created)."""
    return _take(session, kind, payload, lambda loaded: from_document(kind, loaded), now)


def _take(session, kind, payload, build, now) -> tuple:
    existing = session.scalar(select(orders.c.number).where(
        orders.c.source_kind == kind, orders.c.source_number == payload["number"]))
    if existing is not None:
        log.info("%s %s already taken as classic order %s", kind, payload["number"], existing)
        return existing, False
    order = build(payload)
    now = now or clock.utcnow()
    number = session.execute(insert(orders).values(
        **order["order"], librisoft_number=None, librisoft_status=None, picked_up_at=None,
        status_updated_at=None, created_at=now, updated_at=now)).inserted_primary_key[0]
    session.execute(insert(order_lines), [dict(line, order_number=number)
                                          for line in order["lines"]])
    return number, True


def list_orders(session, status="all", source_kind=None, page=1, per_page=50) -> dict:
    """Oldest first: the order in which Librisoft is to pick them up."""
    states, kind = list_filter(status, source_kind)
    page, per_page = page_window(page, per_page, MAX_PER_PAGE)
    wanted, conditions = listing(states), []
    if "states" in wanted:
        conditions.append(orders.c.state.in_(wanted["states"]))
    for flag, column in (("cancelled", orders.c.cancelled_at),
                         ("cancellation_acknowledged", orders.c.cancellation_acknowledged_at)):
        if flag in wanted:
            conditions.append(column.is_not(None) if wanted[flag] else column.is_(None))
    if kind:
        conditions.append(orders.c.source_kind == kind)
    total = session.scalar(select(func.count()).select_from(orders).where(*conditions))
    rows = session.execute(select(orders).where(*conditions).order_by(orders.c.number)
                           .offset((page - 1) * per_page).limit(per_page)).mappings().all()
    return {"orders": views(session, rows), "total": total, "page": page, "per_page": per_page}


def get_order(session, number) -> dict:
    key = order_number(number)
    row = session.execute(select(orders).where(orders.c.number == key)).mappings().first()
    if row is None:
        raise not_found(f"Commande introuvable : n° « {number} ».")
    return views(session, [row])[0]


def find_orders_by_source(session, source_kind, source_number) -> list:
    kind, key = source_kind_filter(source_kind), parsed_source_number(source_number)
    if kind is None or key is None:
        return []
    rows = session.execute(select(orders).where(
        orders.c.source_kind == kind, orders.c.source_number == key)
        .order_by(orders.c.number)).mappings().all()
    return views(session, rows)


def cancel_source(session, kind, source_number, reason, record_event, must_exist,
                  now=None) -> bool:
    """The grouped order or collectivity order `source_number` was cancelled: its classic order
    is cancelled, once, with a classic_order_status_changed event (in the inbox's session).
    None made yet: nothing to do, unless `must_exist` (the source was validated or placed, so
    its order is on its way): SourceNotTakenYet, and the inbox retries."""
    row = session.execute(select(orders).where(
        orders.c.source_kind == kind, orders.c.source_number == source_number)
        .with_for_update()).mappings().first()
    if row is None:
        if must_exist:
            raise SourceNotTakenYet(f"{kind} {source_number}: no classic order yet to cancel")
        return False
    now = now or clock.utcnow()
    changes = cancellations.cancellation(row, reason, now)
    if not changes:
        return False
    session.execute(update(orders).where(orders.c.number == row["number"])
                    .values(updated_at=now, **changes))
    record_event(session, presenters.status_event({**row, **changes}))
    return True


def views(session, rows) -> list:
    """The orders with their lines (one query for all)."""
    lines = {}
    if rows:
        for line in session.execute(select(order_lines).where(
                order_lines.c.order_number.in_([row["number"] for row in rows]))
                .order_by(order_lines.c.order_number, order_lines.c.position)).mappings():
            lines.setdefault(line["order_number"], []).append(dict(line))
    return [presenters.order(row, lines.get(row["number"], [])) for row in rows]
