"""Invoices on a phone (390×844) in Chromium, as the bookshop does it (issue 9): « Générer une
facture » on a paid sub-order with its confirmation, the invoice on the Finances page, a credit
note for one copy. Screenshots factures-01… to factures-05 in test-artifacts/, each checked by
axe-core and for a page wider than the screen (`shot`)."""
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session
from tests.e2e.test_browser import login, new_page, shot  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

WESTERN = "9791097284657"


def test_the_bookshop_invoices_and_credits_on_a_phone(suite, people, demo_feeds, new_page):
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    go, token = grouped.create(teacher, suite, "16", WESTERN)
    sub = grouped.subscribe(suite, token, "Lucie", "Telephone", 2)
    grouped.pay(suite, token, sub)

    page = new_page()
    login(page, suite.gateway_url, ADMIN_EMAIL, ADMIN_PASSWORD)
    page.goto(f"{suite.gateway_url}/admin/commandes-groupees/{go['number']}")
    button = page.get_by_role("button", name=f"Générer une facture pour la sous-commande "
                                             f"{sub['number']}")
    expect(button).to_be_visible()
    button.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Générer la facture de la sous-commande n° {sub['number']}")
    shot(page, "factures-01-confirmation")
    page.get_by_role("button", name="Générer la facture").click()
    expect(page.get_by_role("status").first).to_contain_text("Facture n°")
    number = re.search(r"Facture n° (\d{4}-\d{2}-\d{9})",
                       page.get_by_role("status").first.inner_text()).group(1)
    expect(page.get_by_role("link", name=f"Facture n° {number}", exact=True)).to_be_visible()
    shot(page, "factures-02-sous-commande-facturee")

    page.goto(f"{suite.gateway_url}/admin/finances#factures")
    expect(page.get_by_role("heading", name="Factures et avoirs")).to_be_visible()
    expect(page.get_by_role("link", name=f"Facture n° {number}", exact=True)).to_be_visible()
    shot(page, "factures-03-finances")

    page.get_by_role("link", name=f"Émettre un avoir sur la facture n° {number}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Avoir sur la facture n° {number}")
    page.get_by_label("Seulement les quantités ci-dessous").check()
    page.get_by_label("Quantité à créditer : WESTERN COQUILLETTES").fill("1")
    page.get_by_label("Motif de l'avoir").fill("Un exemplaire abîmé, repris en magasin")
    shot(page, "factures-04-avoir")
    page.get_by_role("button", name="Émettre l'avoir").click()
    expect(page.get_by_role("status").first).to_contain_text("Avoir n°")
    expect(page.get_by_text(f"sur la facture n° {number}").first).to_be_visible()
    shot(page, "factures-05-avoir-emis")
