"""The grouped order's own document and PDF (the initiator's and the bookshop's) show the copies
« à payer au retrait » (ordered from the supplier, not paid yet) apart from the paid ones, each
part adding up, and the total ordered = paid + to be paid at pickup."""
from decimal import Decimal

from services.common import config, order_pdf
from services.common.contracts.documents import OrderDocument, adds_up_problems
from services.grouped_orders.use_cases import documents
from tests.support.fakes import Events
from tests.support.pdf import pdf_text

from .test_pickup_payment import a_grouped_order
from .test_use_cases import db, tx  # noqa: F401


def test_the_grouped_order_document_has_its_copies_to_pay_at_pickup_apart(db):
    go, *_ = a_grouped_order(db, Events())  # Alice paid 2 online; Paul 1, Pia 2 at pickup
    doc = tx(db, documents.order_document, "grouped_order", go["number"])
    assert OrderDocument().validate(doc) == {}
    # the paid part, as before: what the invoices and « payé » figures count
    assert [(x["quantity"], x["total_ttc"]) for x in doc["lines"]] == [(2, "29.80")]
    assert doc["totals"]["total_ttc"] == "29.80"
    pickup = doc["at_pickup"]
    assert [(x["ean"], x["quantity"], x["unit_price_ttc"], x["total_ttc"])
            for x in pickup["lines"]] == [("9791097284657", 3, "14.90", "44.70")]
    assert adds_up_problems(pickup) == []
    # 44.70 / 1.055 = 42.369… -> 42.37 HT, 2.33 VAT
    assert pickup["totals"] == {"total_ht": "42.37", "total_ttc": "44.70",
                                "vat": [{"rate": "5.5", "base_ht": "42.37", "amount": "2.33"}]}
    assert Decimal(doc["totals"]["total_ttc"]) + Decimal(pickup["totals"]["total_ttc"]) == \
        Decimal("74.50")  # what is ordered from the supplier: 5 copies


def test_a_grouped_order_without_pickup_buyers_has_no_pickup_part(db):
    from .test_documents import reference_62
    go, *_ = reference_62(db)
    doc = tx(db, documents.order_document, "grouped_order", go["number"])
    assert doc.get("at_pickup") is None


def test_the_pdf_labels_the_copies_to_pay_at_pickup_and_the_total_ordered(db):
    go, *_ = a_grouped_order(db, Events())
    doc = tx(db, documents.order_document, "grouped_order", go["number"])
    text = pdf_text(order_pdf.render(doc, config.bookshop()), layout=True)
    assert "Payés (en ligne ou à la librairie)" in text
    assert "À payer au retrait des livres (commandés, pas encore payés)" in text
    assert "Total TTC payé : 29,80 €" in text
    assert "À payer au retrait : 44,70 € TTC (HT 42,37 €, TVA 2,33 €)" in text
    assert "Total commandé TTC : 74,50 €" in text
