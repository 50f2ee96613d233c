"""« Marquer réglée » on the Finances page: a collectivity's invoice on account, its transfer
come in. A confirmation with how it was paid, then the invoice marked paid once; refused (a
second click, a cancelled invoice): the page again with the French reason."""
import html

from services.common.errors import conflict
from tests.unit.gateway.conftest import sign_in

INVOICE = {"number": "2027-03-000000001", "kind": "invoice", "total_ttc": "43.80",
           "remaining_ttc": "35.30",
           "customer": {"name": "ECOLE JULES FERRY"},
           "credit_notes": [{"number": "2027-03-000000002", "total_ttc": "8.50",
                             "issued_at": "2027-03-02T10:00:00+00:00"}]}


def test_marking_an_invoice_paid_asks_how_then_does_it_once(client, rpc):
    rpc.answers[("invoicing", "get_invoice")] = INVOICE
    rpc.answers[("invoicing", "settle_invoice")] = dict(INVOICE, paid=True)
    sign_in(client, "admin")
    asked = " ".join(html.unescape(client.post("/admin/factures/2027-03-000000001/reglement",
                                               data={}).text).split())
    assert "sera marquée réglée : 35,30 € reçus (son total, 43,80 € TTC, moins ses avoirs)" \
        in asked and "Mode de règlement (virement du …, chèque n° …)" in asked
    assert rpc.called("invoicing", "settle_invoice") == []
    done = client.post("/admin/factures/2027-03-000000001/reglement",
                       data={"confirmed": "1", "reason": "virement du 12/04"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/admin/finances#factures")
    assert rpc.called("invoicing", "settle_invoice") == [
        (1, "2027-03-000000001", "virement du 12/04")]
    rpc.answers[("invoicing", "settle_invoice")] = conflict("Cette facture est déjà réglée.")
    again = client.post("/admin/factures/2027-03-000000001/reglement",
                        data={"confirmed": "1", "reason": ""})
    assert again.status_code == 409 and "déjà réglée" in html.unescape(again.text)


def test_a_credit_note_is_not_settled(client, rpc):
    rpc.answers[("invoicing", "get_invoice")] = dict(INVOICE, kind="credit_note")
    sign_in(client, "admin")
    assert client.post("/admin/factures/2027-03-000000002/reglement",
                       data={}).status_code == 404
