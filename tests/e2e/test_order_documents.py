"""Order details as PDF end to end (issue 9): the reference's grouped order n°62 (Leto 2 and
Rourke 3 paid at 14.90, Diaz not) and its sub-orders, a collectivity order of CEMETERY ROAD and a
quote, fetched through the gateway by the bookshop, the initiator, the parent (from their link)
and the collectivity's accounts, their text read with pdftotext; the client's SIRET and Chorus
code set on its admin page and carried into the documents; another collectivity, another
initiator and a wrong token get a 404."""
import re

import pytest
import requests

from services.common import config
from services.common.contracts.documents import OrderDocument
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session, csrf_token
from tests.support.pdf import pdf_text

CEMETERY = "9782330150136"
WESTERN = "9791097284657"
SIRET = "73282932000074"


def signed_in(suite, email, password):
    """A browser-like session, signed in through the sign-in form."""
    s = requests.Session()
    token = csrf_token(s, suite.gateway_url + "/connexion")
    r = s.post(suite.gateway_url + "/connexion", allow_redirects=False,
               data={"email": email, "password": password, "csrf_token": token})
    assert r.status_code == 302, r.text
    return s


@pytest.fixture(scope="module")
def s(suite, people):
    made = {key: signed_in(suite, people[key]["email"], PASSWORD)
            for key in ("collectivite", "utilisateur", "other")}
    made["admin"] = signed_in(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    return made


@pytest.fixture(scope="module")
def reference_62(suite, people):
    """A grouped order of WESTERN COQUILLETTES: Leto 2 and Rourke 3 paid online, Diaz 1 not."""
    owner = api_session(suite, people["collectivite"]["email"], PASSWORD)
    go, token = grouped.create(owner, suite, "16", WESTERN)
    leto = grouped.subscribe(suite, token, "Jared", "Leto", 2)
    diaz = grouped.subscribe(suite, token, "Cameron", "Diaz", 1)
    rourke = grouped.subscribe(suite, token, "Mickey", "Rourke", 3)
    grouped.pay(suite, token, leto)
    grouped.pay(suite, token, rourke)
    return {"number": go["number"], "token": token, "leto": leto, "diaz": diaz,
            "rourke": rourke}


def place(suite, people, kind, reference):
    owner = api_session(suite, people["collectivite"]["email"], PASSWORD)
    b = owner.post(suite.gateway_url + "/api/v1/baskets", json={"name": f"Documents {kind}"})
    assert b.status_code == 201, b.text
    r = owner.post(f"{suite.gateway_url}/api/v1/baskets/{b.json()['id']}/lines",
                   json={"ean": CEMETERY, "quantity": 1})
    assert r.status_code == 201, r.text
    r = owner.post(f"{suite.gateway_url}/api/v1/baskets/{b.json()['id']}/transformation",
                   json={"kind": kind, "reference": reference})
    assert r.status_code == 200, r.text
    return r.json()["number"]


def pdf(session, url, status=200):
    r = session.get(url)
    assert r.status_code == status, (url, r.status_code, r.text[:300])
    if status != 200:
        return None
    assert r.headers["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    return pdf_text(r.content, layout=True)


def test_the_grouped_order_pdf_is_its_paid_sub_orders(suite, s, reference_62):
    n = reference_62["number"]
    page = s["admin"].get(f"{suite.gateway_url}/admin/commandes-groupees/{n}").text
    assert f'href="/admin/commandes/commande-groupee/{n}/pdf"' in page
    leto = reference_62["leto"]["number"]
    assert f'href="/admin/commandes/sous-commande/{leto}/pdf"' in page
    text = pdf(s["admin"], f"{suite.gateway_url}/admin/commandes/commande-groupee/{n}/pdf")
    assert f"Commande groupée n° {n}" in text and config.bookshop()["name"] in text
    assert "ECOLE JULES FERRY" in text
    assert re.search(r"9791097284657\s+WESTERN COQUILLETTES — ORSO\s+5\s+5,5 %\s+14,90 €\s+"
                     r"70,62 €\s+3,88 €\s+74,50 €", text), text
    assert "TVA 5,5 % sur 70,62 € HT : 3,88 €" in text and "Total TTC : 74,50 €" in text
    assert "Paiement en ligne — En attente du paiement" in text   # Diaz has not paid
    # the initiator's own page has the link, and the PDF is the same document
    initiator = s["collectivite"]
    assert f'href="/mes-commandes/commande-groupee/{n}/pdf"' in initiator.get(
        f"{suite.gateway_url}/commandes-groupees/{n}").text
    assert "74,50 €" in pdf(initiator, f"{suite.gateway_url}/mes-commandes/commande-groupee/"
                                       f"{n}/pdf")
    assert "Jared Leto" in pdf(initiator, f"{suite.gateway_url}/mes-commandes/sous-commande/"
                                          f"{leto}/pdf")


def test_a_parent_gets_their_own_sub_order_from_their_link(suite, reference_62):
    token, leto = reference_62["token"], reference_62["leto"]
    base = f"{suite.gateway_url}/souscription/{token}/commande"
    assert f'href="/souscription/{token}/commande/{leto["buyer_token"]}/pdf"' in \
        requests.get(f"{base}/{leto['buyer_token']}").text
    text = pdf(requests, f"{base}/{leto['buyer_token']}/pdf")
    assert f"Commande n° {leto['number']} — commande groupée n° {reference_62['number']}" \
        in text
    assert "Jared Leto" in text and "jared.leto@free.fr" in text
    assert "Total TTC : 29,80 €" in text and "Paiement en ligne — Paiement confirmé" in text
    diaz = reference_62["diaz"]
    assert "En attente du paiement" in pdf(requests, f"{base}/{diaz['buyer_token']}/pdf")


def test_wrong_tokens_another_initiator_another_collectivity_get_404(suite, s, reference_62):
    n, token, leto = reference_62["number"], reference_62["token"], reference_62["leto"]
    url = suite.gateway_url
    pdf(requests, f"{url}/souscription/{token}/commande/{'x' * 32}/pdf", 404)
    pdf(requests, f"{url}/souscription/{'y' * 32}/commande/{leto['buyer_token']}/pdf", 404)
    for who in ("other", "utilisateur"):      # not the initiator
        pdf(s[who], f"{url}/mes-commandes/commande-groupee/{n}/pdf", 404)
        pdf(s[who], f"{url}/mes-commandes/sous-commande/{leto['number']}/pdf", 404)
    pdf(s["collectivite"], f"{url}/admin/commandes/commande-groupee/{n}/pdf", 403)
    r = requests.get(f"{url}/mes-commandes/commande-groupee/{n}/pdf", allow_redirects=False)
    assert r.status_code in (302, 401)


def test_the_siret_set_by_the_bookshop_goes_into_collectivity_documents(suite, s, people):
    admin, page = s["admin"], f"{suite.gateway_url}/admin/clients/16"
    assert 'href="/admin/clients/16"' in admin.get(f"{suite.gateway_url}/admin/clients").text
    r = admin.post(page, data={"csrf_token": csrf_token(admin, page), "siret": "732 829 320 00074",
                               "chorus_service_code": "SERVICE-ECOLES"}, allow_redirects=False)
    assert r.status_code == 302, r.text
    bad = admin.post(page, data={"csrf_token": csrf_token(admin, page),
                                 "siret": "73282932000075", "chorus_service_code": "AUTRE"})
    assert bad.status_code == 400 and "clé de contrôle erronée" in bad.text
    assert f'value="{SIRET}"' in admin.get(page).text          # nothing changed
    assert "AUTRE" not in admin.get(page).text
    assert s["collectivite"].get(page, allow_redirects=False).status_code == 403

    order = place(suite, people, "order", "BC-DOCS-1")
    quote = place(suite, people, "quote", "DEVIS-DOCS-1")
    with suite.rpc() as rpc:
        doc = rpc.baskets.order_document("collectivity_order", order)
    assert OrderDocument().validate(doc) == {}
    assert doc["customer"]["siret"] == SIRET and doc["customer"]["public_buyer"] is True
    assert doc["customer"]["chorus_service_code"] == "SERVICE-ECOLES"
    assert doc["totals"] == {"total_ht": "21.56", "total_ttc": "22.75",
                             "vat": [{"rate": "5.5", "base_ht": "21.56", "amount": "1.19"}]}

    mine = s["collectivite"]
    assert f'href="/mes-commandes/commande-collectivite/{order}/pdf"' in mine.get(
        f"{suite.gateway_url}/mes-commandes-collectivite").text
    text = pdf(mine, f"{suite.gateway_url}/mes-commandes/commande-collectivite/{order}/pdf")
    assert f"Commande collectivité n° {order}" in text and "Référence : BC-DOCS-1" in text
    assert f"SIRET : {SIRET}" in text and "SERVICE-ECOLES" in text
    assert re.search(r"9782330150136\s+CEMETERY ROAD — ACTES SUD · prix\s+1\s+5,5 %\s+"
                     r"22,75 €\s+21,56 €\s+1,19 €\s+22,75 €\s+public 25,00 € − 9 % \(−2,25 €\)",
                     text), text  # the 9 % off the public price, shown (wrapped in its cell)
    assert "Remises accordées : 2,25 € TTC" in text
    assert "En compte — En attente du paiement" in text
    # every account of the client reads it; another collectivity does not
    assert "CEMETERY ROAD" in pdf(s["utilisateur"], f"{suite.gateway_url}/mes-commandes/"
                                                    f"commande-collectivite/{order}/pdf")
    pdf(s["other"], f"{suite.gateway_url}/mes-commandes/commande-collectivite/{order}/pdf", 404)
    pdf(s["other"], f"{suite.gateway_url}/mes-commandes/devis/{quote}/pdf", 404)
    # the bookshop's quote page has its link; the quote's PDF
    assert f'href="/admin/commandes/devis/{quote}/pdf"' in admin.get(
        f"{suite.gateway_url}/admin/devis-collectivite/{quote}").text
    text = pdf(admin, f"{suite.gateway_url}/admin/commandes/devis/{quote}/pdf")
    # a quote request asks no payment: the PDF has no « Paiement » line saying so
    assert f"Demande de devis n° {quote}" in text and "Paiement" not in text
    assert "Total TTC : 22,75 €" in text


@pytest.mark.browser
def test_the_client_page_and_the_pdf_links_on_a_phone(suite, people, reference_62, browser):
    """The bookshop's client page (SIRET refused, then saved) and the PDF links of the grouped
    order and the parent's result page, at 390×844, checked by axe-core (screenshots
    documents-…, in test-artifacts/)."""
    from playwright.sync_api import expect

    from tests.e2e.test_browser import PHONE, login, shot

    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    try:
        page = context.new_page()
        login(page, suite.gateway_url, ADMIN_EMAIL, ADMIN_PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Administration de la librairie")
        page.goto(f"{suite.gateway_url}/admin/clients/21")
        expect(page.get_by_role("heading", level=1)).to_contain_text("COLLEGE VICTOR PROUVE")
        page.get_by_label("SIRET").fill("1234")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_role("alert")).to_contain_text("n'est pas valide")
        expect(page.get_by_text("Un SIRET compte 14 chiffres.")).to_be_visible()
        shot(page, "documents-01-client-siret-refuse")
        page.get_by_label("SIRET").fill(SIRET)
        page.get_by_label("Code service Chorus Pro").fill("CDI")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_role("status").first).to_contain_text("sont enregistrés")
        expect(page.get_by_label("SIRET")).to_have_value(SIRET)
        shot(page, "documents-02-client-siret-enregistre")

        n = reference_62["number"]
        page.goto(f"{suite.gateway_url}/admin/commandes-groupees/{n}")
        link = page.get_by_role("link", name="Détail de la commande (PDF)")
        expect(link).to_have_attribute("href", f"/admin/commandes/commande-groupee/{n}/pdf")
        leto = reference_62["leto"]["number"]
        expect(page.get_by_role("link", name=f"PDF de la sous-commande n° {leto}")).to_be_visible()
        shot(page, "documents-03-commande-groupee-liens-pdf")

        buyer = context.new_page()
        buyer.goto(f"{suite.gateway_url}/souscription/{reference_62['token']}/commande/"
                   f"{reference_62['leto']['buyer_token']}")
        expect(buyer.get_by_role("link", name="Détail de ma commande (PDF)")).to_be_visible()
        shot(buyer, "documents-04-resultat-acheteur-lien-pdf")
    finally:
        context.close()


def test_an_order_fetched_at_the_bookshop_prints_it_and_is_never_shipped(suite, s, people):
    """« Retrait à la librairie » chosen at the transformation (the API's `delivery_mode`): the
    order and its PDF say so, no address asked; the bookshop may make it available, never
    ship it."""
    owner = api_session(suite, people["collectivite"]["email"], PASSWORD)
    api = f"{suite.gateway_url}/api/v1"
    bid = owner.post(f"{api}/baskets", json={"name": "Retrait"}).json()["id"]
    assert owner.post(f"{api}/baskets/{bid}/lines",
                      json={"ean": CEMETERY, "quantity": 2}).status_code == 201
    bad = owner.post(f"{api}/baskets/{bid}/transformation",
                     json={"kind": "order", "reference": "BC-RETRAIT", "delivery_mode": "x"})
    assert bad.status_code == 400, bad.text
    r = owner.post(f"{api}/baskets/{bid}/transformation",
                   json={"kind": "order", "reference": "BC-RETRAIT",
                         "delivery_mode": "retrait"})
    assert r.status_code == 200, r.text
    order = r.json()
    assert (order["delivery_mode"], order["delivery_mode_label"]) == (
        "retrait", "Retrait à la librairie")
    text = pdf(owner, f"{suite.gateway_url}/mes-commandes/commande-collectivite/"
                      f"{order['number']}/pdf")
    assert "Retrait à la librairie" in text
    admin = s["admin"]
    shipped = admin.post(f"{api}/admin/orders/{order['number']}/shipment", json={})
    assert shipped.status_code == 409 and "retirer à la librairie" in shipped.json()["message"]
    made = admin.post(f"{api}/admin/orders/{order['number']}/availability", json={})
    assert made.status_code == 200, made.text
