"""The supplier recap (issue 10 K2) shows the copies « à payer au retrait » apart from those
awaiting their payment (the tester's defect: they were counted under « En attente »): three
groups, paid, awaiting, to collect at pickup, each adding up per title, publisher, rate and
overall, on the page's figures, the CSV and the PDF."""
from decimal import Decimal as D

from gateway.views.suppliers import CSV_HEADER, csv_rows
from services.grouped_orders import domain, supplier_sheet
from services.grouped_orders.presenters import figures_view
from tests.support.pdf import pdf_text

A = domain.SupplierTitle(1, "9791097284657", "WESTERN COQUILLETTES", "ORSO", "5.5", 1)
B = domain.SupplierTitle(2, "3000000000001", "JEU DE CARTES", "ORSO", "20", 2)


def sub(number, status, method, *lines):
    return domain.Sub(number, status, tuple(domain.Line(k, q, D(p)) for k, q, p in lines),
                      method)


ORDER = (7, {1: A, 2: B}, [
    sub(1, "paid", "online", (1, 2, "14.90")),
    sub(2, "awaiting_payment", "cheque", (1, 1, "14.90"), (2, 1, "9.99")),
    sub(3, "awaiting_payment", "pickup", (1, 3, "14.90"), (2, 2, "9.99")),
    sub(4, "cancelled", "pickup", (1, 5, "14.90"))])


def three(f):
    return ((f.copies_paid, f.ttc_paid, f.ht_paid), (f.copies_awaiting, f.ttc_awaiting,
            f.ht_awaiting), (f.copies_pickup, f.ttc_pickup, f.ht_pickup))


def test_pickup_copies_are_apart_from_the_awaiting_ones_and_everything_adds_up():
    recap = domain.supplier_recap([ORDER])
    (orso,) = recap.publishers
    cards, western = orso.titles
    assert three(western.figures) == ((2, D("29.80"), D("28.25")), (1, D("14.90"), D("14.12")),
                                      (3, D("44.70"), D("42.37")))
    assert three(cards.figures) == ((0, D("0.00"), D("0.00")), (1, D("9.99"), D("8.33")),
                                    (2, D("19.98"), D("16.65")))
    assert three(orso.figures) == ((2, D("29.80"), D("28.25")), (2, D("24.89"), D("22.45")),
                                   (5, D("64.68"), D("59.02")))
    assert three(recap.figures) == three(orso.figures) == three(recap.orders[7])
    for rate, f in recap.by_rate.items():
        assert three(f) == three(orso.by_rate[rate])
    view = figures_view(recap.figures)
    assert (view["copies_awaiting"], view["ttc_awaiting"], view["copies_at_pickup"],
            view["ttc_at_pickup"], view["ht_at_pickup"], view["vat_at_pickup"]) == (
        2, "24.89", 5, "64.68", "59.02", "5.66")


def _view(recap):
    def titles(p):
        return [{"ean": t.ean, "title": t.title, "vat_rate": t.vat_rate, "orders": t.orders,
                 **figures_view(t.figures)} for t in p.titles]
    return {"number": 7, "publishers": [
        {"name": p.name, "titles": titles(p), "totals": figures_view(p.figures),
         "by_rate": [{"vat_rate": r, **figures_view(f)} for r, f in p.by_rate.items()]}
        for p in recap.publishers],
        "totals": figures_view(recap.figures),
        "by_rate": [{"vat_rate": r, **figures_view(f)} for r, f in recap.by_rate.items()],
        "grouped_orders": [{"number": 7, "client_name": "ÉCOLE", "deadline": "2022-03-29",
                            "status_label": "Validée", **figures_view(recap.figures)}]}


def test_the_csv_and_the_pdf_show_them_apart():
    view = _view(domain.supplier_recap([ORDER]))
    rows = csv_rows(view)
    assert CSV_HEADER[8:14] == ["exemplaires_en_attente", "total_ttc_en_attente",
                                "total_ht_en_attente", "exemplaires_a_encaisser_au_retrait",
                                "total_ttc_a_encaisser_au_retrait",
                                "total_ht_a_encaisser_au_retrait"]
    total = rows[-1]
    assert total[1] == "Total général" and total[8:14] == [2, "24.89", "22.45", 5, "64.68",
                                                           "59.02"]
    text = pdf_text(supplier_sheet.render(view))
    assert "à encaisser au retrait 5 ex. — 64,68 € TTC, 59,02 € HT" in text
