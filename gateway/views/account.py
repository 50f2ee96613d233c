"""Mon compte: the signed-in account, and the accounts it manages (reference 001 §3)."""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from services.common.errors import DomainError

from .. import forms, idempotency
from ..rpc_client import rpc
from ..security import MANAGERS, SIGNED_IN, allow
from . import refused

bp = Blueprint("account", __name__)

@bp.get("/compte")
@allow(SIGNED_IN)
def index():
    return render_template("account/index.html")


@bp.get("/comptes")
@allow(*MANAGERS)
def accounts():
    return render_template("account/accounts.html",
                           accounts=rpc("accounts", "list_accounts", g.user["id"]))


@bp.route("/comptes/nouveau", methods=["GET", "POST"])
@allow(*MANAGERS)
def new_account():
    clients = rpc("accounts", "assignable_clients", g.user["id"])
    roles = g.user["creatable_roles"]
    form = {"email": "", "role": "", "client_numbers": []}
    if request.method == "POST":
        form = forms.NewAccount.read()
        try:
            created = rpc("accounts", "create_account", g.user["id"], form,
                          idempotency_key=idempotency.key())
        except DomainError as exc:
            form.pop("password", None)
            form.pop("confirmation", None)
            return render_template("account/new_account.html", clients=clients, roles=roles,
                                   form=form, error=exc.message, errors=exc.details), \
                403 if exc.code == "forbidden" else 400
        flash(f"Le compte {created['email']} ({created['role_label']}) a été créé.", "success")
        return redirect(url_for("account.accounts"))
    return render_template("account/new_account.html", clients=clients, roles=roles, form=form)


@bp.post("/comptes/<int:account_id>/activation")
@allow(*MANAGERS)
def set_active(account_id):
    form = forms.AccountActive.read()
    active = form["active"]
    back = "admin.clients" if g.user["role"] == "admin" and form["back"] == "clients" \
        else "account.accounts"
    try:
        account = rpc("accounts", "set_account_active", g.user["id"], account_id, active,
                      idempotency_key=idempotency.key())
    except DomainError as exc:
        if exc.code != "conflict":  # the last Approbateur with baskets waiting: a message
            raise
        refused(exc)
        return redirect(url_for(back))
    flash(f"Le compte {account['email']} est {'activé' if active else 'désactivé'}.", "success")
    return redirect(url_for(back))
