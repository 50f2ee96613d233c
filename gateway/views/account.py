"""Mon compte: the signed-in account, and the accounts it manages (reference 001 §3)."""
from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from services.common.errors import DomainError

from .. import forms, idempotency
from ..rpc_client import rpc
from ..security import MANAGERS, SIGNED_IN, allow

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
    stuck = [] if active else _left_waiting(account_id)
    if stuck:
        flash(stuck, "error")
        return redirect(url_for(back))
    account = rpc("accounts", "set_account_active", g.user["id"], account_id, active,
                  idempotency_key=idempotency.key())
    flash(f"Le compte {account['email']} est {'activé' if active else 'désactivé'}.", "success")
    return redirect(url_for(back))


ROLE_WORDS = {"approbateur": "approbateur", "collectivite": "collectivité"}


def _left_waiting(account_id) -> str:
    """Why the account may not be deactivated now ("" when it may): it is the last active
    account of its role for a client whose baskets wait at that role's level; deactivated,
    they would wait for good, out of everyone's hands (an Approbateur who left the school).
    Only an account the signed-in manager manages is looked at (else accounts refuses it)."""
    target = next((a for a in rpc("accounts", "list_accounts", g.user["id"])
                   if a["id"] == account_id), None)
    if target is None or not target["active"] or target["role"] not in ROLE_WORDS:
        return ""
    alone = [c for c in target["clients"]
             if not [e for e in rpc("accounts", "client_account_emails", c["number"]).get(
                 target["role"], []) if e.lower() != target["email"].lower()]]
    waiting = rpc("baskets", "baskets_waiting_for", [c["number"] for c in alone],
                  target["role"]) if alone else []
    if not waiting:
        return ""
    role = ROLE_WORDS[target["role"]]
    names = ", ".join(f"« {b['name']} » ({b['client_name']})" for b in waiting[:5]) + \
        (f" et {len(waiting) - 5} autre(s)" if len(waiting) > 5 else "")
    return (f"Le compte {target['email']} n'est pas désactivé : c'est le seul compte {role} "
            f"actif de son client, et {len(waiting)} panier(s) attendent sa validation : "
            f"{names}. Désactivé, personne ne pourrait plus les valider. Créez d'abord un autre "
            f"compte {role} (il verra ces paniers), ou faites-les traiter avant.")
