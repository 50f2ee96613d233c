"""Totals to send to suppliers end to end (issue 10 K2, reference 004 step 3) and the sign-in
sheet per publisher (K4): two grouped orders of a collectivity (a reading list with a 20 %
title, and another list), buyers paid and awaiting; the bookshop's global view for the period
of their deadlines (page, CSV, PDF through pdftotext), each grouped order's recap, the
initiator's own (another collectivity's: not found), the sign-in sheet per publisher; the
global view on a phone (390 × 844) with axe-core."""
import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import text

from services.common.money import money
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session
from tests.e2e.test_browser import login, new_page, shot  # noqa: F401 (the fixture)
from tests.support.pdf import pdf_text

WESTERN, LIVRE = "9791097284657", "9782362210419"   # ORSO 14.90, MIC MAC EDITION 6.40 (5.5 %)
# deadlines far enough not to share the period with the other modules' grouped orders
DAYS = (57, 58)


def flat(value):
    """The text, tags and spaces folded (babel's no-break spaces as spaces)."""
    folded = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", value))
    return folded.replace("\xa0", " ").replace("\u202f", " ")


def subscribe(suite, token, first, last, lines):
    r = requests.post(f"{suite.gateway_url}/api/v1/public/grouped-orders/{token}/subscriptions",
                      json={"first_name": first, "last_name": last, "accepted_terms": True,
                            "email": f"{first.lower()}.{last.lower()}@free.fr",
                            "lines": [{"ean": e, "quantity": q} for e, q in lines.items()]})
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture(scope="module")
def orders(suite, people, demo_feeds):
    """Two grouped orders of ECOLE JULES FERRY: n1 WESTERN + a 20 % game (optional), n2
    WESTERN + LE LIVRE…; Leto paid and Rourke awaiting in n1, Diaz paid in n2."""
    db = suite.db("librisoft_bridge")
    try:
        with db.transaction() as s:
            game = dict(s.execute(text(
                "SELECT ean, title, publisher, price_ttc FROM articles WHERE vat_rate = '20' "
                "AND price_ttc > 0 AND publisher IS NOT NULL AND publisher <> 'ORSO' "
                "ORDER BY ean LIMIT 1")).mappings().one())
    finally:
        db.dispose()
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    made = []
    for days, titles in ((DAYS[0], [{"ean": WESTERN}, {"ean": game["ean"], "optional": True}]),
                         (DAYS[1], [{"ean": WESTERN}, {"ean": LIVRE}])):
        r = teacher.post(suite.gateway_url + "/api/v1/grouped-orders", json={
            "client_number": "16", "titles": titles, "pickup": "address-0",
            "deadline": (grouped.paris_today() + timedelta(days=days)).isoformat()})
        assert r.status_code == 201, r.text
        made.append((r.json()["number"], r.json()["subscription_url"].rsplit("/", 1)[1]))
    (n1, t1), (n2, t2) = made
    leto = subscribe(suite, t1, "Jared", "Leto", {WESTERN: 2, game["ean"]: 1})
    grouped.pay(suite, t1, leto)
    subscribe(suite, t1, "Mickey", "Rourke", {WESTERN: 1, game["ean"]: 3})
    diaz = subscribe(suite, t2, "Cameron", "Diaz", {WESTERN: 3, LIVRE: 2})
    grouped.pay(suite, t2, diaz)
    start, end = (grouped.paris_today() + timedelta(days=d) for d in DAYS)
    return {"n1": n1, "n2": n2, "game": game, "teacher": teacher, "start": start.isoformat(),
            "end": end.isoformat()}


def test_the_global_view_for_a_period_its_csv_and_pdf(suite, orders):
    base, admin = suite.gateway_url, api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    n1, n2, game = orders["n1"], orders["n2"], orders["game"]
    price = money(game["price_ttc"])
    period = f"du={orders['start']}&au={orders['end']}"
    page = admin.get(f"{base}/admin/recapitulatif-fournisseurs?{period}")
    assert page.status_code == 200
    shown = flat(page.text)
    assert "Récapitulatif fournisseurs — vue globale" in shown
    assert f"n° {n1} — ECOLE JULES FERRY" in shown and f"n° {n2} — ECOLE JULES FERRY" in shown
    assert "Total ORSO" in shown and "Total MIC MAC EDITION" in shown

    r = admin.get(f"{base}/admin/recapitulatif-fournisseurs.csv?{period}")
    assert r.status_code == 200 and r.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    by_title = {(row[0], row[2]): row for row in rows[1:] if row[2]}
    # WESTERN: 2 paid in n1 (29.80, HT 28.25), 3 in n2 (44.70, HT 42.37), 1 awaiting in n1
    assert by_title[("ORSO", WESTERN)][3:] == ["5.5", "5", "74.50", "70.62", "3.88", "1",
                                                "14.90", "14.12", "0", "0.00", "0.00",
                                                f"{n1} {n2}"]
    assert by_title[("MIC MAC EDITION", LIVRE)][3:] == ["5.5", "2", "12.80", "12.13", "0.67",
                                                        "0", "0.00", "0.00", "0", "0.00",
                                                        "0.00", str(n2)]
    g = by_title[(game["publisher"], game["ean"])]
    ht = money(price / Decimal("1.2"))
    assert g[3:11] == ["20", "1", str(price), str(ht), str(price - ht), "3",
                       str(price * 3), str(money(price * 3 / Decimal("1.2")))]
    total = rows[-1]
    assert total[1] == "Total général" and total[-1] == f"{n1} {n2}"
    assert total[4:6] == ["8", str(Decimal("74.50") + Decimal("12.80") + price)]
    assert total[6] == str(Decimal("70.62") + Decimal("12.13") + ht)
    rates = {row[3]: row for row in rows if row[1].startswith("Total TVA")}
    assert rates["20"][5] == str(price) and rates["5.5"][5] == "87.30"

    pdf = admin.get(f"{base}/admin/recapitulatif-fournisseurs.pdf?{period}")
    assert pdf.headers["Content-Type"] == "application/pdf"
    words = flat(pdf_text(pdf.content))
    assert "Vue globale des commandes groupées — clôture du" in words
    assert "Éditeur : ORSO" in words and "Total ORSO" in words
    assert f"Total : payés 8 ex. — {total[5].replace('.', ',')} € TTC" in words

    # a period upside down: a French 400, no figure
    bad = admin.get(f"{base}/admin/recapitulatif-fournisseurs?du={orders['end']}&au=2020-01-01")
    assert bad.status_code == 400 and "avant son début" in bad.text


def test_each_grouped_orders_recap_and_the_sign_in_sheet_per_publisher(suite, people, orders):
    base, teacher, n1 = suite.gateway_url, orders["teacher"], orders["n1"]
    shown = flat(teacher.get(f"{base}/commandes-groupees/{n1}/recapitulatif-produits").text)
    assert f"Récapitulatif par produits — commande groupée n° {n1}" in shown
    assert "WESTERN COQUILLETTES" in shown and "29,80 €" in shown and "14,90 €" in shown
    r = teacher.get(f"{base}/commandes-groupees/{n1}/recapitulatif-produits.csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert ["ORSO", "WESTERN COQUILLETTES", WESTERN, "5.5", "2", "29.80", "28.25", "1.55", "1",
            "14.90", "14.12", "0", "0.00", "0.00", str(n1)] in rows
    other = api_session(suite, people["other"]["email"], PASSWORD)
    assert other.get(f"{base}/commandes-groupees/{n1}/recapitulatif-produits").status_code \
        == 404
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert "recapitulatif-produits" in admin.get(f"{base}/admin/commandes-groupees/{n1}").text
    pdf = admin.get(f"{base}/admin/commandes-groupees/{n1}/recapitulatif-produits.pdf")
    assert f"Récapitulatif par produits — commande groupée n° {n1}" in flat(pdf_text(pdf.content))

    sheet = teacher.get(f"{base}/commandes-groupees/{n1}/pdf?par=editeur")
    assert sheet.status_code == 200 and "emargement-editeurs" in \
        sheet.headers["Content-Disposition"]
    words = flat(pdf_text(sheet.content))
    game = orders["game"]
    assert "Éditeur : ORSO (2 acheteurs)" in words
    assert f"Éditeur : {game['publisher']} (2 acheteurs)" in words
    assert "Leto" in words and "Rourke" in words and "(à payer)" in words
    assert "ORSO : payés 2 ex. (29,80 €) · en attente de paiement 1 ex. (14,90 €)" in words
    # the global sheet is still there
    assert "Récapitulatif de l'ensemble des sous-commandes" in flat(pdf_text(
        teacher.get(f"{base}/commandes-groupees/{n1}/pdf").content))


def test_the_global_view_on_a_phone(suite, orders, new_page):  # noqa: F811
    base = suite.gateway_url
    page = new_page()
    login(page, base, ADMIN_EMAIL, ADMIN_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration de la librairie")
    page.goto(f"{base}/admin/commandes-groupees")
    page.get_by_role("link", name="Récapitulatif fournisseurs (vue globale)").click()
    page.get_by_label("Clôture du").fill(orders["start"])
    page.get_by_label("au", exact=True).fill(orders["end"])
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("heading", name="ORSO", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Totaux par taux de TVA")).to_be_visible()
    shot(page, "70-recapitulatif-fournisseurs")
    # a grouped order's page links its recap and its sign-in sheet per publisher
    page.goto(f"{base}/admin/commandes-groupees/{orders['n1']}")
    expect(page.get_by_role("link", name="Listes d'émargement par éditeur (PDF)")).to_be_visible()
    page.get_by_role("link", name="Récapitulatif par produits (éditeurs)").scroll_into_view_if_needed()
    shot(page, "71-commande-groupee-liens-fournisseurs")
    page.get_by_role("link", name="Récapitulatif par produits (éditeurs)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Récapitulatif par produits")
    shot(page, "72-recapitulatif-par-produits")
