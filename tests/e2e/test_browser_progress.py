"""The progress block of an order's page on a phone (390×844) in Chromium (references 002 §2
and 003 step 2): the history (who, when, from → to, comment) and the form to move the order
along; Annulée asks for a reason on a confirmation page (refused in French without one), then is
asked of the order's owner, whose event moves the progress. Every screenshot (85-… to 88-…, in
test-artifacts/) is checked by axe-core and for a page wider than the screen."""
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e.conftest import PASSWORD, api_session
from tests.e2e.test_browser import login, new_page, shot  # noqa: F401
from tests.support.suite import wait_until

pytestmark = pytest.mark.browser

CEMETERY = "9782330150136"


@pytest.fixture(scope="module")
def order(suite, people):
    """A collectivity order of ECOLE JULES FERRY, in the desk's register."""
    coll = api_session(suite, people["collectivite"]["email"], PASSWORD)
    basket = coll.post(suite.gateway_url + "/api/v1/baskets",
                       json={"name": f"Avancement {uuid.uuid4().hex[:6]}"}).json()
    r = coll.post(f"{suite.gateway_url}/api/v1/baskets/{basket['id']}/lines",
                  json={"ean": CEMETERY, "quantity": 1})
    assert r.status_code == 201, r.text
    r = coll.post(f"{suite.gateway_url}/api/v1/baskets/{basket['id']}/transformation",
                  json={"kind": "order", "reference": "BC-2026-114"})
    assert r.status_code == 200, r.text
    number = r.json()["number"]

    def registered():
        with suite.rpc() as rpc:
            return rpc.order_desk.list_orders({"kind": "collectivity_order",
                                               "number": number})["total"] == 1
    wait_until(registered, timeout=60, message="the order in the desk's register")
    return number


def test_the_progress_block_on_a_phone(suite, order, new_page):
    page = new_page()
    login(page, suite.gateway_url, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.goto(f"{suite.gateway_url}/admin/commandes/collectivity_order/{order}")
    block = page.locator("section#avancement")
    expect(block.get_by_role("heading", level=2)).to_have_text(
        "Avancement : Commande enregistrée")
    history = block.get_by_role("table", name=re.compile("Historique de l'avancement"))
    expect(history.get_by_role("row")).to_have_count(2)   # the head and the registration
    expect(block.get_by_role("radio", name=re.compile("^Confirmation en cours"))).to_be_visible()
    expect(block.get_by_role("radio", name=re.compile("^Commande prête"))).to_have_count(0)
    block.scroll_into_view_if_needed()
    shot(page, "85-avancement-telephone")

    block.get_by_role("radio", name=re.compile("^Confirmation en cours")).check()
    block.get_by_label(re.compile("^Commentaire")).fill("Disponibilité vérifiée chez l'éditeur")
    block.get_by_role("button", name="Enregistrer le nouvel état").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Avancement : « Confirmation en cours ». Le client est prévenu par e-mail.")
    block = page.locator("section#avancement")
    expect(block.get_by_role("heading", level=2)).to_have_text(
        "Avancement : Confirmation en cours")
    latest = block.get_by_role("row").nth(1)
    expect(latest).to_contain_text("Commande enregistrée → Confirmation en cours")
    expect(latest).to_contain_text(ADMIN_EMAIL)
    expect(latest).to_contain_text("Disponibilité vérifiée chez l'éditeur")
    shot(page, "86-avancement-historique-telephone")

    # Annulée: a confirmation page, refused without a reason
    block.get_by_role("radio", name=re.compile("^Annulée")).check()
    block.get_by_role("button", name="Enregistrer le nouvel état").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Annuler : commande collectivité n° {order}")
    page.get_by_role("button", name="Annuler la commande").click()
    expect(page.get_by_role("alert").first).to_contain_text("Indiquez le motif")
    expect(page.get_by_label(re.compile("^Motif de l'annulation"))).to_have_attribute(
        "aria-invalid", "true")
    shot(page, "87-avancement-annulation-sans-motif-telephone")

    page.get_by_label(re.compile("^Motif de l'annulation")).fill("Titre épuisé chez l'éditeur")
    page.get_by_role("button", name="Annuler la commande").click()
    expect(page.get_by_role("status").first).to_contain_text("dans un instant")

    def cancelled():
        page.reload()
        return page.locator("section#avancement h2").inner_text() == "Avancement : Annulée"
    wait_until(cancelled, timeout=30, message="the owner's event back on the desk")
    block = page.locator("section#avancement")
    latest = block.get_by_role("row").nth(1)
    expect(latest).to_contain_text("Confirmation en cours → Annulée")
    expect(latest).to_contain_text(ADMIN_EMAIL)
    expect(latest).to_contain_text("Titre épuisé chez l'éditeur")
    expect(block).to_contain_text("état définitif")
    expect(block.get_by_role("radio")).to_have_count(0)
    shot(page, "88-avancement-annulee-telephone")
