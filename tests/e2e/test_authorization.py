"""Every route of the gateway, walked by every kind of visitor: allowed or denied, decided on
the server. The matrix is tests/support/authorization.py; that every route is in it (a new
route must say who may use it) is checked in the unit tier,
tests/unit/gateway/test_authorization_matrix.py."""
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e.conftest import PASSWORD, csrf_token
from tests.support.authorization import EVERYONE, EXPECTED

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


# the basket routes that delete: each on a spare basket of its own (the walk of one visitor
# goes on with the target basket)
SPARE = {("api_baskets.Basket", "DELETE"): "spare_api", ("baskets.delete", "POST"): "spare_page"}
COLLECTIVITY_BLUEPRINTS = ("baskets.", "admin_collectivity.", "api_baskets.")


def url_for(rule, endpoint, target, method="GET"):
    if endpoint.startswith(COLLECTIVITY_BLUEPRINTS):
        rule = (rule.replace("<any(devis, commande):kind>", "devis")
                .replace("<any(quote, order):kind>", "quote")
                .replace("<any(submission, unlock, lock, recall, return, transformation):action>",
                         "lock")
                .replace("<any(envoyer, deverrouiller, verrouiller, retourner, reprendre)"
                         ":action>", "verrouiller")
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
    if endpoint == "invoices.issue_paid_sub_orders":  # the target's grouped order
        rule = rule.replace("<int:number>", str(target["number"]))
    if endpoint.startswith(("invoices.", "api_invoices.")):  # the target's order, sub-order
        own_sub = endpoint == "invoices.buyer_pdf"
        rule = (rule.replace("<any('sous-commande', 'commande-collectivite'):kind>",
                             "commande-collectivite")
                .replace("<int:order_number>", str(target["order_number"]))
                .replace("<int:number>", str(target["order_number"]))
                .replace("<token>", target["token"])
                .replace("<number>", target["sub_invoice" if own_sub else "order_invoice"]))
    if endpoint == "admin_logistics.batch_file":
        rule = (rule.replace("<int:number>", str(target["batch_number"]))
                .replace("<any(csv, json):fmt>", "csv"))
    values = {"<int:account_id>": str(target["account_id"]), "<int:mail_id>": "1",
              "<token>": target["token"] if "subscription" in endpoint or "Public" in endpoint
              or "Subscribe" in endpoint or "BuyerStatus" in endpoint or "Pay" in endpoint
              else "x" * 20,
              "<buyer_token>": target["buyer_token"], "<int:number>": str(target["number"]),
              "<int:sub_number>": str(target["sub_number"]),
              "<int:title_id>": str(target["title_id"]),  # the target's title (issue 10, K3)
              "<any(validation, availability, reset):action>": "reset",
              "<any(validation, cancellation):action>": "validation",
              "<ean>": "9791097284657", "<service>": "notifications", "<int:letter_id>": "999999",
              "<payout_id>": "po_inconnu", "<client_number>": "16",
              # the order desk: the target grouped order, in the desk's register by its event
              "<any(sub_order, grouped_order, collectivity_order, quote):kind>": "grouped_order",
              "<any('sous-commande', 'commande-groupee', 'commande-collectivite', 'devis')"
              ":kind>": "commande-groupee"}
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
    with one buyer (paid, invoiced)."""
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
    # an invoice of the order and one of the sub-order (issue 9), for the invoices' routes (a
    # sub-order is invoiced once paid: the bookshop validates it first)
    with suite.rpc() as rpc:
        admin_id = rpc.accounts.authenticate(ADMIN_EMAIL, ADMIN_PASSWORD, "authorization")["id"]
        rpc.grouped_orders.admin_validate_sub_order(admin_id, sub["number"])
        invoices = {key: rpc.invoicing.issue_invoice(admin_id, kind, number)["number"]
                    for key, kind, number in (("order_invoice", "collectivity_order",
                                               documents["order"]),
                                              ("sub_invoice", "sub_order", sub["number"]))}
    # the order made available, handed to the logistician: a batch with its files
    from tests.e2e import logistics_steps
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    r = admin.post(f"{suite.gateway_url}/api/v1/admin/orders/{documents['order']}/availability",
                   json={})
    assert r.status_code == 200, r.text
    key = f"collectivity_order:{documents['order']}"
    logistics_steps.wait_candidate(suite, key)
    with suite.rpc() as rpc:
        batch = rpc.logistics.hand_off(ADMIN_EMAIL, [key])
    return {**invoices, "account_id": people["utilisateur"]["id"], "number": go["number"],
            "token": token,
            "buyer_token": sub["buyer_token"], "sub_number": sub["number"],
            "basket_id": baskets[0], "spare_api": baskets[1], "spare_page": baskets[2],
            "second_ean": "9782330150136", "quote_number": documents["quote"],
            "order_number": documents["order"], "batch_number": batch["number"],
            "title_id": go["titles"][0]["id"]}


def request_kwargs(endpoint, method, target, token):
    """The body each route is sent: well-formed, so that the check of who asks (and of whose
    object it is) is what decides."""
    if method == "GET":
        return {}
    if endpoint.startswith("api"):
        return {"json": {"api.AccountActive": {"active": True},
                         "api_grouped_orders.Deadline": {"deadline": "2099-01-01"},
                         "api_baskets.Basket": {"name": "Panier renommé"},
                         "api_baskets.Lines": {"ean": "9791097284657", "quantity": 1},
                         "api_baskets.Line": {"quantity": 2},
                         "api_baskets.AdminMessage": {"message": "Message de test"},
                         # the cycle (issue 10): refused by the target's state
                         # (open: 409) once the check of whose it is has passed
                         "api_cycle.Opening": {"opens_on": None},
                         "api_cycle.TitleAvailability": {"available": 0},
                         "api_cycle.DistributionTick": {
                             "sub_order": target["sub_number"], "field": "came",
                             "value": True},
                         "api_cycle.DistributionPayment": {
                             "sub_order": target["sub_number"], "method": "cash"},
                         "api_cycle.DistributionNote": {
                             "sub_order": target["sub_number"], "kind": "refund",
                             "amount": "1,00", "comment": "Essai"},
                         "api_cycle.DistributionDate": {"distribution_date": None},
                         }.get(endpoint, {})}
    if endpoint == "subscription.page":
        return {"data": {"csrf_token": token}}  # an incomplete form: refused, not denied
    return {"data": {"csrf_token": token, "active": "1", "deadline": "2099-01-01"}}


# reads and refused writes sent at once, this many at a time (the gateway runs 2 workers x 8
# threads)
AT_ONCE = 4


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_each_visitor_on_each_route(suite, people, target, who):
    s = visitor(suite, people, who)
    token = csrf_token(s, suite.gateway_url + "/connexion")
    walk = sorted(routes(), key=lambda r: ((r[0], r[1]) in LAST, r))
    # what changes nothing: the reads, and the writes this visitor must be refused (refused
    # before anything is done; one wrongly allowed is a wrong decision below all the same).
    # They are sent at once, each with the visitor's cookies as signed in; then the writes it
    # may make, one at a time in the walk's order on its session, sign-outs last
    at_once = [r for r in walk if r[1] == "GET" or who not in EXPECTED[(r[0], r[1])]]
    in_order = [r for r in walk if r not in at_once]

    def send(route, session):
        endpoint, method, rule = route
        url = suite.gateway_url + url_for(rule, endpoint, target, method)
        return route, session.request(method, url, allow_redirects=False,
                                      **request_kwargs(endpoint, method, target, token))

    def send_signed_in(route):
        with requests.Session() as own:
            own.cookies.update(s.cookies)
            return send(route, own)

    with ThreadPoolExecutor(AT_ONCE) as pool:
        answers = list(pool.map(send_signed_in, at_once))
    answers += [send(route, s) for route in in_order]
    assert len(answers) == len(walk)
    wrong = []
    for (endpoint, method, _), r in answers:
        assert r.status_code < 500, (endpoint, method, r.status_code, r.text[:300])
        allowed = who in EXPECTED[(endpoint, method)]
        if allowed == denied(r):
            wrong.append((endpoint, method, r.status_code))
    assert wrong == [], f"{who}: wrong decisions"
