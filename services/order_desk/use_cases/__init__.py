"""The order desk's use cases: `fn(session, ..., now, record)` for what changes the register,
`fn(session, ...)` for what reads it."""
from .progress import (  # noqa: F401
    apply_owner_progress, ask_owner, drop_request, plan_move, progress_history, record_move)
from .queries import calendar_month, get_order, list_orders  # noqa: F401
from .register import (  # noqa: F401
    on_classic_order_status_changed, on_collectivity_order_placed,
    on_collectivity_order_status_changed, on_grouped_order_cancelled, on_grouped_order_created,
    on_grouped_order_distributed, on_grouped_order_failed,
    on_grouped_order_made_available, on_grouped_order_validated, on_invoice_issued,
    on_invoice_settled,
    on_orders_handed_off, on_payment_state_changed, on_quote_requested, on_sub_order_cancelled,
    on_sub_order_adjusted, on_sub_order_email_corrected, on_sub_order_paid, on_sub_order_placed,
    on_sub_order_refunded,
    upsert)
