"""invoicing's `invoice_issued`: which of our orders have a live invoice (idempotent: the same
event again changes nothing), and the lock the bookshop's cancellations check."""
from sqlalchemy import select

from services.common import invoiced

from ..models import InvoicedOrder

OURS = ("collectivity_order", "quote")


def on_invoice_issued(session, payload, now):
    order = payload["order"]
    if order["kind"] not in OURS:
        return
    row = session.get(InvoicedOrder, (order["kind"], int(order["number"])),
                      with_for_update=True)
    current = (row.invoice_number, row.live) if row is not None else None
    after = invoiced.invoiced_state(current, payload)
    if after is None or after == current:
        return
    if row is None:
        session.add(InvoicedOrder(kind=order["kind"], number=int(order["number"]),
                                  invoice_number=after[0], live=after[1], updated_at=now))
    else:
        row.invoice_number, row.live, row.updated_at = after[0], after[1], now


def live_invoice(session, kind, number):
    """The live invoice's number of an order of ours, or None."""
    return session.scalars(select(InvoicedOrder.invoice_number).where(
        InvoicedOrder.kind == kind, InvoicedOrder.number == int(number),
        InvoicedOrder.live.is_(True))).first()


