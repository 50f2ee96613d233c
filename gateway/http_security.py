"""What the gateway believes of a request, and the headers it sends back.

- **Hosts.** Flask's `TRUSTED_HOSTS` (from `config.trusted_hosts()`: PUBLIC_URL's host plus
  `TRUSTED_HOSTS`) refuses any other `Host` with a French 400, before anything else runs.
- **Links for others.** Every URL the gateway gives away (payment return URLs, ...) is built
  on `PUBLIC_URL` by `public_url_for`, never on the request's host.
- **Client address.** `X-Forwarded-For` / `-Proto` are believed only from the proxies listed in
  `TRUSTED_PROXIES` (else `FORWARDED_ALLOW_IPS`); by default the address is the socket's peer.
- **Headers.** A strict Content-Security-Policy (no inline script or style, no framing, forms
  only to this site and to the payment provider's page), nosniff, Referrer-Policy."""
import ipaddress
from urllib.parse import urlsplit

from flask import current_app, jsonify, request
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from services.common import config

UNKNOWN_HOST = "Cette adresse de site n'est pas reconnue : utilisez l'adresse publique du site."


# ---- hosts and links ------------------------------------------------------------------------
def reject_unknown_host():
    """A before_request, registered first: a request for a host we do not serve never reaches
    the views (and no link is ever built on it)."""
    if isinstance(request.routing_exception, SecurityError):
        if request.path.startswith("/api/"):
            return jsonify({"error": "invalid", "message": UNKNOWN_HOST}), 400
        # no template: without a trusted host Flask cannot build the links of base.html
        html = ("<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\">"
                "<title>Adresse inconnue</title><h1>Adresse inconnue</h1>"
                f"<p>{UNKNOWN_HOST}</p></html>")
        return Response(html, status=400, mimetype="text/html")
    return None


def public_url_for(endpoint, **values) -> str:
    """An absolute URL of this site for someone else (a payment provider, a mail), on
    PUBLIC_URL whatever the request's Host said."""
    base = urlsplit(current_app.config["PUBLIC_URL"].rstrip("/"))
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                       url_scheme=base.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


# ---- client address -------------------------------------------------------------------------
class TrustedProxyFix:
    """werkzeug's ProxyFix (one hop: the last X-Forwarded-For entry, the one our proxy added),
    applied only when the socket's peer is one of the trusted proxies."""

    def __init__(self, app, trusted):
        self.app = app
        self.fixed = ProxyFix(app, x_for=1, x_proto=1)
        self.networks = [ipaddress.ip_network(t, strict=False) for t in trusted if t != "*"]
        self.any = "*" in trusted

    def is_trusted(self, peer) -> bool:
        if self.any:
            return True
        try:
            address = ipaddress.ip_address(peer or "")
        except ValueError:
            return False
        return any(address in net for net in self.networks)

    def __call__(self, environ, start_response):
        if self.is_trusted(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)


# ---- headers --------------------------------------------------------------------------------
def origin(url: str) -> str | None:
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def form_action_sources() -> list:
    """Where our forms may send the browser: this site, and the payment provider's hosted page
    (the subscription form answers with a 303 to it, and Chromium checks `form-action` on that
    redirect too). `CSP_FORM_ACTION` adds origins."""
    sources = ["'self'"]
    payments = config.env("PAYMENTS_PUBLIC_URL")
    if payments:
        sources.append(origin(payments))
    else:  # development: the sandbox under either name
        sources += ["http://127.0.0.1:8102", "http://localhost:8102"]
    sources += [o for o in map(origin, config.env_list("CSP_FORM_ACTION")) if o]
    return list(dict.fromkeys(s for s in sources if s))


def content_security_policy() -> str:
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action " + " ".join(form_action_sources()),
    ])


def add_headers(app):
    csp = content_security_policy()

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response
