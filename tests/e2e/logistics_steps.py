"""Steps of the logistician's journeys (issue 9, reference 003 step 3): orders made ready
through the real suite, the « Logisticien » page's form."""
import re

import requests

from tests.e2e import grouped
from tests.support.suite import wait_until

WESTERN = "9791097284657"
CEMETERY = "9782330150136"


def api(suite, path):
    return suite.gateway_url + "/api/v1" + path


def ready_grouped_order(suite, teacher, admin, client="16", buyers=(("Lou", "Logis", 2),)):
    """A grouped order paid, validated and made available by the bookshop: « Commande prête »."""
    go, token = grouped.create(teacher, suite, client, WESTERN, days=2, pickup="bookshop")
    n = go["number"]
    for first, last, quantity in buyers:
        grouped.pay(suite, token, grouped.subscribe(suite, token, first, last, quantity))
    grouped.pass_deadline(suite, n)
    wait_until(lambda: admin.get(api(suite, f"/admin/grouped-orders/{n}")).json()["status"] ==
               "awaiting_validation", timeout=30, message="the deadline timer")
    r = admin.post(api(suite, f"/admin/grouped-orders/{n}/validation"), json={})
    assert r.status_code == 200, r.text
    r = admin.post(api(suite, f"/admin/grouped-orders/{n}/availability"), json={})
    assert r.status_code == 200, r.text
    return n


def ready_collectivity_order(suite, user, approver, coll, admin, quantity=3):
    """A basket along the chain, made an order by the Collectivité, made available by the
    bookshop."""
    r = user.post(api(suite, "/baskets"), json={"name": "Pour le logisticien"})
    assert r.status_code == 201, r.text
    bid = r.json()["id"]
    r = user.post(api(suite, f"/baskets/{bid}/lines"), json={"ean": CEMETERY,
                                                             "quantity": quantity})
    assert r.status_code == 201, r.text
    assert user.post(api(suite, f"/baskets/{bid}/submission"), json={}).status_code == 200
    assert approver.post(api(suite, f"/baskets/{bid}/submission"), json={}).status_code == 200
    r = coll.post(api(suite, f"/baskets/{bid}/transformation"),
                  json={"kind": "order", "reference": "LOGI-1"})
    assert r.status_code == 200, r.text
    n = r.json()["number"]
    r = admin.post(api(suite, f"/admin/orders/{n}/availability"), json={})
    assert r.status_code == 200, r.text
    return n


def candidate(suite, key):
    with suite.rpc() as rpc:
        found = [c for c in rpc.logistics.list_candidates()["candidates"] if c["key"] == key]
    return found[0] if found else None


def wait_candidate(suite, key):
    return wait_until(lambda: candidate(suite, key), timeout=30,
                      message=f"{key} a candidate of logistics")


def page_token(session, suite):
    html = session.get(suite.gateway_url + "/admin/logisticien").text
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def execute(suite, cookies, token, keys=(), take_all=False, key=None):
    """« Exécuter » on the page: the form as the browser posts it (own connection)."""
    data = {"csrf_token": token, "action": "logisticien", "commandes": list(keys)}
    if take_all:
        data["toutes"] = "1"
    if key:
        data["idempotency_key"] = key
    return requests.post(suite.gateway_url + "/admin/logisticien", data=data, cookies=cookies,
                         allow_redirects=False, timeout=45)
