"""Who is signed in, and who may use which route.

Every view declares who may use it with `@allow(...)`; a route without a declaration is refused
to everyone (and the authorization test fails), so nothing is open by omission.

Sessions live on the server: at sign-in `accounts` opens a session and gives its token, which
the (signed) cookie carries; each request asks `accounts` for the account of that session. The
session ends at sign-out ("Se déconnecter" ends it in `accounts`, so a copy of the cookie is
worth nothing afterwards; the account's other browsers stay signed in), after 12 hours, or for
every browser at once when the account is deactivated or its password changed
(session_version)."""
import secrets

from flask import abort, current_app, flash, g, request, session
from flask.sessions import SecureCookieSessionInterface

# the roles and who may create accounts: one table for the accounts service and the gateway
from services.common.roles import (ADMIN, APPROBATEUR, COLLECTIVITE,  # noqa: F401  (re-exported)
                                   COLLECTIVITY_ROLES as COLLECTIVITY, MANAGERS, UTILISATEUR)

ANONYMOUS = "anonymous"     # anyone, signed in or not
SIGNED_IN = "signed_in"     # any active account


def allow(*who):
    def decorate(view):
        view.allowed = frozenset(who)
        return view
    return decorate


def is_allowed(view, user) -> bool:
    allowed = getattr(view, "allowed", None)
    if not allowed:
        return False
    if ANONYMOUS in allowed:
        return True
    if user is None:
        return False
    return SIGNED_IN in allowed or user["role"] in allowed


def login(account):
    """Rotate the session at sign-in: nothing of the anonymous session is kept. `account` is
    what `accounts` answered (authenticate, change_password): its `session_id` goes into the
    cookie, and out of the account (never shown)."""
    session_id = account.pop("session_id")
    session.clear()
    session["sid"] = session_id
    session["nonce"] = secrets.token_urlsafe(16)
    session.permanent = True
    g.user = account


def logout():
    """End the session in `accounts` first: if that fails (503), the user is still signed in
    and can try again, rather than believing a still-valid cookie is dead."""
    session_id = session.get("sid")
    if session_id:
        from .rpc_client import rpc
        rpc("accounts", "end_session", session_id)
    session.clear()
    g.user = None


def load_user():
    g.user = None
    session_id = session.get("sid")
    if session_id is None:
        if "uid" in session:  # a cookie of before server-side sessions: signed out
            session.clear()
        return
    from .rpc_client import rpc
    try:
        account = rpc("accounts", "session_account", session_id)
    except Exception as exc:
        from services.common.errors import DomainError
        if isinstance(exc, DomainError):  # signed out elsewhere, password changed, deactivated
            session.clear()
            if not request.path.startswith("/api/"):  # said on the sign-in page it leads to
                flash("Votre session a pris fin : connectez-vous de nouveau. Si votre compte a "
                      "été désactivé, adressez-vous à la librairie.", "info")
            return
        raise
    g.user = account


def view_for(view, method):
    """The function whose `allowed` applies: for a MethodView, the method's own."""
    cls = getattr(view, "view_class", None)
    if cls is None:
        return view
    method = "get" if method == "HEAD" else method.lower()
    return getattr(cls, method, None)


def check_access():
    if request.endpoint is None or request.endpoint == "static" or request.method == "OPTIONS":
        return
    view = current_app.view_functions.get(request.endpoint)
    if is_allowed(view_for(view, request.method), g.user):
        return
    abort(401 if g.user is None else 403)


class SessionInterface(SecureCookieSessionInterface):
    """Cookies are HttpOnly and SameSite=Lax (config); Secure when the request came over HTTPS
    (directly or through a proxy that says so) or when SESSION_COOKIE_SECURE is set."""

    def get_cookie_secure(self, app):
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure
