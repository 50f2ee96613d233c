"""Every route of the gateway, walked by every kind of visitor: allowed or denied, decided on
the server. A route missing from EXPECTED fails the test, so a new route must say who may
use it."""
import os

import pytest
import requests

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e.conftest import PASSWORD, csrf_token

EVERYONE = {"anonymous", "utilisateur", "approbateur", "collectivite", "admin", "other"}
SIGNED_IN = EVERYONE - {"anonymous"}
MANAGERS = {"approbateur", "collectivite", "admin", "other"}
ADMIN = {"admin"}

# (endpoint, method) -> who is allowed. "other" is a Collectivité account of another
# collectivity: same routes as "collectivite", but none of the first collectivity's objects.
EXPECTED = {
    ("auth.home", "GET"): EVERYONE,
    ("auth.login", "GET"): EVERYONE, ("auth.login", "POST"): EVERYONE,
    ("auth.logout", "POST"): EVERYONE,
    ("auth.forgot", "GET"): EVERYONE, ("auth.forgot", "POST"): EVERYONE,
    ("auth.reset", "GET"): EVERYONE, ("auth.reset", "POST"): EVERYONE,
    ("auth.change_password", "GET"): SIGNED_IN, ("auth.change_password", "POST"): SIGNED_IN,
    ("account.index", "GET"): SIGNED_IN,
    ("account.accounts", "GET"): MANAGERS,
    ("account.new_account", "GET"): MANAGERS, ("account.new_account", "POST"): MANAGERS,
    # the target is the first collectivity's Utilisateur: "other" is refused by the service
    ("account.set_active", "POST"): {"approbateur", "collectivite", "admin"},
    ("admin.index", "GET"): ADMIN, ("admin.clients", "GET"): ADMIN,
    ("admin.mails", "GET"): ADMIN, ("admin.mail", "GET"): ADMIN,
    ("admin.dead_letters", "GET"): ADMIN, ("admin.replay", "POST"): ADMIN,
    ("catalogue.search", "GET"): SIGNED_IN, ("catalogue.article", "GET"): SIGNED_IN,
    ("health.health", "GET"): EVERYONE,
    ("api-docs.openapi_json", "GET"): EVERYONE,
    ("api.Session", "POST"): EVERYONE, ("api.Session", "DELETE"): EVERYONE,
    ("api.Me", "GET"): SIGNED_IN, ("api.Me", "PUT"): SIGNED_IN,
    ("api.Articles", "GET"): SIGNED_IN, ("api.ArticleSheet", "GET"): SIGNED_IN,
    ("api.Accounts", "GET"): MANAGERS, ("api.Accounts", "POST"): MANAGERS,
    ("api.AccountActive", "PUT"): {"approbateur", "collectivite", "admin"},
    ("api.Clients", "GET"): ADMIN,
}

# sign-outs last, so that each visitor stays signed in for the rest of the walk
LAST = {("auth.logout", "POST"), ("api.Session", "DELETE")}


def routes():
    os.environ.setdefault("GATEWAY_SECRET_KEY", "authorization-test")
    from gateway.app import create_app
    app = create_app()
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((rule.endpoint, method, rule.rule))
    return found


def test_every_route_is_in_the_matrix():
    assert {(e, m) for e, m, _ in routes()} == set(EXPECTED)


def url_for(rule, target_id):
    values = {"<int:account_id>": str(target_id), "<int:mail_id>": "1", "<token>": "x" * 20,
              "<ean>": "9791097284657", "<service>": "notifications", "<int:letter_id>": "999999"}
    for key, value in values.items():
        rule = rule.replace(key, value)
    return rule


def denied(response):
    if response.status_code == 403:
        return True
    if response.status_code == 302 and "/connexion?next=" in response.headers.get("Location", ""):
        return True
    return response.status_code == 401 and "Connectez-vous" in response.text


def visitor(suite, people, who):
    s = requests.Session()
    if who != "anonymous":
        email, password = (ADMIN_EMAIL, ADMIN_PASSWORD) if who == "admin" else \
            (people[who]["email"], PASSWORD)
        token = csrf_token(s, suite.gateway_url + "/connexion")
        r = s.post(suite.gateway_url + "/connexion", allow_redirects=False,
                   data={"email": email, "password": password, "csrf_token": token})
        assert r.status_code == 302, r.text
    return s


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_each_visitor_on_each_route(suite, people, who):
    s = visitor(suite, people, who)
    target = people["utilisateur"]["id"]
    token = csrf_token(s, suite.gateway_url + "/connexion")
    wrong = []
    for endpoint, method, rule in sorted(routes(), key=lambda r: ((r[0], r[1]) in LAST, r)):
        url = suite.gateway_url + url_for(rule, target)
        if endpoint.startswith("api"):
            kwargs = {"json": {"active": True} if endpoint == "api.AccountActive" else {}}
        else:
            kwargs = {"data": {"csrf_token": token, "active": "1"}}
        if method == "GET":
            kwargs = {}
        r = s.request(method, url, allow_redirects=False, **kwargs)
        assert r.status_code < 500, (endpoint, method, r.status_code, r.text[:300])
        allowed = who in EXPECTED[(endpoint, method)]
        if allowed == denied(r):
            wrong.append((endpoint, method, r.status_code))
    assert wrong == [], f"{who}: wrong decisions"
