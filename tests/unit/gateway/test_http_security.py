"""The gateway's hosts, links, `next` parameter, client address and headers, through Flask's
test client with the services faked (no broker needed)."""
import re
from pathlib import Path

import pytest

from gateway.http_security import TrustedProxyFix
from gateway.views.auth import safe_next
from services.common import config

TEMPLATES = Path(__file__).resolve().parents[3] / "gateway" / "templates"


class FakeRpc:
    def __init__(self, answers=None):
        self.calls = []
        self.answers = answers or {}

    def call(self, service, method, *args, **kwargs):
        self.calls.append((service, method, args))
        answer = self.answers.get((service, method))
        return answer(*args) if callable(answer) else answer


@pytest.fixture
def make_app(monkeypatch, tmp_path):
    def make(**env):
        monkeypatch.setenv("VAR_DIR", str(tmp_path))
        monkeypatch.setenv("GATEWAY_SECRET_KEY", "unit-test-key")
        for name in ("PUBLIC_URL", "TRUSTED_HOSTS", "TRUSTED_PROXIES", "FORWARDED_ALLOW_IPS",
                     "PAYMENTS_PUBLIC_URL", "CSP_FORM_ACTION"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        from gateway.app import create_app
        app = create_app({"WTF_CSRF_ENABLED": False, "TESTING": True})
        app.extensions["rpc"] = FakeRpc()
        return app
    return make


# ---- next -----------------------------------------------------------------------------------
@pytest.mark.parametrize("target", [
    "/%09/evil.example/", "/\\/evil.example/", "/\\evil.example/", "//evil.example/",
    "///evil.example/", "/%2F/evil.example", "/%252F/evil.example", "/%5C/evil.example",
    "/%5c%5cevil.example", "https://evil.example/", "http:/evil.example", "javascript:alert(1)",
    "/\t/evil.example", "/\n/evil.example", "/%0d%0a/evil.example", "evil.example",
    "relative/path", " /x", "/\u200b/evil.example", "", None,
])
def test_next_refuses_anything_but_a_path_of_this_site(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", [
    "/", "/compte", "/catalogue?q=le+petit%20prince", "/commandes-groupees/12#sous-commandes",
    "/admin/e-mails?to=a%40b.fr",
])
def test_next_keeps_a_path_of_this_site(target):
    assert safe_next(target) == target


def test_login_page_does_not_redirect_off_site(make_app):
    app = make_app(PUBLIC_URL="http://shop.test")
    app.extensions["rpc"].answers[("accounts", "authenticate")] = lambda *a: {
        "id": 1, "email": "a@b.fr", "role": "admin", "session_version": 1, "active": True,
        "session_id": "sid-1"}
    for evil in ("/%09/evil.example/", "/\\/evil.example/", "/\\evil.example/"):
        client = app.test_client()
        r = client.post("/connexion?next=" + evil.replace("%", "%25"),
                        data={"email": "a@b.fr", "password": "x"},
                        headers={"Host": "shop.test"})
        assert r.status_code == 302
        assert r.headers["Location"] == "/admin/", (evil, r.headers["Location"])


# ---- hosts and links ------------------------------------------------------------------------
def test_trusted_hosts_come_from_public_url_and_the_environment(monkeypatch):
    monkeypatch.setenv("PUBLIC_URL", "https://Librairie.Example.org:8443/")
    monkeypatch.setenv("TRUSTED_HOSTS", "www.librairie.example.org, .interne.test")
    assert config.trusted_hosts() == ["librairie.example.org", "www.librairie.example.org",
                                      ".interne.test"]
    monkeypatch.delenv("PUBLIC_URL")
    monkeypatch.delenv("TRUSTED_HOSTS")
    assert config.trusted_hosts() == ["localhost", "127.0.0.1"]


@pytest.mark.parametrize("path", ["/connexion", "/api/v1/me", "/souscription/abc"])
def test_an_unknown_host_gets_a_french_400_before_any_view(make_app, path):
    app = make_app(PUBLIC_URL="http://127.0.0.1:8000")
    client = app.test_client()
    r = client.get(path, headers={"Host": "evil.example"})
    assert r.status_code == 400
    assert "pas reconnue" in r.get_data(as_text=True)
    assert app.extensions["rpc"].calls == []
    assert client.get("/connexion", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_payment_return_url_is_built_on_public_url_not_on_the_host(make_app):
    app = make_app(PUBLIC_URL="https://librairie.example.org/boutique",
                   TRUSTED_HOSTS="alias.example.org")
    rpc = app.extensions["rpc"]
    rpc.answers[("grouped_orders", "start_payment")] = lambda *a: {"redirect_url": "http://pay"}
    client = app.test_client()
    r = client.post("/souscription/TOK/commande/BUY/payer", headers={"Host": "alias.example.org"})
    assert r.status_code == 303
    r = client.post("/api/v1/public/grouped-orders/TOK/subscriptions/BUY/payments", json={},
                    headers={"Host": "alias.example.org"})
    assert r.status_code == 201, r.get_data(as_text=True)
    urls = [args[2] for service, method, args in rpc.calls if method == "start_payment"]
    assert urls == ["https://librairie.example.org/boutique/souscription/TOK/commande/BUY"] * 2


def test_no_url_is_built_from_the_request_host():
    root = Path(__file__).resolve().parents[3]
    offenders = []
    for path in list((root / "gateway").rglob("*.py")) + list((root / "services").rglob("*.py")):
        text = path.read_text()
        for needle in (r"request\.host", r"url_root", r"host_url", r"\b_external\s*="):
            if re.search(needle, text):
                offenders.append(f"{path.relative_to(root)}: {needle}")
    assert offenders == []


# ---- client address -------------------------------------------------------------------------
def _peer_seen(app_wsgi, remote_addr, forwarded):
    seen = {}

    def app(environ, start_response):
        seen["addr"] = environ["REMOTE_ADDR"]
        start_response("200 OK", [])
        return [b""]

    wrapped = app_wsgi(app)
    wrapped({"REMOTE_ADDR": remote_addr, "HTTP_X_FORWARDED_FOR": forwarded,
             "wsgi.url_scheme": "http", "HTTP_HOST": "x"}, lambda *a: None)
    return seen["addr"]


def test_forwarded_for_is_believed_only_from_a_trusted_proxy():
    nobody = lambda app: TrustedProxyFix(app, [])  # noqa: E731
    proxy = lambda app: TrustedProxyFix(app, ["10.0.0.0/8", "127.0.0.1"])  # noqa: E731
    assert _peer_seen(nobody, "127.0.0.1", "6.6.6.6") == "127.0.0.1"
    assert _peer_seen(proxy, "203.0.113.9", "6.6.6.6") == "203.0.113.9"
    # the proxy appends the real client: only that last entry is believed
    assert _peer_seen(proxy, "10.1.2.3", "6.6.6.6, 198.51.100.7") == "198.51.100.7"


def test_the_app_ignores_forwarded_for_by_default(make_app):
    app = make_app(PUBLIC_URL="http://shop.test")
    seen = []
    app.extensions["rpc"].answers[("accounts", "authenticate")] = \
        lambda email, password, ip: seen.append(ip)
    client = app.test_client()
    client.post("/connexion", data={"email": "a@b.fr", "password": "x"},
                headers={"Host": "shop.test", "X-Forwarded-For": "6.6.6.6"},
                environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert seen == ["192.0.2.1"]


# ---- headers --------------------------------------------------------------------------------
def test_pages_and_api_send_a_strict_csp(make_app):
    app = make_app(PUBLIC_URL="http://shop.test", PAYMENTS_PUBLIC_URL="https://pay.test/x")
    client = app.test_client()
    for path in ("/connexion", "/api/v1/me", "/nulle-part"):
        csp = client.get(path, headers={"Host": "shop.test"}).headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert directives["form-action"] == "'self' https://pay.test"
        assert "unsafe" not in csp


def test_templates_hold_no_inline_script_or_style():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"\son(?!glet)[a-z]+\s*=\s*[\"']", re.I)  # onclick=, not onglet=
    style = re.compile(r"<style|\sstyle\s*=", re.I)
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for rule in (inline_script, handler, style):
            if rule.search(text):
                offenders.append(f"{path.name}: {rule.pattern}")
    assert offenders == []


def test_gunicorn_does_not_name_itself():
    import runpy

    import gunicorn.http.wsgi
    runpy.run_path(str(Path(__file__).resolve().parents[3] / "gateway" / "gunicorn.conf.py"))
    assert "gunicorn" not in gunicorn.http.wsgi.SERVER.lower()


def test_a_trailing_slash_leads_to_the_page_without_it(make_app):
    """`/admin/commandes-groupees/` pasted from a mail or typed: the page, not « n'existe pas »;
    never another host (`//x/`), never a POST redirected, a page that does not exist stays 404."""
    client = make_app().test_client()
    answer = client.get("/admin/commandes-groupees/?q=Jaur%C3%A8s")
    assert answer.status_code == 308
    assert answer.headers["Location"] == "/admin/commandes-groupees?q=Jaur%C3%A8s"
    assert client.get("/connexion/").headers["Location"] == "/connexion"
    assert client.get("/nulle-part/").status_code == 404
    assert client.get("//exemple.org/").status_code in (400, 404)
    assert client.post("/connexion/").status_code in (404, 405)
