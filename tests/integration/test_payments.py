"""payments as a real process on RabbitMQ and PostgreSQL: a buyer pays on the sandbox's hosted
page, the sandbox calls the service back over real HTTP, forged, stale and replayed callbacks
change nothing, a refused payment is retried with a new key, refunds by RPC and by event."""
import json
import os
import time
import uuid
from datetime import datetime, timezone
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import select, text

from services.common.errors import DomainError
from services.payments.adapters import signatures
from services.payments.models import SandboxNotification
from tests.support.suite import wait_until

SECRET = os.environ.get("SANDBOX_WEBHOOK_SECRET") or "sandbox-dev-secret"
RETURN_URL = "http://127.0.0.1:9/retour"


def base(suite):
    return f"http://127.0.0.1:{suite.payments_port}"


def start(suite, reference_id, key=None, amount="14.90"):
    with suite.rpc() as rpc:
        return rpc.payments.start_payment({
            "reference_kind": "sub_order", "reference_id": reference_id, "amount": amount,
            "description": f"Commande groupée n° 65 — sous-commande {reference_id}",
            "customer_email": "parent@example.org", "return_url": RETURN_URL,
            "idempotency_key": key or f"sub-{reference_id}-{uuid.uuid4().hex[:8]}"})


def page_url(suite, started):
    return base(suite) + urlsplit(started["redirect_url"]).path


def click(suite, started, action):
    response = requests.post(page_url(suite, started), data={"action": action},
                             allow_redirects=False, timeout=10)
    assert response.status_code == 303, response.text
    assert response.headers["Location"] == f"{RETURN_URL}?payment={started['payment_id']}"
    return response


def payment(suite, payment_id):
    with suite.rpc() as rpc:
        return rpc.payments.get_payment(payment_id)


def wait_state(suite, payment_id, state):
    return wait_until(lambda: payment(suite, payment_id)["state"] == state and
                      payment(suite, payment_id), message=f"payment {payment_id} {state}")


def callback(suite, body: bytes, headers: dict):
    return requests.post(base(suite) + "/payments/v1/callbacks/sandbox", data=body,
                         headers={"Content-Type": "application/json", **headers}, timeout=10)


def sign(body: bytes, at=None, secret=SECRET):
    return {signatures.HEADER: signatures.header_value(secret, int(at or time.time()), body)}


def notification(event_id, kind, checkout_id, amount="14.90"):
    return json.dumps({"event_id": event_id, "type": kind, "checkout_id": checkout_id,
                       "amount": amount,
                       "occurred_at": datetime.now(timezone.utc).isoformat()}).encode()


def outbox(suite, payment_id, states=False):
    """The payment's events in payments' outbox, in order; `payment_state_changed` (one per
    transaction that changed the state, issue 9, 11) apart: `states=True` lists the states it recorded instead."""
    db = suite.db("payments")
    try:
        with db.transaction() as s:
            rows = s.execute(text("SELECT event_type, body FROM outbox ORDER BY id")).all()
    finally:
        db.dispose()
    payloads = [(t, (body if isinstance(body, dict) else json.loads(body))["payload"])
                for t, body in rows]
    mine = [(t, p) for t, p in payloads if p["payment_id"] == payment_id]
    if states:
        return [p["state"] for t, p in mine if t == "payment_state_changed"]
    return [t for t, _ in mine if t != "payment_state_changed"]


def sandbox_bodies(suite, checkout_id):
    db = suite.db("payments")
    try:
        with db.transaction() as s:
            return [(n.body, n.delivered_at) for n in s.scalars(select(SandboxNotification))
                    if json.loads(n.body)["checkout_id"] == checkout_id]
    finally:
        db.dispose()


def test_a_buyer_pays_on_the_sandbox_page(suite):
    started = start(suite, "90101", key="sub-90101-first")
    assert started["state"] == "processing"
    assert started["state_label"] == "Paiement en cours de traitement"
    assert urlsplit(started["redirect_url"]).path.startswith("/sandbox/checkout/chk_")
    assert start(suite, "90101", key="sub-90101-first") == started  # same key, same payment

    page = requests.get(page_url(suite, started), timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    html = page.text
    assert '<html lang="fr">' in html and 'name="viewport"' in html
    assert "Commande groupée n° 65 — sous-commande 90101" in html and "14,90" in html
    for label in ("Payer", "Refuser", "Abandonner", "erreur technique"):
        assert label in html

    checkout_id = urlsplit(started["redirect_url"]).path.rsplit("/", 1)[1]
    forged_body = notification("evt_forged", "payment.succeeded", checkout_id)
    assert callback(suite, forged_body, sign(forged_body, secret="guess")).status_code == 400
    assert callback(suite, forged_body, {}).status_code == 400
    stale = callback(suite, forged_body, sign(forged_body, at=time.time() - 600))
    assert stale.status_code == 400 and stale.json()["error"] == "stale_signature"
    assert payment(suite, started["payment_id"])["state"] == "processing"

    click(suite, started, "pay")
    view = wait_state(suite, started["payment_id"], "succeeded")
    assert view["state_label"] == "Paiement confirmé" and view["amount"] == "14.90"
    wait_until(lambda: all(d for _, d in sandbox_bodies(suite, checkout_id)),
               message="sandbox notification delivered")
    assert outbox(suite, started["payment_id"]) == ["payment_succeeded"]

    # the sandbox's own notification, sent again: a duplicate
    ((body, _),) = sandbox_bodies(suite, checkout_id)
    again = callback(suite, body.encode(), sign(body.encode()))
    assert (again.status_code, again.json()) == (200, {"status": "duplicate"})
    # a captured valid request replayed as is: a duplicate too
    late = notification("evt_late_refusal", "payment.refused", checkout_id)
    headers = sign(late)
    first = callback(suite, late, headers)
    assert first.status_code == 200 and first.json()["status"] == "ignored"
    replay = callback(suite, late, headers)
    assert (replay.status_code, replay.json()) == (200, {"status": "duplicate"})
    assert payment(suite, started["payment_id"])["state"] == "succeeded"
    assert outbox(suite, started["payment_id"]) == ["payment_succeeded"]

    unknown = notification("evt_x", "payment.succeeded", "chk_unknown")
    assert callback(suite, unknown, sign(unknown)).status_code == 404
    assert callback(suite, b"[" * 10000, sign(b"[" * 10000)).status_code == 400

    refunded = None
    with suite.rpc() as rpc:
        refunded = rpc.payments.refund(started["payment_id"], "Sous-commande annulée")
        assert rpc.payments.refund(started["payment_id"]) == refunded
    assert refunded["state"] == "refunded" and refunded["state_label"] == "Annulé"
    assert [r["amount"] for r in refunded["refunds"]] == ["14.90"]
    assert outbox(suite, started["payment_id"]) == ["payment_succeeded", "payment_refunded"]
    assert outbox(suite, started["payment_id"], states=True) == [  # pending: with processing
        "processing", "succeeded", "refunded"]


def test_a_refused_payment_then_a_new_attempt_that_succeeds(suite, publish):
    first = start(suite, "90102")
    click(suite, first, "refuse")
    refused = wait_state(suite, first["payment_id"], "refused")
    assert refused["state_label"] == "Paiement refusé"
    assert outbox(suite, first["payment_id"]) == ["payment_failed"]
    assert outbox(suite, first["payment_id"], states=True) == ["processing", "refused"]

    second = start(suite, "90102")
    assert second["payment_id"] != first["payment_id"]
    click(suite, second, "pay")
    wait_state(suite, second["payment_id"], "succeeded")
    with suite.rpc() as rpc:
        listed = rpc.payments.list_payments("sub_order", "90102")
    assert [(p["payment_id"], p["state"]) for p in listed] == \
        [(second["payment_id"], "succeeded"), (first["payment_id"], "refused")]

    # grouped_orders asks for the refund with an event
    publish("refund_requested", {"payment_id": second["payment_id"], "amount": "14.90",
                                 "reason": "Commande groupée annulée",
                                 "reference_kind": "sub_order", "reference_id": "90102"})
    view = wait_state(suite, second["payment_id"], "refunded")
    assert view["refunds"][0]["amount"] == "14.90"
    assert outbox(suite, second["payment_id"]) == ["payment_succeeded", "payment_refunded"]


def test_abandon_and_invalid_requests(suite):
    abandoned = start(suite, "90103", amount="6.40")
    click(suite, abandoned, "abandon")
    assert wait_state(suite, abandoned["payment_id"], "cancelled")["state_label"] == "Annulé"
    with suite.rpc() as rpc:
        for amount in ("0", "10000.01"):
            with pytest.raises(DomainError) as exc:
                rpc.payments.start_payment({
                    "reference_kind": "sub_order", "reference_id": "90104", "amount": amount,
                    "description": "x", "customer_email": "parent@example.org",
                    "return_url": RETURN_URL, "idempotency_key": f"k-{amount}"})
            assert exc.value.code == "invalid" and "10 000 €" in exc.value.message
        with pytest.raises(DomainError) as exc:
            rpc.payments.get_payment("pay_unknown")
        assert exc.value.code == "not_found"
