"""An invoiced collectivity order is locked (reference 003 step 2): once invoicing's
`invoice_issued` names it, "Annuler" and "Réinitialiser le statut" are a 409 in French (its
other moves stay); a credit note
that cancels the whole invoice unlocks it."""
import pytest

from services.baskets.use_cases import bookshop, documents, invoice_events
from services.common.errors import DomainError
from services.invoicing.domain import amounts

from .conftest import ADMIN, NOW, URL, tx
from .test_use_cases_bookshop import place


def event(number, kind="invoice", invoice_number="", cancels=False):
    return {"number": number, "kind": kind, "order": {"kind": "collectivity_order", "number": 1},
            "invoice_number": invoice_number, "total_ht": "21.56", "vat_total": "1.19",
            "total_ttc": "22.75", "issued_at": NOW.isoformat(), "cancels_invoice": cancels}


def test_an_invoiced_order_cannot_be_cancelled_until_its_invoice_is(db, events):
    place(db, events, "order", "BC-42")
    doc = tx(db, documents.order_document, "collectivity_order", 1, None)
    assert amounts.lines_from_document(doc)  # invoicing takes the owner's document as it is
    assert "cancelled" in tx(db, bookshop.get_document, "order", 1, URL)["actions"]
    tx(db, invoice_events.on_invoice_issued, event("2027-03-000000001"), NOW)
    # the bookshop's page no longer offers « Annuler », and says which invoice to credit
    detail = tx(db, bookshop.get_document, "order", 1, URL)
    assert "cancelled" not in detail["actions"] and "shipped" in detail["actions"]
    assert detail["invoice_lock"] == "2027-03-000000001"
    with pytest.raises(DomainError) as err:
        tx(db, bookshop.order_action, ADMIN, 1, "cancelled", "Erreur", NOW, events, URL)
    assert err.value.code == "conflict" and "facturée" in err.value.message
    view = tx(db, bookshop.order_action, ADMIN, 1, "made_available", "", NOW, events, URL)
    assert view["made_available_at"]
    # nor set back to its start (« Réinitialiser le statut »): not offered, refused if sent
    assert "reset" not in tx(db, bookshop.get_document, "order", 1, URL)["actions"]
    with pytest.raises(DomainError) as err:
        tx(db, bookshop.order_action, ADMIN, 1, "reset", "", NOW, events, URL)
    assert err.value.code == "conflict" and "facturée" in err.value.message
    tx(db, invoice_events.on_invoice_issued,
       event("2027-03-000000002", "credit_note", "2027-03-000000001", True), NOW)
    detail = tx(db, bookshop.get_document, "order", 1, URL)
    assert "cancelled" in detail["actions"] and "invoice_lock" not in detail
    view = tx(db, bookshop.order_action, ADMIN, 1, "cancelled", "Erreur", NOW, events, URL)
    assert view["status"] == "cancelled"
