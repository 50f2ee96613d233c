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
