"""invoicing's `invoice_issued` for our collectivity orders and quotes
(services.common.invoiced_orders), and the lock the bookshop's cancellations check."""
from services.common import invoiced_orders

from ..models import InvoicedOrder

OURS = ("collectivity_order", "quote")


def on_invoice_issued(session, payload, now):
    invoiced_orders.on_invoice_issued(session, InvoicedOrder, OURS, payload, now)


def live_invoice(session, kind, number):
    """The live invoice's number of an order of ours, or None."""
    return invoiced_orders.live_invoice(session, InvoicedOrder, kind, [number])
