"""The sandbox provider, used by `make run` and the tests: a hosted-payment provider simulated
inside the payments service, behaving like a real one.

- `create_checkout` records a checkout and sends the buyer to its hosted page,
  `GET /sandbox/checkout/<checkout_id>` (served by this service's @http), where the buyer clicks
  Payer, Refuser (a refused card), Abandonner, or "Simuler une erreur technique".
- `complete_checkout` (the page's POST) records the outcome and queues a signed notification
  for `POST /payments/v1/callbacks/sandbox` (see `sandbox_notify`), then the buyer is sent back
  to the payment's return URL with `?payment=<payment_id>`.
- `refund` records the refund in `sandbox_refunds` and confirms it at once (synchronously): no
  `refund.succeeded` callback is sent by the sandbox (the endpoint accepts one for providers that
  confirm later).
- `verify_callback` checks the HMAC signature (`signatures`) and reads the notification.
- `late_pay` (POST `action=late_pay` on a checkout already refused, abandoned or in error)
  simulates a bank that captures after all: the checkout becomes paid and a `payment.succeeded`
  notification is queued; the payments service refunds such money at once."""
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select

from services.common import config
from services.common.clock import utcnow
from services.common.money import money_str

from .. import domain
from ..models import SandboxCheckout, SandboxRefund
from . import sandbox_notify, signatures
from .providers import (Checkout, CheckoutRequest, ProviderError, RefundRequest, RefundResult,
                        parse_notification)

NAME = "sandbox"
DEFAULT_SECRET = "sandbox-dev-secret"
CALLBACK_PATH = "/payments/v1/callbacks/sandbox"
# the page's buttons: action -> (checkout status, notification type)
ACTIONS = {
    "pay": ("paid", "payment.succeeded"),
    "refuse": ("refused", "payment.refused"),
    "abandon": ("cancelled", "payment.cancelled"),
    "error": ("error", "payment.error"),
}
LATE_PAY = "late_pay"  # the bank captures a failed payment after all (a late success)
FAILED_CHECKOUTS = ("refused", "cancelled", "error")
# closed by the merchant (its order cancelled): nothing can be paid on it any more
EXPIRED = "expired"
NEW_CHECKOUT = insert(SandboxCheckout.__table__)


@dataclass(frozen=True)
class Settings:
    secret: str
    public_url: str     # where buyers reach this service's pages (redirects)
    callback_url: str   # where the sandbox posts its notifications (this service's own address)
    merchant: str


def _local_url(web_server_address):
    if not web_server_address:
        return None
    host, _, port = str(web_server_address).rpartition(":")
    host = "127.0.0.1" if host in ("", "0.0.0.0", "::", "[::]") else host
    return f"http://{host}:{port}"


def settings_from_env(web_server_address=None) -> Settings:
    """PAYMENTS_PUBLIC_URL (default: the service's own WEB_SERVER_ADDRESS, else
    http://127.0.0.1:8102), SANDBOX_WEBHOOK_SECRET, SANDBOX_CALLBACK_URL (default: this
    service's own address + /payments/v1/callbacks/sandbox), SANDBOX_MERCHANT_NAME."""
    local = _local_url(web_server_address)
    public = config.env("PAYMENTS_PUBLIC_URL",
                        local or config.DEFAULT_PAYMENTS_PUBLIC_URL).rstrip("/")
    callback = config.env("SANDBOX_CALLBACK_URL", (local or public) + CALLBACK_PATH)
    return Settings(secret=config.env("SANDBOX_WEBHOOK_SECRET", DEFAULT_SECRET),
                    public_url=public, callback_url=callback,
                    merchant=config.env("SANDBOX_MERCHANT_NAME", "Librairie (démonstration)"))


def checkout_path(checkout_id: str) -> str:
    return f"/sandbox/checkout/{checkout_id}"


class SandboxProvider:
    name = NAME

    def __init__(self, settings: Settings):
        self.settings = settings

    def create_checkout(self, session, request: CheckoutRequest) -> Checkout:
        checkout_id = "chk_" + secrets.token_urlsafe(16)
        session.execute(NEW_CHECKOUT, {  # a Core statement (issue 11: the payment's hot path)
            "id": checkout_id, "payment_id": request.payment_id, "amount": request.amount,
            "description": request.description,
            "return_url": domain.with_payment_param(request.return_url, request.payment_id),
            "status": "open", "created_at": utcnow()})
        return Checkout(checkout_id, self.settings.public_url + checkout_path(checkout_id))

    def refund(self, session, request: RefundRequest) -> RefundResult:
        checkout = session.get(SandboxCheckout, request.checkout_id)
        if checkout is None or checkout.status != "paid":
            raise ProviderError("sandbox: nothing was paid on this checkout")
        if request.idempotency_key:  # asked again: the same refund, as a real provider does
            known = session.scalar(select(SandboxRefund).where(
                SandboxRefund.idempotency_key == request.idempotency_key))
            if known is not None:
                return RefundResult(known.id, confirmed=True)
        refund = SandboxRefund(id="rfd_" + secrets.token_urlsafe(12), checkout_id=checkout.id,
                               amount=request.amount, reason=request.reason[:500],
                               created_at=utcnow(),
                               idempotency_key=request.idempotency_key or None)
        session.add(refund)
        return RefundResult(refund.id, confirmed=True)

    def captured(self, session, checkout_id):
        """A success notification signed with the sandbox's secret is its own word, even one it
        did not queue itself (a test, a replay after a refusal): the checkout is paid."""
        checkout = session.get(SandboxCheckout, checkout_id)
        if checkout is not None and checkout.status != "paid":
            checkout.status = "paid"

    def expire_checkout(self, session, checkout_id, now) -> bool:
        """Close a page still open (its order was cancelled): True if it was open, False if
        the buyer chose first (a payment then comes as usual, and is refunded by its owner)."""
        checkout = _checkout(session, checkout_id, lock=True)
        if checkout is None or checkout.status != "open":
            return False
        checkout.status, checkout.completed_at = EXPIRED, now
        return True

    def verify_callback(self, headers, raw_body: bytes, now: datetime):
        signatures.verify(self.settings.secret, headers.get(signatures.HEADER), raw_body,
                          now.timestamp())
        return parse_notification(raw_body)


# ---- the hosted page ------------------------------------------------------------------------
def _checkout(session, checkout_id, lock=False):
    if not isinstance(checkout_id, str) or len(checkout_id) > 64:
        return None
    return session.get(SandboxCheckout, checkout_id, with_for_update=lock or None)


def checkout_view(session, checkout_id) -> dict | None:
    checkout = _checkout(session, checkout_id)
    if checkout is None:
        return None
    return {"checkout_id": checkout.id, "amount": checkout.amount,
            "description": checkout.description, "status": checkout.status,
            "return_url": checkout.return_url}


def complete_checkout(session, checkout_id, action, now) -> tuple[int | None, str] | None:
    """Record the buyer's choice: (notification id to deliver, URL to send the buyer back to);
    None for an unknown checkout. A second click on a completed checkout queues nothing."""
    if action not in ACTIONS and action != LATE_PAY:
        raise ValueError(action)
    checkout = _checkout(session, checkout_id, lock=True)
    if checkout is None:
        return None
    if action == LATE_PAY:
        if checkout.status not in FAILED_CHECKOUTS:
            return None, checkout.return_url
        checkout.status, kind = "paid", "payment.succeeded"
    elif checkout.status != "open":
        return None, checkout.return_url
    else:
        checkout.status, kind = ACTIONS[action]
    checkout.completed_at = now
    notification = sandbox_notify.queue(session, {
        "event_id": "evt_" + secrets.token_urlsafe(16), "type": kind,
        "checkout_id": checkout.id, "amount": money_str(checkout.amount),
        "occurred_at": now.isoformat()}, now)
    return notification.id, checkout.return_url
