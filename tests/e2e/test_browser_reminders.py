"""Issue 10, K1 on a phone (390×844) in Chromium: the teacher moves the opening day of a
grouped order not open yet (a day in the past is refused in French, 400, nothing changed; a
good one is saved), and the bookshop turns the parents' reminders off on the grouped order's
admin page. Screenshots 70-… to 72-… in test-artifacts/, each checked by axe-core."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session
from tests.e2e.test_browser import login, new_page, shot  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser

WESTERN = "9791097284657"


def test_the_opening_day_moves_and_reminders_turn_off(suite, people, demo_feeds, new_page):
    base = suite.gateway_url
    today = grouped.paris_today()
    api = api_session(suite, people["collectivite"]["email"], PASSWORD)
    r = api.post(base + "/api/v1/grouped-orders", json={
        "client_number": "16", "ean": WESTERN, "pickup": "address-0",
        "deadline": (today + timedelta(days=10)).isoformat(),
        "opens_on": (today + timedelta(days=3)).isoformat()})
    assert r.status_code == 201, r.text
    number = r.json()["number"]

    teacher = new_page()
    login(teacher, base, people["collectivite"]["email"], PASSWORD)
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Mon compte")
    teacher.goto(f"{base}/commandes-groupees/{number}")
    field = teacher.get_by_label("Changer la date d'ouverture")
    expect(field).to_have_value((today + timedelta(days=3)).isoformat())
    field.fill((today - timedelta(days=1)).isoformat())
    with teacher.expect_response(re.compile(r"/ouverture$")) as answer:
        teacher.get_by_role("button", name="Changer la date d'ouverture").click()
    assert answer.value.status == 400
    expect(teacher.get_by_role("alert").first).to_contain_text(
        "La date d'ouverture ne peut pas être dans le passé.")
    shot(teacher, "70-date-ouverture-refusee")
    new_day = today + timedelta(days=5)
    teacher.get_by_label("Changer la date d'ouverture").fill(new_day.isoformat())
    teacher.get_by_role("button", name="Changer la date d'ouverture").click()
    expect(teacher.get_by_role("status").first).to_contain_text(
        f"Les souscriptions ouvriront le {new_day.strftime('%d/%m/%Y')}.")
    expect(teacher.get_by_label("Changer la date d'ouverture")).to_have_value(
        new_day.isoformat())
    shot(teacher, "71-date-ouverture-changee")

    admin = new_page()
    login(admin, base, ADMIN_EMAIL, ADMIN_PASSWORD)
    admin.goto(f"{base}/admin/commandes-groupees/{number}")
    box = admin.get_by_label("Rappeler aux acheteurs de payer avant la date limite")
    expect(box).to_be_checked()
    box.uncheck()
    admin.get_by_role("button", name="Enregistrer les rappels").click()
    expect(admin.get_by_role("status").first).to_contain_text(
        "ne recevront pas de rappel")
    expect(admin.get_by_label("Rappeler aux acheteurs de payer avant la date limite")) \
        .not_to_be_checked()
    shot(admin, "72-rappels-desactives")
    detail = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD).get(
        f"{base}/api/v1/admin/grouped-orders/{number}").json()
    assert detail["number"] == number
