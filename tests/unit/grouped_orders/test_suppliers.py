"""Totals to send to suppliers (issue 10 K2) and the sign-in sheet per publisher (K4): per title
(the sum of its lines), per publisher (the sum of its titles), global (the sum of the grouped
orders), TTC and HT per VAT rate, to the cent; through the use cases on a database; the PDFs'
text."""
from datetime import date
from decimal import Decimal as D

import pytest

from services.common.errors import DomainError
from services.grouped_orders import domain, sheet, supplier_sheet
from services.grouped_orders.use_cases import bookshop, suppliers
from tests.support.fakes import Events
from tests.support.pdf import pdf_text
from tests.unit.grouped_orders.test_use_cases import (CLIENT, INITIATOR, NOW, URL, WESTERN, db,
                                                       pay, subscribe, tx)

assert db  # the fixture

A = domain.SupplierTitle(1, "9791097284657", "WESTERN COQUILLETTES", "ORSO", "5.5", 1)
B = domain.SupplierTitle(2, "3000000000001", "JEU DE CARTES", "ORSO", "20", 2)
C = domain.SupplierTitle(3, "9782330150136", "CEMETERY ROAD", "ACTES SUD", "5.5", 3)
A2 = domain.SupplierTitle(11, "9791097284657", "WESTERN COQUILLETTES", "ORSO", "5.5", 1)
P2 = domain.SupplierTitle(12, "9770000000002", "LE JOURNAL", "MIC MAC", "2.1", 2)


def sub(number, status, *lines):
    return domain.Sub(number, status, tuple(domain.Line(k, q, D(p)) for k, q, p in lines))


ORDER_1 = (1, {1: A, 2: B, 3: C}, [
    sub(1, "paid", (1, 2, "14.90"), (2, 1, "9.99"), (3, 1, "25.00")),
    sub(2, "awaiting_payment", (1, 1, "14.90"), (2, 3, "9.99"), (3, 0, "25.00")),
    sub(3, "cancelled", (1, 5, "14.90"))])
ORDER_2 = (2, {11: A2, 12: P2}, [sub(4, "paid", (11, 3, "14.90"), (12, 2, "6.40"))])


def figures(f):
    return (f.copies_paid, f.ttc_paid, f.ht_paid, f.copies_awaiting, f.ttc_awaiting,
            f.ht_awaiting)


def test_per_title_per_publisher_and_global_to_the_cent():
    recap = domain.supplier_recap([ORDER_1, ORDER_2])
    assert [p.name for p in recap.publishers] == ["ACTES SUD", "MIC MAC", "ORSO"]
    actes, micmac, orso = recap.publishers
    # WESTERN: 2 paid in n° 1 (29.80) + 3 in n° 2 (44.70, HT 42.37); 1 awaiting. Each line's HT
    # is its share of its sub-order's base at 5.5 %, as the sub-order's invoice prints it: sub 1
    # has 29.80 + 25.00 = 54.80 TTC at 5.5 %, base 51.94; alone 28.25 + 23.70 = 51.95, so the
    # cent comes off the line rounded furthest up (WESTERN, 28.246 -> 28.24)
    western, cards = orso.titles[1], orso.titles[0]
    assert western.title == "WESTERN COQUILLETTES" and western.orders == [1, 2]
    assert figures(western.figures) == (5, D("74.50"), D("70.61"), 1, D("14.90"), D("14.12"))
    # 20 %: 9.99 -> HT 8.325 -> 8.33 (half up); 3 × 9.99 = 29.97 -> 24.975 -> 24.98
    assert figures(cards.figures) == (1, D("9.99"), D("8.33"), 3, D("29.97"), D("24.98"))
    assert figures(orso.figures) == (6, D("84.49"), D("78.94"), 4, D("44.87"), D("39.10"))
    assert {r: figures(f) for r, f in orso.by_rate.items()} == {
        "5.5": (5, D("74.50"), D("70.61"), 1, D("14.90"), D("14.12")),
        "20": (1, D("9.99"), D("8.33"), 3, D("29.97"), D("24.98"))}
    assert list(orso.by_rate) == ["5.5", "20"]
    assert figures(actes.figures) == (1, D("25.00"), D("23.70"), 0, D("0.00"), D("0.00"))
    assert figures(micmac.figures) == (2, D("12.80"), D("12.54"), 0, D("0.00"), D("0.00"))
    assert figures(recap.figures) == (9, D("122.29"), D("115.18"), 4, D("44.87"), D("39.10"))
    assert recap.figures.vat_paid == D("7.11")
    assert list(recap.by_rate) == ["2.1", "5.5", "20"]
    assert figures(recap.by_rate["5.5"]) == (6, D("99.50"), D("94.31"), 1, D("14.90"),
                                             D("14.12"))


def test_everything_adds_up_and_the_global_view_is_the_sum_of_the_grouped_orders():
    recap = domain.supplier_recap([ORDER_1, ORDER_2])
    for p in recap.publishers:
        total = domain.Figures()
        for t in p.titles:
            total.add(t.figures)
        assert figures(total) == figures(p.figures)
        by_rate = domain.Figures()
        for f in p.by_rate.values():
            by_rate.add(f)
        assert figures(by_rate) == figures(p.figures)
    alone = [domain.supplier_recap([order]).figures for order in (ORDER_1, ORDER_2)]
    assert figures(alone[0].add(alone[1])) == figures(recap.figures)
    assert figures(recap.orders[1]) == (4, D("64.79"), D("60.27"), 4, D("44.87"), D("39.10"))
    assert figures(recap.orders[1].add(recap.orders[2])) == figures(recap.figures)
    # the cancelled sub-order's 5 copies count nowhere
    assert sum(t.figures.copies_paid + t.figures.copies_awaiting
               for p in recap.publishers for t in p.titles) == 13


def test_the_publisher_falls_back_on_the_article_snapshot():
    assert domain.supplier_of("  MIC   MAC ") == "MIC MAC"
    assert domain.supplier_of("", {"distributor": "SODIS"}) == "SODIS"
    assert domain.supplier_of("", {}) == domain.NO_PUBLISHER


def test_the_period_is_checked_in_french():
    assert domain.check_period("2026-06-01", "2026-06-30") == (date(2026, 6, 1),
                                                             date(2026, 6, 30))
    for start, end, field in (("2026-06-30", "2026-06-01", "au"), ("hier", "2026-06-01", "du"),
                              ("2026-01-01", "2027-06-01", "au")):
        with pytest.raises(DomainError) as exc:
            domain.check_period(start, end)
        assert exc.value.code == "invalid" and field in exc.value.details
    # the message and its detail agree with what the field takes (it said « jj/mm/aaaa »)
    for bad in ("30/06/2026", "2026-06-30abc", "20260630", "2026-02-30", ""):
        with pytest.raises(DomainError) as exc:
            domain.check_period(bad, "2026-06-30")
        assert "AAAA-MM-JJ, par exemple 2026-06-30" in exc.value.message
        assert exc.value.details == {"du": ["Une date AAAA-MM-JJ, par exemple 2026-06-30."]}
    assert domain.default_period(date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 2, 28))


LIVRE = {"ean": "9782362210419", "title": "LE LIVRE QU'IL NE FAUT SURTOUT PAS LIRE",
         "author": "LAROCHE SOPHIE", "publisher": "MIC MAC EDITION", "price_ttc": "6.40",
         "vat_rate": "5.5"}
GAME = {"ean": "3760000000017", "title": "JEU DES 7 FAMILLES", "author": "",
        "publisher": "ORSO", "price_ttc": "9.99", "vat_rate": "20"}


def test_the_use_cases_the_pdf_and_the_sheet_per_publisher(db):
    from services.grouped_orders.use_cases import initiator
    events = Events()
    go = tx(db, initiator.create, INITIATOR, CLIENT, [WESTERN, dict(LIVRE, optional=True), GAME],
            {"deadline": "2022-03-29", "pickup": "address-0"}, NOW, events, URL,
            "À la librairie")
    token = go["subscription_url"].rsplit("/", 1)[1]
    leto = subscribe(db, token, "Jared", "Leto", None, events=events,
                     lines={WESTERN["ean"]: 2, LIVRE["ean"]: 1, GAME["ean"]: 1})
    pay(db, events, token, leto, "pay_leto")
    subscribe(db, token, "Mickey", "Rourke", None, events=events,
              lines={WESTERN["ean"]: 1, LIVRE["ean"]: 0, GAME["ean"]: 3})
    n = go["number"]
    recap = tx(db, suppliers.order_recap, n, INITIATOR["id"], "collectivite")
    assert [p["name"] for p in recap["publishers"]] == ["MIC MAC EDITION", "ORSO"]
    orso = recap["publishers"][1]
    assert [(t["title"], t["copies_paid"], t["ttc_paid"], t["ht_paid"], t["copies_awaiting"],
             t["ttc_awaiting"]) for t in orso["titles"]] == [
        ("JEU DES 7 FAMILLES", 1, "9.99", "8.33", 3, "29.97"),
        ("WESTERN COQUILLETTES", 2, "29.80", "28.25", 1, "14.90")]
    # the paid sub-order's invoice: 36.20 TTC at 5.5 % (base 34.31) + 9.99 at 20 % (8.33)
    assert recap["totals"]["ttc_paid"] == "46.19" and recap["totals"]["ht_paid"] == "42.64"
    assert [(r["vat_rate"], r["ttc_paid"]) for r in recap["by_rate"]] == [("5.5", "36.20"),
                                                                        ("20", "9.99")]
    # another initiator's: not found; the global view for the period of its deadline
    with pytest.raises(DomainError):
        tx(db, suppliers.order_recap, n, 999, "collectivite")
    period = tx(db, suppliers.period_recap, "2022-03-01", "2022-03-31")
    assert [g["number"] for g in period["grouped_orders"]] == [n]
    assert period["totals"] == recap["totals"]
    assert tx(db, suppliers.period_recap, "2022-04-01", "2022-04-30")["publishers"] == []

    text = " ".join(pdf_text(supplier_sheet.render(recap)).split()).replace("\xa0", " ")
    assert f"Récapitulatif par produits — commande groupée n° {n}" in text
    assert "Éditeur : ORSO" in text and "Total ORSO" in text
    assert "Total : payés 4 ex. — 46,19 € TTC, 42,64 € HT" in text

    view = tx(db, bookshop.get, n, NOW, URL)
    pdf = " ".join(pdf_text(sheet.render(view, "publishers")).split()).replace("\xa0", " ")
    assert "Éditeur : MIC MAC EDITION (1 acheteur)" in pdf
    assert "Éditeur : ORSO (2 acheteurs)" in pdf
    assert "3 × JEU DES 7 FAMILLES" in pdf and "44,87 € (à payer)" in pdf, pdf
    assert "ORSO : payés 3 ex. (39,79 €) · en attente de paiement 4 ex. (44,87 €)" in pdf
