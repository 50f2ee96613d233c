"""An invoiced sub-order is locked (reference 003 step 2): invoicing's `invoice_issued` makes
its cancellation (and its grouped order's) a 409 in French; a credit note that cancels the
whole invoice unlocks it. The order_document it gives is accepted by invoicing as it is."""
import pytest

from services.common.errors import DomainError
from services.grouped_orders.use_cases import bookshop, documents, invoice_events
from services.invoicing.domain import amounts
from tests.support.fakes import Events
from tests.unit.grouped_orders.test_use_cases import (NOW, URL, create, db,  # noqa: F401
                                                      pay, subscribe, tx)


def invoice_event(number, kind="invoice", invoice_number="", cancels=False, sub=1):
    return {"number": number, "kind": kind, "order": {"kind": "sub_order", "number": sub},
            "invoice_number": invoice_number, "total_ht": "14.12", "vat_total": "0.78",
            "total_ttc": "14.90", "issued_at": NOW.isoformat(), "cancels_invoice": cancels}


def test_an_invoiced_sub_order_cannot_be_cancelled_until_a_credit_note_cancels_it(db):
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    leto = subscribe(db, token, "Jared", "Leto", 1)
    pay(db, events, token, leto, "pay-leto")
    doc = tx(db, documents.order_document, "sub_order", leto["number"])
    assert amounts.lines_from_document(doc)  # invoicing takes the owner's document as it is
    issued = invoice_event("2027-03-000000001", sub=leto["number"])
    tx(db, invoice_events.on_invoice_issued, issued, NOW)
    tx(db, invoice_events.on_invoice_issued, issued, NOW)  # the same event again: no change
    with pytest.raises(DomainError) as err:
        tx(db, bookshop.cancel_sub_order, leto["number"], "", NOW, events, URL)
    assert err.value.code == "conflict"
    assert "facturée (facture n° 2027-03-000000001)" in err.value.message
    with pytest.raises(DomainError) as err:
        tx(db, bookshop.cancel, go["number"], "Éditeur en rupture", NOW, events, URL)
    assert err.value.code == "conflict"
    # a partial credit note keeps the lock; one that cancels the invoice lifts it
    tx(db, invoice_events.on_invoice_issued,
       invoice_event("2027-03-000000002", "credit_note", "2027-03-000000001", False,
                     leto["number"]), NOW)
    with pytest.raises(DomainError):
        tx(db, bookshop.cancel_sub_order, leto["number"], "", NOW, events, URL)
    tx(db, invoice_events.on_invoice_issued,
       invoice_event("2027-03-000000003", "credit_note", "2027-03-000000001", True,
                     leto["number"]), NOW)
    tx(db, invoice_events.on_invoice_issued, issued, NOW)  # late redelivery: stays unlocked
    tx(db, bookshop.cancel_sub_order, leto["number"], "", NOW, events, URL)
