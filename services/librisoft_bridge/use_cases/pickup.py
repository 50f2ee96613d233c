"""Librisoft picks classic orders up, posts their status and applies their cancellations, over
the webservice: each use case takes the session of its transaction, the order's number and
`record_event(session, payload)`, which stores the classic_order_status_changed event in the
same transaction, and returns the order (see `presenters`).

An order changes under a row lock (FOR UPDATE on PostgreSQL; SQLite serialises writers), so two
simultaneous acks make one change and one event; a second ack changes nothing and records
nothing."""
from sqlalchemy import select, update

from services.common import clock
from services.common.errors import not_found

from .. import presenters
from ..domain import cancellations, pickup
from ..domain.orders import order_number
from ..models import orders
from .classic_orders import views


def acknowledge(session, number, record_event, now=None) -> dict:
    """Librisoft picked the order up."""
    return _change(session, number, pickup.acknowledgement, record_event, now)


def post_status(session, number, body, record_event, now=None) -> dict:
    """Librisoft's status (and its own order number) for the order; an event only when
    something changed."""
    update_ = pickup.clean_status(body)
    return _change(session, number, lambda order, at: pickup.status_changes(order, update_, at),
                   record_event, now)


def acknowledge_cancellation(session, number, record_event, now=None) -> dict:
    """Librisoft applied the cancellation of a picked-up order: once, with one event."""
    return _change(session, number, cancellations.cancellation_acknowledgement, record_event,
                   now)


def _change(session, number, decide, record_event, now) -> dict:
    key = order_number(number)
    row = session.execute(select(orders).where(orders.c.number == key)
                          .with_for_update()).mappings().first()
    if row is None:
        raise not_found(f"Commande introuvable : n° « {number} ».")
    now = now or clock.utcnow()
    changes = decide(row, now)
    if changes:
        session.execute(update(orders).where(orders.c.number == key)
                        .values(updated_at=now, **changes))
        row = {**row, **changes, "updated_at": now}
        record_event(session, presenters.status_event(row))
    return views(session, [row])[0]
