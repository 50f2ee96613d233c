"""The service's entrypoints called directly (no container, no broker) on SQLite: only the
bookshop issues; the owner's document is asked for only when the order has no live invoice; the
PDF is drawn from the stored snapshot with the configured seller."""
import base64
from types import SimpleNamespace

import pytest

from services.common.errors import DomainError
from services.common.nameko_glue import StoreHandle
from services.invoicing import service as service_module
from services.invoicing.service import InvoicingService

from .conftest import document


class Owner:
    def __init__(self):
        self.asked = []

    def order_document(self, kind, number):
        self.asked.append((kind, number))
        return document(kind=kind, number=number, paid=kind == "sub_order")


@pytest.fixture
def service(db):
    instance = InvoicingService()
    instance.store = StoreHandle(SimpleNamespace(
        database=db, container=SimpleNamespace(service_name="invoicing")))
    accounts = {1: {"role": "admin", "active": True}, 2: {"role": "collectivite",
                                                          "active": True}}
    instance.accounts = SimpleNamespace(get_account=lambda actor: accounts[actor])
    instance.baskets, instance.grouped_orders = Owner(), Owner()
    return instance


def test_only_the_bookshop_issues(service):
    with pytest.raises(DomainError) as err:
        service.issue_invoice(2, "collectivity_order", 12)
    assert err.value.code == "forbidden"
    with pytest.raises(DomainError) as err:
        service.issue_credit_note(2, "2027-03-000000001", "x")
    assert err.value.code == "forbidden"
    assert service.baskets.asked == []


def test_issue_once_and_read_back(service, monkeypatch):
    first = service.issue_invoice(1, "collectivity_order", "12")
    again = service.issue_invoice(1, "collectivity_order", 12)
    assert first["number"] == again["number"]
    assert service.baskets.asked == [("collectivity_order", 12)]  # not asked the second time
    service.issue_invoice(1, "sub_order", 154)
    assert service.grouped_orders.asked == [("sub_order", 154)]
    assert service.store.recorded == 2  # two invoice_issued in the outbox
    drawn = []
    monkeypatch.setattr(service_module.render, "render_in_child",
                        lambda view: drawn.append(view) or b"%PDF-1.7")
    assert base64.b64decode(service.invoice_pdf(first["number"])) == b"%PDF-1.7"
    assert drawn[0]["seller"]["siret"] and drawn[0]["notes"]
    note = service.issue_credit_note(1, first["number"], "Erreur", None, idempotency_key="k1")
    same = service.issue_credit_note(1, first["number"], "Erreur", None, idempotency_key="k1")
    assert note["number"] == same["number"]
    assert [i["kind"] for i in service.order_invoices("collectivity_order", 12)] == [
        "invoice", "credit_note"]
    assert service.list_invoices()["totals"]["net"]["total_ttc"] == "43.80"
    assert service.export_invoices_csv().count("\r\n") == 4


def test_the_paid_sub_orders_of_a_grouped_order_invoiced_at_once(service):
    """« Facturer les sous-commandes payées »: each order its own invoice, one already invoiced
    keeps its own (not asked again), one refused (not paid) is said with the owner's reason,
    the others issued all the same; only the bookshop; the same list again issues nothing."""
    service.issue_invoice(1, "sub_order", 154)

    def document_of(kind, number):
        service.grouped_orders.asked.append((kind, number))
        return document(kind=kind, number=number, paid=number != 156)
    service.grouped_orders.order_document = document_of
    outcome = service.issue_invoices(1, "sub_order", [154, 155, "156", 157, 155])
    assert [i["order"] for i in outcome["issued"]] == [155, 157]
    assert [i["order"] for i in outcome["existing"]] == [154]
    assert [r["order"] for r in outcome["refused"]] == [156]
    assert "pas encore payée" in outcome["refused"][0]["message"]
    assert service.grouped_orders.asked.count(("sub_order", 155)) == 1
    again = service.issue_invoices(1, "sub_order", [154, 155, 157])
    assert again["issued"] == [] and len(again["existing"]) == 3
    with pytest.raises(DomainError) as err:
        service.issue_invoices(2, "sub_order", [158])
    assert err.value.code == "forbidden"
    for kind, numbers in (("grouped_order", [1]), ("sub_order", []), ("sub_order", ["x"]),
                          ("sub_order", list(range(1, 502)))):
        with pytest.raises(DomainError) as err:
            service.issue_invoices(1, kind, numbers)
        assert err.value.code in ("invalid", "conflict"), (kind, numbers)
