"""Use cases of classic orders, callable from the event consumer, the webservice, RPC and tests
alike. The consumer's use case runs in the inbox's session; the others take the service's
`Database` and open their own transaction. They return plain dicts (Decimal and datetime left
for the schemas to dump).

An order changes under a row lock (FOR UPDATE on PostgreSQL; SQLite serialises writers), so two
simultaneous acks make one change and one event."""
import logging
from datetime import datetime, timezone

from sqlalchemy import func, insert, select, update

from services.common.errors import not_found
from services.common.outbox import as_utc

from . import domain, orders as rules
from .models import order_lines, orders

log = logging.getLogger(__name__)

DATETIMES = ("picked_up_at", "status_updated_at", "placed_at", "created_at", "updated_at",
             "cancelled_at", "cancellation_acknowledged_at")


class SourceNotTakenYet(Exception):
    """A cancellation arrived before the order it cancels: the inbox retries it later."""


def utcnow():
    return datetime.now(timezone.utc)


def take_grouped_order(session, payload, now=None) -> tuple:
    """Duplicate a validated grouped order as a classic order, once: (order number, created).
    An order already taken from the same grouped order is kept as it is, whatever the event id
    (the unique (source_kind, source_number) refuses a second one: should two instances race,
    the loser's IntegrityError makes the inbox retry, and the retry finds the order)."""
    return _take(session, rules.GROUPED_ORDER, payload, rules.from_grouped_order, now)


def take_document(session, kind, payload, now=None) -> tuple:
    """A collectivity's quote request (kind "quote") or order ("collectivity_order") as a
    classic order, once per (kind, number), like a grouped order: (order number, created)."""
    return _take(session, kind, payload, lambda loaded: rules.from_document(kind, loaded), now)


def _take(session, kind, payload, build, now) -> tuple:
    existing = _number_of_source(session, kind, payload["number"])
    if existing is not None:
        log.info("%s %s already taken as classic order %s", kind, payload["number"], existing)
        return existing, False
    order = build(payload)
    now = now or utcnow()
    number = session.execute(insert(orders).values(
        **order["order"], librisoft_number=None, librisoft_status=None, picked_up_at=None,
        status_updated_at=None, created_at=now, updated_at=now)).inserted_primary_key[0]
    session.execute(insert(order_lines), [dict(line, order_number=number)
                                          for line in order["lines"]])
    return number, True


def list_orders(db, status="all", source_kind=None, page=1, per_page=50) -> dict:
    """Oldest first: the order in which Librisoft is to pick them up."""
    states, kind = rules.list_filter(status, source_kind)
    page, per_page = domain.page_window(page, per_page, rules.MAX_PER_PAGE)
    conditions = []
    if states == (rules.CANCELLED,):  # the cancellations Librisoft has to apply
        conditions += [orders.c.cancelled_at.is_not(None), orders.c.state == rules.PICKED_UP,
                       orders.c.cancellation_acknowledged_at.is_(None)]
    elif states:
        conditions.append(orders.c.state.in_(states))
        if states == (rules.PENDING,):  # a cancelled order is no longer to pick up
            conditions.append(orders.c.cancelled_at.is_(None))
    if kind:
        conditions.append(orders.c.source_kind == kind)
    with db.transaction() as session:
        total = session.scalar(select(func.count()).select_from(orders).where(*conditions))
        rows = session.execute(select(orders).where(*conditions).order_by(orders.c.number)
                               .offset((page - 1) * per_page).limit(per_page)).mappings().all()
        return {"orders": _views(session, rows), "total": total, "page": page,
                "per_page": per_page}


def get_order(db, number) -> dict:
    key = rules.order_number(number)
    with db.transaction() as session:
        row = session.execute(select(orders).where(orders.c.number == key)).mappings().first()
        if row is None:
            raise not_found(f"Commande introuvable : n° « {number} ».")
        return _views(session, [row])[0]


def find_orders_by_source(db, source_kind, source_number) -> list:
    kind, key = rules.source_kind_filter(source_kind), rules.source_number(source_number)
    if kind is None or key is None:
        return []
    with db.transaction() as session:
        rows = session.execute(select(orders).where(
            orders.c.source_kind == kind, orders.c.source_number == key)
            .order_by(orders.c.number)).mappings().all()
        return _views(session, rows)


def acknowledge(db, number, record_event) -> dict:
    """Librisoft picked the order up. `record_event(session, payload)` stores the
    classic_order_status_changed event in the same transaction; a second ack changes nothing
    and records nothing."""
    return _change(db, number, rules.acknowledgement, record_event)


def post_status(db, number, body, record_event) -> dict:
    """Librisoft's status (and its own order number) for the order; an event only when
    something changed."""
    update_ = rules.clean_status(body)
    return _change(db, number, lambda order, now: rules.status_changes(order, update_, now),
                   record_event)


def acknowledge_cancellation(db, number, record_event) -> dict:
    """Librisoft applied the cancellation of a picked-up order: once, with one event."""
    return _change(db, number, rules.cancellation_acknowledgement, record_event)


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
    now = now or utcnow()
    changes = rules.cancellation(row, reason, now)
    if not changes:
        return False
    session.execute(update(orders).where(orders.c.number == row["number"])
                    .values(updated_at=now, **changes))
    record_event(session, rules.status_event({**row, **changes}))
    return True


def _change(db, number, decide, record_event) -> dict:
    key = rules.order_number(number)
    with db.transaction() as session:
        row = session.execute(select(orders).where(orders.c.number == key)
                              .with_for_update()).mappings().first()
        if row is None:
            raise not_found(f"Commande introuvable : n° « {number} ».")
        now = utcnow()
        changes = decide(row, now)
        if changes:
            session.execute(update(orders).where(orders.c.number == key)
                            .values(updated_at=now, **changes))
            row = {**row, **changes, "updated_at": now}
            record_event(session, rules.status_event(row))
        return _views(session, [row])[0]


def _number_of_source(session, kind, number):
    return session.scalar(select(orders.c.number).where(
        orders.c.source_kind == kind, orders.c.source_number == number))


def _views(session, rows) -> list:
    """The orders with their lines (one query for all) and the quantity they add up to."""
    lines = {}
    if rows:
        for line in session.execute(select(order_lines).where(
                order_lines.c.order_number.in_([row["number"] for row in rows]))
                .order_by(order_lines.c.order_number, order_lines.c.position)).mappings():
            lines.setdefault(line["order_number"], []).append(dict(line))
    views = []
    for row in rows:
        view = {**row, **{name: row[name] and as_utc(row[name]).astimezone(timezone.utc)
                          for name in DATETIMES}}
        view["lines"] = lines.get(row["number"], [])
        view["picked_up"] = row["state"] == rules.PICKED_UP
        view["cancelled"] = row["cancelled_at"] is not None
        view["cancellation_acknowledged"] = row["cancellation_acknowledged_at"] is not None
        view["total_quantity"] = sum(line["quantity"] for line in view["lines"])
        views.append(view)
    return views
