"""Payment rules (reference 003, Oxatis' "Paiement" column, and issue 3). Pure Python: no
nameko, no SQL, no I/O. One module per topic, re-exported here (`domain.X`):

- `states`: the payment states and their forward-only moves (and the one way back, a late
  success, refunded at once);
- `amounts`: what an amount is (a string of at most two decimals, 0 < amount <= 10,000 €);
- `requests`: the checks on a request to start a payment, idempotency, the return link;
- `callbacks`: what a provider's notification does to a payment;
- `refunds`: when a refund may go ahead;
- `payouts`: the fee, the due date in working days, a payout's totals (reference 002 §3);
- `manual`: a cheque or cash received by the bookshop (the cheque number's rule), no fee, never
  paid out.

    pending --> processing --> succeeded --> refunded
       |            |--------> refused | cancelled | error
       '--> error   (the provider could not even open its page)
"""
from . import manual, payouts
from .amounts import MAX_AMOUNT, MIN_AMOUNT, MONEY_RE, check_payment_amount, parse_money
from .manual import (CASH, CHEQUE, MANUAL_METHODS, MANUAL_PROVIDER, METHOD_LABELS, METHODS, ONLINE,
                     ManualPayment, check_cheque_number, manual_key, manual_payment, paid_out)
from .callbacks import (APPLIED, IGNORED, REFUNDED_AT_ONCE, CallbackDecision,
                        check_notified_amount, decide_callback)
from .refunds import (check_partial_key, check_refund_reference, fully_refunded,
                      given_back_by_hand, partial_refund_needed, refund_confirmable,
                      refund_key, refund_needed, refundable_left)
from .requests import (REFERENCE_KINDS, StartRequest, check_not_already_paid,
                       check_reference_payable, is_http_url, same_request, start_request,
                       with_payment_param)
from .states import (CANCELLED, ERROR, FAILED_STATES, FAILURE_REASONS, LABELS,
                     LATE_SUCCESS_REASON, PENDING, PROCESSING, REFUNDED, REFUSED, STATE_LABELS, STATES, SUCCEEDED,
                     TRANSITIONS, can_move, late_success, move, state_label)

__all__ = [
    "payouts", "manual",
    "CASH", "CHEQUE", "MANUAL_METHODS", "MANUAL_PROVIDER", "METHOD_LABELS", "METHODS", "ONLINE",
    "ManualPayment", "check_cheque_number", "manual_key", "manual_payment", "paid_out",
    "MAX_AMOUNT", "MIN_AMOUNT", "MONEY_RE", "check_payment_amount", "parse_money", "APPLIED",
    "IGNORED", "REFUNDED_AT_ONCE", "CallbackDecision", "check_notified_amount", "decide_callback",
    "given_back_by_hand", "check_refund_reference", "check_partial_key", "fully_refunded",
    "partial_refund_needed", "refundable_left", "refund_confirmable", "refund_key", "refund_needed", "REFERENCE_KINDS",
    "StartRequest", "check_not_already_paid", "check_reference_payable", "is_http_url",
    "same_request", "start_request", "with_payment_param", "CANCELLED", "ERROR", "FAILED_STATES",
    "FAILURE_REASONS", "LABELS", "LATE_SUCCESS_REASON", "PENDING", "PROCESSING", "REFUNDED", "REFUSED",
    "STATE_LABELS", "STATES", "SUCCEEDED", "TRANSITIONS", "can_move", "late_success", "move",
    "state_label",
]
