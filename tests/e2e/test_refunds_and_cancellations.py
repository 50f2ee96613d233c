"""Issue 8 §2 end to end: money is never kept without a reason, and Librisoft hears every
cancellation. A success that arrives after a refusal, or after the bookshop cancelled the
sub-order, is refunded once, mailed once, and shown on the admin's grouped order (API and page)
(the payment page of a sub-order the bookshop cancels is closed first: nothing can be paid on
it);
a buyer refunded after a cancellation is mailed; a grouped order and a collectivity order
cancelled after Librisoft picked them up are listed as cancellations in the bridge's pickup API,
and the admin sees that Librisoft was told, then that it applied it."""
import json
import os
import time
import uuid
from datetime import datetime, timezone
from urllib.parse import urlsplit

import requests

from services.payments.adapters import signatures
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session
from tests.support.suite import wait_until

WESTERN = "9791097284657"
CEMETERY = "9782330150136"
SECRET = os.environ.get("SANDBOX_WEBHOOK_SECRET") or "sandbox-dev-secret"
SLOW = 60  # six helpers share two cores


def start_payment(suite, token, sub):
    r = requests.post(f"{suite.gateway_url}/api/v1/public/grouped-orders/{token}/subscriptions/"
                      f"{sub['buyer_token']}/payments", json={})
    assert r.status_code == 201, r.text
    return r.json()["redirect_url"]


def click(checkout, action):
    answer = requests.post(checkout, data={"action": action}, allow_redirects=False)
    assert answer.status_code == 303, answer.text


def signed_success(suite, checkout, amount):
    """The provider's success notification, signed with the sandbox's secret, a new event id."""
    body = json.dumps({"event_id": "evt_" + uuid.uuid4().hex, "type": "payment.succeeded",
                       "checkout_id": urlsplit(checkout).path.rsplit("/", 1)[1],
                       "amount": amount,
                       "occurred_at": datetime.now(timezone.utc).isoformat()}).encode()
    headers = {"Content-Type": "application/json",
               signatures.HEADER: signatures.header_value(SECRET, int(time.time()), body)}
    r = requests.post(f"http://127.0.0.1:{suite.payments_port}/payments/v1/callbacks/sandbox",
                      data=body, headers=headers, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def payments_of(suite, sub):
    with suite.rpc() as rpc:
        return rpc.payments.list_payments("sub_order", str(sub["number"]))


def admin_sub(admin, suite, n, sub):
    view = admin.get(f"{suite.gateway_url}/api/v1/admin/grouped-orders/{n}").json()
    return next(s for s in view["sub_orders"] if s["number"] == sub["number"])


def auto_refunded(admin, suite, n, sub):
    refunds = admin_sub(admin, suite, n, sub)["automatic_refunds"]
    return refunds if refunds and refunds[0]["state"] == "refunded" else None


def test_a_success_after_a_refusal_or_a_cancellation_is_refunded_told_and_shown(
        suite, people, demo_feeds, smtp):
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    go, token = grouped.create(teacher, suite, "16", WESTERN)
    n = go["number"]
    refused = grouped.subscribe(suite, token, "Refus", "Tardif", 1)
    cancelled = grouped.subscribe(suite, token, "Annule", "Tardif", 2)

    # 1. refused, then the bank captures after all (the sandbox's late capture)
    checkout = start_payment(suite, token, refused)
    click(checkout, "refuse")
    wait_until(lambda: grouped.buyer_status(suite, token, refused)["last_payment_state"] ==
               "refused", timeout=SLOW, message="the refusal")
    click(checkout, "late_pay")
    (auto,) = wait_until(lambda: auto_refunded(admin, suite, n, refused), timeout=SLOW,
                         message="the automatic refund after a refusal")
    assert auto["label"] == "Remboursé automatiquement : paiement reçu après un refus"
    assert auto["amount"] == "14.90"
    assert admin_sub(admin, suite, n, refused)["status"] == "awaiting_payment"  # not paid
    # the same success notified again, by a signed callback: nothing more
    assert signed_success(suite, checkout, "14.90")["status"] == "ignored"

    # 1b. refused, then a success callback signed with the sandbox's secret (the test)
    signed = grouped.subscribe(suite, token, "Signe", "Tardif", 1)
    checkout = start_payment(suite, token, signed)
    click(checkout, "refuse")
    wait_until(lambda: grouped.buyer_status(suite, token, signed)["last_payment_state"] ==
               "refused", timeout=SLOW, message="the refusal")
    assert signed_success(suite, checkout, "14.90")["status"] == "refunded"  # not "ignored"
    (auto,) = wait_until(lambda: auto_refunded(admin, suite, n, signed), timeout=SLOW,
                         message="the automatic refund after a signed late success")
    assert auto["label"] == "Remboursé automatiquement : paiement reçu après un refus"

    # 2. the bookshop cancels the sub-order while its buyer is on the payment page: the page
    # is closed (nothing can be paid on it), the payment cancelled
    checkout = start_payment(suite, token, cancelled)
    r = admin.post(f"{suite.gateway_url}/api/v1/admin/sub-orders/{cancelled['number']}/"
                   "cancellation", json={"reason": "Doublon"})
    assert r.status_code == 200, r.text
    wait_until(lambda: "la commande a été annulée par le marchand" in requests.get(
        checkout).text.replace("&#39;", "'"), timeout=SLOW, message="the payment page closed")
    click(checkout, "pay")  # back to the shop, nothing paid
    (closed,) = payments_of(suite, cancelled)
    assert closed["state"] == "cancelled" and not closed["refunds"]
    # a provider that captured anyway (its signed success after the close): refunded at once
    assert signed_success(suite, checkout, "29.80")["status"] == "refunded"
    (auto,) = wait_until(lambda: auto_refunded(admin, suite, n, cancelled), timeout=SLOW,
                         message="the automatic refund after a cancellation")
    assert auto["label"] == "Remboursé automatiquement : paiement reçu après annulation"
    assert auto["amount"] == "29.80"
    assert signed_success(suite, checkout, "29.80")["status"] in ("ignored", "duplicate")

    # one refund each, one mail each, and the admin's page says why
    for sub, amount in ((refused, "14,90"), (signed, "14,90"), (cancelled, "29,80")):
        (payment,) = [p for p in payments_of(suite, sub) if p["refunds"]]
        assert payment["state"] == "refunded" and len(payment["refunds"]) == 1
        (mail,) = smtp.wait_for(sub["email"], subject_contains="Remboursement de",
                                timeout=SLOW)
        assert amount in mail["Subject"] and "remboursé automatiquement" in mail.get_content()
        # the buyer's own lines, not the grouped order's titles; they add up to the amount
        copies = 2 if sub is cancelled else 1
        assert (f"- {copies} × « WESTERN COQUILLETTES » (14,90\xa0€ l'exemplaire) : "
                f"{amount}\xa0€") in mail.get_content()
        assert f"Total de votre commande : {amount}\xa0€ TTC" in mail.get_content()
        # and their own page (the payment's result page) says it, how much, when
        own = requests.get(f"{suite.gateway_url}/souscription/{token}/commande/"
                           f"{sub['buyer_token']}").text
        assert '<h2 id="refunds-title">Remboursements</h2>' in own
        assert f"{amount}\xa0€ vous ont été remboursés le " in own
        assert "il vous a été remboursé automatiquement le " in own.replace("&#39;", "'")
    page = admin.get(f"{suite.gateway_url}/admin/commandes-groupees/{n}")
    assert page.status_code == 200
    assert "Remboursé automatiquement : paiement reçu après un refus" in page.text
    assert "Remboursé automatiquement : paiement reçu après annulation" in page.text
    time.sleep(2)  # anything late would show now
    for sub in (refused, signed, cancelled):
        assert len([m for m in smtp.to(sub["email"])
                    if "Remboursement de" in m["Subject"]]) == 1
        assert len([p for p in payments_of(suite, sub) if p["refunds"]]) == 1


def test_a_buyer_refunded_after_a_cancellation_is_told(suite, people, demo_feeds, smtp):
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    go, token = grouped.create(teacher, suite, "16", WESTERN)
    paid = grouped.subscribe(suite, token, "Paye", "Rembourse", 1)
    grouped.pay(suite, token, paid)
    r = admin.post(f"{suite.gateway_url}/api/v1/admin/sub-orders/{paid['number']}/"
                   "cancellation", json={"reason": "Titre épuisé chez l'éditeur"})
    assert r.status_code == 200, r.text
    (mail,) = smtp.wait_for(paid["email"], subject_contains="Remboursement de 14,90",
                            timeout=SLOW)
    body = mail.get_content()
    assert "vous a été remboursé le" in body
    assert "Motif de l'annulation : Titre épuisé chez l'éditeur" in body
    assert "- 1 × « WESTERN COQUILLETTES » (14,90\xa0€ l'exemplaire) : 14,90\xa0€" in body
    assert "Montant remboursé : 14,90\xa0€" in body
    sub = admin_sub(admin, suite, go["number"], paid)
    assert sub["refund_state"] == "refunded" and sub["refunded_at"]
    own = requests.get(f"{suite.gateway_url}/souscription/{token}/commande/"
                       f"{paid['buyer_token']}").text
    assert "Annulée et remboursée" in own and "Remboursements" in own
    assert "14,90\xa0€ vous ont été remboursés le " in own


def cancellations(suite, key):
    return grouped.librisoft_orders(suite, key, status="cancelled")


def test_cancelled_picked_up_orders_reach_librisoft_and_the_admin_sees_it(
        suite, people, demo_feeds):
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    key = {"X-Api-Key": demo_feeds}
    orders_url = f"{suite.bridge_url}/librisoft/v1/orders"

    # a grouped order, validated, picked up by Librisoft, then cancelled
    go, token = grouped.create(teacher, suite, "16", WESTERN)
    n = go["number"]
    grouped.pay(suite, token, grouped.subscribe(suite, token, "Lina", "Valide", 1))
    grouped.pass_deadline(suite, n)
    url = f"{suite.gateway_url}/api/v1/admin/grouped-orders/{n}"
    wait_until(lambda: admin.get(url).json()["status"] == "awaiting_validation", timeout=SLOW,
               message="the deadline timer")
    assert admin.post(url + "/validation", json={}).status_code == 200
    (classic,) = wait_until(lambda: [o for o in grouped.librisoft_orders(suite, demo_feeds)
                                     if o["source_kind"] == "grouped_order"
                                     and o["source_number"] == n], timeout=SLOW,
                            message="the classic order")
    assert requests.post(f"{orders_url}/{classic['number']}/ack", headers=key).status_code == 200
    r = admin.post(url + "/cancellation", json={"reason": "Titre épuisé"})
    assert r.status_code == 200, r.text

    # a collectivity order, picked up, then cancelled by the bookshop
    coll = teacher
    bid = coll.post(f"{suite.gateway_url}/api/v1/baskets", json={"name": "Annulée"}).json()["id"]
    assert coll.post(f"{suite.gateway_url}/api/v1/baskets/{bid}/lines",
                     json={"ean": CEMETERY, "quantity": 2}).status_code == 201
    r = coll.post(f"{suite.gateway_url}/api/v1/baskets/{bid}/transformation",
                  json={"kind": "order", "reference": "ANNUL-1"})
    assert r.status_code == 200, r.text
    c = r.json()["number"]
    (placed,) = wait_until(lambda: [o for o in grouped.librisoft_orders(suite, demo_feeds)
                                    if o["source_kind"] == "collectivity_order"
                                    and o["source_number"] == c], timeout=SLOW,
                           message="the collectivity order's classic order")
    assert requests.post(f"{orders_url}/{placed['number']}/ack", headers=key).status_code == 200
    doc_url = f"{suite.gateway_url}/api/v1/admin/orders/{c}"
    wait_until(lambda: admin.get(doc_url).json()["picked_up"], timeout=SLOW,
               message="the pickup in baskets")
    r = admin.post(doc_url + "/cancelled", json={"reason": "Budget refusé"})
    assert r.status_code == 200, r.text

    # both wait among the cancellations Librisoft must apply, flagged
    listed = wait_until(lambda: (lambda found: found if len(found) == 2 else None)(
        {o["source_kind"]: o for o in cancellations(suite, demo_feeds)
         if (o["source_kind"], o["source_number"]) in (("grouped_order", n),
                                                        ("collectivity_order", c))}),
        timeout=SLOW, message="both cancellations in the pickup API")
    assert listed["grouped_order"]["cancel_reason"] == "Titre épuisé"
    assert listed["collectivity_order"]["cancel_reason"] == "Budget refusé"
    assert all(o["cancelled"] and not o["cancellation_acknowledged"] for o in listed.values())

    # the admin sees that Librisoft was told
    told = wait_until(lambda: admin.get(url).json()["librisoft_cancel_told_at"], timeout=SLOW,
                      message="Librisoft told, on the grouped order")
    assert told and admin.get(url).json()["librisoft_cancel_done_at"] is None
    assert "Annulée — LIBRISOFT prévenu le" in \
        admin.get(f"{suite.gateway_url}/admin/commandes-groupees/{n}").text
    wait_until(lambda: admin.get(doc_url).json()["librisoft_cancel_told_at"], timeout=SLOW,
               message="Librisoft told, on the collectivity order")
    assert "Annulée — LIBRISOFT prévenu le" in \
        admin.get(f"{suite.gateway_url}/admin/commandes-collectivite/{c}").text

    # Librisoft applies both; the admin sees it
    for order in listed.values():
        r = requests.post(f"{orders_url}/{order['number']}/cancellation/ack", headers=key)
        assert r.status_code == 200 and r.json()["cancellation_acknowledged"], r.text
    assert not [o for o in cancellations(suite, demo_feeds)
                if o["number"] in {x["number"] for x in listed.values()}]
    wait_until(lambda: admin.get(url).json()["librisoft_cancel_done_at"], timeout=SLOW,
               message="the acknowledgement on the grouped order")
    wait_until(lambda: admin.get(doc_url).json()["librisoft_cancel_done_at"], timeout=SLOW,
               message="the acknowledgement on the collectivity order")
    assert "annulation prise en compte par LIBRISOFT" in \
        admin.get(f"{suite.gateway_url}/admin/commandes-groupees/{n}").text
    assert "annulation prise en compte par LIBRISOFT" in \
        admin.get(f"{suite.gateway_url}/admin/commandes-collectivite/{c}").text


def test_paid_in_cash_then_online_too_the_desk_still_says_paid_in_cash(suite, people,
                                                                       demo_feeds):
    """The clerk recorded cash while the parent's online payment was open; the parent then paid
    online too. That payment is refunded automatically, and the order desk said the sub-order
    « Annulé · En ligne » (out of « Paiement confirmé »): it stays paid, in cash."""
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    go, token = grouped.create(teacher, suite, "16", WESTERN, days=3)
    n = go["number"]
    sub = grouped.subscribe(suite, token, "Cassandre", "Deuxpaiements", 1)
    checkout = start_payment(suite, token, sub)
    assert admin_sub(admin, suite, n, sub)["online_payment_open"] is True  # the clerk is warned
    r = admin.post(f"{suite.gateway_url}/api/v1/admin/sub-orders/{sub['number']}/manual-payment",
                   json={"method": "cash", "cheque_number": ""})
    assert r.status_code == 200, r.text
    click(checkout, "pay")
    wait_until(lambda: auto_refunded(admin, suite, n, sub), timeout=SLOW,
               message="the second payment refunded")
    assert admin_sub(admin, suite, n, sub)["status"] == "paid"

    def desk():
        with suite.rpc() as rpc:
            order = rpc.order_desk.get_order("sub_order", sub["number"])
        return order if order.get("payment_method") == "cash" else None
    order = wait_until(desk, timeout=SLOW, message="the desk's payment column")
    time.sleep(2)  # the refund's own events have had their time
    with suite.rpc() as rpc:
        order = rpc.order_desk.get_order("sub_order", sub["number"])
    assert (order["payment_state"], order["payment_label"], order["payment_method"]) == (
        "succeeded", "Paiement confirmé", "cash")
