"""Distribution day (issue 10 K5) in Chromium on a phone (390×844): the initiator sets the
distribution date (shown in words on the page), searches a
name (accents ignored, filtered as one types), ticks « venu » (saved at once: « Enregistré »),
then on a connection that drops the tick's requests the page says « Non enregistré,
réessayer » and its « Réessayer » saves it once; « Valider la distribution » waits for the
distribution day; on the day, « Valider la distribution », whose
confirmation names the parent paying at pickup who came without paying. Each
screenshot (test-artifacts/distribution-…) is checked by axe-core and for a page wider than the
screen."""
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from tests.e2e import grouped
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e.conftest import PASSWORD, api_session
from tests.e2e.test_browser import PHONE, login, new_page, shot  # noqa: F401
from tests.e2e.test_distribution import made_available
from tests.e2e.test_pickup_payment import allow_pickup, subscribe_at_pickup

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")

pytestmark = pytest.mark.browser

WESTERN = "9791097284657"


def test_distribution_on_a_phone_with_a_flaky_connection(suite, people, new_page):
    run = uuid.uuid4().hex[:4]
    owner = api_session(suite, people["collectivite"]["email"], PASSWORD)
    go, token = grouped.create(owner, suite, "16", WESTERN, days=10, pickup="bookshop")
    n = go["number"]
    subs = [grouped.subscribe(suite, token, first, f"{last}{run}", 1)
            for first, last in (("Éloïse", "Durand"), ("Oscar", "Martin"))]
    for sub in subs:
        grouped.pay(suite, token, sub)
    # Léa pays at pickup (issue 10 K5): « À payer : 14,90 € » on her card
    allow_pickup(suite, api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD), n)
    subscribe_at_pickup(suite, token, "Lea", f"Roux{run}")
    lea_number = max(s["number"] for s in owner.get(
        f"{suite.gateway_url}/api/v1/grouped-orders/{n}").json()["sub_orders"])
    subs.append({"number": lea_number})
    made_available(suite, n)

    page = new_page()
    assert page.viewport_size == PHONE
    login(page, suite.gateway_url, people["collectivite"]["email"], PASSWORD)
    page.goto(f"{suite.gateway_url}/commandes-groupees/{n}")
    page.get_by_role("link", name="Distribution : qui est venu, qui a payé").click()
    expect(page.get_by_role("heading", name=f"Distribution — commande groupée n° {n}")) \
        .to_be_visible()
    # the distribution date (issue 10 K5), set on the same page and shown in words
    day = grouped.paris_today() + timedelta(days=3)
    page.get_by_label("Jour de la distribution").fill(day.isoformat())
    page.get_by_label("Horaire (facultatif, ex. : de 16 h 30 à 18 h)").fill("de 16 h 30 à 18 h")
    page.get_by_role("button", name="Enregistrer la date").click()
    expect(page.locator("#distribution-label")).to_contain_text(
        f"{day.day} {MONTHS[day.month - 1]} {day.year}, de 16 h 30 à 18 h")
    shot(page, "distribution-1-liste")

    # the search filters as one types, accents and case ignored
    page.get_by_label("Chercher un acheteur (nom ou prénom)").fill("ELOISE")
    expect(page.get_by_text("1 acheteur sur 3")).to_be_visible()
    eloise = page.locator(f"#sous-commande-{subs[0]['number']}")
    expect(eloise).to_be_visible()
    expect(page.locator(f"#sous-commande-{subs[1]['number']}")).to_be_hidden()
    eloise.get_by_role("button", name="Venu").click()
    expect(eloise.get_by_text("Enregistré")).to_be_visible()
    expect(eloise.get_by_role("button", name="Venu")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#recap-came")).to_have_text("1")
    shot(page, "distribution-2-recherche-et-venu")

    # the connection drops every tick's request: the script retries, then says so
    dropped = []

    def drop(route):
        dropped.append(route.request.headers.get("idempotency-key"))
        route.abort("internetdisconnected")
    page.route("**/distribution/*/coche", drop)
    page.get_by_label("Chercher un acheteur (nom ou prénom)").fill("roux")
    lea = page.locator(f"#sous-commande-{subs[2]['number']}")
    expect(lea.get_by_text("À payer : 14,90")).to_be_visible()
    lea.get_by_role("button", name="A tout retiré").click()
    expect(lea.get_by_text("Non enregistré, réessayer")).to_be_visible(timeout=10000)
    assert len(dropped) == 3 and len(set(dropped)) == 1  # the same key each time
    shot(page, "distribution-3-non-enregistre")
    page.unroute("**/distribution/*/coche")
    lea.get_by_role("button", name="Réessayer").click()
    expect(lea.get_by_text("Enregistré")).to_be_visible()
    expect(lea.get_by_role("button", name="A tout retiré")).to_have_attribute(
        "aria-pressed", "true")
    expect(lea.get_by_role("button", name="Venu")).to_have_attribute("aria-pressed", "true")
    shot(page, "distribution-4-reessaye-enregistre")

    # reloaded: what was saved is what the server has
    page.goto(f"{suite.gateway_url}/distribution/{n}")
    expect(page.locator("#recap-came")).to_have_text("2")
    expect(page.locator("#recap-collected")).to_have_text("1")

    # three days before the day: no « Valider la distribution » yet (it would tell Oscar he
    # was not seen before the distribution took place), the page says from when
    expect(page.get_by_text("Vous pourrez valider la distribution le "
                            f"{day.day} {MONTHS[day.month - 1]} {day.year}")).to_be_visible()
    expect(page.get_by_role("button", name="Valider la distribution")).to_have_count(0)
    # the day comes (the distribution date, today)
    db = suite.db("grouped_orders")
    with db.transaction() as s:
        s.execute(text("UPDATE grouped_orders SET distribution_date = :d WHERE number = :n"),
                  {"d": grouped.paris_today(), "n": n})
    db.dispose()
    page.goto(f"{suite.gateway_url}/distribution/{n}")

    # « Valider la distribution »: Oscar did not come
    page.get_by_role("button", name="Valider la distribution").click()
    expect(page.get_by_text(f"1 acheteur n'a pas été vu : Oscar Martin{run}")).to_be_visible()
    expect(page.get_by_text(f"Venus sans avoir payé : Lea Roux{run} (14,90")).to_be_visible()
    shot(page, "distribution-5-confirmation")
    page.get_by_role("button", name="Valider la distribution").click()
    expect(page.get_by_text("La distribution est validée")).to_be_visible()
    expect(page.get_by_text("Distribution validée le")).to_be_visible()
    shot(page, "distribution-6-validee")
