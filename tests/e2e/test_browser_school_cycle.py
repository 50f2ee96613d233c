"""Issue 10's proof, the whole school cycle in Chromium on a phone (390×844): the teacher builds a
reading list of 3 titles with a minimum of copies; 12 families subscribe and pay (one in the
browser, eleven through the public API and the payments sandbox); the bookshop closes the
subscriptions (« Clore les souscriptions maintenant ») with the minimum met, cuts one title to
half its ordered copies (the partial refunds reach the sandbox), checks the red lines
(« J'ai vérifié »), validates the grouped order and makes it available; on distribution day the
teacher ticks who came and who took everything, validates the distribution, and gets the recap
mail. The sign-in sheet (PDF, read with pdftotext) lists the three titles. Every screenshot
(test-artifacts/cycle-…) is checked by axe-core and for a page wider than the screen."""
import re
import uuid
from datetime import timedelta

import pytest
import requests
from playwright.sync_api import expect
from unidecode import unidecode

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session
from tests.e2e.test_browser import PHONE, login, new_page, shot  # noqa: F401 (the fixture)
from tests.e2e.test_browser_reading_list import add_title
from tests.e2e.test_once import settled
from tests.e2e.test_unavailable_titles import payments_of, sandbox_refunds
from tests.support.pdf import pdf_text
from tests.support.suite import wait_until

pytestmark = pytest.mark.browser

WESTERN, LIVRE, CEMETERY = "9791097284657", "9782362210419", "9782330150136"
FAMILIES = ["Arnaud", "Bertin", "Carpentier", "Delmas", "Étienne", "Fabre", "Giraud",
            "Hamon", "Imbert", "Jacquet", "Klein"]


def flat(text):
    return re.sub(r"\s+", " ", text)


def test_the_school_cycle_on_a_phone(suite, people, demo_feeds, smtp, new_page):
    base, run = suite.gateway_url, uuid.uuid4().hex[:4]
    teacher_email = people["collectivite"]["email"]

    # 1. the teacher's reading list: 3 titles, a minimum of 12 copies
    teacher = new_page()
    assert teacher.viewport_size == PHONE
    login(teacher, base, teacher_email, PASSWORD)
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Mon compte")
    teacher.goto(f"{base}/commandes-groupees/nouvelle/{WESTERN}")
    add_title(teacher, "cemetery road", "CEMETERY ROAD")
    add_title(teacher, "9782362210419", "LE LIVRE QU'IL NE FAUT SURTOUT")
    expect(teacher.get_by_role("heading", name="Liste de lecture : 3 titres")).to_be_visible()
    teacher.get_by_label("Date limite de souscription").fill(
        (grouped.paris_today() + timedelta(days=6)).isoformat())
    teacher.get_by_label("À la librairie", exact=False).check()
    teacher.get_by_label("Minimum pour que la commande soit passée").fill("12")
    teacher.evaluate("() => document.activeElement.blur()")
    shot(teacher, "cycle-01-liste-de-lecture")
    teacher.get_by_role("button", name="Créer la commande groupée").click()
    expect(teacher.get_by_role("status").first).to_contain_text("est créée")
    n = int(re.search(r"n° (\d+)", teacher.get_by_role("heading", level=1).inner_text())[1])
    link = teacher.locator("#share-url").input_value()
    token = link.rsplit("/", 1)[1]
    expect(teacher.get_by_text("Titres (3)")).to_be_visible()
    expect(teacher.get_by_text("Minimum : 0 / 12 exemplaires payés")).to_be_visible()
    shot(teacher, "cycle-02-liste-creee")

    # 2. a family subscribes and pays in the browser: one copy of each title
    parent = new_page()
    parent.goto(link)
    expect(parent.get_by_role("heading", level=1)).to_have_text("Liste de lecture : 3 titres")
    for label in ("WESTERN COQUILLETTES", "LE LIVRE QU'IL NE FAUT", "CEMETERY ROAD"):
        parent.get_by_label(label).fill("1")
    parent.get_by_label("Prénom").fill("Louise")
    parent.get_by_label(re.compile("^Nom")).fill(f"Aubry{run}")
    parent.get_by_label("Adresse e-mail").fill(f"louise.aubry{run}@free.fr")
    parent.get_by_label("Élève et classe").fill(f"Jules Aubry{run}, CM1")
    parent.get_by_label("J'accepte les conditions générales de vente").check()
    parent.evaluate("() => document.activeElement.blur()")
    shot(parent, "cycle-03-souscription")
    parent.get_by_role("button", name="Payer la commande").click()
    expect(parent.get_by_role("button", name="Refuser")).to_be_visible()
    parent.get_by_role("button", name="Payer", exact=False).first.click()
    expect(parent.get_by_role("status")).to_contain_text("Paiement confirmé", timeout=20000)
    shot(parent, "cycle-04-payee")

    # eleven more families, through the public API and the sandbox: one copy of each title
    subs = []
    for last in FAMILIES:
        r = requests.post(f"{base}/api/v1/public/grouped-orders/{token}/subscriptions", json={
            "first_name": "Famille", "last_name": f"{last}{run}", "accepted_terms": True,
            "email": f"{unidecode(last).lower()}{run}@free.fr",
            "lines": [{"ean": WESTERN, "quantity": 1}, {"ean": LIVRE, "quantity": 1},
                      {"ean": CEMETERY, "quantity": 1}]})
        assert r.status_code == 201, r.text
        subs.append(r.json())
        grouped.pay(suite, token, subs[-1])
    owner = api_session(suite, teacher_email, PASSWORD)
    wait_until(lambda: owner.get(f"{base}/api/v1/grouped-orders/{n}").json()["summary"]
               ["sub_orders"]["paid"] == 12, message="the 12 payments")
    teacher.reload()
    expect(teacher.get_by_text(re.compile(r"Minimum : \d+ / 12 exemplaires payés"))) \
        .to_be_visible()
    table = teacher.locator("table.by-title")
    expect(table.get_by_role("row", name=re.compile("^WESTERN"))).to_contain_text("12")
    shot(teacher, "cycle-05-douze-acheteurs")

    # 3. the bookshop closes the subscriptions: the minimum is met
    admin = new_page()
    login(admin, base, ADMIN_EMAIL, ADMIN_PASSWORD)
    admin_url = f"{base}/admin/commandes-groupees/{n}"
    admin.goto(admin_url)
    admin.get_by_role("button", name="Clore les souscriptions maintenant").click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text(
        "Clore les souscriptions de la commande groupée")
    shot(admin, "cycle-06-clore-confirmation")
    admin.get_by_role("button", name="Clore les souscriptions maintenant").click()
    expect(admin.get_by_text("Les souscriptions sont closes")).to_be_visible()
    admin_api = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert admin_api.get(f"{base}/api/v1/admin/grouped-orders/{n}").json()["status"] \
        == "awaiting_validation"
    shot(admin, "cycle-07-souscriptions-closes")

    # 4. WESTERN COQUILLETTES cut to half its 12 copies: the last six families get 14,90 € back
    refunds_before = len(sandbox_refunds(suite))
    admin.goto(f"{admin_url}#indisponibles")
    admin.get_by_label("Exemplaires disponibles de « WESTERN COQUILLETTES »").fill("6")
    admin.get_by_role("button", name="Corriger les commandes de « WESTERN COQUILLETTES »") \
        .click()
    expect(admin.get_by_text("premier inscrit, premier servi")).to_be_visible()
    # the copies ordered and each family cut, before it is confirmed
    expect(admin.get_by_text("12 exemplaires commandés aujourd'hui.")).to_be_visible()
    expect(admin.locator("ul.confirm-items li")).to_have_count(6)
    expect(admin.locator("ul.confirm-items li").first).to_contain_text("1 → 0")
    shot(admin, "cycle-08-indisponible-confirmation")
    admin.get_by_role("button", name="Corriger les commandes et rembourser").click()
    expect(admin.get_by_text("Les commandes sont corrigées")).to_be_visible()
    rows = admin.locator("li.adjusted-line")
    expect(rows).to_have_count(6)
    expect(rows.first).to_contain_text("1 → 0")
    expect(rows.first).to_contain_text("14,90 € remboursés")
    admin.locator("#indisponibles").scroll_into_view_if_needed()
    shot(admin, "cycle-09-lignes-en-rouge")
    wait_until(lambda: len(sandbox_refunds(suite)) == refunds_before + 6,
               message="six partial refunds in the sandbox")
    # the last six to subscribe (Fabre … Klein), each on their own payment, still « succeeded »
    cut = subs[5:]
    paid = [wait_until(lambda sub=sub: [p for p in payments_of(suite, sub) if p["refunds"]],
                       message=f"sub-order {sub['number']}'s partial refund")[0] for sub in cut]
    assert [(p["state"], [r["amount"] for r in p["refunds"]]) for p in paid] == \
        [("succeeded", ["14.90"])] * 6
    assert sorted(sandbox_refunds(suite)[refunds_before:]) == sorted(
        (p["payment_id"], "14.90") for p in paid)
    (changed,) = settled(suite, smtp, f"klein{run}@free.fr", "est modifiée")
    assert "WESTERN COQUILLETTES" in changed.get_content()
    admin.get_by_role("button", name="J'ai vérifié").click()
    expect(admin.get_by_text("Les lignes corrigées sont vérifiées.")).to_be_visible()
    expect(admin.locator("li.adjusted-line")).to_have_count(0)

    # 5. validated, then made available
    admin.goto(admin_url)
    admin.get_by_role("button", name="Valider la commande groupée et envoyer vers LIBRISOFT") \
        .click()
    expect(admin.get_by_text("La commande groupée est validée")).to_be_visible()
    expect(admin.get_by_text("Minimum : 30 / 12 exemplaires payés")).to_be_visible()
    # 555,60 € paid before the cut, less 6 × 14,90 €
    table = admin.locator("table.by-title")
    expect(table.get_by_role("row", name=re.compile("^WESTERN"))).to_contain_text("89,40")
    expect(table.get_by_role("row", name=re.compile("^Ensemble des titres"))) \
        .to_contain_text("466,20")
    shot(admin, "cycle-10-validee")
    admin.get_by_role("link", name="Mettre à disposition").click()
    admin.get_by_role("button", name="Envoyer le mail et clôturer la commande").click()
    expect(admin.get_by_text("Le mail de mise à disposition est envoyé")).to_be_visible()
    shot(admin, "cycle-11-mise-a-disposition")

    # the sign-in sheet lists the three titles
    sheet = owner.get(f"{base}/commandes-groupees/{n}/pdf")
    assert sheet.status_code == 200 and sheet.headers["Content-Type"] == "application/pdf"
    words = flat(pdf_text(sheet.content))
    for title in ("WESTERN COQUILLETTES", "CEMETERY ROAD", "LE LIVRE QU'IL NE FAUT"):
        assert title in words, title
    assert f"Aubry{run}" in words and f"Klein{run}" in words

    # 6. distribution day: everyone came but the Klein family; the Arnaud took everything
    teacher.goto(f"{base}/commandes-groupees/{n}")
    teacher.get_by_role("link", name="Distribution : qui est venu, qui a payé").click()
    expect(teacher.get_by_role("heading", name=f"Distribution — commande groupée n° {n}")) \
        .to_be_visible()
    expect(teacher.get_by_text("12 acheteurs sur 12")).to_be_visible()
    fabre = teacher.locator(f"#sous-commande-{subs[5]['number']}")
    expect(fabre).to_contain_text("2 exemplaires")
    expect(fabre).to_contain_text("31,40")
    expect(fabre).not_to_contain_text("WESTERN")
    shot(teacher, "cycle-12-distribution")
    # the pupil Louise Aubry named: found by the child's name, shown on her card
    teacher.get_by_label("Chercher un acheteur (nom ou prénom)").fill(f"jules aubry{run}")
    pupil = teacher.locator("[id^=sous-commande-]:visible")
    expect(pupil).to_have_count(1)
    expect(pupil).to_contain_text(f"Pour l'élève : Jules Aubry{run}, CM1")
    expect(pupil).to_contain_text("Louise")
    search = teacher.get_by_label("Chercher un acheteur (nom ou prénom)")
    search.fill(f"arnaud{run}")
    arnaud = teacher.locator(f"#sous-commande-{subs[0]['number']}")
    arnaud.get_by_role("button", name="A tout retiré").click()
    expect(arnaud.get_by_text("Enregistré")).to_be_visible()
    expect(arnaud.get_by_role("button", name="Venu")).to_have_attribute("aria-pressed", "true")
    shot(teacher, "cycle-13-a-tout-retire")
    came = 1
    for last, sub in zip(["Aubry", *FAMILIES[1:-1]], [None, *subs[1:-1]]):
        search.fill(f"{unidecode(last).lower()}{run}")
        row = teacher.locator(f"#sous-commande-{sub['number']}") if sub else \
            teacher.locator("[id^=sous-commande-]:visible").first
        row.get_by_role("button", name="Venu").click()
        expect(row.get_by_text("Enregistré")).to_be_visible()
        came += 1
    expect(teacher.locator("#recap-came")).to_have_text(str(came))
    search.fill("")
    teacher.get_by_role("button", name="Valider la distribution").click()
    expect(teacher.get_by_text(f"1 acheteur n'a pas été vu : Famille Klein{run}")) \
        .to_be_visible()
    shot(teacher, "cycle-14-distribution-confirmation")
    teacher.get_by_role("button", name="Valider la distribution").click()
    expect(teacher.get_by_text("La distribution est validée")).to_be_visible()
    shot(teacher, "cycle-15-distribution-validee")

    # 7. the teacher's recap mail
    (recap,) = settled(suite, smtp, teacher_email, f"n° {n} : distribution validée")
    body = recap.get_content()
    assert "Venus : 11" in body and "Absents : 1" in body and f"Klein{run}" in body
