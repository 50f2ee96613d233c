"""The minimum and the cap on a phone (390×844) in Chromium (issue 10): the teacher sets them on
the creation page, the public page shows « 7 / 10 exemplaires » and follows a new payment
without being reloaded (its script polls every 15 s; the figures are in an aria-live region),
then says « Complet » once the cap is reached. Screenshots 90-… to 93-… in test-artifacts/,
each checked by axe-core and for a page wider than the screen (`shot`)."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD
from tests.e2e.test_browser import login, new_page, shot  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser

WESTERN = "9791097284657"


def test_the_progress_toward_the_minimum_and_the_cap_on_a_phone(suite, people, demo_feeds,
                                                                  new_page):
    base = suite.gateway_url
    teacher = new_page()
    login(teacher, base, people["collectivite"]["email"], PASSWORD)
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Mon compte")
    teacher.goto(f"{base}/commandes-groupees/nouvelle/{WESTERN}")
    teacher.get_by_label("Date limite de souscription").fill(
        (grouped.paris_today() + timedelta(days=6)).isoformat())
    teacher.get_by_label("À la librairie", exact=False).check()
    teacher.get_by_label("Minimum pour que la commande soit passée").fill("10")
    teacher.get_by_label(re.compile("^Maximum")).fill("12")
    teacher.get_by_role("button", name="Créer la commande groupée").click()
    expect(teacher.get_by_role("status").first).to_contain_text("est créée")
    link = teacher.locator("#share-url").input_value()
    token = link.rsplit("/", 1)[1]
    expect(teacher.get_by_text("Minimum : 0 / 10 exemplaires payés")).to_be_visible()
    expect(teacher.get_by_label("Minimum", exact=True)).to_have_value("10")
    expect(teacher.get_by_label("Maximum", exact=True)).to_have_value("12")
    shot(teacher, "93-capacite-initiateur")

    for first, quantity in (("Alice", 3), ("Basile", 2), ("Chloe", 2)):
        grouped.pay(suite, token, grouped.subscribe(suite, token, first, "Progres", quantity))
    parent = new_page()
    parent.goto(link)
    expect(parent.locator("#progress-label")).to_have_text("7 / 10 exemplaires")
    live = parent.locator("[aria-live=polite]#progress-live")
    expect(live).to_contain_text("il en faut encore 3 pour que la commande soit passée")
    expect(live).to_contain_text("Il reste 5 exemplaires disponibles.")
    shot(parent, "90-capacite-progression")

    # another parent pays 3 copies: the open page follows, without being reloaded
    parent.evaluate("window.notReloaded = true")
    grouped.pay(suite, token, grouped.subscribe(suite, token, "Denis", "Progres", 3))
    expect(parent.locator("#progress-label")).to_have_text("10 / 10 exemplaires",
                                                           timeout=40_000)
    expect(live).to_contain_text("minimum atteint, la commande sera passée")
    expect(live).to_contain_text("Il reste 2 exemplaires disponibles.")
    assert parent.evaluate("window.notReloaded") is True
    expect(parent.locator("#progress-bar")).to_have_attribute("value", "10")
    shot(parent, "91-capacite-minimum-atteint")

    # two more copies held (awaiting payment): the cap is reached, « Complet »
    grouped.subscribe(suite, token, "Emma", "Progres", 2)
    parent.reload()
    expect(parent.get_by_text("Complet", exact=True)).to_be_visible()
    expect(parent.get_by_role("alert")).to_contain_text("Cette commande groupée est complète")
    expect(parent.get_by_role("button", name="Payer la commande")).to_have_count(0)
    shot(parent, "92-capacite-complet")


def test_a_title_minimum_on_the_creation_page_the_teachers_page_and_the_public_page(
        suite, people, demo_feeds, new_page):
    """Issue 10, a minimum per title: set on the creation page, shown with its figures on the
    teacher's page, and « Titre : 2 / 3 exemplaires payés » on the public page, followed
    without a reload (screenshots 94-… to 96-…)."""
    from tests.e2e.test_title_minimums import LIVRE, LIVRE_TITLE, subscribe
    base = suite.gateway_url
    teacher = new_page()
    login(teacher, base, people["collectivite"]["email"], PASSWORD)
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Mon compte")
    teacher.goto(f"{base}/commandes-groupees/nouvelle/{WESTERN}?titre={LIVRE}")
    teacher.get_by_label("Date limite de souscription").fill(
        (grouped.paris_today() + timedelta(days=6)).isoformat())
    teacher.get_by_label("À la librairie", exact=False).check()
    teacher.get_by_label(re.compile("LE LIVRE.* est facultatif")).check()
    teacher.get_by_label(re.compile("^Minimum de « LE LIVRE")).fill("3")
    shot(teacher, "94-minimum-par-titre-creation")
    teacher.get_by_role("button", name="Créer la commande groupée").click()
    expect(teacher.get_by_role("status").first).to_contain_text("est créée")
    link = teacher.locator("#share-url").input_value()
    token = link.rsplit("/", 1)[1]
    expect(teacher.locator("ul.title-minimums")).to_contain_text(
        f"{LIVRE_TITLE} : 0 / 3 exemplaires payés (minimum du titre, facultatif)")
    expect(teacher.locator(f"#title-min-{LIVRE}")).to_have_value("3")
    shot(teacher, "95-minimum-par-titre-initiateur")

    grouped.pay(suite, token, subscribe(suite, token, "Lea", "Titre", 1, 2))
    parent = new_page()
    parent.goto(link)
    line = parent.locator(f"#progress-live #progress-title-{LIVRE}")
    expect(line).to_have_text(f"{LIVRE_TITLE} : 2 / 3 exemplaires payés : il en faut encore 1 "
                              "(titre facultatif : sinon il est retiré de la commande).")
    shot(parent, "96-minimum-par-titre-public")
    parent.evaluate("window.notReloaded = true")
    grouped.pay(suite, token, subscribe(suite, token, "Max", "Titre", 1, 1))
    expect(line).to_have_text(f"{LIVRE_TITLE} : 3 / 3 exemplaires payés : minimum du titre "
                              "atteint.", timeout=40_000)
    assert parent.evaluate("window.notReloaded") is True
