"""Issue 9, reference 003 step 3, on a phone (390×844) in Chromium: the admin opens
« Logisticien » from the menu, ticks a ready order, chooses « Mettre les commandes à disposition
du logisticien » and « Exécuter »; the batch appears with its files and, once the (fake)
logistician acknowledged it, « envoyé le …, accusé de réception le … ». Executing with nothing
ticked is a French message; a refused POST shows its error and the next attempt. Screenshots 70-… to 74-… (test-artifacts/), each checked by
axe-core and for a page wider than the screen."""
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import logistics_steps as steps
from tests.e2e.conftest import PASSWORD, api_session
from tests.e2e.test_browser import login, menu, new_page, shot  # noqa: F401 (fixture)
from tests.support.suite import wait_until

pytestmark = pytest.mark.browser


def test_the_hand_off_on_a_phone(suite, people, demo_feeds, new_page):
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    n = steps.ready_grouped_order(suite, teacher, admin, buyers=(("Inès", "Téléphone", 3),))
    steps.wait_candidate(suite, f"grouped_order:{n}")

    page = new_page()
    login(page, suite.gateway_url, ADMIN_EMAIL, ADMIN_PASSWORD)
    menu(page).get_by_role("link", name="Logisticien").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mettre les commandes à disposition du logisticien")
    box = page.get_by_label(f"Commande groupée n° {n}", exact=True)
    expect(box).to_be_visible()
    shot(page, "70-logisticien-commandes-pretes")

    # « Exécuter » with nothing ticked: a French message, nothing done
    page.get_by_role("button", name="Exécuter").click()
    expect(page.get_by_role("alert")).to_contain_text("Cochez au moins une commande")
    expect(page.get_by_text("Aucune commande choisie.")).to_be_visible()
    page.wait_for_load_state("load")
    shot(page, "71-logisticien-aucune-commande")

    suite.logistician.refuse_next(503, 503)  # the logistician is down for a moment
    page.get_by_label(f"Commande groupée n° {n}", exact=True).check()
    page.get_by_role("group", name="Action").get_by_label(
        "Mettre les commandes à disposition du logisticien").check()
    page.get_by_role("button", name="Exécuter").click()
    status = page.get_by_role("status").first
    expect(status).to_contain_text("mise(s) à disposition du logisticien")
    number = int(re.search(r"Lot n° (\d+) créé", status.inner_text()).group(1))
    batch = page.locator(f"#lot-{number}")
    expect(batch.get_by_role("link", name=f"Fichier CSV du lot n° {number}")).to_be_visible()
    expect(batch.get_by_role("link", name=f"Fichier JSON du lot n° {number}")).to_be_visible()
    expect(page.get_by_label(f"Commande groupée n° {n}", exact=True)).to_have_count(0)
    shot(page, "72-logisticien-lot-cree")

    with suite.rpc() as rpc:
        wait_until(lambda: rpc.logistics.get_batch(number)["delivery"]["state"] ==
                   "retrying", timeout=30, message="the first POST refused")
    page.reload()
    expect(page.locator(f"#lot-{number}")).to_contain_text("HTTP 503")
    expect(page.locator(f"#lot-{number}")).to_contain_text("nouvel essai le")
    shot(page, "73-logisticien-envoi-refuse")
    with suite.rpc() as rpc:
        wait_until(lambda: rpc.logistics.get_batch(number)["delivery"]["state"] ==
                   "acknowledged", timeout=60, message="the batch acknowledged")
    page.reload()
    batch = page.locator(f"#lot-{number}")
    expect(batch).to_contain_text("accusé de réception le")
    batch.get_by_text("Commandes du lot").click()
    expect(batch).to_contain_text(f"Commande groupée n° {n} — ECOLE JULES FERRY : 3 ×")
    batch.scroll_into_view_if_needed()
    shot(page, "74-logisticien-lot-recu")
