import re

import pytest
import requests

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.support.suite import wait_until

PASSWORD = "password-e2e-2026"
# (key, email, role, clients): two collectivities, the whole chain in the first
PEOPLE = [
    ("collectivite", "achats@ecole-jules-ferry.test", "collectivite", ["16"]),
    ("approbateur", "chef@ecole-jules-ferry.test", "approbateur", ["16"]),
    ("utilisateur", "biblio@ecole-jules-ferry.test", "utilisateur", ["16"]),
    ("other", "achats@college-victor-prouve.test", "collectivite", ["21"]),
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, for the browser tests: one for the session,
    started by the first browser test (each test opens contexts of its own, closed after it:
    no cookie or storage is shared between tests)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture(scope="session")
def demo_feeds(suite):
    """The demo clients and articles, pushed through the bridge's webservice."""
    from services.librisoft_bridge import keys
    from services.librisoft_bridge.demo import demo_articles, demo_clients
    db = suite.db("librisoft_bridge")
    key = keys.create_key(db, "e2e")
    db.dispose()
    for kind, rows in (("clients", demo_clients()), ("articles", demo_articles(300))):
        r = requests.post(f"{suite.bridge_url}/librisoft/v1/{kind}", json={kind: rows},
                          headers={"X-Api-Key": key}, timeout=60)
        assert r.status_code == 200, r.text
    with suite.rpc() as rpc:
        admin = rpc.accounts.authenticate(ADMIN_EMAIL, ADMIN_PASSWORD, "e2e")
        wait_until(lambda: {"16", "21"} <= {c["number"] for c in
                                            rpc.accounts.assignable_clients(admin["id"])},
                   message="demo clients in accounts")
    return key


@pytest.fixture(scope="session")
def people(suite, demo_feeds):
    """key -> account dict, created through the API by the admin."""
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    made = {"admin": admin.me}
    for key, email, role, clients in PEOPLE:
        r = admin.post(suite.gateway_url + "/api/v1/accounts", json={
            "email": email, "password": PASSWORD, "role": role, "client_numbers": clients})
        assert r.status_code == 201, r.text
        made[key] = r.json()
    return made


class ApiSession(requests.Session):
    """A client of the gateway as a browser is: a request that reads only (GET, HEAD) sent on a
    kept-alive connection the server closed at that very moment (gunicorn closes idle ones
    after 2 s: « Connection reset by peer ») is sent again on a new one, as browsers do. A
    write is never sent twice."""
    me = None

    def __init__(self):
        super().__init__()
        from urllib3.util.retry import Retry
        again = Retry(total=2, connect=2, read=2, status=0, other=0, redirect=5,
                      allowed_methods=frozenset({"GET", "HEAD"}), raise_on_status=False)
        for scheme in ("http://", "https://"):
            self.mount(scheme, requests.adapters.HTTPAdapter(max_retries=again))


def api_session(suite, email, password):
    s = ApiSession()
    r = s.post(suite.gateway_url + "/api/v1/session", json={"email": email,
                                                             "password": password})
    assert r.status_code == 200, r.text
    s.me = r.json()
    return s


def csrf_token(session, url):
    html = session.get(url).text
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def pytest_collection_modifyitems(session, config, items):
    """The generated requests (test_api_fuzz.py) run after every other test of the session:
    their writes (as the admin, as a Collectivité) change data the others count on, and their
    failed sign-ins count towards the per-address throttle."""
    fuzz = [item for item in items if item.path.name == "test_api_fuzz.py"]
    if fuzz:
        items[:] = [item for item in items if item.path.name != "test_api_fuzz.py"] + fuzz
