"""Order details as PDF (issue 9) and a client's SIRET / Chorus code page: who asks is passed to
the owning service, which decides (a 404 for another's order); the links on the pages; a bad
SIRET is a French 400 with nothing changed."""
import base64

from flask import render_template_string

from services.common.errors import invalid, not_found
from tests.unit.gateway import samples
from tests.unit.gateway.conftest import sign_in

PDF = base64.b64encode(b"%PDF-1.4 fake").decode()
TOKEN, BUYER = "T" * 32, "B" * 32


def test_the_bookshop_gets_any_order_pdf_from_its_owner(client, rpc):
    rpc.answers[("grouped_orders", "order_document_pdf")] = PDF
    rpc.answers[("baskets", "order_document_pdf")] = PDF
    sign_in(client, "admin")
    for slug, kind in (("sous-commande", "sub_order"), ("commande-groupee", "grouped_order")):
        r = client.get(f"/admin/commandes/{slug}/31/pdf")
        assert r.status_code == 200 and r.mimetype == "application/pdf"
        assert r.data == b"%PDF-1.4 fake"
        assert f'filename="{slug}-31.pdf"' in r.headers["Content-Disposition"]
        assert rpc.called("grouped_orders", "order_document_pdf")[-1] == \
            (kind, 31, {"actor_id": 1})
    for slug, kind in (("commande-collectivite", "collectivity_order"), ("devis", "quote")):
        assert client.get(f"/admin/commandes/{slug}/12/pdf").status_code == 200
        assert rpc.called("baskets", "order_document_pdf")[-1] == (1, kind, 12)
    assert client.get("/admin/commandes/facture/12/pdf").status_code == 404


def test_a_customer_gets_its_own_and_a_404_for_another(client, rpc):
    rpc.answers[("baskets", "order_document_pdf")] = not_found("Commande introuvable.")
    rpc.answers[("grouped_orders", "order_document_pdf")] = PDF
    sign_in(client, "collectivite")
    assert client.get("/mes-commandes/commande-collectivite/12/pdf").status_code == 404
    assert rpc.called("baskets", "order_document_pdf") == [(2, "collectivity_order", 12)]
    r = client.get("/mes-commandes/commande-groupee/7/pdf")
    assert r.status_code == 200
    assert rpc.called("grouped_orders", "order_document_pdf") == [
        ("grouped_order", 7, {"actor_id": 2})]
    assert client.get("/admin/commandes/commande-groupee/7/pdf").status_code == 403
    client.application.extensions["rpc"].calls.clear()
    anonymous = client.application.test_client()
    r = anonymous.get("/mes-commandes/commande-groupee/7/pdf")
    assert r.status_code in (302, 401)


def test_a_parent_gets_their_sub_order_from_their_link_only(client, rpc):
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub("paid", number=31)
    rpc.answers[("grouped_orders", "order_document_pdf")] = PDF
    r = client.get(f"/souscription/{TOKEN}/commande/{BUYER}/pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert rpc.called("grouped_orders", "order_document_pdf") == [
        ("sub_order", 31, {"token": TOKEN, "buyer_token": BUYER})]
    rpc.answers[("grouped_orders", "buyer_status")] = not_found("Sous-commande introuvable.")
    assert client.get(f"/souscription/{TOKEN}/commande/wrong/pdf").status_code == 404
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub("paid", number=31)
    page = client.get(f"/souscription/{TOKEN}/commande/{BUYER}")
    assert f'href="/souscription/{TOKEN}/commande/{BUYER}/pdf"' in page.text


def test_the_pdf_links_on_the_pages(client, rpc, app):
    paid = samples.sub("paid", number=31, first_name="Ana", last_name="Lys")
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped(subs=[paid])
    rpc.answers[("librisoft_bridge", "find_orders_by_source")] = []
    sign_in(client, "admin")
    page = client.get("/admin/commandes-groupees/7").text
    assert 'href="/admin/commandes/commande-groupee/7/pdf"' in page
    assert 'href="/admin/commandes/sous-commande/31/pdf"' in page
    rpc.answers[("grouped_orders", "get_my_grouped_order")] = samples.grouped(subs=[paid])
    sign_in(client, "collectivite")
    page = client.get("/commandes-groupees/7").text
    assert 'href="/mes-commandes/commande-groupee/7/pdf"' in page
    assert 'href="/mes-commandes/sous-commande/31/pdf"' in page
    with app.test_request_context():
        desk = render_template_string('{% include "desk/_documents.html" %}',
                                      kind="quote", number=12)
    assert 'href="/admin/commandes/devis/12/pdf"' in desk and "(PDF)" in desk


CLIENT = {"number": "16", "name": "ECOLE JULES FERRY", "addresses": [], "phone": "",
          "email": "ce@ecole.fr", "gencod": "", "active": True, "lang_law_warning": False,
          "revision": 1, "siret": None, "chorus_service_code": None, "accounts": [],
          "discounts": {"vat_2_1": "0.00", "vat_5_5": "9.00", "vat_20": "0.00",
                        "school": "0.00"}}


def test_the_client_page_sets_the_siret_and_chorus_code(client, rpc):
    rpc.answers[("accounts", "admin_get_client")] = CLIENT
    rpc.answers[("accounts", "set_client_billing")] = dict(CLIENT, siret="73282932000074")
    sign_in(client, "admin")
    page = client.get("/admin/clients/16")
    assert page.status_code == 200 and 'name="siret"' in page.text
    assert "Code service Chorus Pro" in page.text
    r = client.post("/admin/clients/16", data={"siret": "732 829 320 00074",
                                               "chorus_service_code": " ECOLES "})
    assert r.status_code == 302
    (args,) = rpc.called("accounts", "set_client_billing")
    assert args == (1, "16", "732 829 320 00074", "ECOLES")


def test_a_bad_siret_is_a_french_400(client, rpc):
    rpc.answers[("accounts", "admin_get_client")] = CLIENT
    rpc.answers[("accounts", "set_client_billing")] = invalid(
        "Le SIRET ou le code service saisi n'est pas valide.",
        {"siret": ["Ce SIRET n'est pas valide (clé de contrôle erronée) : vérifiez-le."]})
    sign_in(client, "admin")
    r = client.post("/admin/clients/16", data={"siret": "73282932000075"})
    assert r.status_code == 400
    assert "clé de contrôle erronée" in r.text and 'value="73282932000075"' in r.text
    assert 'aria-invalid="true"' in r.text


def test_the_client_page_is_the_admin_s_only(client, rpc):
    sign_in(client, "collectivite")
    assert client.get("/admin/clients/16").status_code == 403
    assert client.post("/admin/clients/16", data={"siret": ""}).status_code == 403
    assert rpc.called("accounts", "set_client_billing") == []
