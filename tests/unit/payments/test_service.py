"""The service's entrypoints called directly (RPC, the sandbox's page, the callback endpoint,
the refund_requested consumer) on a real SQLite database and outbox, without nameko's container
or a broker. The sandbox's HTTP callback is routed straight into the endpoint."""
import json
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from werkzeug.test import EnvironBuilder

from services.common.contracts.events import make_envelope
from services.common.errors import DomainError
from services.common.nameko_glue import StoreHandle
from services.payments.adapters import sandbox, sandbox_notify
from services.payments.adapters.handle import ProviderHandle
from services.payments.service import PaymentsService

from .conftest import SETTINGS, checkout_id, notification, notifications, signed, start_data


def store_over(db):
    """The service's own StoreHandle (run, run_retry_on_conflict, record in the outbox) over
    the test's database, without nameko's container."""
    return StoreHandle(SimpleNamespace(database=db,
                                       container=SimpleNamespace(service_name="payments")))


@pytest.fixture
def spawned():
    return []


@pytest.fixture
def service(db, record, spawned):
    instance = PaymentsService()
    instance.store = store_over(db)
    instance.payment_provider = ProviderHandle(sandbox.SandboxProvider(SETTINGS), SETTINGS,
                                               spawned.append)
    return instance


def request(method, path, body=b"", headers=None, content_type="application/json", form=None):
    return EnvironBuilder(path=path, method=method, data=form if form is not None else body,
                          headers=headers or {},
                          content_type=None if form is not None else content_type).get_request()


def answer(response):
    return response.status_code, json.loads(response.get_data())


class Loopback:
    """`requests` as the sandbox uses it, answered by the service's own callback endpoint."""

    def __init__(self, service, fail=0):
        self.service, self.fail, self.calls = service, fail, 0

    def post(self, url, data, headers, timeout):
        self.calls += 1
        assert url == SETTINGS.callback_url and timeout
        if self.calls <= self.fail:
            raise ConnectionError("refused")
        response = self.service.sandbox_callback(request("POST", "/payments/v1/callbacks/sandbox",
                                                          data, headers))
        response.text = response.get_data(as_text=True)
        return response


def post_callback(service, body, headers):
    return answer(service.sandbox_callback(
        request("POST", "/payments/v1/callbacks/sandbox", body, headers)))


def now_utc():
    return datetime.now(timezone.utc)


def pay(service, db, started):
    """The buyer clicks Payer; the sandbox's notification reaches the endpoint."""
    chk = checkout_id(started)
    service.sandbox_checkout_submit(request("POST", "/", form={"action": "pay"}), chk)
    assert sandbox_notify.deliver_due(db, SETTINGS, now_utc() + timedelta(minutes=1),
                                      http=Loopback(service)) == 1


def test_the_hosted_page_is_french_accessible_and_shows_the_payment(service):
    started = service.start_payment(start_data())
    chk = checkout_id(started)
    response = service.sandbox_checkout_page(request("GET", f"/sandbox/checkout/{chk}"), chk)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert '<html lang="fr">' in html and 'name="viewport"' in html
    assert "Librairie du Parc" in html and "Commande groupée n° 65 — Le livre × 1" in html
    assert "14,90\xa0€" in html
    for value, label in (("pay", "Payer"), ("refuse", "Refuser"), ("abandon", "Abandonner"),
                         ("error", "erreur technique")):
        assert f'value="{value}"' in html and label in html
    assert '<label for="card">' in html and 'id="card"' in html
    assert response.headers["Cache-Control"] == "no-store"
    missing = service.sandbox_checkout_page(request("GET", "/sandbox/checkout/x"), "x")
    assert missing.status_code == 404 and "introuvable" in missing.get_data(as_text=True)


def test_the_page_escapes_what_it_shows(service):
    started = service.start_payment(start_data(description="<script>alert(1)</script>"))
    chk = checkout_id(started)
    html = service.sandbox_checkout_page(request("GET", "/"), chk).get_data(as_text=True)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_payer_redirects_the_buyer_then_the_callback_confirms(service, db, record, spawned):
    started = service.start_payment(start_data())
    chk = checkout_id(started)
    response = service.sandbox_checkout_submit(
        request("POST", f"/sandbox/checkout/{chk}", form={"action": "pay"}), chk)
    assert response.status_code == 303
    assert response.headers["Location"] == \
        f"http://127.0.0.1:9/retour?payment={started['payment_id']}"
    assert service.get_payment(started["payment_id"])["state"] == "processing"
    (deliver,) = spawned
    ((notification_id, body),) = notifications(db)
    assert set(json.loads(body)) == {"event_id", "type", "checkout_id", "amount", "occurred_at"}
    loop = Loopback(service)
    assert sandbox_notify.deliver(db, SETTINGS, notification_id, http=loop)
    assert service.get_payment(started["payment_id"])["state"] == "succeeded"
    assert record.types() == ["payment_succeeded"]
    assert sandbox_notify.pending(db) == []
    # a second click queues nothing and sends the buyer back again
    again = service.sandbox_checkout_submit(
        request("POST", f"/sandbox/checkout/{chk}", form={"action": "refuse"}), chk)
    assert again.status_code == 303 and len(notifications(db)) == 1
    done = service.sandbox_checkout_page(request("GET", "/"), chk).get_data(as_text=True)
    assert "déjà été effectué" in done and started["payment_id"] in done


def test_the_spawned_sender_is_what_the_dependency_runs(service, db, spawned, monkeypatch):
    started = service.start_payment(start_data())
    chk = checkout_id(started)
    service.sandbox_checkout_submit(request("POST", "/", form={"action": "abandon"}), chk)
    (job,) = spawned
    monkeypatch.setattr(sandbox_notify, "requests", Loopback(service))
    job()
    assert service.get_payment(started["payment_id"])["state"] == "cancelled"


def test_an_unknown_action_or_checkout_on_the_page(service):
    started = service.start_payment(start_data())
    chk = checkout_id(started)
    bad = service.sandbox_checkout_submit(request("POST", "/", form={"action": "steal"}), chk)
    assert bad.status_code == 400
    gone = service.sandbox_checkout_submit(request("POST", "/", form={"action": "pay"}), "chk_x")
    assert gone.status_code == 404
    huge = service.sandbox_checkout_submit(request("POST", "/", form={"action": "pay",
                                                                      "card": "9" * 40000}), chk)
    assert huge.status_code == 413
    assert service.get_payment(started["payment_id"])["state"] == "processing"


def test_delivery_retries_then_the_timer_takes_over(service, db):
    chk = checkout_id(service.start_payment(start_data()))
    service.sandbox_checkout_submit(request("POST", "/", form={"action": "refuse"}), chk)
    ((notification_id, _),) = notifications(db)
    flaky = Loopback(service, fail=2)
    assert sandbox_notify.deliver(db, SETTINGS, notification_id, wait_base=0, http=flaky)
    assert flaky.calls == 3

    chk = checkout_id(service.start_payment(start_data(idempotency_key="k2")))
    service.sandbox_checkout_submit(request("POST", "/", form={"action": "pay"}), chk)
    notification_id = notifications(db)[-1][0]
    down = Loopback(service, fail=99)
    assert not sandbox_notify.deliver(db, SETTINGS, notification_id, wait_base=0, http=down)
    (left,) = sandbox_notify.pending(db)
    assert left["attempts"] == 3
    assert sandbox_notify.deliver_due(db, SETTINGS, now_utc(), http=Loopback(service)) == 0
    later = now_utc() + timedelta(hours=1)
    assert sandbox_notify.deliver_due(db, SETTINGS, later, http=Loopback(service)) == 1
    assert sandbox_notify.pending(db) == []


def test_the_callback_endpoint_checks_signatures(service, db):
    started = service.start_payment(start_data())
    chk = checkout_id(started)
    body = notification("evt_a", "payment.succeeded", chk)
    now = now_utc()
    cases = {
        "missing": {},
        "forged": signed(body, now, secret="not-the-secret"),
        "stale": signed(body, now - timedelta(minutes=6)),
        "future": signed(body, now + timedelta(minutes=6)),
    }
    for name, headers in cases.items():
        status, answer_ = post_callback(service, body, headers)
        assert status == 400, name
        assert answer_["error"].endswith("_signature") and answer_["message"], name
    tampered = body.replace(b"14.90", b"0.01")
    assert post_callback(service, tampered, signed(body, now))[0] == 400
    assert service.get_payment(started["payment_id"])["state"] == "processing"
    status, ok = post_callback(service, body, signed(body, now))
    assert (status, ok["status"], ok["state"]) == (200, "applied", "succeeded")
    # the very same request replayed: 200 duplicate, nothing changes
    assert post_callback(service, body, signed(body, now)) == (200, {"status": "duplicate"})
    late = notification("evt_b", "payment.refused", chk)
    status, ignored = post_callback(service, late, signed(late, now))
    assert (status, ignored["status"], ignored["state"]) == (200, "ignored", "succeeded")


@pytest.mark.parametrize("body", [b"", b"\xff\xfe", b"[]", b"{", b"[" * 50000, b'{"a": 1}',
                                  b'{"event_id":"e","type":"payment.succeeded","checkout_id":'
                                  b'"c","amount":"1e999999","occurred_at":"2027"}'])
def test_bad_input_is_a_400_never_a_500(service, body):
    status, answer_ = post_callback(service, body, signed(body, now_utc()))
    assert status == 400 and answer_["message"]


def test_unknown_checkout_is_404_and_huge_bodies_413(service):
    body = notification("evt_x", "payment.succeeded", "chk_unknown")
    status, answer_ = post_callback(service, body, signed(body, now_utc()))
    assert status == 404 and answer_["error"] == "not_found"
    huge = b"{" + b" " * (70 * 1024) + b"}"
    assert post_callback(service, huge, signed(huge, now_utc()))[0] == 413
    status, answer_ = answer(service.unknown_route(request("GET", "/payments/v1/x"), "x"))
    assert status == 404 and "Route inconnue" in answer_["message"]


def test_rpc_start_get_list_refund(service, db, record):
    with pytest.raises(DomainError) as exc:
        service.start_payment(start_data(amount="10000.01"))
    assert exc.value.code == "invalid"
    started = service.start_payment(start_data())
    assert service.start_payment(start_data()) == started
    pay(service, db, started)
    assert [p["payment_id"] for p in service.list_payments("sub_order", "154")] == \
        [started["payment_id"]]
    refunded = service.refund(started["payment_id"], "Sous-commande annulée")
    assert refunded["state"] == "refunded" and refunded["refunds"][0]["amount"] == "14.90"
    assert service.refund(started["payment_id"]) == refunded
    assert record.types() == ["payment_succeeded", "payment_refunded"]


def test_rpc_payouts_list_get_export_mark_paid(service, db, record):
    """Issue 9: the payout RPCs, over the service's own entrypoints."""
    started = service.start_payment(start_data())
    pay(service, db, started)
    (payout,) = service.list_payouts(1)
    assert (payout["transactions"], payout["gross"], payout["fees"], payout["net"]) == (
        1, "14.90", "0.68", "14.22")
    assert service.get_payout(payout["payout_id"]) == payout
    assert service.list_payouts(1, "paid") == []
    assert "14,22" in service.export_payouts_csv().splitlines()[-1]
    done = service.mark_payout_paid(payout["payout_id"], "virement-1")
    assert done["status"] == "paid"
    assert service.mark_payout_paid(payout["payout_id"], "virement-1") == done
    with pytest.raises(DomainError) as exc:
        service.mark_payout_paid(payout["payout_id"], "virement-2")
    assert exc.value.code == "conflict"


def test_refund_requested_is_consumed_once(service, db, record):
    started = service.start_payment(start_data())
    pay(service, db, started)
    envelope = make_envelope("refund_requested", {
        "payment_id": started["payment_id"], "amount": "14.90", "reason": "Annulée",
        "reference_kind": "sub_order", "reference_id": "154"}, "grouped_orders")
    assert service.on_refund_requested(envelope) == "processed"
    assert service.on_refund_requested(envelope) == "duplicate"
    again = dict(envelope, event_id="another-event-id")
    assert service.on_refund_requested(again) == "processed"  # already refunded: nothing
    view = service.get_payment(started["payment_id"])
    assert view["state"] == "refunded" and len(view["refunds"]) == 1
    assert record.types() == ["payment_succeeded", "payment_refunded"]


def test_settings_come_from_the_environment(monkeypatch):
    for name in ("PAYMENTS_PUBLIC_URL", "SANDBOX_WEBHOOK_SECRET", "SANDBOX_CALLBACK_URL",
                 "SANDBOX_MERCHANT_NAME"):
        monkeypatch.delenv(name, raising=False)
    default = sandbox.settings_from_env()
    assert default.public_url == "http://127.0.0.1:8102"
    assert default.callback_url == "http://127.0.0.1:8102/payments/v1/callbacks/sandbox"
    assert default.secret == "sandbox-dev-secret"
    local = sandbox.settings_from_env("0.0.0.0:8555")
    assert local.public_url == "http://127.0.0.1:8555"
    assert local.callback_url == "http://127.0.0.1:8555/payments/v1/callbacks/sandbox"
    monkeypatch.setenv("PAYMENTS_PUBLIC_URL", "https://paiement.librairie.test/")
    monkeypatch.setenv("SANDBOX_WEBHOOK_SECRET", "s3cret")
    public = sandbox.settings_from_env("0.0.0.0:8102")
    assert public.public_url == "https://paiement.librairie.test" and public.secret == "s3cret"
    assert public.callback_url == "http://127.0.0.1:8102/payments/v1/callbacks/sandbox"


def test_the_spawned_sender_never_raises(db, spawned):
    handle = ProviderHandle(sandbox.SandboxProvider(SETTINGS), SETTINGS, spawned.append)
    db.dispose()
    handle.deliver_soon(None, 1)  # no database at all
    (job,) = spawned
    job()


def test_the_checkout_page_has_a_strict_csp_that_lets_the_buyer_go_back(service):
    import base64
    import hashlib
    import re
    started = service.start_payment(start_data(return_url="https://shop.test/souscription/x"))
    page = service.sandbox_checkout_page(request("GET", "/"), checkout_id(started))
    assert page.status_code == 200
    csp = dict(d.strip().split(" ", 1) for d in page.headers["Content-Security-Policy"].split(";"))
    assert csp["default-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
    assert "unsafe" not in page.headers["Content-Security-Policy"]
    # the form posts to the sandbox, then the buyer is redirected to the merchant's site
    assert csp["form-action"] == f"'self' {SETTINGS.public_url} https://shop.test"
    # the only style is the layout's own block, allowed by its hash; no script, no attribute
    html = page.get_data(as_text=True)
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(styles) == 1 and "<script" not in html and " style=" not in html
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert csp["style-src"] == f"'sha256-{digest}'"
    gone = service.sandbox_checkout_page(request("GET", "/"), "chk_x")
    assert "form-action 'self'" in gone.headers["Content-Security-Policy"]


def test_an_rpc_that_lost_a_race_on_a_unique_key_runs_once_more_then_gives_up(db):
    """`store.run_retry_on_conflict` (the payments RPCs): one IntegrityError (a twin committed
    the same key first) gets a second transaction; a second one is raised."""
    from sqlalchemy.exc import IntegrityError
    store, calls = store_over(db), []

    def twice_lost(session, fail):
        calls.append(session)
        if len(calls) <= fail:
            raise IntegrityError("INSERT", {}, Exception("duplicate key"))
        return "found"

    assert store.run_retry_on_conflict(twice_lost, 1) == "found" and len(calls) == 2
    calls.clear()
    with pytest.raises(IntegrityError):
        store.run_retry_on_conflict(twice_lost, 2)
    assert len(calls) == 2
