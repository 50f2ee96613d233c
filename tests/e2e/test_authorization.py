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
COLLECTIVITY = {"utilisateur", "approbateur", "collectivite", "other"}
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
    # grouped orders: the target is one initiated by the first collectivity's Collectivité
    # account; only it (and the bookshop, on its own routes) sees it
    ("grouped_orders.mine", "GET"): COLLECTIVITY,
    ("grouped_orders.search", "GET"): COLLECTIVITY,
    ("grouped_orders.new", "GET"): COLLECTIVITY, ("grouped_orders.new", "POST"): COLLECTIVITY,
    ("grouped_orders.detail", "GET"): {"collectivite"},
    ("grouped_orders.deadline", "POST"): {"collectivite"},
    ("grouped_orders.pdf", "GET"): {"collectivite"},
    ("subscription.page", "GET"): EVERYONE, ("subscription.page", "POST"): EVERYONE,
    ("subscription.result", "GET"): EVERYONE, ("subscription.pay_again", "POST"): EVERYONE,
    ("subscription.status", "GET"): EVERYONE, ("subscription.terms", "GET"): EVERYONE,
    ("admin_grouped_orders.index", "GET"): ADMIN, ("admin_grouped_orders.detail", "GET"): ADMIN,
    ("admin_grouped_orders.validate", "POST"): ADMIN,
    ("admin_grouped_orders.cancel", "POST"): ADMIN,
    ("admin_grouped_orders.close_now", "POST"): ADMIN,
    ("admin_grouped_orders.make_available", "GET"): ADMIN,
    ("admin_grouped_orders.make_available", "POST"): ADMIN,
    ("admin_grouped_orders.reset", "POST"): ADMIN, ("admin_grouped_orders.pdf", "GET"): ADMIN,
    ("admin_grouped_orders.validate_sub", "POST"): ADMIN,
    ("admin_grouped_orders.cancel_sub", "POST"): ADMIN,
    ("api_grouped_orders.Mine", "GET"): COLLECTIVITY,
    ("api_grouped_orders.Mine", "POST"): COLLECTIVITY,
    ("api_grouped_orders.MineOne", "GET"): {"collectivite"},
    ("api_grouped_orders.Deadline", "PUT"): {"collectivite"},
    ("api_grouped_orders.Public", "GET"): EVERYONE,
    ("api_grouped_orders.Subscribe", "POST"): EVERYONE,
    ("api_grouped_orders.BuyerStatus", "GET"): EVERYONE,
    ("api_grouped_orders.Pay", "POST"): EVERYONE,
    ("api_grouped_orders.AdminList", "GET"): ADMIN,
    ("api_grouped_orders.AdminOne", "GET"): ADMIN,
    ("api_grouped_orders.AdminAction", "POST"): ADMIN,
    ("api_grouped_orders.AdminCancel", "POST"): ADMIN,
    ("api_grouped_orders.AdminSubAction", "POST"): ADMIN,
    # collectivity baskets: the target is a draft of the first collectivity's Utilisateur,
    # which only its owner sees (an Approbateur sees it once sent: reference 001, annexe)
    ("baskets.mine", "GET"): COLLECTIVITY, ("baskets.create", "POST"): COLLECTIVITY,
    ("baskets.add_from_catalogue", "POST"): COLLECTIVITY,
    ("baskets.to_validate", "GET"): {"approbateur", "collectivite", "other"},
    ("baskets.validated", "GET"): {"approbateur", "collectivite", "other"},
    ("baskets.detail", "GET"): {"utilisateur"}, ("baskets.rename", "POST"): {"utilisateur"},
    ("baskets.delete", "POST"): {"utilisateur"}, ("baskets.add_line", "POST"): {"utilisateur"},
    ("baskets.set_quantity", "POST"): {"utilisateur"},
    ("baskets.remove_line", "POST"): {"utilisateur"}, ("baskets.move", "POST"): {"utilisateur"},
    ("baskets.transform", "GET"): {"utilisateur"},
    ("baskets.transform", "POST"): {"utilisateur"},
    # the target quote and order are the first collectivity's: every account of its client
    # sees them, "other" does not
    ("baskets.quotes", "GET"): COLLECTIVITY, ("baskets.orders", "GET"): COLLECTIVITY,
    ("baskets.quote", "GET"): {"utilisateur", "approbateur", "collectivite"},
    ("baskets.order", "GET"): {"utilisateur", "approbateur", "collectivite"},
    ("admin_collectivity.quotes", "GET"): ADMIN, ("admin_collectivity.quote", "GET"): ADMIN,
    ("admin_collectivity.archive", "POST"): ADMIN, ("admin_collectivity.orders", "GET"): ADMIN,
    ("admin_collectivity.order", "GET"): ADMIN,
    ("admin_collectivity.order_action", "POST"): ADMIN,
    ("admin_collectivity.message", "POST"): ADMIN,
    ("api_baskets.Menus", "GET"): COLLECTIVITY,
    ("api_baskets.Baskets", "GET"): COLLECTIVITY, ("api_baskets.Baskets", "POST"): COLLECTIVITY,
    ("api_baskets.Basket", "GET"): {"utilisateur"}, ("api_baskets.Basket", "PUT"): {"utilisateur"},
    ("api_baskets.Basket", "DELETE"): {"utilisateur"},
    ("api_baskets.Lines", "POST"): {"utilisateur"},
    ("api_baskets.Line", "PUT"): {"utilisateur"}, ("api_baskets.Line", "DELETE"): {"utilisateur"},
    ("api_baskets.Move", "POST"): {"utilisateur"},
    ("api_baskets.Price", "GET"): COLLECTIVITY,
    ("api_baskets.Documents", "GET"): COLLECTIVITY,
    ("api_baskets.Document", "GET"): {"utilisateur", "approbateur", "collectivite"},
    ("api_baskets.AdminQuotes", "GET"): ADMIN, ("api_baskets.AdminQuote", "GET"): ADMIN,
    ("api_baskets.AdminArchive", "POST"): ADMIN, ("api_baskets.AdminOrders", "GET"): ADMIN,
    ("api_baskets.AdminOrder", "GET"): ADMIN, ("api_baskets.AdminOrderAction", "POST"): ADMIN,
    ("api_baskets.AdminOrderActionDeprecated", "POST"): ADMIN,
    ("api_baskets.AdminMessage", "POST"): ADMIN,
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


# the basket routes that delete: each on a spare basket of its own (the walk of one visitor
# goes on with the target basket)
SPARE = {("api_baskets.Basket", "DELETE"): "spare_api", ("baskets.delete", "POST"): "spare_page"}
COLLECTIVITY_BLUEPRINTS = ("baskets.", "admin_collectivity.", "api_baskets.")


def url_for(rule, endpoint, target, method="GET"):
    if endpoint.startswith(COLLECTIVITY_BLUEPRINTS):
        rule = (rule.replace("<any(devis, commande):kind>", "devis")
                .replace("<any(quote, order):kind>", "quote")
                .replace("<any(submission, unlock, lock, return, transformation):action>", "lock")
                .replace("<any(envoyer, deverrouiller, verrouiller, retourner):action>",
                         "verrouiller")
                .replace("<any(availability, shipment, closure, cancellation, reset):action>",
                         "reset")
                # without a reason: refused (400) after the check of who asks, no change
                .replace("<any(made_available, shipped, closed, cancelled):old_action>",
                         "cancelled")
                .replace("<any(made_available, shipped, closed, cancelled, reset):action>",
                         "reset")
                .replace("<int:basket_id>", str(target[SPARE.get((endpoint, method),
                                                                 "basket_id")])))
        order = "commandes-collectivite" in rule or "/orders/" in rule
        rule = rule.replace("<int:number>", str(target["order_number" if order
                                                       else "quote_number"]))
        if (endpoint, method) == ("api_baskets.Line", "DELETE"):
            rule = rule.replace("<ean>", target["second_ean"])
    values = {"<int:account_id>": str(target["account_id"]), "<int:mail_id>": "1",
              "<token>": target["token"] if "subscription" in endpoint or "Public" in endpoint
              or "Subscribe" in endpoint or "BuyerStatus" in endpoint or "Pay" in endpoint
              else "x" * 20,
              "<buyer_token>": target["buyer_token"], "<int:number>": str(target["number"]),
              "<int:sub_number>": str(target["sub_number"]),
              "<any(validation, availability, reset):action>": "reset",
              "<any(validation, cancellation):action>": "validation",
              "<ean>": "9791097284657", "<service>": "notifications", "<int:letter_id>": "999999"}
    for key, value in values.items():
        rule = rule.replace(key, value)
    assert "<" not in rule, rule
    return rule


def denied(response):
    """Refused: 403, 401 / the sign-in page, or 404 for an object that is not one's own."""
    if response.status_code in (403, 404):
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


@pytest.fixture(scope="module")
def target(suite, people):
    """The objects the walk aims at: an account and a grouped order of the first collectivity,
    with one buyer."""
    from datetime import date, timedelta
    from tests.e2e.conftest import api_session
    owner = api_session(suite, people["collectivite"]["email"], PASSWORD)
    go = owner.post(suite.gateway_url + "/api/v1/grouped-orders", json={
        "client_number": "16", "ean": "9782330150136", "pickup": "bookshop",
        "deadline": (date.today() + timedelta(days=10)).isoformat()})
    assert go.status_code == 201, go.text
    go = go.json()
    token = go["subscription_url"].rsplit("/", 1)[1]
    sub = requests.post(f"{suite.gateway_url}/api/v1/public/grouped-orders/{token}/"
                        "subscriptions", json={"first_name": "Ana", "last_name": "Lys",
                                               "email": "ana@lys.fr", "quantity": 1,
                                               "accepted_terms": True}).json()
    # a draft basket of the first collectivity's Utilisateur with two lines, two spare ones to
    # delete; a quote request and an order of its Collectivité
    user = api_session(suite, people["utilisateur"]["email"], PASSWORD)
    baskets = []
    for name in ("Panier cible", "Panier à supprimer (API)", "Panier à supprimer (page)"):
        r = user.post(suite.gateway_url + "/api/v1/baskets", json={"name": name})
        assert r.status_code == 201, r.text
        baskets.append(r.json()["id"])
    for ean in ("9791097284657", "9782330150136"):
        r = user.post(f"{suite.gateway_url}/api/v1/baskets/{baskets[0]}/lines",
                      json={"ean": ean, "quantity": 1})
        assert r.status_code == 201, r.text
    documents = {}
    for kind in ("quote", "order"):
        b = owner.post(suite.gateway_url + "/api/v1/baskets", json={"name": kind}).json()
        r = owner.post(f"{suite.gateway_url}/api/v1/baskets/{b['id']}/lines",
                       json={"ean": "9782330150136", "quantity": 2})
        assert r.status_code == 201, r.text
        r = owner.post(f"{suite.gateway_url}/api/v1/baskets/{b['id']}/transformation",
                       json={"kind": kind, "reference": f"AUTH-{kind}"})
        assert r.status_code == 200, r.text
        documents[kind] = r.json()["number"]
    return {"account_id": people["utilisateur"]["id"], "number": go["number"], "token": token,
            "buyer_token": sub["buyer_token"], "sub_number": sub["number"],
            "basket_id": baskets[0], "spare_api": baskets[1], "spare_page": baskets[2],
            "second_ean": "9782330150136", "quote_number": documents["quote"],
            "order_number": documents["order"]}


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_each_visitor_on_each_route(suite, people, target, who):
    s = visitor(suite, people, who)
    token = csrf_token(s, suite.gateway_url + "/connexion")
    wrong = []
    for endpoint, method, rule in sorted(routes(), key=lambda r: ((r[0], r[1]) in LAST, r)):
        url = suite.gateway_url + url_for(rule, endpoint, target, method)
        if endpoint.startswith("api"):
            # well-formed bodies, so that the check of whose object it is is what decides
            kwargs = {"json": {"api.AccountActive": {"active": True},
                               "api_grouped_orders.Deadline": {"deadline": "2099-01-01"},
                               "api_baskets.Basket": {"name": "Panier renommé"},
                               "api_baskets.Lines": {"ean": "9791097284657", "quantity": 1},
                               "api_baskets.Line": {"quantity": 2},
                               "api_baskets.AdminMessage": {"message": "Message de test"},
                               }.get(endpoint, {})}
        elif endpoint == "subscription.page":
            kwargs = {"data": {"csrf_token": token}}  # an incomplete form: refused, not denied
        else:
            kwargs = {"data": {"csrf_token": token, "active": "1", "deadline": "2099-01-01"}}
        if method == "GET":
            kwargs = {}
        r = s.request(method, url, allow_redirects=False, **kwargs)
        assert r.status_code < 500, (endpoint, method, r.status_code, r.text[:300])
        allowed = who in EXPECTED[(endpoint, method)]
        if allowed == denied(r):
            wrong.append((endpoint, method, r.status_code))
    assert wrong == [], f"{who}: wrong decisions"
