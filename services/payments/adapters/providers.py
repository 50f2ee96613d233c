"""Payment providers behind one small, transport-neutral interface (after Saleor's payment
gateways): dataclasses in, dataclasses out, no nameko and no HTTP framework.

A provider is an object with a `name` and three operations:

- `create_checkout(session, CheckoutRequest) -> Checkout`: opens the provider's hosted page and
  gives the URL the buyer is redirected to;
- `refund(session, RefundRequest) -> RefundResult`: gives money back; `confirmed=False` means
  the provider confirms later with a `refund.succeeded` callback;
- `verify_callback(headers, raw_body, now) -> CallbackEvent`: checks a notification's signature
  and reads it; raises `CallbackRejected` (400) for anything unsigned, forged, stale or unreadable.

A provider may also have `expire_checkout(session, checkout_id, now) -> bool`: closes a hosted
page still open (its order was cancelled; False when the buyer chose first).

A provider that keeps records of its own may also have `captured(session, checkout_id)`: called
when a verified success notification is taken (even one arriving after a refusal), so that its
records say the money was captured and a refund of it goes through.

`session` is the payments unit of work: a provider that keeps records in the payments database
(the sandbox) writes them in the same transaction as the payment; a remote provider ignores it.
Failing to reach the provider raises `ProviderError`."""
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from typing import Protocol

from .. import domain

PAYMENT_EVENTS = {
    "payment.succeeded": domain.SUCCEEDED,
    "payment.refused": domain.REFUSED,
    "payment.cancelled": domain.CANCELLED,
    "payment.error": domain.ERROR,
}
REFUND_SUCCEEDED = "refund.succeeded"
CALLBACK_TYPES = (*PAYMENT_EVENTS, REFUND_SUCCEEDED)
MAX_CALLBACK_BYTES = 64 * 1024


@dataclass(frozen=True)
class CheckoutRequest:
    """What `create_checkout` needs to open the provider's hosted page for one payment."""

    payment_id: str
    amount: Decimal
    description: str
    customer_email: str
    return_url: str  # where the buyer goes back to; the provider adds ?payment=<payment_id>


@dataclass(frozen=True)
class Checkout:
    """The checkout the provider opened, and the URL the buyer is redirected to."""

    checkout_id: str
    redirect_url: str


@dataclass(frozen=True)
class RefundRequest:
    """What `refund` needs to give (part of) a captured payment back."""

    payment_id: str
    checkout_id: str
    amount: Decimal
    reason: str = ""
    # the same for the same refund asked again (the transaction that asked it rolled back after
    # the provider's answer, a redelivered event): a provider must give the same refund back,
    # never a second one (an HTTP provider sends it as its Idempotency-Key header)
    idempotency_key: str = ""


@dataclass(frozen=True)
class RefundResult:
    """The provider's answer to a refund."""

    provider_ref: str
    confirmed: bool  # False: the provider confirms later with a `refund.succeeded` callback


@dataclass(frozen=True)
class CallbackEvent:
    """A verified notification of the provider, read by `verify_callback`."""

    event_id: str
    type: str  # one of CALLBACK_TYPES
    checkout_id: str
    amount: Decimal
    occurred_at: datetime
    refund_ref: str = ""


class ProviderError(Exception):
    """The provider could not be reached or refused the operation."""


class CallbackRejected(Exception):
    """A notification that is not signed, forged, stale or unreadable: answered 400."""

    def __init__(self, message, code="invalid_callback"):
        self.message, self.code = message, code
        super().__init__(message)


class Provider(Protocol):
    name: str

    def create_checkout(self, session, request: CheckoutRequest) -> Checkout: ...

    def refund(self, session, request: RefundRequest) -> RefundResult: ...

    def verify_callback(self, headers, raw_body: bytes, now: datetime) -> CallbackEvent: ...


def _field(data, name, max_len=100) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value or len(value) > max_len:
        raise CallbackRejected(f"Notification invalide : champ « {name} » absent ou invalide.")
    return value


def parse_notification(raw_body: bytes) -> CallbackEvent:
    """The JSON notification {event_id, type, checkout_id, amount, occurred_at[, refund_ref]}."""
    try:
        data = json.loads(raw_body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise CallbackRejected("Notification illisible : JSON UTF-8 attendu.")
    if not isinstance(data, dict):
        raise CallbackRejected("Notification illisible : un objet JSON est attendu.")
    kind = _field(data, "type", 40)
    if kind not in CALLBACK_TYPES:
        raise CallbackRejected(f"Type de notification inconnu : {kind[:40]}.")
    try:
        amount = domain.parse_money(data.get("amount"))
    except Exception:
        raise CallbackRejected("Notification invalide : montant illisible.")
    try:
        occurred_at = datetime.fromisoformat(_field(data, "occurred_at", 40))
    except ValueError:
        raise CallbackRejected("Notification invalide : date « occurred_at » illisible.")
    if occurred_at.tzinfo is None:
        occurred_at = occurred_at.replace(tzinfo=timezone.utc)
    refund_ref = _field(data, "refund_ref") if kind == REFUND_SUCCEEDED else ""
    return CallbackEvent(_field(data, "event_id"), kind, _field(data, "checkout_id"), amount,
                         occurred_at, refund_ref)
