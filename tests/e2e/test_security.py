"""A hostile visitor, through the real gateway (gunicorn) and services: a forged Host, an
off-site `next`, a stolen cookie after sign-out, login attempts fired at once or behind a
rotating X-Forwarded-For, and the headers of pages, API and the sandbox's page."""
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import text

from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session, csrf_token

WESTERN = "9791097284657"
EVIL = "evil.example"


def _forget_login_attempts(suite):
    """Every test of the session signs in from 127.0.0.1: leave its per-IP budget as found."""
    db = suite.db("accounts")
    with db.transaction() as s:
        s.execute(text("DELETE FROM login_attempts"))
    db.dispose()


@pytest.fixture
def clean_attempts(suite):
    _forget_login_attempts(suite)
    yield
    _forget_login_attempts(suite)


def _attempts(suite, where, **params):
    db = suite.db("accounts")
    with db.transaction() as s:
        rows = s.execute(text(f"SELECT email, ip, success FROM login_attempts WHERE {where}"),
                         params).all()
    db.dispose()
    return rows


# ---- the links we send point to us ----------------------------------------------------------
def test_a_forged_host_is_refused_and_every_link_points_to_public_url(suite, people, smtp):
    teacher = api_session(suite, people["other"]["email"], PASSWORD)
    go, token = grouped.create(teacher, suite, "21", WESTERN)
    assert go["subscription_url"].startswith(suite.gateway_url + "/souscription/")
    buyer = grouped.subscribe(suite, token, "Ada", "Forged", 1)
    pay_api = (f"{suite.gateway_url}/api/v1/public/grouped-orders/{token}/subscriptions/"
               f"{buyer['buyer_token']}/payments")
    forged = requests.post(pay_api, json={}, headers={"Host": EVIL})
    assert forged.status_code == 400 and "pas reconnue" in forged.json()["message"]
    page = requests.post(f"{suite.gateway_url}/souscription/{token}/commande/"
                         f"{buyer['buyer_token']}/payer", headers={"Host": EVIL},
                         allow_redirects=False)
    assert page.status_code == 400 and "pas reconnue" in page.text
    forgot = requests.post(suite.gateway_url + "/mot-de-passe/oublie",
                           data={"email": people["other"]["email"]}, headers={"Host": EVIL})
    assert forgot.status_code == 400
    assert grouped.buyer_status(suite, token, buyer)["last_payment_state"] is None

    # the same payment through the right address: the sandbox sends the buyer back to us, and
    # the failed-payment mail links to us
    back = grouped.pay(suite, token, buyer, action="refuse")
    assert back.startswith(f"{suite.gateway_url}/souscription/{token}/commande/")
    (mail,) = smtp.wait_for(buyer["email"], subject_contains="n'a pas abouti")
    body = mail.get_content()
    assert f"{suite.gateway_url}/souscription/{token}/commande/{buyer['buyer_token']}" in body
    assert EVIL not in body


@pytest.mark.parametrize("evil", ["/%09/evil.example/", "/\\/evil.example/",
                                  "/\\evil.example/", "//evil.example/"])
def test_sign_in_never_redirects_off_site(suite, people, clean_attempts, evil):
    s = requests.Session()
    token = csrf_token(s, suite.gateway_url + "/connexion")
    r = s.post(suite.gateway_url + "/connexion", params={"next": evil}, allow_redirects=False,
               data={"email": people["approbateur"]["email"], "password": PASSWORD,
                     "csrf_token": token})
    assert r.status_code == 302
    assert r.headers["Location"] in ("/compte", "/compte/"), r.headers["Location"]


# ---- sessions -------------------------------------------------------------------------------
def _page_sign_in(suite, email):
    s = requests.Session()
    token = csrf_token(s, suite.gateway_url + "/connexion")
    r = s.post(suite.gateway_url + "/connexion", allow_redirects=False,
               data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 302, r.text
    return s


def test_signing_out_ends_the_session_on_the_server(suite, people, clean_attempts):
    email = people["utilisateur"]["email"]
    browser = _page_sign_in(suite, email)
    other_device = _page_sign_in(suite, email)
    stolen = browser.cookies.get("libr_session")
    me = suite.gateway_url + "/api/v1/me"
    assert requests.get(me, cookies={"libr_session": stolen}).status_code == 200

    home = browser.get(suite.gateway_url + "/compte").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', home).group(1)
    out = browser.post(suite.gateway_url + "/deconnexion", data={"csrf_token": token},
                       allow_redirects=False)
    assert out.status_code == 302
    replay = requests.get(me, cookies={"libr_session": stolen})
    assert replay.status_code == 401, replay.text
    assert other_device.get(me).status_code == 200  # the other browser stays signed in

    api = api_session(suite, email, PASSWORD)
    stolen = api.cookies.get("libr_session")
    assert api.delete(suite.gateway_url + "/api/v1/session").status_code == 204
    assert requests.get(me, cookies={"libr_session": stolen}).status_code == 401


# ---- throttling -----------------------------------------------------------------------------
def _try(suite, email, password="wrong-password", headers=None):
    return requests.post(suite.gateway_url + "/api/v1/session", headers=headers or {},
                         json={"email": email, "password": password}).status_code


def test_attempts_fired_at_once_are_all_counted(suite, people, clean_attempts):
    email = people["approbateur"]["email"]
    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(lambda _: _try(suite, email), range(20)))
    assert statuses.count(401) <= 5 and statuses.count(429) >= 15, statuses
    assert len(_attempts(suite, "email = :e", e=email)) <= 5
    assert _try(suite, email, PASSWORD) == 429  # even the right password, for now


def test_a_rotating_x_forwarded_for_does_not_escape_the_per_ip_limit(suite, clean_attempts):
    statuses = []
    for i in range(32):
        statuses.append(_try(suite, f"inconnu{i}@ecole.fr",
                             headers={"X-Forwarded-For": f"203.0.113.{i + 1}"}))
    assert statuses[:30] == [401] * 30 and set(statuses[30:]) == {429}, statuses
    assert {row.ip for row in _attempts(suite, "email LIKE 'inconnu%'")} == {"127.0.0.1"}


# ---- headers --------------------------------------------------------------------------------
def _csp(response):
    return dict(d.strip().split(" ", 1) for d in
                response.headers["Content-Security-Policy"].split(";"))


def test_pages_api_and_sandbox_page_send_a_strict_csp_and_no_server_name(suite, people):
    responses = [requests.get(suite.gateway_url + "/connexion"),
                 requests.get(suite.gateway_url + "/api/v1/me"),
                 requests.get(suite.gateway_url + "/api/v1/openapi.json")]
    for r in responses:
        csp = _csp(r)
        assert csp["script-src"] == "'self'" and csp["frame-ancestors"] == "'none'"
        assert "unsafe" not in r.headers["Content-Security-Policy"]
        assert "gunicorn" not in r.headers.get("Server", "").lower()
    teacher = api_session(suite, people["other"]["email"], PASSWORD)
    _, token = grouped.create(teacher, suite, "21", WESTERN)
    buyer = grouped.subscribe(suite, token, "Grace", "Headers", 1)
    start = requests.post(f"{suite.gateway_url}/api/v1/public/grouped-orders/{token}/"
                          f"subscriptions/{buyer['buyer_token']}/payments", json={})
    checkout = requests.get(start.json()["redirect_url"])
    assert checkout.status_code == 200
    csp = _csp(checkout)
    assert csp["default-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
    assert suite.gateway_url in csp["form-action"].split()
    assert "unsafe" not in checkout.headers["Content-Security-Policy"]
    # the subscription form may lead to the sandbox's page (Chromium checks the redirect)
    assert f"http://127.0.0.1:{suite.payments_port}" in _csp(responses[0])["form-action"]
