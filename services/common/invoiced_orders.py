"""The owners' side of invoicing's `invoice_issued` (grouped_orders for sub-orders and grouped
orders, baskets for collectivity orders and quotes), written once: which of the owner's orders
have a live invoice (idempotent: the same event again changes nothing), and the lookups its
cancellations check. `model`: the owner's `InvoicedOrder` table (kind, number, invoice_number,
live, updated_at); the rule itself is `services.common.invoiced.invoiced_state`."""
from sqlalchemy import select

from . import invoiced


def on_invoice_issued(session, model, ours, payload, now):
    order = payload["order"]
    if order["kind"] not in ours:
        return
    row = session.get(model, (order["kind"], int(order["number"])), with_for_update=True)
    current = (row.invoice_number, row.live) if row is not None else None
    after = invoiced.invoiced_state(current, payload)
    if after is None or after == current:
        return
    if row is None:
        session.add(model(kind=order["kind"], number=int(order["number"]),
                          invoice_number=after[0], live=after[1], updated_at=now))
    else:
        row.invoice_number, row.live, row.updated_at = after[0], after[1], now


def live_invoice(session, model, kind, numbers):
    """The number of a live invoice of one of `numbers` (orders of `kind`), or None."""
    numbers = [int(n) for n in numbers]
    if not numbers:
        return None
    return session.scalars(select(model.invoice_number).where(
        model.kind == kind, model.number.in_(numbers), model.live.is_(True))).first()
