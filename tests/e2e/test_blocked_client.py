"""« Client bloqué » (reference 001, the Complément tab of Librisoft's client): a client sent
blocked by Librisoft's feed keeps its accounts and baskets; a basket may become a quote
request, never an order (the pages do not offer it, the service refuses it, 409 in French);
sent again unblocked, it orders. Through the bridge's webservice, the event to accounts and the
gateway's API and pages, as Librisoft and the collectivity use them."""
import html

import requests
from playwright.sync_api import expect

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e.conftest import PASSWORD, api_session
from tests.e2e.test_browser import login, new_page, shot  # noqa: F401
from tests.support.suite import wait_until

CLIENT = {"number": "990016", "name": "ECOLE DU BOIS BLOQUEE", "collectivity": True,
          "addresses": [{"label": "Direction", "line1": "3 rue des Chênes", "line2": "",
                         "postal_code": "54000", "city": "NANCY"}],
          "email": "direction@ecole-du-bois.test", "discount_5_5": "9"}
WESTERN = "9791097284657"


def feed(suite, key, **changes):
    r = requests.post(f"{suite.bridge_url}/librisoft/v1/clients",
                      json={"clients": [dict(CLIENT, **changes)]},
                      headers={"X-Api-Key": key}, timeout=30)
    assert r.status_code == 200 and not r.json()["rejected"], r.text
    return r.json()


def client_blocked(suite):
    with suite.rpc() as rpc:
        return rpc.accounts.get_client(CLIENT["number"]).get("blocked")


def test_a_blocked_client_asks_for_quotes_but_places_no_order(suite, demo_feeds, new_page):
    assert feed(suite, demo_feeds, blocked="oui")["created"] == 1
    wait_until(lambda: _known(suite), message="the new client in accounts")
    assert client_blocked(suite) is True
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    r = admin.post(suite.gateway_url + "/api/v1/accounts", json={
        "email": "achats@ecole-du-bois.test", "password": PASSWORD, "role": "collectivite",
        "client_numbers": [CLIENT["number"]]})
    assert r.status_code == 201, r.text
    listing = admin.get(suite.gateway_url + "/admin/clients")
    assert listing.status_code == 200 and "bloqué" in html.unescape(listing.text)
    coll = api_session(suite, "achats@ecole-du-bois.test", PASSWORD)
    api = suite.gateway_url + "/api/v1"

    def basket():
        r = coll.post(api + "/baskets", json={"name": "CDI"})
        assert r.status_code == 201, r.text
        bid = r.json()["id"]
        assert coll.post(api + f"/baskets/{bid}/lines",
                         json={"ean": WESTERN, "quantity": 2}).status_code in (200, 201)
        return bid

    bid = basket()
    seen = coll.get(api + f"/baskets/{bid}").json()
    assert seen["client"]["blocked"] is True
    # the page says so and offers the quote only
    page = html.unescape(coll.get(suite.gateway_url + f"/paniers/{bid}").text)
    assert "est bloqué à la librairie" in page
    assert "Transformer ce panier en demande de devis" in page
    assert "Transformer ce panier en commande" not in page
    form = html.unescape(coll.get(suite.gateway_url +
                                  f"/paniers/{bid}/transformer/commande").text)
    assert "est bloqué à la librairie" in form and "Valider la commande collectivité" not in form
    # on a phone: the notice, no order offered; a line typed wrong keeps what was typed (400)
    page = new_page()
    login(page, suite.gateway_url, "achats@ecole-du-bois.test", PASSWORD)
    page.goto(suite.gateway_url + f"/paniers/{bid}")
    expect(page.get_by_text("est bloqué à la librairie").first).to_be_visible()
    expect(page.get_by_role("link", name="Transformer ce panier en commande")).to_have_count(0)
    page.get_by_label("Code EAN de l'article").fill("9791097284658")  # one digit wrong
    page.get_by_label("Quantité", exact=True).fill("4")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Ajouter au panier").click()
    assert answer.value.status == 400
    expect(page.get_by_label("Code EAN de l'article")).to_have_value("9791097284658")
    expect(page.get_by_label("Code EAN de l'article")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("EAN invalide").first).to_be_visible()
    shot(page, "panier-client-bloque-ean-refuse")

    # an order sent anyway: refused, nothing placed, the basket still there to quote
    r = coll.post(api + f"/baskets/{bid}/transformation",
                  json={"kind": "order", "reference": "BC-1"})
    assert r.status_code == 409 and "bloqué" in r.json()["message"], r.text
    assert coll.get(api + "/documents/order").json() == []
    assert coll.get(api + f"/baskets/{bid}").json()["state"] != "transformed"
    r = coll.post(api + f"/baskets/{bid}/transformation",
                  json={"kind": "quote", "reference": "DEV-1"})
    assert r.status_code == 200 and r.json()["kind"] == "quote", r.text

    # unblocked by the next feed: a new basket becomes an order
    assert feed(suite, demo_feeds, blocked=False)["updated"] == 1
    wait_until(lambda: client_blocked(suite) is False, message="the client unblocked")
    again = basket()
    r = coll.post(api + f"/baskets/{again}/transformation",
                  json={"kind": "order", "reference": "BC-2"})
    assert r.status_code == 200 and r.json()["kind"] == "order", r.text


def _known(suite):
    from services.common.errors import DomainError
    try:
        client_blocked(suite)
    except DomainError:
        return False
    return True
