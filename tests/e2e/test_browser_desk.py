"""The « Commandes » page on a phone (390×844) and a wide screen in Chromium (issue 9): the
month calendar as a list of days on the phone and a grid on the wide screen, a day's orders,
the filters (a reversed amount range refused in French), one order's page. Every screenshot
(70-… to 74-…, in test-artifacts/) is checked by axe-core and for a page wider than the screen."""
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session
from tests.e2e.test_browser import DESKTOP, login, menu, new_page, shot  # noqa: F401
from tests.support.suite import wait_until

pytestmark = pytest.mark.browser

WESTERN = "9791097284657"


@pytest.fixture(scope="module")
def paid(suite, people):
    owner = api_session(suite, people["collectivite"]["email"], PASSWORD)
    go, token = grouped.create(owner, suite, "16", WESTERN, days=10, pickup="bookshop")
    buyer = grouped.subscribe(suite, token, "Chloé", "Bérard", 1)
    grouped.pay(suite, token, buyer)

    def registered():
        with suite.rpc() as rpc:
            return rpc.order_desk.list_orders({"kind": "sub_order",
                                               "number": buyer["number"]})["total"] == 1
    wait_until(registered, timeout=60, message="the sub-order in the desk's register")
    return {"go": go, "buyer": buyer}


def test_the_desk_on_a_phone(suite, paid, new_page):
    page = new_page()
    login(page, suite.gateway_url, ADMIN_EMAIL, ADMIN_PASSWORD)
    menu(page).get_by_role("link", name="Commandes", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Commandes")
    today = grouped.paris_today()
    # on a phone the grid gives way to the list of the days with orders
    expect(page.locator("table.calendar")).to_be_hidden()
    days = page.locator("ul.calendar-list")
    expect(days).to_be_visible()
    today_link = days.locator("li[aria-current=date]").get_by_role("link")
    expect(today_link).to_contain_text("(aujourd'hui) : ")
    expect(today_link).to_contain_text("€")
    expect(page.get_by_role("link", name="Mois précédent")).to_be_visible()
    shot(page, "70-commandes-telephone")

    today_link.click()
    expect(page.get_by_role("heading", level=2, name=re.compile("Commandes du"))).to_be_visible()
    assert f"day={today.isoformat()}" in page.url
    row = page.get_by_role("row").filter(has_text=f"Sous-commande n° {paid['buyer']['number']}")
    expect(row).to_contain_text("Chloé Bérard")
    expect(row).to_contain_text("14,90")
    expect(row).to_contain_text("Paiement confirmé")
    shot(page, "71-commandes-du-jour-telephone")

    filters = page.locator("details.filters-box")
    if filters.get_attribute("open") is None:  # open already when a filter (the day) is set
        filters.locator("summary").click()
    page.get_by_label("Montant TTC de (€)").fill("100")
    page.get_by_label("à (€)").fill("10")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "le montant « à » doit être supérieur ou égal")
    expect(page.get_by_label("à (€)")).to_have_attribute("aria-invalid", "true")
    shot(page, "72-filtre-montant-inverse-telephone")

    page.goto(f"{suite.gateway_url}/admin/commandes?customer=berard+chloe")
    page.get_by_role("link", name=f"Sous-commande n° {paid['buyer']['number']}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Sous-commande n° {paid['buyer']['number']}")
    expect(page.get_by_role("link", name=f"Voir la commande groupée n° {paid['go']['number']}"))\
        .to_be_visible()
    shot(page, "73-commande-detail-telephone")


def test_the_calendar_grid_on_a_wide_screen(suite, paid, browser):
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    try:
        page = context.new_page()
        login(page, suite.gateway_url, ADMIN_EMAIL, ADMIN_PASSWORD)
        page.goto(suite.gateway_url + "/admin/commandes")
        grid = page.locator("table.calendar")
        expect(grid).to_be_visible()
        expect(page.locator("ul.calendar-list")).to_be_hidden()
        cell = grid.locator("td[aria-current=date]")
        expect(cell).to_have_count(1)
        expect(cell.get_by_role("link")).to_contain_text(" / ")
        expect(cell.get_by_role("link")).to_contain_text("€")
        shot(page, "74-commandes-ordinateur")
    finally:
        context.close()
