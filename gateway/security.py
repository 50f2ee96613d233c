"""Who is signed in, and who may use which route.

Every view declares who may use it with `@allow(...)`; a route without a declaration is refused
to everyone (and the authorization test fails), so nothing is open by omission. The signed-in
account is reloaded from `accounts` on each request: a deactivated account or a changed
password (session_version) signs the session out at once."""
import secrets

from flask import abort, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface

ANONYMOUS = "anonymous"     # anyone, signed in or not
SIGNED_IN = "signed_in"     # any active account
ADMIN = "admin"
UTILISATEUR = "utilisateur"
APPROBATEUR = "approbateur"
COLLECTIVITE = "collectivite"
COLLECTIVITY = (UTILISATEUR, APPROBATEUR, COLLECTIVITE)
MANAGERS = (ADMIN, APPROBATEUR, COLLECTIVITE)   # may create accounts


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
    """Rotate the session at sign-in: nothing of the anonymous session is kept."""
    session.clear()
    session["uid"] = account["id"]
    session["sv"] = account["session_version"]
    session["nonce"] = secrets.token_urlsafe(16)
    session.permanent = True
    g.user = account


def logout():
    session.clear()
    g.user = None


def load_user():
    g.user = None
    uid = session.get("uid")
    if uid is None:
        return
    from .services import rpc
    try:
        account = rpc("accounts", "get_account", uid)
    except Exception as exc:
        from services.common.errors import DomainError
        if isinstance(exc, DomainError):
            session.clear()
            return
        raise
    if not account["active"] or account["session_version"] != session.get("sv"):
        session.clear()
        return
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


def require(condition):
    if not condition:
        abort(403)


class SessionInterface(SecureCookieSessionInterface):
    """Cookies are HttpOnly and SameSite=Lax (config); Secure when the request came over HTTPS
    (directly or through a proxy that says so) or when SESSION_COOKIE_SECURE is set."""

    def get_cookie_secure(self, app):
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure
