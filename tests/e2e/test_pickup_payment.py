"""Paying at pickup (issue 10 K5, reference 004) through the real gateway on PostgreSQL: the
bookshop allows « payer au retrait » for a grouped order, a parent picks it on the public page
(no online payment: the result page and the mail say how much, where, and that the books are
reserved), the grouped order is validated with that sub-order unpaid (the classic order for
Librisoft counts its copies, « payés » does not), made available, and on distribution day the
parent pays in cash on the phone page (payments records it once: the second tap is a 409); the
other parent paying at pickup does not come and the confirmation lists the money not
collected."""
import html
import re
import uuid

import requests

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session, csrf_token
from tests.e2e.test_cheque_payments import WESTERN, sub_of
from tests.e2e.test_once import at_once, outbox, settled
from tests.e2e.test_order_documents import pdf
from tests.support.suite import wait_until


def allow_pickup(suite, admin, number):
    """The bookshop ticks « Payer au retrait des livres » on the grouped order's admin page."""
    detail = f"{suite.gateway_url}/admin/commandes-groupees/{number}"
    r = admin.post(f"{detail}/moyens-de-paiement", data={
        "csrf_token": csrf_token(admin, detail), "pickup": "1"}, allow_redirects=False)
    assert r.status_code == 302, r.text


def subscribe_at_pickup(suite, token, first, last):
    """The public page's form, as a parent's browser sends it."""
    buyer = requests.Session()
    page = buyer.get(f"{suite.gateway_url}/souscription/{token}")
    assert "Payer au retrait des livres (chèque ou espèces)" in html.unescape(page.text)
    r = buyer.post(f"{suite.gateway_url}/souscription/{token}", data={
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1),
        "first_name": first, "last_name": last, "email": f"{first}.{last}@free.fr".lower(),
        "quantity": "1", "accepted_terms": "1", "payment_method": "pickup"},
        allow_redirects=False)
    assert r.status_code == 303, r.text
    assert f"/souscription/{token}/commande/" in r.headers["Location"]  # not the provider's
    return html.unescape(buyer.get(r.headers["Location"]).text)


def test_paying_at_pickup_from_the_choice_to_the_distribution(suite, people, demo_feeds, smtp):
    run = uuid.uuid4().hex[:6]
    teacher = api_session(suite, people["other"]["email"], PASSWORD)
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    go, token = grouped.create(teacher, suite, "21", WESTERN)
    n = go["number"]
    detail = f"{suite.gateway_url}/admin/commandes-groupees/{n}"
    allow_pickup(suite, admin, n)

    result = subscribe_at_pickup(suite, token, "Paul", f"Roux{run}")
    assert "Réservée : à payer au retrait" in result and "vos livres sont réservés" in result
    assert "Payer au retrait des livres" in result and "14,90" in result
    subscribe_at_pickup(suite, token, "Pia", f"Roux{run}")
    alice = grouped.subscribe(suite, token, "Alice", f"Roux{run}", 2)
    grouped.pay(suite, token, alice)
    (mail,) = settled(suite, smtp, f"paul.roux{run}@free.fr", "à payer au retrait")
    body = mail.get_content()
    assert "vos livres sont réservés" in body and "14,90" in body and "Jonquilles" in body
    paul, _ = sub_of(suite, admin, n, f"Roux{run}")  # the first of that name: Paul
    assert paul["first_name"] == "Paul" and paul["at_pickup"]

    # a bad method: a French 400, nothing made
    bad = requests.post(f"{suite.gateway_url}/api/v1/public/grouped-orders/{token}/"
                        "subscriptions", json={"first_name": "X", "last_name": f"Y{run}",
                                               "email": "x@free.fr", "quantity": 1,
                                               "accepted_terms": True,
                                               "payment_method": "bitcoin"})
    assert bad.status_code == 400

    # validated with both unpaid: the classic order has their copies, « payés » does not
    grouped.pass_deadline(suite, n)
    api = f"{suite.gateway_url}/api/v1/admin/grouped-orders/{n}"
    r = admin.post(f"{api}/validation", json={})
    assert r.status_code == 200 and r.json()["status"] == "processing", r.text
    (order,) = wait_until(lambda: [o for o in grouped.librisoft_orders(suite, demo_feeds)
                                   if o["source_kind"] == "grouped_order"
                                   and o["source_number"] == n], message="the classic order")
    assert [(x["quantity"], order["total_ttc"]) for x in order["lines"]] == [(4, "59.60")]
    page = html.unescape(admin.get(detail).text)
    assert "À encaisser au retrait" in page and "29,80" in page
    view = admin.get(api).json()
    assert (view["summary"]["articles"]["paid"], view["summary"]["total_paid"]) == (2, "29.80")
    # the grouped order's own PDF (the bookshop's, the initiator's): the copies to be paid at
    # pickup, ordered all the same, under their own heading; paid + at pickup = ordered
    for who, path in ((admin, f"/admin/commandes/commande-groupee/{n}/pdf"),
                      (teacher, f"/mes-commandes/commande-groupee/{n}/pdf")):
        text = pdf(who, suite.gateway_url + path)
        assert "Payés (en ligne ou à la librairie)" in text
        assert "À payer au retrait des livres (commandés, pas encore payés)" in text
        assert re.search(r"WESTERN COQUILLETTES — ORSO\s+2\s+5,5 %\s+14,90 €\s+28,25 €\s+"
                         r"1,55 €\s+29,80 €", text), text
        assert "Total TTC payé : 29,80 €" in text
        assert "À payer au retrait : 29,80 € TTC (HT 28,25 €, TVA 1,55 €)" in text
        assert "Total commandé TTC : 59,60 €" in text
    r = admin.post(f"{api}/availability", json={})
    assert r.status_code == 200, r.text

    # distribution day: « À payer : 14,90 € », paid in cash once
    url = f"{suite.gateway_url}/distribution/{n}"
    page = html.unescape(teacher.get(url).text)
    assert page.count("À payer : 14,90") == 2
    csrf = csrf_token(teacher, url)

    # a bad cheque number: a French 400, nothing recorded
    wrong = teacher.post(f"{url}/paiement", data={
        "csrf_token": csrf, "sub": str(paul["number"]), "method": "cheque",
        "cheque_number": "12AB", "idempotency_key": uuid.uuid4().hex})
    assert wrong.status_code == 400 and "7 chiffres" in html.unescape(wrong.text)
    # two taps at once (two phones, or a double tap): one payment, one event, the other a 409
    cookies = teacher.cookies.get_dict()
    taps = at_once(lambda i: requests.post(f"{url}/paiement", cookies=cookies, data={
        "csrf_token": csrf, "sub": str(paul["number"]), "method": "cash", "cheque_number": "",
        "idempotency_key": uuid.uuid4().hex}, allow_redirects=False), times=2)
    assert sorted(t.status_code for t in taps) == [302, 409], [t.text[:300] for t in taps]
    refused = next(t for t in taps if t.status_code == 409)
    assert "déjà" in html.unescape(refused.text)
    with suite.rpc() as rpc:
        (payment,) = rpc.payments.list_payments("sub_order", str(paul["number"]))
    assert (payment["method"], payment["amount"], payment["state"]) == (
        "cash", "14.90", "succeeded")
    assert len(outbox(suite, "grouped_orders", "sub_order_paid",
                      sub_order_number=paul["number"])) == 1
    page = html.unescape(teacher.get(url).text)
    assert "A payé (espèces)" in page and page.count("À payer : 14,90") == 1

    # Paul came; Pia did not: the confirmation says what was not collected, Pia stays unpaid
    r = teacher.post(f"{url}/coche", data={
        "csrf_token": csrf, "sub": str(paul["number"]), "field": "venu", "value": "1",
        "idempotency_key": uuid.uuid4().hex}, allow_redirects=False)
    assert r.status_code == 302
    confirm = html.unescape(teacher.post(f"{url}/valider", data={"csrf_token": csrf}).text)
    assert f"Absents qui devaient payer au retrait : Pia Roux{run} (14,90" in confirm
    assert "Non encaissé : 14,90" in confirm
    view = admin.get(api).json()
    assert view["summary"]["at_pickup"] == {"sub_orders": 1, "articles": 1, "total": "14.90"}
    assert view["summary"]["total_paid"] == "44.70"
