"""Steps of the grouped-order journeys, through the gateway's API and the sandbox's pages."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import requests
from unidecode import unidecode
from sqlalchemy import text

from tests.support.suite import wait_until

PARIS = ZoneInfo("Europe/Paris")


def paris_today():
    return datetime.now(PARIS).date()


def create(session, suite, client_number, ean, days=3, pickup="address-0"):
    r = session.post(suite.gateway_url + "/api/v1/grouped-orders", json={
        "client_number": client_number, "ean": ean, "pickup": pickup,
        "deadline": (paris_today() + timedelta(days=days)).isoformat()})
    assert r.status_code == 201, r.text
    go = r.json()
    return go, go["subscription_url"].rsplit("/", 1)[1]


def subscribe(suite, token, first, last, quantity):
    r = requests.post(f"{suite.gateway_url}/api/v1/public/grouped-orders/{token}/subscriptions",
                      json={"first_name": first, "last_name": last, "quantity": quantity,
                            "email": unidecode(f"{first}.{last}@free.fr").lower(),
                            "accepted_terms": True})
    assert r.status_code == 201, r.text
    return r.json()


def buyer_status(suite, token, sub):
    return requests.get(f"{suite.gateway_url}/api/v1/public/grouped-orders/{token}/"
                        f"subscriptions/{sub['buyer_token']}").json()


def pay(suite, token, sub, action="pay", wait=True):
    """Start a payment, answer the sandbox's hosted page, and wait for its outcome."""
    r = requests.post(f"{suite.gateway_url}/api/v1/public/grouped-orders/{token}/subscriptions/"
                      f"{sub['buyer_token']}/payments", json={})
    assert r.status_code == 201, r.text
    checkout = r.json()["redirect_url"]
    page = requests.get(checkout)
    assert page.status_code == 200 and "Payer" in page.text
    answer = requests.post(checkout, data={"action": action}, allow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert f"/commande/{sub['buyer_token']}" in answer.headers["Location"]
    if wait and action == "pay":
        wait_until(lambda: buyer_status(suite, token, sub)["status"] == "paid",
                   message=f"sub-order {sub['number']} paid")
    elif wait:
        wait_until(lambda: buyer_status(suite, token, sub)["last_payment_state"] is not None,
                   message=f"payment outcome of sub-order {sub['number']}")
    return answer.headers["Location"]


def pass_deadline(suite, number):
    """Time passes: the deadline is yesterday (the service's own timer notices)."""
    db = suite.db("grouped_orders")
    with db.transaction() as s:
        s.execute(text("UPDATE grouped_orders SET deadline = :d, closes_at = :c "
                       "WHERE number = :n"),
                  {"d": paris_today() - timedelta(days=1),
                   "c": datetime.now(timezone.utc) - timedelta(minutes=1), "n": number})
    db.dispose()


def librisoft_orders(suite, key, status="all"):
    r = requests.get(f"{suite.bridge_url}/librisoft/v1/orders", params={"status": status},
                     headers={"X-Api-Key": key})
    assert r.status_code == 200, r.text
    return r.json()["orders"]


def mails(suite, address):
    with suite.rpc() as rpc:
        return rpc.notifications.list_mails(500, address)["mails"]
