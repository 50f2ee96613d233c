"""Issue 9, reference 003 step 1: the buyer's choice of a cheque or cash, the page saying what to
bring where, and the bookshop's validation of a cheque with its number (Flask's test client,
the services answered by a fake RPC pool)."""
import csv as csv_module
import html
import io
import re

import pytest

from services.common.errors import DomainError
from tests.unit.gateway import samples
from tests.unit.gateway.conftest import sign_in

TOKEN, BUYER = "T" * 32, "B" * 32
CHOICES = [{"value": "online", "label": "Payer en ligne (carte bancaire)"},
           {"value": "cheque", "label": "Payer par chèque à la librairie"}]


def waiting_cheque(number=31, method="cheque"):
    return {"number": number, "first_name": "Ana", "last_name": "Lys", "email": "ana@x.fr",
            "quantity": 2, "unit_price": "14.90", "total": "29.80",
            "status": "awaiting_payment", "status_label": "En attente de paiement",
            "created_at": "2026-12-06T10:00:00+00:00", "paid_manually": False,
            "refund_label": "", "last_payment_state": None, "payment_method": method,
            "payment_method_label": {"cheque": "Chèque", "cash": "Espèces"}[method],
            "cheque_number": "", "paid_by": "", "paid_at": None}


def test_the_buyer_chooses_among_the_allowed_methods(client, rpc):
    rpc.answers[("grouped_orders", "public_grouped_order")] = dict(
        samples.PUBLIC, payment_methods=["online", "cheque"], payment_method_choices=CHOICES)
    page = client.get(f"/souscription/{TOKEN}").text
    assert "<legend>Mode de paiement</legend>" in page
    assert re.search(r'value="online" checked', page)  # online stays the default
    assert "Payer par chèque à la librairie" in page and "espèces à la librairie" not in page
    rpc.answers[("grouped_orders", "public_grouped_order")] = samples.PUBLIC
    assert "Mode de paiement" not in client.get(f"/souscription/{TOKEN}").text


def test_a_cheque_buyer_lands_on_the_instructions_page(client, rpc, monkeypatch):
    monkeypatch.setenv("CHEQUE_PAYABLE_TO", "SARL Librairie du Parc")
    rpc.answers[("grouped_orders", "subscribe_and_pay")] = {
        "buyer_token": BUYER, "attempt_id": None}
    r = client.post(f"/souscription/{TOKEN}", data={
        "first_name": "Jean", "last_name": "Dupont", "email": "jean@exemple.fr", "quantity": "2",
        "accepted_terms": "1", "payment_method": "cheque", "idempotency_key": "a" * 32})
    assert r.status_code == 303
    assert r.headers["Location"] == f"http://localhost/souscription/{TOKEN}/commande/{BUYER}"
    assert rpc.calls[0][2][1]["payment_method"] == "cheque"
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub(
        payment_method="cheque", last_payment_id=None, can_pay=True)
    page = html.unescape(client.get(f"/souscription/{TOKEN}/commande/{BUYER}").text)
    assert "Payer par chèque" in page
    for shown in ("29,80\xa0€", "À l'ordre de", "SARL Librairie du Parc", "12 rue Saint-Dizier",
                  "Au plus tard le", "20 décembre 2026", "En attente de paiement"):
        assert shown in page, shown
    assert "Payer plutôt en ligne" in page
    assert rpc.called("payments", "get_payment") == []


def test_the_bookshop_validates_a_cheque_after_a_confirmation(client, rpc):
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped(subs=[waiting_cheque()])
    rpc.answers[("grouped_orders", "admin_record_manual_payment")] = samples.grouped()
    sign_in(client, "admin")
    detail = client.get("/admin/commandes-groupees/7").text
    assert 'name="cheque_number"' in detail and "Chèque à recevoir" in detail
    form = {"grouped_order": "7", "method": "cheque", "cheque_number": " 123 4567 "}
    first = html.unescape(client.post("/admin/sous-commandes/31/valider", data=form).text)
    assert "chèque n° 1234567" in first and "Cette action est définitive" in first
    assert rpc.called("grouped_orders", "admin_record_manual_payment") == []
    done = client.post("/admin/sous-commandes/31/valider", data=dict(form, confirmed="1"))
    assert done.status_code == 302
    assert rpc.called("grouped_orders", "admin_record_manual_payment") == [
        (1, 31, "cheque", "1234567")]


@pytest.mark.parametrize("form, message", [
    ({"method": "cheque", "cheque_number": "12AB567"}, "Numéro de chèque invalide"),
    ({"method": "cheque", "cheque_number": ""}, "Le numéro du chèque est obligatoire."),
    ({"method": "cheque", "cheque_number": "123456", "confirmed": "1"}, "exactement 7 chiffres"),
    ({"method": "cash", "cheque_number": "1234567", "confirmed": "1"}, "espèces"),
    ({"method": "carte", "cheque_number": ""}, "chèque ou espèces"),
])
def test_a_bad_number_is_a_french_400_and_nothing_is_asked(client, rpc, form, message):
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped(subs=[waiting_cheque()])
    sign_in(client, "admin")
    r = client.post("/admin/sous-commandes/31/valider", data=dict(form, grouped_order="7"))
    assert r.status_code == 400 and message in html.unescape(r.text)
    assert 'aria-invalid="true"' in r.text
    assert rpc.called("grouped_orders", "admin_record_manual_payment") == []


def test_a_second_validation_is_a_409(client, rpc):
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped(subs=[waiting_cheque()])
    rpc.answers[("grouped_orders", "admin_record_manual_payment")] = DomainError(
        "Le paiement de cette commande est déjà enregistré (chèque n° 1234567) : rechargez la "
        "page.", code="conflict")
    sign_in(client, "admin")
    r = client.post("/admin/sous-commandes/31/valider", data={
        "grouped_order": "7", "method": "cheque", "cheque_number": "7654321", "confirmed": "1"})
    assert r.status_code == 409 and "déjà enregistré" in html.unescape(r.text)


def test_the_cheque_number_is_shown_and_exported(client, rpc):
    paid = dict(waiting_cheque(), status="paid", status_label="Payée", paid_manually=True,
                cheque_number="1234567", paid_by="chèque n° 1234567",
                paid_at="2026-12-07T09:00:00+00:00")
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped(
        subs=[paid], payment_methods=["online", "cheque"], payment_method_choices=CHOICES)
    sign_in(client, "admin")
    detail = html.unescape(client.get("/admin/commandes-groupees/7").text)
    assert "Chèque n° 1234567" in detail
    assert "Payer par chèque à la librairie" in detail  # the methods offered
    csv = client.get("/admin/commandes-groupees/7/sous-commandes.csv")
    assert csv.mimetype == "text/csv"
    header, row = csv.text.lstrip("\ufeff").splitlines()
    assert header.split(";")[-3:] == ["mode_paiement", "numero_cheque", "paye_le"]
    # Paris time, to the second (it said the UTC time): 09:00 UTC is 10:00 in December
    assert row.split(";")[-3:] == ["Chèque", "1234567", "2026-12-07 10:00:00"]
    assert row.split(";")[header.split(";").index("date_achat")] == "2026-12-06 11:00:00"
    # the total with a decimal comma: a French spreadsheet reads « 29.80 » as text
    assert row.split(";")[header.split(";").index("total_ttc")] == "29,80"


def test_a_name_typed_as_a_formula_is_exported_as_text(client, rpc):
    """A parent typed « =HYPERLINK(…) » as their name on the public form: the CSV gave it to the
    bookshop's spreadsheet as a formula."""
    sub = dict(waiting_cheque(), last_name='=HYPERLINK("http://evil.example","x")',
               first_name="+33612345678", email="@x@example.fr")
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped(
        subs=[sub], payment_methods=["online", "cheque"], payment_method_choices=CHOICES)
    sign_in(client, "admin")
    text = client.get("/admin/commandes-groupees/7/sous-commandes.csv").text.lstrip("\ufeff")
    row = list(csv_module.reader(io.StringIO(text), delimiter=";"))[1]
    assert row[1:4] == ["'=HYPERLINK(\"http://evil.example\",\"x\")", "'+33612345678",
                        "'@x@example.fr"]


def test_the_bookshop_sets_the_methods(client, rpc):
    rpc.answers[("grouped_orders", "admin_set_payment_methods")] = samples.grouped()
    sign_in(client, "admin")
    r = client.post("/admin/commandes-groupees/7/moyens-de-paiement",
                    data={"cheque": "1", "idempotency_key": "k" * 32})
    assert r.status_code == 302
    assert rpc.called("grouped_orders", "admin_set_payment_methods") == [(1, 7, True, False, False)]


def test_the_api_validates_a_cheque_and_refuses_an_unknown_method(client, rpc):
    rpc.answers[("grouped_orders", "admin_record_manual_payment")] = samples.grouped()
    sign_in(client, "admin")
    r = client.post("/api/v1/admin/sub-orders/31/manual-payment",
                    json={"method": "cheque", "cheque_number": "1234567"})
    assert r.status_code == 200, r.text
    assert rpc.called("grouped_orders", "admin_record_manual_payment") == [
        (1, 31, "cheque", "1234567")]
    r = client.post("/api/v1/admin/sub-orders/31/manual-payment", json={"method": "carte"})
    assert r.status_code == 400 and r.get_json()["details"]["method"]
    rpc.answers[("grouped_orders", "admin_record_manual_payment")] = DomainError(
        "Numéro de chèque invalide : « 12 ».", {"cheque_number": ["7 chiffres."]})
    r = client.post("/api/v1/admin/sub-orders/31/manual-payment",
                    json={"method": "cheque", "cheque_number": "12"})
    assert r.status_code == 400 and "Numéro de chèque invalide" in r.get_json()["message"]


def test_cancelling_a_sub_order_paid_by_cheque_says_to_give_it_back(client, rpc):
    paid = dict(waiting_cheque(), status="paid", status_label="Payée", paid_manually=True,
                cheque_number="1234567", paid_by="chèque n° 1234567")
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped(subs=[paid])
    sign_in(client, "admin")
    page = html.unescape(client.post("/admin/sous-commandes/31/annuler",
                                     data={"grouped_order": "7"}).text)
    assert "Elle est payée (chèque n° 1234567) : rendez le chèque (29,80\xa0€) à Ana Lys" in page


def test_a_sub_order_paid_already_is_refused_before_the_confirmation(client, rpc):
    """« Valider » on a row already paid (the back button, another desk, a stale page): the
    confirmation said « elle passe « Payée » … Cette action est définitive » and only its
    button was refused. It is refused at once, nothing to confirm."""
    paid = dict(waiting_cheque(), status="paid", status_label="Payée")
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped(subs=[paid])
    sign_in(client, "admin")
    r = client.post("/admin/sous-commandes/31/valider", data={
        "grouped_order": "7", "method": "cash", "cheque_number": ""})
    page = html.unescape(r.text)
    assert r.status_code == 409 and "Seule une sous-commande en attente de paiement" in page
    assert "Cette action est définitive" not in page
    assert rpc.called("grouped_orders", "admin_record_manual_payment") == []


def test_recording_a_cheque_while_an_online_payment_is_open_is_warned(client, rpc):
    """A clerk validated cash while the parent's online payment was still open; the parent
    then paid online too (refunded automatically). The page now says so before it is done."""
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped(
        subs=[dict(waiting_cheque(), online_payment_open=True)])
    sign_in(client, "admin")
    form = {"grouped_order": "7", "method": "cash", "cheque_number": ""}
    page = html.unescape(client.post("/admin/sous-commandes/31/valider", data=form).text)
    assert "Un paiement en ligne de cette sous-commande est en cours" in page
    assert "remboursé automatiquement" in page
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped(subs=[waiting_cheque()])
    page = html.unescape(client.post("/admin/sous-commandes/31/valider", data=form).text)
    assert "paiement en ligne de cette sous-commande est en cours" not in page
