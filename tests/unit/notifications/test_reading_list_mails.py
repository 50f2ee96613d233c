"""The grouped orders' mails of a reading list (issue 10): each title, its quantity and its
total; an event of one title (or from before reading lists) reads as before."""
from services.notifications import presenters
from services.notifications.domain.alerts import order_alert
from tests.unit.notifications.test_grouped_order_mails import BUYER, REF, received

LIVRE = {"ean": "9782362210419", "title": "LE LIVRE QU'IL NE FAUT SURTOUT, SURTOUT, SURTOUT, "
         "PAS LIRE !", "author": "LAROCHE SOPHIE", "publisher": "MIC MAC EDITION",
         "price_ttc": "6.40", "vat_rate": "5.5"}
TITLES = [dict(REF["article"], required=True, position=1),
          dict(LIVRE, required=False, position=2)]
LIST_REF = dict(REF, titles=TITLES)
LINES = [{"ean": "9791097284657", "title": "WESTERN COQUILLETTES", "publisher": "ORSO",
          "quantity": 2, "unit_price_ttc": "14.90", "vat_rate": "5.5", "total_ttc": "29.80"},
         {"ean": LIVRE["ean"], "title": LIVRE["title"], "publisher": "MIC MAC EDITION",
          "quantity": 1, "unit_price_ttc": "6.40", "vat_rate": "5.5", "total_ttc": "6.40"}]


def test_the_creation_mail_lists_every_title_and_the_optional_ones():
    _, _, body = presenters.render("grouped_order_created", received(
        "grouped_order_created", titles=TITLES), "x")
    assert "Titres (2) :" in body and "- WESTERN COQUILLETTES (EAN 9791097284657) — 14,90" in body
    assert f"- {LIVRE['title']} (EAN {LIVRE['ean']}) — 6,40\xa0€ TTC (facultatif)" in body


def test_the_buyers_confirmation_has_a_line_per_title_and_the_total():
    _, _, body = presenters.render("sub_order_paid", received(
        "sub_order_paid", grouped_order=LIST_REF, lines=LINES, quantity=3, total_ttc="36.20"),
        "x")
    assert "Quantité : 2 — Prix unitaire : 14,90\xa0€ TTC — Total : 29,80\xa0€ TTC" in body
    assert "Quantité : 1 — Prix unitaire : 6,40\xa0€ TTC — Total : 6,40\xa0€ TTC" in body
    assert "Total de la commande : 3 exemplaires — 36,20\xa0€ TTC" in body


def test_the_initiators_mails_count_each_title():
    _, _, body = presenters.render("grouped_order_validated", received(
        "grouped_order_validated", titles=TITLES, lines=LINES, quantity=3, total_ttc="36.20"),
        "x")
    assert "3 exemplaires de 2 titres (36,20\xa0€ TTC) sont commandés" in body
    assert f"- {LIVRE['title']} (EAN {LIVRE['ean']}) × 1 — 6,40\xa0€ TTC" in body
    _, _, body = presenters.render("grouped_order_deadline_passed", received(
        "grouped_order_deadline_passed", titles=TITLES, lines=LINES, paid_quantity=3,
        paid_total="36.20"), "x")
    assert "(WESTERN COQUILLETTES et 1 autre titre)" in body
    assert "- WESTERN COQUILLETTES : 2 payés — 29,80\xa0€ TTC" in body
    _, _, body = presenters.render("grouped_order_made_available", received(
        "grouped_order_made_available", titles=TITLES, lines=LINES, quantity=3), "x")
    assert f"{LIVRE['title']} (EAN {LIVRE['ean']}) — quantité 1" in body
    _, _, body = presenters.render("sub_order_cancelled", received(
        "sub_order_cancelled", grouped_order=LIST_REF, lines=LINES, buyer=BUYER), "x")
    assert f"(2 × « WESTERN COQUILLETTES », 1 × « {LIVRE['title']} », commande groupée" in body


def test_the_bookshops_alert_lists_each_title():
    alert = order_alert("grouped_order_validated", received(
        "grouped_order_validated", titles=TITLES, lines=LINES, quantity=3, total_ttc="36.20"))
    assert alert["lines"] == [("WESTERN COQUILLETTES", 2), (LIVRE["title"], 1)]
    assert order_alert("sub_order_paid", received("sub_order_paid"))["lines"] == [
        ("WESTERN COQUILLETTES", 2)]
