"""invoicing use cases (the transactions), each `fn(session, …)`; those that issue take
`now` and `record(session, event_type, payload)`. Re-exported here."""
from .issuing import credit_cancelled_order, issue_credit_note, issue_invoice, settle_invoice
from .queries import (export_csv, get_invoice, invoices_for_orders, list_invoices,
                      order_invoices)

__all__ = ["issue_invoice", "issue_credit_note", "credit_cancelled_order", "settle_invoice", "export_csv", "get_invoice", "list_invoices",
           "order_invoices", "invoices_for_orders"]
