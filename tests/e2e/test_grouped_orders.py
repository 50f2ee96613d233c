"""A grouped order end to end through the gateway: the reference's n°62 and n°65 to the cent,
payments in the sandbox, the deadline timer, validation, the classic order picked up by a
simulated Librisoft, availability, and the mails in a real SMTP server."""
import requests

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session
from tests.support.suite import wait_until

WESTERN = "9791097284657"
LIVRE = "9782362210419"


def test_reference_62_end_to_end(suite, people, demo_feeds, smtp):
    teacher = api_session(suite, people["other"]["email"], PASSWORD)  # COLLEGE VICTOR PROUVE
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    go, token = grouped.create(teacher, suite, "21", WESTERN)
    n = go["number"]
    assert go["unit_price"] == "14.90" and go["status_label"] == "Commande ouverte"
    (created,) = smtp.wait_for(people["other"]["email"], subject_contains=f"n° {n} est créée")
    assert go["subscription_url"] in created.get_content()

    public = requests.get(f"{suite.gateway_url}/api/v1/public/grouped-orders/{token}").json()
    assert public["client_name"] == "COLLEGE VICTOR PROUVE" and "sub_orders" not in public
    leto = grouped.subscribe(suite, token, "Jared", "Leto", 2)
    diaz = grouped.subscribe(suite, token, "Cameron", "Diaz", 1)
    rourke = grouped.subscribe(suite, token, "Mickey", "Rourke", 3)
    grouped.pay(suite, token, leto, action="refuse")     # refused first...
    assert grouped.buyer_status(suite, token, leto)["status"] == "awaiting_payment"
    grouped.pay(suite, token, leto)                      # ...then paid
    grouped.pay(suite, token, rourke)
    for buyer, total in ((leto, "29,80"), (rourke, "44,70")):
        (mail,) = smtp.wait_for(buyer["email"],
                                subject_contains=f"Confirmation de votre commande n° "
                                                 f"{buyer['number']}")
        body = mail.get_content()
        assert f"commande n° {buyer['number']}" in body and total in body
        assert "COLLEGE VICTOR PROUVE" in body and people["other"]["email"] in body

    url = f"{suite.gateway_url}/api/v1/admin"
    r = admin.post(f"{url}/grouped-orders/{n}/validation", json={})
    assert r.status_code == 409 and "Vous pourrez valider cette commande groupée dans" in \
        r.json()["message"] and f"n° {diaz['number']}" in r.json()["message"]
    assert admin.post(f"{url}/sub-orders/{diaz['number']}/cancellation",
                      json={"reason": "Doublon"}).status_code == 200
    view = admin.get(f"{url}/grouped-orders/{n}").json()
    assert view["summary"] == {
        "articles": {"cancelled": 1, "awaiting_payment": 0, "paid": 5},
        "sub_orders": {"cancelled": 1, "awaiting_payment": 0, "paid": 2},
        "total_awaiting": "0.00", "total_paid": "74.50",
        "at_pickup": {"sub_orders": 0, "articles": 0, "total": "0.00"},
        "ordered_articles": 5, "total_ordered": "74.50"}
    assert [(s["last_name"], s["quantity"], s["status_label"], s["total"])
            for s in view["sub_orders"]] == [("Leto", 2, "Payée", "29.80"),
                                             ("Diaz", 1, "Annulée", "14.90"),
                                             ("Rourke", 3, "Payée", "44.70")]

    grouped.pass_deadline(suite, n)
    wait_until(lambda: admin.get(f"{url}/grouped-orders/{n}").json()["status"] ==
               "awaiting_validation", message="the deadline timer")
    smtp.wait_for(people["other"]["email"], subject_contains="la date limite est passée")
    closed = requests.post(f"{suite.gateway_url}/api/v1/public/grouped-orders/{token}/"
                           "subscriptions", json={"first_name": "Late", "last_name": "Comer",
                                                  "email": "late@free.fr", "quantity": 1,
                                                  "accepted_terms": True})
    assert closed.status_code == 409 and "closes" in closed.json()["message"]

    r = admin.post(f"{url}/grouped-orders/{n}/validation", json={})
    assert r.status_code == 200 and r.json()["status"] == "processing"
    orders = wait_until(lambda: [o for o in grouped.librisoft_orders(suite, demo_feeds)
                                 if o["source_kind"] == "grouped_order"
                                 and o["source_number"] == n], message="the classic order")
    (order,) = orders
    (line,) = order["lines"]
    assert (line["ean"], line["quantity"], line["unit_price_ttc"], order["total_ttc"]) == \
        (WESTERN, 5, "14.90", "74.50")
    assert order["client_number"] == "21"
    key = {"X-Api-Key": demo_feeds}
    base = f"{suite.bridge_url}/librisoft/v1/orders/{order['number']}"
    assert requests.post(base + "/ack", headers=key).status_code == 200
    assert requests.post(base + "/status", headers=key, json={
        "librisoft_number": "L-62", "status": "Préparation commande"}).status_code == 200
    wait_until(lambda: admin.get(f"{url}/grouped-orders/{n}").json()["librisoft_status"] ==
               "Préparation commande", message="Librisoft's status on the grouped order")

    r = admin.post(f"{url}/grouped-orders/{n}/availability", json={})
    assert r.status_code == 200 and r.json()["status_label"] == "Clôturée"
    (ready,) = smtp.wait_for(people["other"]["email"], subject_contains=f"n° {n} est prête")
    assert f"L'ensemble de votre commande n° {n} a été préparé le" in ready.get_content()
    assert len([o for o in grouped.librisoft_orders(suite, demo_feeds)
                if o["source_kind"] == "grouped_order" and o["source_number"] == n]) == 1


def test_reference_65_figures(suite, people, demo_feeds):
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    go, token = grouped.create(teacher, suite, "16", LIVRE, days=1)
    n = go["number"]
    for first, last, qty in (("Louise", "Grandville", 1), ("Oscar", "Benhattia", 1)):
        grouped.pay(suite, token, grouped.subscribe(suite, token, first, last, qty))
    noe = grouped.subscribe(suite, token, "Noé", "Guidoni", 2)
    view = teacher.get(f"{suite.gateway_url}/api/v1/grouped-orders/{n}").json()
    assert (view["summary"]["total_paid"], view["summary"]["total_awaiting"]) == \
        ("12.80", "12.80")
    assert view["deadline_warning"] == "LA DATE LIMITE APPROCHE !"
    assert admin.post(f"{suite.gateway_url}/api/v1/admin/sub-orders/{noe['number']}/"
                      "validation", json={}).status_code == 200
    view = teacher.get(f"{suite.gateway_url}/api/v1/grouped-orders/{n}").json()
    assert view["summary"]["articles"]["paid"] == 4 and view["summary"]["sub_orders"]["paid"] == 3
    assert view["summary"]["total_paid"] == "25.60"
    pdf = teacher.get(f"{suite.gateway_url}/commandes-groupees/{n}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    other = api_session(suite, people["other"]["email"], PASSWORD)
    assert other.get(f"{suite.gateway_url}/api/v1/grouped-orders/{n}").status_code == 404
    assert other.get(f"{suite.gateway_url}/commandes-groupees/{n}/pdf").status_code == 404


def test_a_closed_grouped_order_is_reopened_by_its_initiator(suite, people, demo_feeds, smtp):
    """Parents forgot: once the deadline passed, and until the bookshop validates, the teacher
    gives a new deadline (« Rouvrir les souscriptions ») and the link takes orders again."""
    import html
    from datetime import timedelta
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    go, token = grouped.create(teacher, suite, "16", WESTERN)
    n = go["number"]
    grouped.pass_deadline(suite, n)
    api = f"{suite.gateway_url}/api/v1"
    wait_until(lambda: teacher.get(f"{api}/grouped-orders/{n}").json()["status"] ==
               "awaiting_validation", timeout=60, message="closed by the timer")
    page = html.unescape(teacher.get(f"{suite.gateway_url}/commandes-groupees/{n}").text)
    assert "Rouvrir les souscriptions jusqu'au" in page
    late = requests.post(f"{api}/public/grouped-orders/{token}/subscriptions", json={
        "first_name": "Oubli", "last_name": "Tardif", "email": "oubli@example.fr",
        "quantity": 1, "accepted_terms": True})
    assert late.status_code == 409, late.text
    new = (grouped.paris_today() + timedelta(days=2)).isoformat()
    r = teacher.put(f"{api}/grouped-orders/{n}/deadline", json={"deadline": new})
    assert r.status_code == 200 and r.json()["status"] == "open", r.text
    r = requests.post(f"{api}/public/grouped-orders/{token}/subscriptions", json={
        "first_name": "Oubli", "last_name": "Tardif", "email": "oubli@example.fr",
        "pupil": "Tom Tardif, CM2", "quantity": 1, "accepted_terms": True})
    assert r.status_code == 201, r.text
    sub = r.json()
    # the pupil the parent named is on the teacher's page and the bookshop's CSV
    page = html.unescape(teacher.get(f"{suite.gateway_url}/commandes-groupees/{n}").text)
    assert "Élève : Tom Tardif, CM2" in page
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    subs = admin.get(f"{api}/admin/grouped-orders/{n}").json()["sub_orders"]
    assert [s["pupil"] for s in subs if s["number"] == sub["number"]] == ["Tom Tardif, CM2"]
    csv = admin.get(f"{suite.gateway_url}/admin/commandes-groupees/{n}/sous-commandes.csv").text
    assert ";Tom Tardif, CM2;" in csv
    other = api_session(suite, people["other"]["email"], PASSWORD)  # not another's to reopen
    assert other.put(f"{api}/grouped-orders/{n}/deadline",
                     json={"deadline": new}).status_code in (403, 404)


def test_the_bookshop_corrects_a_buyers_mistyped_email(suite, people, demo_feeds, smtp):
    """A parent typed « gmial.com »: nothing reached them. The bookshop corrects the address
    from the grouped order's page (or the API); they are told at the new one, once, with their
    page to pay; the desk finds them by it."""
    import html
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    go, token = grouped.create(teacher, suite, "16", WESTERN)
    n = go["number"]
    api = f"{suite.gateway_url}/api/v1"
    r = requests.post(f"{api}/public/grouped-orders/{token}/subscriptions", json={
        "first_name": "Typo", "last_name": "Adresse", "email": "typo.adresse@gmial.com",
        "quantity": 1, "accepted_terms": True})
    assert r.status_code == 201, r.text
    sub = r.json()
    page = html.unescape(admin.get(f"{suite.gateway_url}/admin/commandes-groupees/{n}").text)
    assert "Corriger l'e-mail" in page
    url = f"{api}/admin/sub-orders/{sub['number']}/email"
    assert teacher.put(url, json={"email": "typo.adresse@gmail.com"}).status_code == 403
    r = admin.put(url, json={"email": "Typo.Adresse@gmail.com"})
    assert r.status_code == 200, r.text
    assert [s["email"] for s in r.json()["sub_orders"] if s["number"] == sub["number"]] == [
        "typo.adresse@gmail.com"]
    again = admin.put(url, json={"email": "typo.adresse@gmail.com"})
    assert again.status_code == 409 and "déjà" in again.json()["message"]
    (mail,) = smtp.wait_for("typo.adresse@gmail.com",
                            subject_contains="adresse e-mail corrigée", timeout=60)
    assert f"/souscription/{token}/commande/{sub['buyer_token']}" in mail.get_content()
    wait_until(lambda: [o["number"] for o in admin.get(
        f"{api}/admin/desk/orders", params={"customer": "typo.adresse@gmail"}).json()["orders"]
        if o["kind"] == "sub_order"] == [sub["number"]], timeout=60,
        message="the desk finds the buyer by the corrected address")


def test_the_initiator_cancels_a_grouped_order_no_parent_paid(suite, people, demo_feeds, smtp):
    """The teacher cancels their own grouped order (from its page: a confirmation with the
    reason; or the API); the parent who ordered without paying is told; one with a paid parent
    is refused in French, left to the bookshop."""
    import html
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    api = f"{suite.gateway_url}/api/v1"
    go, token = grouped.create(teacher, suite, "16", WESTERN)
    n = go["number"]
    unpaid = grouped.subscribe(suite, token, "Sans", "Paiement", 1)
    page = html.unescape(teacher.get(f"{suite.gateway_url}/commandes-groupees/{n}").text)
    assert "Annuler la commande groupée" in page
    other = api_session(suite, people["other"]["email"], PASSWORD)
    assert other.post(f"{api}/grouped-orders/{n}/cancellation",
                      json={"reason": "Vol"}).status_code in (403, 404)
    assert teacher.post(f"{api}/grouped-orders/{n}/cancellation",
                        json={"reason": ""}).status_code == 400
    r = teacher.post(f"{api}/grouped-orders/{n}/cancellation",
                     json={"reason": "Sortie scolaire annulée"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled", r.text
    (mail,) = smtp.wait_for(unpaid["email"], subject_contains="Annulation", timeout=60)
    assert "Sortie scolaire annulée" in mail.get_content()
    assert requests.get(f"{api}/public/grouped-orders/{token}").json()[
        "subscriptions_open"] is False

    go, token = grouped.create(teacher, suite, "16", WESTERN)
    paid = grouped.subscribe(suite, token, "Avec", "Paiement", 1)
    grouped.pay(suite, token, paid)
    r = teacher.post(f"{api}/grouped-orders/{go['number']}/cancellation",
                     json={"reason": "Erreur"})
    assert r.status_code == 409 and "déjà payé" in r.json()["message"], r.text
