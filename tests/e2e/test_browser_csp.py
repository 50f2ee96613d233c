"""The Content-Security-Policy in a real browser (Debian's Chromium through Playwright): a buyer's
journey from the public link to the sandbox's page and back (refused, then paid) runs without a
single CSP violation: the live total (static script), the sandbox's styles (allowed by hash),
and its form whose answer redirects to the merchant's site (`form-action`)."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session

pytestmark = pytest.mark.browser


def test_a_buyer_journey_breaks_no_csp_rule(suite, people, browser):
    teacher = api_session(suite, people["other"]["email"], PASSWORD)
    go, _ = grouped.create(teacher, suite, "21", "9791097284657")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    violations = []
    page.on("console", lambda msg: violations.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    try:
        page.goto(go["subscription_url"])
        page.get_by_label("Prénom").fill("Rosa")
        page.get_by_label(re.compile("^Nom")).fill("Policy")
        page.get_by_label("Adresse e-mail").fill("rosa.policy@free.fr")
        page.get_by_label("Quantité").fill("3")
        expect(page.locator("#total")).to_contain_text("44,70")  # the static script ran
        page.get_by_label("J'accepte les conditions générales de vente").check()
        page.get_by_role("button", name="Payer la commande").click()
        expect(page.get_by_role("button", name="Refuser")).to_be_visible()
        assert page.url.startswith(f"http://127.0.0.1:{suite.payments_port}/sandbox/")
        # the sandbox's own style applies (allowed by its hash, no 'unsafe-inline')
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == \
            "rgb(238, 241, 245)"
        page.get_by_role("button", name="Refuser").click()
        expect(page.get_by_role("alert")).to_contain_text("refusé")
        assert page.url.startswith(suite.gateway_url + "/souscription/")  # form-action let it
        page.get_by_role("button", name="Réessayer le paiement").click()
        page.get_by_role("button", name="Payer", exact=False).first.click()
        expect(page.get_by_role("status")).to_contain_text("Paiement confirmé", timeout=20000)
        assert page.url.startswith(suite.gateway_url + "/souscription/")
    finally:
        context.close()
    assert violations == []
