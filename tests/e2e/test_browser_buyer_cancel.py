"""A parent cancels their own unpaid order from its page, in a real browser (Debian's Chromium
through Playwright), on a phone: a payment refused at the provider, then « Annuler ma
commande »; the order is cancelled, the parent gets one mail, the teacher's list shows it cancelled, and the page offers neither payment nor
cancellation any more."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session
from tests.e2e.test_browser import shot
from tests.support.suite import wait_until

pytestmark = pytest.mark.browser


def test_a_parent_cancels_an_unpaid_order_from_its_page(suite, people, browser):
    teacher = api_session(suite, people["other"]["email"], PASSWORD)
    go, _ = grouped.create(teacher, suite, "21", "9791097284657")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(go["subscription_url"])
        page.get_by_label("Prénom").fill("Léon")
        page.get_by_label(re.compile("^Nom")).fill("Blum-Tréguier")
        page.get_by_label("Adresse e-mail").fill("leon.blum@free.fr")
        page.get_by_label("Quantité").fill("3")  # meant 1
        page.get_by_label("J'accepte les conditions générales de vente").check()
        page.get_by_role("button", name="Payer la commande").click()
        page.get_by_role("button", name="Refuser").click()
        expect(page.get_by_role("button", name="Réessayer le paiement")).to_be_visible(
            timeout=20000)
        page.get_by_text("Annuler ma commande").click()  # the <details>' summary
        confirm = page.get_by_role("button", name=re.compile("Confirmer l'annulation"))
        expect(confirm).to_be_visible()
        shot(page, "annulation-1-proposee")  # axe-core, 390 px
        confirm.click()
        expect(page.get_by_role("status").first).to_contain_text(
            "Votre commande est annulée : rien ne vous sera débité")
        expect(page.get_by_text("Annuler ma commande")).to_have_count(0)
        expect(page.get_by_role("button", name="Réessayer le paiement")).to_have_count(0)
        shot(page, "annulation-2-faite")
        page.get_by_role("link", name="Passer une nouvelle commande").click()  # the right one
        expect(page.get_by_label("Quantité")).to_be_visible()
    finally:
        context.close()
    url = f"{suite.gateway_url}/api/v1/grouped-orders/{go['number']}"
    subs = teacher.get(url).json()["sub_orders"]
    assert [(s["status"], s["quantity"]) for s in subs] == [("cancelled", 3)]
    mails = wait_until(lambda: [m["subject"] for m in grouped.mails(suite, "leon.blum@free.fr")
                                if "annul" in m["subject"].lower()],
                       message="the parent's cancellation mail")
    assert len(mails) == 1, mails
