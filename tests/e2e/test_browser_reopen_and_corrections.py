"""This stop's pages in a real browser (Debian's Chromium through Playwright), on a phone, each
checked by axe-core: the teacher reopens a closed grouped order (« Rouvrir les souscriptions
jusqu'au ») and cancels another through its confirmation page; the bookshop corrects a parent's
mistyped e-mail from the grouped order's row; a parent on a payment page the bookshop closed by
cancelling the order sees it cannot be paid."""
import re
from datetime import timedelta

import pytest
import requests
from playwright.sync_api import expect

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session
from tests.e2e.test_browser import login, new_page, shot  # noqa: F401
from tests.support.suite import wait_until

pytestmark = pytest.mark.browser
WESTERN = "9791097284657"


def test_the_teacher_reopens_then_cancels_and_the_bookshop_corrects_an_email(
        suite, people, demo_feeds, smtp, new_page):
    base = suite.gateway_url
    teacher_api = api_session(suite, people["collectivite"]["email"], PASSWORD)
    go, token = grouped.create(teacher_api, suite, "16", WESTERN)
    n = go["number"]
    api = f"{base}/api/v1"
    r = requests.post(f"{api}/public/grouped-orders/{token}/subscriptions", json={
        "first_name": "Oubli", "last_name": "Faute", "email": "oubli.faute@gmial.com",
        "pupil": "Léo Faute, CE2", "quantity": 1, "accepted_terms": True})
    assert r.status_code == 201, r.text
    sub = r.json()
    grouped.pass_deadline(suite, n)
    wait_until(lambda: teacher_api.get(f"{api}/grouped-orders/{n}").json()["status"] ==
               "awaiting_validation", timeout=60, message="closed by the timer")

    # the teacher: « Rouvrir les souscriptions jusqu'au »
    teacher = new_page()
    login(teacher, base, people["collectivite"]["email"], PASSWORD)
    teacher.goto(f"{base}/commandes-groupees/{n}")
    expect(teacher.get_by_text("Élève : Léo Faute, CE2")).to_be_visible()
    new = (grouped.paris_today() + timedelta(days=3)).isoformat()
    teacher.get_by_label("Rouvrir les souscriptions jusqu'au").fill(new)
    shot(teacher, "reouverture-1-proposee")
    teacher.get_by_role("button", name="Rouvrir").click()
    expect(teacher.get_by_text("les souscriptions sont ouvertes jusqu'à ce jour-là")) \
        .to_be_visible()
    shot(teacher, "reouverture-2-faite")
    assert teacher_api.get(f"{api}/grouped-orders/{n}").json()["status"] == "open"

    # the bookshop: « Corriger l'e-mail » on the parent's row
    admin = new_page()
    login(admin, base, ADMIN_EMAIL, ADMIN_PASSWORD)
    admin.goto(f"{base}/admin/commandes-groupees/{n}")
    admin.get_by_text("Corriger l'e-mail").first.click()  # the <details>' summary
    admin.get_by_label("Adresse e-mail exacte de l'acheteur").fill("oubli.faute@gmail.com")
    shot(admin, "correction-email-1")
    admin.get_by_role("button", name=re.compile("Corriger et prévenir l'acheteur")).click()
    expect(admin.get_by_text("l'acheteur est prévenu à la nouvelle adresse")).to_be_visible()
    expect(admin.get_by_text("oubli.faute@gmail.com").first).to_be_visible()
    smtp.wait_for("oubli.faute@gmail.com", subject_contains="adresse e-mail corrigée",
                  timeout=60)

    # the parent's payment page, then the bookshop cancels the order: the page is closed
    pay = requests.post(f"{api}/public/grouped-orders/{token}/subscriptions/"
                        f"{sub['buyer_token']}/payments", json={})
    assert pay.status_code == 201, pay.text
    admin_api = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert admin_api.post(f"{api}/admin/sub-orders/{sub['number']}/cancellation",
                          json={"reason": "Doublon"}).status_code == 200
    parent = new_page()
    wait_until(lambda: (parent.goto(pay.json()["redirect_url"]) or True) and
               "annulée par le marchand" in parent.content(), timeout=60,
               message="the payment page closed")
    expect(parent.get_by_role("heading", name="Paiement clos")).to_be_visible()
    shot(parent, "paiement-clos")

    # the teacher cancels another grouped order no parent paid, through its confirmation
    other, _ = grouped.create(teacher_api, suite, "16", WESTERN)
    teacher.goto(f"{base}/commandes-groupees/{other['number']}")
    teacher.get_by_label("Motif (envoyé aux parents qui ont commandé)").fill("Sortie annulée")
    teacher.get_by_role("button", name="Annuler la commande groupée").click()
    expect(teacher.get_by_role("heading", name=f"Annuler la commande groupée n° "
                                              f"{other['number']}")).to_be_visible()
    shot(teacher, "annulation-enseignant-1-confirmation")
    teacher.get_by_role("button", name="Annuler la commande groupée").click()
    expect(teacher.get_by_text("La commande groupée est annulée")).to_be_visible()
    shot(teacher, "annulation-enseignant-2-faite")
    assert teacher_api.get(f"{api}/grouped-orders/{other['number']}").json()["status"] == \
        "cancelled"
