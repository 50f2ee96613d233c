"""The gateway: `create_app()` for gunicorn (`gunicorn 'gateway.app:create_app()'`)."""
import logging
import os
import secrets
from datetime import timedelta
from html import escape

from flask import Flask, g
from flask_wtf.csrf import CSRFProtect

from services.common import config

from . import errors, formatting, http_security, security
from .rpc import RpcPool

csrf = CSRFProtect()


def _secret_key():
    key = config.env("GATEWAY_SECRET_KEY")
    if key:
        return key
    # development: one key kept under var/ so that sessions survive a restart
    path = config.var_dir() / "gateway-secret-key"
    try:  # exclusive create: two workers starting at once agree on the first key written
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    except FileExistsError:
        pass
    for _ in range(50):
        key = path.read_text().strip()
        if key:
            return key
        import time
        time.sleep(0.02)
    raise RuntimeError(f"empty secret key file {path}")


class GatewayFlask(Flask):
    def redirect(self, location, code=302):
        """Werkzeug's redirect with a body in French (its own says « Redirecting... », in an
        English page): the few who see it (no automatic redirect) read where it goes."""
        response = super().redirect(location, code)
        target = escape(response.headers.get("Location", location))
        response.set_data(f'<!doctype html>\n<html lang="fr">\n<title>Redirection</title>\n'
                          f'<h1>Redirection</h1>\n<p>La page demandée est ici : '
                          f'<a href="{target}">{target}</a>.</p>\n')
        return response


def create_app(test_config=None):
    app = GatewayFlask(__name__)
    app.config.update(
        SECRET_KEY=_secret_key(),
        SESSION_COOKIE_NAME="libr_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.env("SESSION_COOKIE_SECURE") == "1",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # tied to the session, which expires by itself
        API_TITLE="Librairie collectivités",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        PUBLIC_URL=config.public_url(),
        # any other Host is refused (400) before a view runs: see http_security
        TRUSTED_HOSTS=config.trusted_hosts(),
    )
    if test_config:
        app.config.update(test_config)
    logging.basicConfig(level=config.env("LOG_LEVEL", "INFO"))
    # X-Forwarded-* only from the configured reverse proxies (none by default)
    app.wsgi_app = http_security.TrustedProxyFix(app.wsgi_app, config.trusted_proxies())
    app.session_interface = security.SessionInterface()
    app.extensions["rpc"] = RpcPool(config.amqp_uri(), size=int(config.env("RPC_POOL", "8")),
                                    timeout=config.rpc_timeout())
    app.extensions["rpc_health"] = RpcPool(config.amqp_uri(), size=6, timeout=3)
    # long calls (a PDF of a thousand sub-orders) wait longer, on proxies of their own
    app.extensions["rpc_slow"] = RpcPool(config.amqp_uri(), size=2,
                                         timeout=float(config.env("RPC_SLOW_TIMEOUT", "120")))
    app.before_request(http_security.reject_unknown_host)  # first of all
    # who is signed in and may they use this route: before anything else (CSRF included)
    app.before_request(security.load_user)
    app.before_request(security.check_access)
    csrf.init_app(app)
    from .idempotency import one_time_token  # every form's one-time token ({{ csrf() }})
    app.jinja_env.globals["one_time_token"] = one_time_token
    formatting.register(app)

    from .views import (account, admin, admin_collectivity, admin_desk, admin_finances,
                        admin_grouped_orders, admin_logistics, admin_progress, auth, baskets,
                        catalogue, distribution, documents, grouped_orders, health, invoices,
                        subscription, suppliers, unavailable_titles)
    for module in (auth, account, admin, catalogue, health, grouped_orders, subscription,
                   admin_grouped_orders, baskets, admin_collectivity, admin_finances,
                   admin_desk, admin_progress, documents, invoices, admin_logistics, suppliers,
                   unavailable_titles, distribution):
        app.register_blueprint(module.bp)
    app.jinja_env.globals["document_pdf_url"] = documents.pdf_url
    from .api import init_api
    init_api(app, csrf)
    errors.register(app)  # after the API's: one error format everywhere

    @app.context_processor
    def inject_user():
        return {"user": g.get("user")}

    http_security.add_headers(app)  # CSP, nosniff, framing, referrer
    # registered after the headers' hook so that it runs before it (Flask runs them in reverse):
    # the page it renders gets the same headers
    from .views import show_refusal
    app.after_request(show_refusal)

    return app
