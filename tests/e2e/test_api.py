"""Through the gateway's HTTP API and pages, against the whole running suite."""
import re
import uuid

import requests

from services.common import config
from unidecode import unidecode

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e.conftest import PASSWORD, api_session, csrf_token


def test_openapi_document_lists_the_api(suite):
    doc = requests.get(suite.gateway_url + "/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert {"/api/v1/session", "/api/v1/accounts", "/api/v1/articles", "/api/v1/clients"} <= \
        set(doc["paths"])


def test_health_reports_every_service(suite):
    body = requests.get(suite.gateway_url + "/health?format=json").json()
    assert body["status"] == "ok"
    assert set(body["services"]) == set(config.SERVICES) == {
        "accounts", "baskets", "grouped_orders", "payments", "notifications", "librisoft_bridge",
        "order_desk", "invoicing", "logistics"}
    page = requests.get(suite.gateway_url + "/health", headers={"Accept": "text/html"})
    assert "tout fonctionne" in page.text


def test_sign_in_rotates_a_hardened_cookie_and_tells_nothing_of_unknown_addresses(suite, people):
    s = requests.Session()
    s.get(suite.gateway_url + "/connexion")
    before = s.cookies.get("libr_session")
    r = s.post(suite.gateway_url + "/api/v1/session",
               json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert r.status_code == 200
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert s.cookies.get("libr_session") != before
    wrong = requests.post(suite.gateway_url + "/api/v1/session",
                          json={"email": ADMIN_EMAIL, "password": "nope"})
    unknown = requests.post(suite.gateway_url + "/api/v1/session",
                            json={"email": "nobody@nowhere.fr", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["message"] == unknown.json()["message"]


def test_repeated_failures_are_throttled(suite):
    email = f"target-{uuid.uuid4().hex[:6]}@ecole.fr"
    codes = [requests.post(suite.gateway_url + "/api/v1/session",
                           json={"email": email, "password": "x"}).status_code
             for _ in range(7)]
    assert codes[:5] == [401] * 5 and codes[5:] == [429, 429]
    page = requests.post(suite.gateway_url + "/connexion", data={"email": email, "password": "x"})
    # the page form needs its CSRF token first
    assert page.status_code == 400
    s = requests.Session()
    token = csrf_token(s, suite.gateway_url + "/connexion")
    page = s.post(suite.gateway_url + "/connexion",
                  data={"email": email, "password": "x", "csrf_token": token})
    assert page.status_code == 429 and "Trop de tentatives" in page.text


def test_who_creates_whom_through_the_api(suite, people, smtp):
    url = suite.gateway_url + "/api/v1/accounts"
    coll = api_session(suite, people["collectivite"]["email"], PASSWORD)
    appro = api_session(suite, people["approbateur"]["email"], PASSWORD)
    user = api_session(suite, people["utilisateur"]["email"], PASSWORD)
    other = api_session(suite, people["other"]["email"], PASSWORD)

    def new(session, role, clients=("16",)):
        return session.post(url, json={"email": f"{role}-{uuid.uuid4().hex[:6]}@ecole.fr",
                                       "password": PASSWORD, "role": role,
                                       "client_numbers": list(clients)})

    assert new(coll, "approbateur").status_code == 201
    made = new(appro, "utilisateur")
    assert made.status_code == 201
    assert new(appro, "approbateur").status_code == 403
    assert new(coll, "collectivite").status_code == 403
    assert new(user, "utilisateur").status_code == 403
    refused = new(other, "utilisateur", ("16",))
    assert refused.status_code == 403 and "propres clients" in refused.json()["message"]
    # the new account is told by mail, through the real SMTP server
    (mail,) = smtp.wait_for(made.json()["email"])
    assert mail["Subject"] == "Votre compte collectivité a été créé"
    assert "ECOLE JULES FERRY" in mail.get_content()
    # each sees only its own structure
    assert all(c["number"] == "16" for a in coll.get(url).json() for c in a["clients"])
    assert other.get(url).json() == []


def test_bad_input_gets_clear_errors_and_loses_nothing(suite, people):
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    url = suite.gateway_url + "/api/v1/accounts"
    before = len(admin.get(url).json())
    base = {"email": "ok@ecole.fr", "password": PASSWORD, "role": "utilisateur",
            "client_numbers": ["16"]}
    cases = [
        (dict(base, role="superuser"), 400),
        (dict(base, email="not-an-email"), 400),
        (dict(base, email="x" * 300 + "@ecole.fr"), 400),
        (dict(base, password="short"), 400),
        (dict(base, client_numbers=[]), 400),
        (dict(base, client_numbers=["999999"]), 400),
        (dict(base, email=people["utilisateur"]["email"]), 400),
    ]
    for body, status in cases:
        r = admin.post(url, json=body)
        assert r.status_code == status, (body, r.status_code, r.text)
        assert r.json()["message"], r.text
    assert admin.post(url, data="email=x", headers={
        "Content-Type": "application/x-www-form-urlencoded"}).status_code == 415
    assert len(admin.get(url).json()) == before


def test_catalogue_search_by_words_or_ean_accent_and_case_insensitive(suite, people):
    s = api_session(suite, people["utilisateur"]["email"], PASSWORD)
    url = suite.gateway_url + "/api/v1/articles"
    found = s.get(url, params={"q": "western coquillettes"}).json()
    assert [a["ean"] for a in found["items"]] == ["9791097284657"]
    assert found["items"][0]["price_ttc"] == "14.90"
    assert s.get(url, params={"q": "979-1097-28465-7"}).json()["items"][0]["title"] == \
        "WESTERN COQUILLETTES"
    assert s.get(url, params={"q": "CEMETERY road iles"}).json()["total"] == 1
    accented = s.get(url, params={"q": "foret", "per_page": 100}).json()["items"]
    assert any("FORÊT" in a["title"] for a in accented)  # found without typing the accent
    assert all("FORET" in unidecode(" ".join(filter(None, (
        a["title"], a["author"], a["publisher"], a["collection"])))).upper() for a in accented)
    page1 = s.get(url, params={"per_page": 10}).json()
    page2 = s.get(url, params={"per_page": 10, "page": 2}).json()
    assert page1["total"] >= 300 and len(page1["items"]) == 10
    assert not {a["ean"] for a in page1["items"]} & {a["ean"] for a in page2["items"]}
    assert s.get(url, params={"page": 0}).status_code == 400
    assert s.get(url + "/9782330150136").json()["publisher"] == "ACTES SUD"
    assert s.get(url + "/9782330150129").status_code == 404  # a real EAN it does not have
    bad = s.get(url + "/9782330150137")  # a wrong check digit: not an EAN at all
    assert bad.status_code == 400 and "EAN invalide" in bad.json()["message"]


def test_admin_sees_clients_with_discounts_accounts_and_alerts(suite, people):
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    overview = admin.get(suite.gateway_url + "/api/v1/clients").json()
    ferry = next(c for c in overview["clients"] if c["number"] == "16")
    assert ferry["discounts"]["vat_5_5"] == "9.00"
    assert people["collectivite"]["email"] in {a["email"] for a in ferry["accounts"]}
    assert "4711" not in {c["number"] for c in overview["clients"]}  # not a collectivity
    # a client with only an Utilisateur raises the banner
    r = admin.post(suite.gateway_url + "/api/v1/accounts", json={
        "email": f"seul-{uuid.uuid4().hex[:6]}@mediatheque.fr", "password": PASSWORD,
        "role": "utilisateur", "client_numbers": ["8010000696914"]})
    assert r.status_code == 201
    alerts = admin.get(suite.gateway_url + "/api/v1/clients").json()["alerts"]
    assert any("8010000696914" in a for a in alerts)
    page = admin.get(suite.gateway_url + "/admin/clients").text
    assert "Le compte client 8010000696914 comporte un utilisateur sans approbateur" in page


def test_forgotten_password_by_mail_link(suite, people, smtp):
    email = people["other"]["email"]
    s = requests.Session()
    token = csrf_token(s, suite.gateway_url + "/mot-de-passe/oublie")
    r = s.post(suite.gateway_url + "/mot-de-passe/oublie", data={"email": email,
                                                                 "csrf_token": token})
    assert r.status_code == 200 and "Si un compte existe" in r.text
    mail = smtp.wait_for(email, subject_contains="Réinitialisation")[-1]
    link = re.search(r"(http://\S+/mot-de-passe/nouveau/\S+)", mail.get_content()).group(1)
    token = csrf_token(s, link)
    r = s.post(link, data={"password": "brand-new-pass-1", "confirmation": "brand-new-pass-1",
                           "csrf_token": token})
    assert r.status_code == 200 and "Votre mot de passe a été changé" in r.text
    used = s.get(link)  # said at once, no form to fill in vain
    assert used.status_code == 400 and "plus valable" in used.text
    assert 'name="password"' not in used.text and "/mot-de-passe/oublie" in used.text
    again = s.post(link, data={"password": "brand-new-pass-2", "confirmation": "brand-new-pass-2",
                               "csrf_token": csrf_token(s, suite.gateway_url +
                                                        "/mot-de-passe/oublie")})
    assert again.status_code == 400 and "plus valable" in again.text
    api_session(suite, email, "brand-new-pass-1")
    api_session(suite, email, "brand-new-pass-1").put(
        suite.gateway_url + "/api/v1/me", json={"current": "brand-new-pass-1",
                                                "password": PASSWORD}).raise_for_status()


def test_librisoft_webservice_refuses_bad_keys_and_bad_feeds(suite, demo_feeds):
    url = f"{suite.bridge_url}/librisoft/v1/articles"
    assert requests.post(url, json={"articles": []}).status_code == 401
    assert requests.post(url, json={"articles": []},
                         headers={"X-Api-Key": "wrong"}).status_code == 401
    headers = {"X-Api-Key": demo_feeds}
    bad = requests.post(url, data="{not json", headers=dict(headers, **{
        "Content-Type": "application/json"}))
    assert bad.status_code == 400 and bad.json()["message"]
    report = requests.post(url, headers=headers, json={"articles": [
        {"ean": "9791097284658", "title": "BAD EAN", "price_ttc": "1.00", "vat_rate": "5.5"},
        {"ean": "9791097284657", "title": "WESTERN COQUILLETTES", "price_ttc": "abc",
         "vat_rate": "5.5"},
    ]}).json()
    assert [r["line"] for r in report["rejected"]] == [1, 2]
    s = requests.get(suite.gateway_url + "/api/v1/articles", params={"q": "9791097284657"})
    assert s.status_code == 401  # (not signed in) — and the stored article is untouched:
    with suite.rpc() as rpc:
        assert rpc.librisoft_bridge.get_article("9791097284657")["price_ttc"] == "14.90"
