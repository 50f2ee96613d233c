"""Sign-in, sign-out, forgotten and changed passwords."""
import unicodedata
from urllib.parse import unquote, urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from services.common.errors import DomainError
from services.common.validation import normalise_email

from .. import forms, security
from ..rpc_client import rpc
from ..security import ANONYMOUS, SIGNED_IN, allow

bp = Blueprint("auth", __name__)


def home_for(user):
    if user is None:
        return url_for("auth.login")
    return url_for("admin.index") if user["role"] == "admin" else url_for("account.index")


def safe_next(target):
    """Where to go after signing in: only a path of this site, else None.

    Parsed, not prefix-matched: the value, and the value once and twice percent-decoded (a
    browser or a proxy may decode it on the way), must each start with a single "/", carry no
    scheme and no host, and hold no backslash (browsers read it as "/"), no control character
    and no whitespace in the path (browsers drop tabs and newlines: "/%09/evil.example/" is
    "//evil.example/" to them)."""
    if not target or not isinstance(target, str) or len(target) > 2000:
        return None
    once = unquote(target)
    for form in (target, once, unquote(once)):
        if any(c == "\\" or unicodedata.category(c) in ("Cc", "Cf") for c in form):
            return None
        path = form.split("?", 1)[0].split("#", 1)[0]
        if any(c.isspace() for c in path):
            return None
        if not form.startswith("/") or form.startswith("//"):
            return None
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return None
    return target


@bp.get("/")
@allow(ANONYMOUS)
def home():
    return redirect(home_for(g.user))


@bp.route("/connexion", methods=["GET", "POST"])
@allow(ANONYMOUS)
def login():
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET":
        if g.user:
            return redirect(next_url or home_for(g.user))
        return render_template("auth/login.html", next=next_url, email="")
    form = forms.Login.read()
    email = form["email"]
    try:
        account = rpc("accounts", "authenticate", email, form["password"], request.remote_addr)
    except DomainError as exc:
        status = 429 if exc.code == "throttled" else 401
        return render_template("auth/login.html", next=next_url, email=email,
                               error=exc.message), status
    security.login(account)
    return redirect(next_url or home_for(account))


@bp.post("/deconnexion")
@allow(ANONYMOUS)
def logout():
    security.logout()
    flash("Vous êtes déconnecté(e).", "info")
    return redirect(url_for("auth.login"))


@bp.route("/mot-de-passe/oublie", methods=["GET", "POST"])
@allow(ANONYMOUS)
def forgot():
    if request.method == "POST":
        email = forms.ForgottenPassword.read()["email"]
        try:  # an empty or malformed address: nothing could be sent, said so
            normalise_email(email)
        except ValueError as exc:
            return render_template("auth/forgot.html", sent=False, error=str(exc),
                                   email=email), 400
        rpc("accounts", "request_password_reset", email)
        # the same answer whether the address is known or not
        return render_template("auth/forgot.html", sent=True)
    return render_template("auth/forgot.html", sent=False)


@bp.route("/mot-de-passe/nouveau/<token>", methods=["GET", "POST"])
@allow(ANONYMOUS)
def reset(token):
    if request.method == "GET":
        if not rpc("accounts", "reset_link_valid", token[:200]):  # said before the form
            return render_template("auth/reset.html", token=token, expired=True), 400
        return render_template("auth/reset.html", token=token)
    form = forms.NewPassword.read()
    try:
        rpc("accounts", "reset_password", token[:200], form["password"], form["confirmation"])
    except DomainError as exc:
        return render_template("auth/reset.html", token=token, error=exc.message,
                               errors=exc.details), 400
    security.logout()
    flash("Votre mot de passe a été changé. Connectez-vous avec le nouveau.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/compte/mot-de-passe", methods=["GET", "POST"])
@allow(SIGNED_IN)
def change_password():
    if request.method == "GET":
        return render_template("auth/change_password.html")
    form = forms.ChangePassword.read()
    try:
        account = rpc("accounts", "change_password", g.user["id"], form["current"],
                      form["password"], form["confirmation"])
    except DomainError as exc:
        return render_template("auth/change_password.html", error=exc.message,
                               errors=exc.details), 400
    security.login(account)  # the new session_version; other sessions are signed out
    flash("Votre mot de passe a été changé.", "success")
    return redirect(home_for(account))
