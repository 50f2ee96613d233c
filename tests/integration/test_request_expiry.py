"""A request the gateway gave up on is never carried out later (issue 14): a service frozen
(SIGSTOP) while the gateway waits, the gateway answers 503, the service comes back and finds the
requests expired (AMQP expiration + the deadline header checked before the work starts)."""
import os
import signal
import threading
import time

import requests

from tests.e2e import grouped
from tests.support.faults import grouped_order, prepare, sub_orders
from tests.support.suite import wait_until

TEACHER = "delais@ecole-jules-ferry.test"


def test_a_subscription_and_a_validation_answered_503_are_never_carried_out(suite):
    _, teacher, admin = prepare(suite, TEACHER)
    # a grouped order awaiting validation, and one open for subscriptions
    go, token = grouped_order(suite, teacher)
    grouped.pay(suite, token, grouped.subscribe(suite, token, "Vera", "Delai", 1))
    grouped.pass_deadline(suite, go["number"])
    admin_url = f"{suite.gateway_url}/api/v1/admin/grouped-orders/{go['number']}"
    wait_until(lambda: admin.get(admin_url).json()["status"] == "awaiting_validation",
               message="awaiting validation")
    _, open_token = grouped_order(suite, teacher)
    email = "ulysse.tardif@free.fr"

    answers = {}

    def subscribe():
        started = time.time()
        r = requests.post(f"{suite.gateway_url}/api/v1/public/grouped-orders/{open_token}/"
                          "subscriptions", timeout=60, json={
                              "first_name": "Ulysse", "last_name": "Tardif", "quantity": 1,
                              "email": email, "accepted_terms": True})
        answers["subscribe"] = (r.status_code, r.headers.get("Retry-After"), time.time() - started)

    def validate():
        r = admin.post(admin_url + "/validation", json={}, timeout=60)
        answers["validate"] = (r.status_code, r.headers.get("Retry-After"))

    frozen = [p for k, p in suite.procs.items() if k.startswith("grouped_orders#")]
    for proc in frozen:
        os.killpg(proc.pid, signal.SIGSTOP)
    try:
        threads = [threading.Thread(target=fn) for fn in (subscribe, validate)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        for proc in frozen:
            os.killpg(proc.pid, signal.SIGCONT)
    assert answers["subscribe"][0] == 503 and answers["validate"][0] == 503, answers
    assert answers["subscribe"][2] < 15, answers

    # the service is back and has seen both requests: it started neither
    suite.wait_healthy("grouped_orders")
    with suite.rpc() as rpc:  # a later request is answered: the earlier ones were consumed
        rpc.grouped_orders.public_grouped_order(open_token)
    time.sleep(1)
    assert sub_orders(suite, {email}) == []
    assert admin.get(admin_url).json()["status"] == "awaiting_validation"
    log = (suite.tmp / "grouped_orders#0.log").read_text(errors="replace")
    assert "expired" in log
    assert answers["subscribe"][1] == answers["validate"][1] == "5"  # Retry-After

    # what the user does next: try again, once
    assert admin.post(admin_url + "/validation", json={}).status_code == 200
    assert admin.get(admin_url).json()["status"] != "awaiting_validation"
