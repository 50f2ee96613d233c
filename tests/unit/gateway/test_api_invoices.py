"""The invoices' API (gateway/api/invoices.py): the bookshop reads the register, one invoice or
credit note and its PDF; a collectivity's account only its own collectivity orders' (which
orders are its own: baskets says), another's or a parent's is a 404. The answers are what the
invoicing service really presents (an in-memory database, its use cases), checked against the
OpenAPI document."""
import pytest

from services.common.errors import not_found
from services.invoicing import use_cases
from services.invoicing.models import Base
from tests.support.fakes import Events, sqlite_database
from tests.unit.invoicing.conftest import NOW, document as order_document

from .conftest import sign_in
from .test_api_answers import check, document  # noqa: F401  (the OpenAPI document fixture)


@pytest.fixture
def register():
    """An invoice of collectivity order 12 with a credit note, one of a parent's sub-order."""
    with sqlite_database("invoicing", Base) as db:
        events = Events()
        with db.transaction() as s:
            invoice = use_cases.issue_invoice(s, "collectivity_order", 12, order_document(),
                                              "1", NOW, events)
        with db.transaction() as s:
            note = use_cases.issue_credit_note(s, invoice["number"], {"2": "1"}, "Abîmé", "1",
                                               NOW, events)
        parent = order_document(kind="sub_order", number=154, paid=True)
        with db.transaction() as s:
            sub = use_cases.issue_invoice(s, "sub_order", 154, parent, "1", NOW, events)
        with db.transaction() as s:
            invoice = use_cases.get_invoice(s, invoice["number"])
            everything = use_cases.list_invoices(s)
            mine = use_cases.list_invoices(s, 500, "collectivity_order", [12, 13])
        yield {"invoice": invoice, "note": note, "sub": sub, "all": everything, "mine": mine}


def answer(rpc, register):
    by_number = {v["number"]: v for v in (register["invoice"], register["note"],
                                          register["sub"])}

    def get_invoice(number):
        if number not in by_number:
            raise not_found("Facture introuvable.")
        return by_number[number]

    def list_invoices(limit, kind=None, numbers=None, filters=None):
        return register["mine"] if kind else register["all"]

    def my_document(actor_id, kind, number):
        if number != 12:  # baskets: not one of the account's orders
            raise not_found("Commande introuvable.")
        return {"number": number}

    rpc.answers[("invoicing", "get_invoice")] = get_invoice
    rpc.answers[("invoicing", "list_invoices")] = list_invoices
    rpc.answers[("invoicing", "invoice_pdf")] = "JVBERi0xLjcK"  # "%PDF-1.7\n"
    rpc.answers[("baskets", "list_my_documents")] = [{"number": 12}, {"number": 13}]
    rpc.answers[("baskets", "get_my_document")] = my_document


def test_the_bookshop_reads_the_register_an_invoice_a_credit_note_and_their_pdfs(
        client, rpc, document, register):  # noqa: F811
    answer(rpc, register)
    sign_in(client, "admin")
    body = check(document, client.get("/api/v1/admin/invoices?limit=10"), "/admin/invoices")
    assert [i["number"] for i in body["items"]] == [register["sub"]["number"],
                                                    register["note"]["number"],
                                                    register["invoice"]["number"]]
    assert body["totals"]["credit_note"]["total_ttc"] == "8.50"
    number = register["invoice"]["number"]
    body = check(document, client.get(f"/api/v1/admin/invoices/{number}"),
                 "/admin/invoices/{number}")
    assert body["order"] == {"kind": "collectivity_order", "number": 12,
                             "kind_label": "Commande collectivité"}
    assert body["total_ttc"] == "43.80" and len(body["lines"]) == 3
    assert body["credit_notes"][0]["number"] == register["note"]["number"]
    note = check(document, client.get(f"/api/v1/admin/invoices/{register['note']['number']}"),
                 "/admin/invoices/{number}")
    assert (note["kind"], note["invoice_number"], note["credit"]["mode"]) == (
        "credit_note", number, "deduct")
    r = client.get(f"/api/v1/admin/invoices/{number}/pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data.startswith(b"%PDF")
    assert f'filename="facture-{number}.pdf"' in r.headers["Content-Disposition"]
    r = client.get(f"/api/v1/admin/invoices/{register['note']['number']}/pdf")
    assert "avoir-" in r.headers["Content-Disposition"]


@pytest.mark.parametrize("number", ["2099-01-000000001", "x", "2027-03-00000000１",
                                    "../../etc"])
def test_an_unknown_or_malformed_number_is_a_404_in_french(client, rpc, register, number):
    answer(rpc, register)
    sign_in(client, "admin")
    for path in (f"/api/v1/admin/invoices/{number}", f"/api/v1/admin/invoices/{number}/pdf"):
        r = client.get(path)
        assert r.status_code == 404, (path, r.status_code)
        assert r.get_json()["error"] == "not_found" and r.get_json()["message"]


@pytest.mark.parametrize("who", ["collectivite", "approbateur", "utilisateur"])
def test_an_account_reads_its_own_collectivity_orders_invoices_only(
        client, rpc, document, register, who):  # noqa: F811
    answer(rpc, register)
    sign_in(client, who)
    body = check(document, client.get("/api/v1/invoices"), "/invoices")
    assert {i["order"]["number"] for i in body["items"]} == {12}
    # the orders baskets said were the account's, asked of invoicing
    assert rpc.called("invoicing", "list_invoices")[-1] == (500, "collectivity_order", [12, 13],
                                                            None)
    client.get("/api/v1/invoices?recherche=ecole&du=2027-03-01")
    assert rpc.called("invoicing", "list_invoices")[-1][3] == {"recherche": "ecole",
                                                               "du": "2027-03-01"}
    for kind in ("invoice", "note"):
        number = register[kind]["number"]
        check(document, client.get(f"/api/v1/invoices/{number}"), "/invoices/{number}")
        r = client.get(f"/api/v1/invoices/{number}/pdf")
        assert r.status_code == 200 and r.mimetype == "application/pdf"
    # a parent's sub-order's invoice is not the collectivity's: as if it did not exist
    sub = register["sub"]["number"]
    for path in (f"/api/v1/invoices/{sub}", f"/api/v1/invoices/{sub}/pdf"):
        r = client.get(path)
        assert (r.status_code, r.get_json()["error"]) == (404, "not_found"), path
    # nor is the bookshop's register the account's
    for path in ("/api/v1/admin/invoices", f"/api/v1/admin/invoices/{sub}"):
        assert client.get(path).status_code == 403, path


def test_another_collectivitys_invoice_is_a_404(client, rpc, register):
    answer(rpc, register)
    rpc.answers[("baskets", "get_my_document")] = not_found("Commande introuvable.")
    sign_in(client, "collectivite")
    number = register["invoice"]["number"]
    for path in (f"/api/v1/invoices/{number}", f"/api/v1/invoices/{number}/pdf"):
        r = client.get(path)
        assert (r.status_code, r.get_json()["message"]) == (404, "Facture introuvable."), path
    assert rpc.called("invoicing", "invoice_pdf") == []  # no PDF drawn for another


def test_anonymous_is_asked_to_sign_in(client, rpc, register):
    answer(rpc, register)
    for path in ("/api/v1/invoices", "/api/v1/admin/invoices"):
        r = client.get(path)
        assert r.status_code == 401 and r.get_json()["error"] == "unauthorized", path


def test_a_bad_limit_is_a_400_in_french(client, rpc, register):
    answer(rpc, register)
    sign_in(client, "admin")
    r = client.get("/api/v1/admin/invoices?limit=0")
    assert r.status_code == 400 and "limit" in r.get_json()["details"]
    r = client.get("/api/v1/admin/invoices?limit=2.5")
    assert r.status_code == 400 and "limit" in r.get_json()["details"]
