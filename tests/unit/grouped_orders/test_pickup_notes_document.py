"""A sub-order's document carries the refunds and extra payments noted for it at pickup (its
`payment`), so that an invoice issued afterwards says what was really paid."""
from services.grouped_orders.use_cases import distribution, documents

from .test_distribution import ME, LATER, made_available
from .test_use_cases import db, tx  # noqa: F401


def test_the_document_says_what_was_handed_back_or_paid_more_at_pickup(db):
    number, subs = made_available(db)  # Éloïse and Oscar paid 14.90 online
    tx(db, distribution.add_note, number, subs["Oscar"], "refund", "2,50", "livre abîmé", ME,
       LATER)
    tx(db, distribution.add_note, number, subs["Oscar"], "extra", "1", "marque-page", ME, LATER)
    tx(db, distribution.add_note, number, subs["Oscar"], "refund", "0,40", "monnaie", ME, LATER)
    oscar = tx(db, documents.order_document, "sub_order", subs["Oscar"])
    assert oscar["totals"]["total_ttc"] == "14.90"
    assert (oscar["payment"]["refunded_at_pickup"], oscar["payment"]["extra_at_pickup"]) == (
        "2.90", "1.00")
    eloise = tx(db, documents.order_document, "sub_order", subs["Éloïse"])
    assert (eloise["payment"]["refunded_at_pickup"], eloise["payment"]["extra_at_pickup"]) == (
        "0.00", "0.00")
