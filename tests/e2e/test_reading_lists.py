"""A reading list end to end through the gateway (issue 10): the initiator builds a list of 3
titles on the creation page (one optional), two buyers order different quantities (one on the
public page's form, one through the API), the figures per title on the initiator's and the
bookshop's pages and in the sign-in sheet's text, the validation, and the classic order
Librisoft picks up with one line per title; `sub_order_placed` in grouped_orders' outbox."""
import json
import re
from datetime import timedelta

import requests
from sqlalchemy import text

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session, csrf_token
from tests.support.pdf import pdf_text
from tests.support.suite import wait_until

WESTERN, LIVRE, CEMETERY = "9791097284657", "9782362210419", "9782330150136"


def plain(html):
    """The page's text, tags and spaces folded (babel's no-break spaces as spaces)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ") \
        .replace("\u202f", " ")


def test_a_three_title_reading_list_end_to_end(suite, people, demo_feeds, smtp):
    base = suite.gateway_url
    teacher = api_session(suite, people["other"]["email"], PASSWORD)  # COLLEGE VICTOR PROUVE
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)

    # the creation page: WESTERN, then LE LIVRE… and CEMETERY ROAD added from its search
    page = teacher.get(f"{base}/commandes-groupees/nouvelle/{WESTERN}?q=cemetery road").text
    add = re.search(r'href="([^"]+)">Ajouter<span class="visually-hidden"> CEMETERY ROAD',
                    page).group(1).replace("&amp;", "&")
    url = f"{base}{add}&titre={LIVRE}"
    page = teacher.get(url).text
    assert "Liste de lecture : 3 titres" in page
    deadline = (grouped.paris_today() + timedelta(days=5)).isoformat()
    r = teacher.post(url, data={
        "csrf_token": csrf_token(teacher, url), "step": "create",
        "titles": [WESTERN, CEMETERY, LIVRE], "optional": [CEMETERY], "deadline": deadline,
        "pickup": "address-0", "client_number": "21"}, allow_redirects=False)
    assert r.status_code == 302, r.text[:800]
    n = int(r.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    go = teacher.get(f"{base}/api/v1/grouped-orders/{n}").json()
    assert [(t["ean"], t["price_ttc"], t["required"]) for t in go["titles"]] == [
        (WESTERN, "14.90", True), (CEMETERY, "25.00", False), (LIVRE, "6.40", True)]
    token = go["subscription_url"].rsplit("/", 1)[1]
    (created,) = smtp.wait_for(people["other"]["email"], subject_contains=f"n° {n} est créée")
    assert "Titres (3) :" in created.get_content() and "(facultatif)" in created.get_content()

    # Leto on the public page: 2 WESTERN, 1 CEMETERY, 1 LIVRE = 29.80 + 25.00 + 6.40 = 61.20
    buyer = requests.Session()
    public = f"{base}/souscription/{token}"
    form = buyer.get(public).text
    assert form.count('name="quantity"') == 3 and "facultatif" in form
    r = buyer.post(public, data={
        "csrf_token": csrf_token(buyer, public), "first_name": "Jared", "last_name": "Leto",
        "email": "jared.leto.lecture@free.fr", "ean": [WESTERN, CEMETERY, LIVRE],
        "quantity": ["2", "1", "1"], "accepted_terms": "1"}, allow_redirects=False)
    assert r.status_code == 303, r.text[:800]
    pay_page = requests.get(r.headers["Location"], allow_redirects=False)  # issue 11
    assert pay_page.status_code == 303, pay_page.text[:800]
    checkout = pay_page.headers["Location"]
    assert "61,20" in requests.get(checkout).text.replace(".", ",")
    paid = requests.post(checkout, data={"action": "pay"}, allow_redirects=False)
    assert paid.status_code == 303
    # Rourke through the API: 1 WESTERN, CEMETERY at 0 (optional), 3 LIVRE = 14.90 + 19.20
    rourke = requests.post(f"{base}/api/v1/public/grouped-orders/{token}/subscriptions", json={
        "first_name": "Mickey", "last_name": "Rourke", "email": "mickey@free.fr",
        "accepted_terms": True, "lines": [{"ean": WESTERN, "quantity": 1},
                                          {"ean": CEMETERY, "quantity": 0},
                                          {"ean": LIVRE, "quantity": 3}]})
    assert rourke.status_code == 201, rourke.text
    rourke = rourke.json()
    assert (rourke["total"], rourke["quantity"]) == ("34.10", 4)
    # a required title at 0 is refused, in French, and nothing is stored
    refused = requests.post(f"{base}/api/v1/public/grouped-orders/{token}/subscriptions", json={
        "first_name": "Cameron", "last_name": "Diaz", "email": "cameron@gmail.com",
        "accepted_terms": True, "lines": [{"ean": WESTERN, "quantity": 0},
                                          {"ean": LIVRE, "quantity": 1}]})
    assert refused.status_code == 400 and "titre obligatoire" in \
        refused.json()["details"][f"quantity_{WESTERN}"][0]

    wait_until(lambda: teacher.get(f"{base}/api/v1/grouped-orders/{n}").json()["summary"]
               ["sub_orders"]["paid"] == 1, message="Leto's payment")
    (confirmation,) = smtp.wait_for("jared.leto.lecture@free.fr", timeout=90,
                                    subject_contains="Confirmation de votre commande")
    body = confirmation.get_content().replace("\xa0", " ")
    assert "Total de la commande : 4 exemplaires — 61,20 € TTC" in body
    assert "CEMETERY ROAD (EAN 9782330150136)" in body

    view = teacher.get(f"{base}/api/v1/grouped-orders/{n}").json()
    assert view["summary"] == {
        "articles": {"cancelled": 0, "awaiting_payment": 4, "paid": 4},
        "sub_orders": {"cancelled": 0, "awaiting_payment": 1, "paid": 1},
        "total_awaiting": "34.10", "total_paid": "61.20",
        "at_pickup": {"sub_orders": 0, "articles": 0, "total": "0.00"},
        "ordered_articles": 4, "total_ordered": "61.20"}
    assert [(t["ean"], t["copies"]["paid"], t["copies"]["awaiting_payment"], t["total_paid"],
             t["total_awaiting"]) for t in view["by_title"]] == [
        (WESTERN, 2, 1, "29.80", "14.90"), (CEMETERY, 1, 0, "25.00", "0.00"),
        (LIVRE, 1, 3, "6.40", "19.20")]

    # the initiator's page and the bookshop's: the figures per title
    for session, path in ((teacher, f"/commandes-groupees/{n}"),
                          (admin, f"/admin/commandes-groupees/{n}")):
        shown = plain(session.get(base + path).text)
        assert "Titres (3)" in shown and "2 × WESTERN COQUILLETTES, 1 × CEMETERY ROAD, 1 × LE " \
            "LIVRE" in shown
        assert "CEMETERY ROAD (facultatif) EAN 9782330150136 25,00 € 0 0 1 0,00 € 25,00 €" \
            in shown, shown
        assert "WESTERN COQUILLETTES EAN 9791097284657 14,90 € 0 1 2 14,90 € 29,80 €" in shown
        assert "Ensemble des titres 0 4 4 34,10 € 61,20 €" in shown
    sheet = pdf_text(teacher.get(f"{base}/commandes-groupees/{n}/pdf").content, layout=True)
    flat = re.sub(r"\s+", " ", sheet).replace("\xa0", " ")
    assert "Titres" in sheet and "25,00 € TTC (facultatif) — CEMETERY ROAD" in flat
    assert "2 × WESTERN COQUILLETTES" in sheet and "3 × LE LIVRE" in sheet
    assert "CEMETERY ROAD : annulés 0 · en attente de paiement 0 · payés 1 · « Payés » 25,00 €" \
        in flat, flat
    assert "« Payées » 61,20 €" in flat

    # sub_order_placed, in the subscription's transaction, with the lines of at least 1 copy
    db = suite.db("grouped_orders")
    try:
        with db.transaction() as s:
            bodies = [row[0] for row in s.execute(text(
                "SELECT body FROM outbox WHERE event_type = 'sub_order_placed' ORDER BY id"))]
    finally:
        db.dispose()
    bodies = [json.loads(b) if isinstance(b, str) else b for b in bodies]
    mine = [b["payload"] for b in bodies if b["payload"]["grouped_order"]["number"] == n]
    assert [(m["buyer"]["last_name"], m["total_ttc"]) for m in mine] == [
        ("Leto", "61.20"), ("Rourke", "34.10")]
    assert [[(x["ean"], x["quantity"]) for x in m["lines"]] for m in mine] == [
        [(WESTERN, 2), (CEMETERY, 1), (LIVRE, 1)], [(WESTERN, 1), (LIVRE, 3)]]

    # Rourke pays by cheque at the bookshop; the subscriptions close; the validation
    assert admin.post(f"{base}/api/v1/admin/sub-orders/{rourke['number']}/validation",
                      json={}).status_code == 200
    grouped.pass_deadline(suite, n)
    wait_until(lambda: admin.get(f"{base}/api/v1/admin/grouped-orders/{n}").json()["status"] ==
               "awaiting_validation", message="the deadline timer")
    r = admin.post(f"{base}/api/v1/admin/grouped-orders/{n}/validation", json={})
    assert r.status_code == 200, r.text
    orders = wait_until(lambda: [o for o in grouped.librisoft_orders(suite, demo_feeds)
                                 if o["source_kind"] == "grouped_order"
                                 and o["source_number"] == n], message="the classic order")
    (order,) = orders
    assert [(x["ean"], x["quantity"], x["unit_price_ttc"], x["total_ttc"])
            for x in order["lines"]] == [(WESTERN, 3, "14.90", "44.70"),
                                         (CEMETERY, 1, "25.00", "25.00"),
                                         (LIVRE, 4, "6.40", "25.60")]
    assert order["total_ttc"] == "95.30"
    (validated,) = smtp.wait_for(people["other"]["email"], timeout=90,
                                 subject_contains=f"n° {n} validée par la librairie")
    assert "8 exemplaires de 3 titres" in validated.get_content()
    # made available: the logistician's candidate has one line per title, as Librisoft's
    # order (it was the first title with every copy: « 8 × WESTERN COQUILLETTES »)
    r = admin.post(f"{base}/api/v1/admin/grouped-orders/{n}/availability", json={})
    assert r.status_code == 200, r.text
    from tests.e2e import logistics_steps
    candidate = logistics_steps.wait_candidate(suite, f"grouped_order:{n}")
    assert [(x["ean"], x["quantity"]) for x in candidate["lines"]] == [
        (WESTERN, 3), (CEMETERY, 1), (LIVRE, 4)]
