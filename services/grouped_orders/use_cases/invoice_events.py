"""invoicing's `invoice_issued` for our sub-orders and grouped orders
(services.common.invoiced_orders), and the lock the bookshop's cancellations check."""
from services.common import invoiced_orders

from ..models import InvoicedOrder
from . import credit_refunds

OURS = ("sub_order", "grouped_order")


def on_invoice_issued(session, payload, now, record=None, public_url=None):
    """The order's invoice is live (or no longer); a credit note owing money back to the buyer
    of a paid sub-order asks payments for it, and the copies it takes back come off the
    sub-order (`credit_refunds`)."""
    invoiced_orders.on_invoice_issued(session, InvoicedOrder, OURS, payload, now)
    if record is not None:
        credit_refunds.on_credit_note(session, payload, now, record, public_url)


def live_invoice(session, kind, number):
    """The live invoice's number of an order of ours, or None."""
    return invoiced_orders.live_invoice(session, InvoicedOrder, kind, [number])


def live_invoice_of_any_sub(session, sub_numbers):
    return invoiced_orders.live_invoice(session, InvoicedOrder, "sub_order", sub_numbers)
