"""Helpers of the fault tests (broker restarts and kills, a database refusing connections, a
service frozen while the gateway waits): a suite with data, a bounded load of subscriptions and
sandbox payments that records every answer, and what to check afterwards."""
import threading
import time
import uuid

import requests
from sqlalchemy import text

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.suite import wait_until

WESTERN = "9791097284657"
PASSWORD = "password-faults-2026"


def api_session(suite, email, password):
    s = requests.Session()
    r = s.post(suite.gateway_url + "/api/v1/session", json={"email": email, "password": password},
               timeout=30)
    assert r.status_code == 200, r.text
    return s


def prepare(suite, teacher_email):
    """Demo clients and articles through the bridge, and a Collectivité account for client 16;
    returns (bridge api key, the teacher's API session, the admin's API session)."""
    from services.librisoft_bridge import keys
    from services.librisoft_bridge.demo import demo_articles, demo_clients
    db = suite.db("librisoft_bridge")
    key = keys.create_key(db, "faults-" + uuid.uuid4().hex[:6])
    db.dispose()
    for kind, rows in (("clients", demo_clients()), ("articles", demo_articles(20))):
        r = requests.post(f"{suite.bridge_url}/librisoft/v1/{kind}", json={kind: rows},
                          headers={"X-Api-Key": key}, timeout=60)
        assert r.status_code == 200, r.text
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    wait_until(lambda: admin.post(suite.gateway_url + "/api/v1/accounts", json={
        "email": teacher_email, "password": PASSWORD, "role": "collectivite",
        "client_numbers": ["16"]}).status_code == 201, timeout=30,
        message="the Collectivité account (once client 16 reached accounts)")
    return key, api_session(suite, teacher_email, PASSWORD), admin


def grouped_order(suite, teacher, days=3):
    from tests.e2e.grouped import create
    return create(teacher, suite, "16", WESTERN, days=days)


class Load:
    """`workers` threads subscribing and paying on `token` until stopped or `limit` buyers; every
    answer is recorded. 503s are expected while a part is down; a 500 or a hung request is not."""

    def __init__(self, suite, token, tag, workers=2, limit=24):
        self.suite, self.token, self.tag = suite, token, tag
        self.workers, self.limit = workers, limit
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.statuses = []        # (what, status code or exception name, seconds)
        self.subscribed = {}      # email -> sub (201 answers)
        self.paid_at_provider = {}  # email -> sub, the sandbox page answered "Payer" with 303
        self.count = 0
        self.threads = []

    def _record(self, what, status, started):
        with self.lock:
            self.statuses.append((what, status, round(time.time() - started, 2)))

    def _request(self, what, method, url, **kw):
        started = time.time()
        try:
            r = requests.request(method, url, timeout=20, **kw)
        except requests.RequestException as exc:
            self._record(what, type(exc).__name__, started)
            return None
        self._record(what, r.status_code, started)
        return r

    def _next(self):
        with self.lock:
            if self.count >= self.limit:
                return None
            self.count += 1
            return self.count

    def _run(self, w):
        base = f"{self.suite.gateway_url}/api/v1/public/grouped-orders/{self.token}"
        while not self.stop.is_set():
            n = self._next()
            if n is None:
                return
            email = f"{self.tag}.{w}.{n}@free.fr"
            r = self._request("subscribe", "POST", base + "/subscriptions", json={
                "first_name": f"Charge{w}", "last_name": f"Acheteur{n}", "quantity": 1,
                "email": email, "accepted_terms": True})
            if r is None or r.status_code != 201:
                time.sleep(0.5)
                continue
            time.sleep(self.pace)
            sub = r.json()
            with self.lock:
                self.subscribed[email] = sub
            for _ in range(40):  # pay it, retrying what a fault refused
                if self.stop.is_set() and self.stop_payments:
                    break
                if self._pay(base, email, sub):
                    break
                time.sleep(0.5)

    stop_payments = False
    pace = 0.4  # seconds between a worker's steps: the load lasts through the fault

    def _pay(self, base, email, sub):
        r = self._request("start_payment", "POST", f"{base}/subscriptions/{sub['buyer_token']}"
                          "/payments", json={})
        if r is None or r.status_code != 201:
            return False
        checkout = r.json()["redirect_url"]
        time.sleep(self.pace)
        r = self._request("sandbox_submit", "POST", checkout, data={"action": "pay"},
                          allow_redirects=False)
        if r is None or r.status_code != 303:
            return False
        with self.lock:
            self.paid_at_provider[email] = sub
        return True

    def start(self):
        self.threads = [threading.Thread(target=self._run, args=(w,), daemon=True)
                        for w in range(self.workers)]
        for t in self.threads:
            t.start()
        return self

    def finish(self, timeout=120):
        self.stop.set()
        for t in self.threads:
            t.join(timeout)
        assert not any(t.is_alive() for t in self.threads), "a load thread hung"

    def server_errors(self):
        return [s for s in self.statuses if isinstance(s[1], int) and s[1] >= 500
                and s[1] != 503]


def all_serving(suite, services, timeout):
    """Every service answers its health over RPC (fresh proxies) within `timeout` s; returns
    the seconds it took."""
    started = time.time()
    pending = set(services)
    while pending and time.time() - started < timeout:
        for name in sorted(pending):
            try:
                with suite.rpc(timeout=2) as rpc:
                    if getattr(rpc, name).health()["status"] == "ok":
                        pending.discard(name)
            except Exception:  # noqa: BLE001  (not yet)
                pass
        if pending:
            time.sleep(0.2)
    assert not pending, f"not serving {timeout} s after the broker came back: {sorted(pending)}"
    return time.time() - started


def sub_orders(suite, emails):
    db = suite.db("grouped_orders")
    with db.transaction() as s:
        rows = s.execute(text("SELECT * FROM sub_orders")).mappings().all()
    db.dispose()
    return [dict(r) for r in rows if r.get("email") in emails]
