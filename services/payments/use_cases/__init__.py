"""payments use cases (the transactions). Each takes a SQLAlchemy session (the unit of work,
committed by the caller), a provider (see `adapters.providers`), the time and
`record(session, event_type, payload)` for events: load -> domain decision -> persist ->
record. The same functions serve RPC, the callback endpoint, events and tests. Re-exported here
(`use_cases.start_payment`, ...)."""
from .callbacks import apply_callback
from .manual import record_manual_payment
from .payments import close_open_checkouts, get_payment, list_payments, start_payment
from .payouts import export_payouts_csv, get_payout, list_payouts, mark_payout_paid
from .refunds import refund_payment

__all__ = ["apply_callback", "close_open_checkouts", "get_payment", "list_payments", "start_payment", "refund_payment",
           "record_manual_payment",
           "export_payouts_csv", "get_payout", "list_payouts", "mark_payout_paid"]
