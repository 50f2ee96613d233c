"""A title becomes unavailable (issue 10, K3), in Chromium on a phone (390×844): the bookshop
types the copies it will get, confirms, sees the corrected lines in red (before → after, refunded
or cancelled), then « J'ai vérifié »; the initiator sees the same red lines. Each screenshot
(test-artifacts/indisponible-…) is checked by axe-core and for a page wider than the screen."""
import pytest
from playwright.sync_api import expect

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session
from tests.e2e.test_browser import PHONE, login, new_page, shot  # noqa: F401
from tests.support.suite import wait_until

pytestmark = pytest.mark.browser

WESTERN = "9791097284657"


def test_the_bookshop_cuts_a_title_and_checks_the_red_lines(suite, people, new_page):
    owner = api_session(suite, people["collectivite"]["email"], PASSWORD)
    go, token = grouped.create(owner, suite, "16", WESTERN, days=10, pickup="bookshop")
    n = go["number"]
    subs = [grouped.subscribe(suite, token, first, "Martin", qty)
            for first, qty in (("Louise", 1), ("Hugo", 2), ("Inès", 1))]
    for sub in subs:
        grouped.pay(suite, token, sub)
    grouped.pass_deadline(suite, n)
    admin_api = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    wait_until(lambda: admin_api.get(f"{suite.gateway_url}/api/v1/admin/grouped-orders/{n}")
               .json()["status"] == "awaiting_validation", message="the deadline timer")

    admin = new_page()
    assert admin.viewport_size == PHONE == {"width": 390, "height": 844}
    login(admin, suite.gateway_url, ADMIN_EMAIL, ADMIN_PASSWORD)
    admin.goto(f"{suite.gateway_url}/admin/commandes-groupees/{n}#indisponibles")
    admin.get_by_label("Exemplaires disponibles de « WESTERN COQUILLETTES »").fill("2")
    shot(admin, "indisponible-1-quantite-disponible")
    admin.get_by_role("button", name="Corriger les commandes de « WESTERN COQUILLETTES »") \
        .click()
    expect(admin.get_by_text("premier inscrit, premier servi")).to_be_visible()
    shot(admin, "indisponible-2-confirmation")
    admin.get_by_role("button", name="Corriger les commandes et rembourser").click()
    expect(admin.get_by_text("Les commandes sont corrigées")).to_be_visible()
    rows = admin.locator("li.adjusted-line")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("2 → 1")
    expect(rows.first).to_contain_text("14,90 € remboursés")
    expect(rows.nth(1)).to_contain_text("(sous-commande annulée)")
    admin.locator("#indisponibles").scroll_into_view_if_needed()
    shot(admin, "indisponible-3-lignes-en-rouge-libraire")

    initiator = new_page()
    login(initiator, suite.gateway_url, people["collectivite"]["email"], PASSWORD)
    initiator.goto(f"{suite.gateway_url}/commandes-groupees/{n}#indisponibles")
    expect(initiator.locator("li.adjusted-line")).to_have_count(2)
    expect(initiator.get_by_text("La librairie les vérifie.")).to_be_visible()
    shot(initiator, "indisponible-4-lignes-en-rouge-initiateur")

    admin.get_by_role("button", name="J'ai vérifié").click()
    expect(admin.get_by_text("Les lignes corrigées sont vérifiées.")).to_be_visible()
    expect(admin.locator("li.adjusted-line")).to_have_count(0)
    expect(admin.get_by_role("button", name="J'ai vérifié")).to_have_count(0)
    shot(admin, "indisponible-5-verifie")
