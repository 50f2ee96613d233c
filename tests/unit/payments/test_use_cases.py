"""The use cases on a temporary SQLite database, with the sandbox provider and the real outbox."""
from dataclasses import replace
from decimal import Decimal

import pytest

from services.common.errors import DomainError
from services.payments import use_cases
from services.payments.adapters import sandbox
from services.payments.models import (Payment, ProviderEvent, SandboxCheckout,
                                      SandboxNotification, SandboxRefund)
from services.payments.adapters.providers import (CallbackEvent, ProviderError, RefundRequest,
                                                  RefundResult, parse_notification)

from .conftest import NOW, SETTINGS, checkout_id, notification, start_data


def start(db, provider, record, **changes):
    with db.transaction() as s:
        return use_cases.start_payment(s, provider, start_data(**changes), NOW, record)


def callback(db, record, event, provider=None):
    with db.transaction() as s:
        return use_cases.apply_callback(s, provider or sandbox.SandboxProvider(SETTINGS), event,
                                        NOW, record)


def event(kind, checkout, event_id="evt_1", amount="14.90", **extra):
    return parse_notification(notification(event_id, kind, checkout, amount, **extra))


def get(db, payment_id):
    with db.transaction() as s:
        return use_cases.get_payment(s, payment_id)


def paid(db, provider, record, **changes):
    """The buyer clicks Payer on the sandbox page; its notification is applied."""
    started = start(db, provider, record, **changes)
    with db.transaction() as s:
        notification_id, _ = sandbox.complete_checkout(s, checkout_id(started), "pay", NOW)
        body = s.get(SandboxNotification, notification_id).body.encode()
    callback(db, record, parse_notification(body))
    return started["payment_id"]


def refund(db, provider, record, payment_id, amount=None, reference=None):
    with db.transaction() as s:
        return use_cases.refund_payment(s, provider, payment_id, amount, "annulée", NOW, record,
                                        reference)


# ---- start_payment --------------------------------------------------------------------------
def test_a_payment_starts_on_the_providers_page(db, provider, record):
    started = start(db, provider, record)
    assert started["state"] == "processing"
    assert started["state_label"] == "Paiement en cours de traitement"
    assert started["payment_id"].startswith("pay_") and len(started["payment_id"]) >= 26
    assert started["redirect_url"].startswith("http://pay.test/sandbox/checkout/chk_")
    with db.transaction() as s:
        chk = s.get(SandboxCheckout, checkout_id(started))
        assert chk.status == "open" and chk.amount == Decimal("14.90")
        assert chk.return_url == f"http://127.0.0.1:9/retour?payment={started['payment_id']}"
    view = get(db, started["payment_id"])
    assert view == {**view, "reference_kind": "sub_order", "reference_id": "154",
                    "amount": "14.90", "state": "processing", "provider": "sandbox",
                    "refunds": []}
    assert record.types() == []


def test_the_same_idempotency_key_gives_the_same_payment(db, provider, record):
    first = start(db, provider, record)
    again = start(db, provider, record, description="Texte différent")
    assert again == first
    with db.transaction() as s:
        assert s.query(Payment).count() == 1 and s.query(SandboxCheckout).count() == 1
    with pytest.raises(DomainError) as exc:
        start(db, provider, record, amount="15.00")
    assert exc.value.code == "conflict"


def test_each_attempt_has_its_own_key(db, provider, record):
    first = start(db, provider, record)
    second = start(db, provider, record, idempotency_key="sub-154-b")
    assert first["payment_id"] != second["payment_id"]
    assert first["redirect_url"] != second["redirect_url"]


@pytest.mark.parametrize("amount", ["0", "0.00", "-5", "10000.01", "abc", 14.9])
def test_an_invalid_amount_is_refused_in_french(db, provider, record, amount):
    with pytest.raises(DomainError) as exc:
        start(db, provider, record, amount=amount)
    assert exc.value.code == "invalid" and "montant" in exc.value.message.lower()


def test_no_new_payment_once_the_reference_is_paid(db, provider, record):
    paid(db, provider, record)
    with pytest.raises(DomainError) as exc:
        start(db, provider, record, idempotency_key="sub-154-b")
    assert exc.value.code == "conflict"


def test_a_provider_failure_at_start_is_a_technical_error(db, record):
    class Broken:
        name = "sandbox"

        def create_checkout(self, session, request):
            raise ProviderError("down")

    started = start(db, Broken(), record)
    assert started["state"] == "error" and started["redirect_url"] is None
    ((kind, payload),) = record.events()
    assert kind == "payment_failed" and payload["state"] == "error"


# ---- callbacks ------------------------------------------------------------------------------
def test_a_confirmed_payment_is_published_once(db, provider, record):
    started = start(db, provider, record)
    chk = checkout_id(started)
    assert callback(db, record, event("payment.succeeded", chk)) == {
        "status": "applied", "payment_id": started["payment_id"], "state": "succeeded"}
    assert callback(db, record, event("payment.succeeded", chk)) == {"status": "duplicate"}
    assert get(db, started["payment_id"])["state_label"] == "Paiement confirmé"
    ((kind, payload),) = record.events()
    assert kind == "payment_succeeded"
    assert payload == {"payment_id": started["payment_id"], "reference_kind": "sub_order",
                       "reference_id": "154", "amount": Decimal("14.90"),
                       "provider": "sandbox", "occurred_at": NOW.isoformat(),
                       "method": "online", "cheque_number": ""}


def test_states_only_move_forward(db, provider, record):
    started = start(db, provider, record)
    chk = checkout_id(started)
    callback(db, record, event("payment.succeeded", chk))
    late = callback(db, record, event("payment.refused", chk, "evt_2"))
    assert late["status"] == "ignored" and late["state"] == "succeeded"
    assert record.types() == ["payment_succeeded"]
    with db.transaction() as s:
        assert {e.outcome for e in s.query(ProviderEvent)} == {"applied", "ignored"}


@pytest.mark.parametrize("failure", ["refuse", "abandon", "error"])
def test_a_success_after_a_failure_is_refunded_at_once(db, provider, record, failure):
    """The bank captured after all: the money is given back, never kept ("ignored" before)."""
    started = start(db, provider, record)
    chk = checkout_id(started)
    with db.transaction() as s:
        first, _ = sandbox.complete_checkout(s, chk, failure, NOW)
        late, _ = sandbox.complete_checkout(s, chk, sandbox.LATE_PAY, NOW)
        bodies = [s.get(SandboxNotification, n).body.encode() for n in (first, late)]
        assert s.get(SandboxCheckout, chk).status == "paid"
    callback(db, record, parse_notification(bodies[0]))
    answer = callback(db, record, parse_notification(bodies[1]))
    assert answer == {"status": "refunded", "payment_id": started["payment_id"],
                      "state": "refunded"}
    view = get(db, started["payment_id"])
    (r,) = view["refunds"]
    assert (r["amount"], r["state"], r["late"]) == ("14.90", "succeeded", True)
    assert "automatiquement" in r["reason"]
    with db.transaction() as s:
        (sbx,) = s.query(SandboxRefund).all()
        assert sbx.amount == Decimal("14.90")
    # nobody is told it was paid: a failure, then the refund with its reason
    assert record.types() == ["payment_failed", "payment_refunded"]
    refunded = record.events()[1][1]
    assert refunded["late"] is True and refunded["reason"] == r["reason"]
    # the same notification again: a duplicate, no second refund
    assert callback(db, record, parse_notification(bodies[1])) == {"status": "duplicate"}
    again = callback(db, record, event("payment.succeeded", chk, "evt_again"))
    assert again["status"] == "ignored"
    assert record.types() == ["payment_failed", "payment_refunded"]
    # the buyer may still pay: money given back does not count as paid
    assert start(db, provider, record, idempotency_key="sub-154-b")["state"] == "processing"


def test_a_signed_success_after_a_refusal_is_refunded_too(db, provider, record):
    """The issue's own test: a success callback, signed with the sandbox's secret, after the
    buyer clicked Refuser; once answered "ignored", the money stayed."""
    started = start(db, provider, record)
    chk = checkout_id(started)
    with db.transaction() as s:
        refused, _ = sandbox.complete_checkout(s, chk, "refuse", NOW)
        body = s.get(SandboxNotification, refused).body.encode()
    callback(db, record, parse_notification(body))
    answer = callback(db, record, event("payment.succeeded", chk, "evt_signed_late"))
    assert answer["status"] == "refunded" and answer["state"] == "refunded"
    with db.transaction() as s:
        assert s.get(SandboxCheckout, chk).status == "paid"
        assert [r.amount for r in s.query(SandboxRefund)] == [Decimal("14.90")]
    assert record.types() == ["payment_failed", "payment_refunded"]


def test_a_late_capture_only_follows_a_failure(db, provider, record):
    started = start(db, provider, record)
    with db.transaction() as s:
        assert sandbox.complete_checkout(s, checkout_id(started), sandbox.LATE_PAY, NOW) == \
            (None, f"http://127.0.0.1:9/retour?payment={started['payment_id']}")
        assert s.get(SandboxCheckout, checkout_id(started)).status == "open"


@pytest.mark.parametrize("kind,state", [("payment.refused", "refused"),
                                        ("payment.cancelled", "cancelled"),
                                        ("payment.error", "error")])
def test_a_failed_payment_is_published_with_what_a_mail_needs(db, provider, record, kind,
                                                              state):
    started = start(db, provider, record)
    callback(db, record, event(kind, checkout_id(started)))
    assert get(db, started["payment_id"])["state"] == state
    ((name, payload),) = record.events()
    assert name == "payment_failed"
    assert payload["state"] == state and payload["customer_email"] == "oscar@laposte.net"
    assert payload["return_url"] == "http://127.0.0.1:9/retour"
    assert payload["description"].startswith("Commande groupée") and payload["reason"]


def test_an_unknown_checkout_or_a_wrong_amount_is_refused(db, provider, record):
    started = start(db, provider, record)
    with pytest.raises(DomainError) as exc:
        callback(db, record, event("payment.succeeded", "chk_unknown"))
    assert exc.value.code == "not_found"
    with pytest.raises(DomainError) as exc:
        callback(db, record, event("payment.succeeded", checkout_id(started), amount="0.01"))
    assert exc.value.code == "invalid"
    assert get(db, started["payment_id"])["state"] == "processing"


def test_get_and_list(db, provider, record):
    with pytest.raises(DomainError) as exc:
        get(db, "pay_nope")
    assert exc.value.code == "not_found"
    for bad in (None, 5, "x" * 500):
        with pytest.raises(DomainError):
            get(db, bad)
    first = start(db, provider, record)
    second = start(db, provider, record, idempotency_key="sub-154-b")
    with db.transaction() as s:
        s.get(Payment, second["payment_id"]).created_at = NOW.replace(minute=5)
    with db.transaction() as s:
        listed = use_cases.list_payments(s, "sub_order", "154")
        assert [p["payment_id"] for p in listed] == [second["payment_id"], first["payment_id"]]
        assert use_cases.list_payments(s, "sub_order", "999") == []
        with pytest.raises(DomainError):
            use_cases.list_payments(s, None, 154)


# ---- refunds --------------------------------------------------------------------------------
def test_a_refund_goes_through_the_sandbox_and_is_published(db, provider, record):
    payment_id = paid(db, provider, record)
    view = refund(db, provider, record, payment_id, reference=("sub_order", "154"))
    assert view["state"] == "refunded" and view["state_label"] == "Annulé"
    (r,) = view["refunds"]
    assert r["amount"] == "14.90" and r["state"] == "succeeded" and r["refund_id"]
    with db.transaction() as s:
        (sbx,) = s.query(SandboxRefund).all()
        assert sbx.amount == Decimal("14.90")
    assert record.types() == ["payment_succeeded", "payment_refunded"]
    payload = record.events()[1][1]
    assert payload["refund_id"] == r["refund_id"] and payload["amount"] == Decimal("14.90")
    # idempotent: a second refund changes nothing
    assert refund(db, provider, record, payment_id) == view
    assert len(record.types()) == 2


def test_a_partial_refund_and_its_limits(db, provider, record):
    payment_id = paid(db, provider, record)
    with pytest.raises(DomainError) as exc:
        refund(db, provider, record, payment_id, "14.91")
    assert "dépasser" in exc.value.message
    with pytest.raises(DomainError):
        refund(db, provider, record, payment_id, reference=("sub_order", "155"))
    view = refund(db, provider, record, payment_id, "4.90")
    # a part given back: the payment stays confirmed until its refunds add up to all of it
    # (a cancellation's refund of the rest came before a credit note's part: closed, the part
    # was refused for good)
    assert view["refunds"][0]["amount"] == "4.90" and view["state"] == "succeeded"
    assert refund(db, provider, record, payment_id)["state"] == "refunded"  # the rest: 10,00


def test_only_a_confirmed_payment_is_refunded(db, provider, record):
    started = start(db, provider, record)
    with pytest.raises(DomainError) as exc:
        refund(db, provider, record, started["payment_id"])
    assert exc.value.code == "invalid"
    with pytest.raises(DomainError) as exc:
        refund(db, provider, record, "pay_unknown")
    assert exc.value.code == "not_found"


def test_a_refund_confirmed_later_by_callback(db, provider, record):
    """A provider that confirms refunds asynchronously (refund.succeeded)."""
    class Later(sandbox.SandboxProvider):
        def refund(self, session, request):
            return replace(super().refund(session, request), confirmed=False)

    later = Later(provider.settings)
    payment_id = paid(db, later, record)
    view = refund(db, later, record, payment_id)
    assert view["state"] == "succeeded" and view["refunds"][0]["state"] == "pending"
    assert refund(db, later, record, payment_id) == view  # waiting: no second refund
    with db.transaction() as s:
        p = s.get(Payment, payment_id)
        ref, chk = p.refunds[0].provider_ref, p.checkout_id
    with pytest.raises(DomainError):
        callback(db, record, event("refund.succeeded", chk, "evt_r0", refund_ref="rfd_other"))
    done = callback(db, record, event("refund.succeeded", chk, "evt_r1", refund_ref=ref))
    assert done["status"] == "applied" and done["state"] == "refunded"
    assert callback(db, record, CallbackEvent("evt_r2", "refund.succeeded", chk,
                                              Decimal("14.90"), NOW, ref))["status"] == "ignored"
    assert record.types() == ["payment_succeeded", "payment_refunded"]


def test_the_sandbox_refuses_to_refund_an_unpaid_checkout(db, provider, record):
    started = start(db, provider, record)
    with db.transaction() as s:
        with pytest.raises(ProviderError):
            provider.refund(s, RefundRequest(started["payment_id"],
                                                      checkout_id(started), Decimal("1")))
    assert isinstance(RefundResult("r", True), RefundResult)


# ---- an order cancelled while its payment page is open ----------------------------------------
def close(db, provider, record, reference_id="154"):
    with db.transaction() as s:
        return use_cases.close_open_checkouts(s, provider, "sub_order", reference_id, NOW,
                                              record)


def test_a_cancelled_orders_open_payment_page_is_closed_once(db, provider, record):
    """The bookshop cancelled the sub-order while its parent had the provider's page open: the
    parent could still pay it (then refunded at once, the fee lost). The page is closed, the
    payment cancelled (one payment_failed, not mailed: « cancelled »), once."""
    started = start(db, provider, record)
    other = start(db, provider, record, reference_id="155", idempotency_key="sub-155-a")
    assert close(db, provider, record) == [started["payment_id"]]
    assert close(db, provider, record) == []  # the event again: nothing more
    assert get(db, started["payment_id"])["state"] == "cancelled"
    assert get(db, other["payment_id"])["state"] == "processing"  # another order's: left
    assert [(t, p["payment_id"], p["state"]) for t, p in record.events()] == [
        ("payment_failed", started["payment_id"], "cancelled")]
    with db.transaction() as s:  # the page can no longer be paid, nor « captured late »
        for action in ("pay", sandbox.LATE_PAY):
            assert sandbox.complete_checkout(s, checkout_id(started), action, NOW)[0] is None
        assert sandbox.checkout_view(s, checkout_id(started))["status"] == sandbox.EXPIRED


def test_a_buyer_who_paid_first_keeps_their_payment(db, provider, record):
    """The parent clicked Payer just before the cancellation: the page is not closed, the
    payment stays (its owner refunds it, as for any payment of a cancelled order)."""
    started = start(db, provider, record)
    with db.transaction() as s:
        sandbox.complete_checkout(s, checkout_id(started), "pay", NOW)
    assert close(db, provider, record) == []
    assert get(db, started["payment_id"])["state"] == "processing"  # its notification follows
    paid_id = paid(db, provider, record, reference_id="156", idempotency_key="sub-156-a")
    assert close(db, provider, record, "156") == []
    assert get(db, paid_id)["state"] == "succeeded"


def test_a_provider_that_cannot_close_a_page_leaves_it(db, record):
    class NoExpiry(sandbox.SandboxProvider):
        expire_checkout = None
    provider = NoExpiry(SETTINGS)
    started = start(db, provider, record)
    assert close(db, provider, record) == []
    assert get(db, started["payment_id"])["state"] == "processing"
