"""A parent's Back button after paying, in a real browser (Debian's Chromium through
Playwright): back on the form, restored as they typed it, and sent again, it used to place
(and have them pay) a second sub-order. The form now shows the order already placed from this
browser and asks before a second identical one."""
import re

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session
from tests.e2e.test_browser import shot

pytestmark = pytest.mark.browser


def test_back_after_paying_and_sending_the_form_again_orders_nothing_twice(suite, people,
                                                                            browser):
    teacher = api_session(suite, people["other"]["email"], PASSWORD)
    go, _ = grouped.create(teacher, suite, "21", "9791097284657")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(go["subscription_url"])
        page.get_by_label("Prénom").fill("Anaïs")
        page.get_by_label(re.compile("^Nom")).fill("D'Aubigné")
        page.get_by_label("Adresse e-mail").fill("anais.daubigne@free.fr")
        page.get_by_label("Quantité").fill("2")
        page.get_by_label("J'accepte les conditions générales de vente").check()
        page.get_by_role("button", name="Payer la commande").click()
        page.get_by_role("button", name="Payer", exact=False).first.click()
        expect(page.get_by_role("status").first).to_contain_text("Paiement confirmé",
                                                                 timeout=20000)
        mine = page.url.split("?")[0]
        page.go_back()  # the provider's page: « déjà traité »
        page.go_back()  # the form, as typed
        expect(page.get_by_label("Prénom")).to_have_value("Anaïs")
        expect(page.locator("#placed-here")).to_contain_text("Vous avez déjà commandé sur ce "
                                                             "lien depuis cet appareil")
        shot(page, "back-1-formulaire-apres-paiement")  # axe-core, 390 px
        if not page.get_by_label("J'accepte les conditions générales de vente").is_checked():
            page.get_by_label("J'accepte les conditions générales de vente").check()
        page.get_by_role("button", name="Payer la commande").click()
        alert = page.locator("#same-order")
        expect(alert).to_contain_text("Vous avez déjà passé cette même commande")
        assert "/sandbox/" not in page.url
        expect(page.get_by_label("Prénom")).to_have_value("Anaïs")  # nothing typed is lost
        shot(page, "back-2-meme-commande")
        subs = teacher.get(f"{suite.gateway_url}/api/v1/grouped-orders/{go['number']}").json()
        assert [s["status"] for s in subs["sub_orders"]] == ["paid"]
        link = alert.get_by_role("link", name=re.compile("voir ma commande"))
        assert suite.gateway_url + link.get_attribute("href") == mine
        # a second child, on purpose: ticked, it is ordered
        page.get_by_label("Passer une seconde commande identique").check()
        page.get_by_label("J'accepte les conditions générales de vente").check()
        page.get_by_role("button", name="Payer la commande").click()
        expect(page.get_by_role("button", name="Refuser")).to_be_visible()
        subs = teacher.get(f"{suite.gateway_url}/api/v1/grouped-orders/{go['number']}").json()
        assert sorted(s["status"] for s in subs["sub_orders"]) == ["awaiting_payment", "paid"]
    finally:
        context.close()
    assert requests.get(go["subscription_url"]).status_code == 200
