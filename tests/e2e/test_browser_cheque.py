"""Issue 9, reference 003 step 1, in Chromium on a phone (390×844): the buyer chooses to pay by
cheque and reads what to bring where; the bookshop validates the cheque with its number on the
grouped order's page (a bad number refused, then the right one confirmed). Each screenshot
(test-artifacts/cheque-…) is checked by axe-core and for a page wider than the screen."""
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session
from tests.e2e.test_browser import PHONE, login, new_page, shot  # noqa: F401

pytestmark = pytest.mark.browser

WESTERN = "9791097284657"


def test_a_cheque_chosen_by_the_buyer_and_validated_by_the_bookshop(suite, people, new_page):
    owner = api_session(suite, people["collectivite"]["email"], PASSWORD)
    go, token = grouped.create(owner, suite, "16", WESTERN, days=10, pickup="bookshop")
    n = go["number"]

    # the bookshop allows cheques on the grouped order's page
    admin = new_page()
    assert admin.viewport_size == PHONE == {"width": 390, "height": 844}
    login(admin, suite.gateway_url, ADMIN_EMAIL, ADMIN_PASSWORD)
    admin.goto(f"{suite.gateway_url}/admin/commandes-groupees/{n}")
    admin.get_by_label("Payer par chèque à la librairie").check()
    admin.get_by_role("button", name="Enregistrer les moyens de paiement").click()
    expect(admin.get_by_text("Les moyens de paiement proposés aux acheteurs sont "
                             "enregistrés.")).to_be_visible()
    shot(admin, "cheque-1-moyens-de-paiement-libraire")

    # the buyer chooses « par chèque »: no online payment, the instructions
    buyer = new_page()
    buyer.goto(f"{suite.gateway_url}/souscription/{token}")
    expect(buyer.get_by_label("Payer en ligne (carte bancaire)")).to_be_checked()
    buyer.get_by_label("Prénom").fill("Louise")
    buyer.get_by_label(re.compile("^Nom")).fill("Grandville")
    buyer.get_by_label("Adresse e-mail").fill("louise.grandville@free.fr")
    buyer.get_by_label("Quantité").fill("2")
    buyer.get_by_label("Payer par chèque à la librairie").check()
    buyer.get_by_label("J'accepte les conditions générales de vente").check()
    shot(buyer, "cheque-2-choix-du-paiement-acheteur")
    buyer.get_by_role("button", name="Commander").click()
    expect(buyer.get_by_role("heading", name="Payer par chèque")).to_be_visible()
    expect(buyer.get_by_text("À l'ordre de")).to_be_visible()
    expect(buyer.get_by_text("Librairie des Collectivités").first).to_be_visible()
    expect(buyer.get_by_text("29,80 €").first).to_be_visible()
    expect(buyer.get_by_text("En attente de paiement").first).to_be_visible()
    assert "/sandbox/" not in buyer.url
    shot(buyer, "cheque-3-instructions-acheteur")

    # the bookshop: a bad number is refused, then the right one confirmed
    admin.goto(f"{suite.gateway_url}/admin/commandes-groupees/{n}")
    expect(admin.get_by_text("Chèque à recevoir")).to_be_visible()
    sub_number = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD).get(
        f"{suite.gateway_url}/api/v1/admin/grouped-orders/{n}").json()["sub_orders"][0]["number"]
    admin.get_by_label(f"Numéro du chèque de la sous-commande {sub_number}").fill("12AB567")
    shot(admin, "cheque-4-ligne-a-valider-libraire")
    admin.get_by_role("button", name=f"Valider le paiement de la sous-commande {sub_number}") \
        .click()
    expect(admin.get_by_role("alert")).to_contain_text("Numéro de chèque invalide")
    shot(admin, "cheque-5-numero-refuse")
    admin.get_by_label("Numéro du chèque").fill("1234567")
    admin.get_by_role("button", name="Vérifier avant d'enregistrer").click()
    expect(admin.get_by_text("Cette action est définitive.")).to_be_visible()
    shot(admin, "cheque-6-confirmation")
    admin.get_by_role("button", name="Confirmer : chèque n° 1234567, 29,80 €").click()
    expect(admin.get_by_text(f"La sous-commande n° {sub_number} est payée")).to_be_visible()
    expect(admin.get_by_text("Chèque n° 1234567", exact=True)).to_be_visible()
    shot(admin, "cheque-7-payee-par-cheque")
