"""The bookshop's administration: collectivity clients (their SIRET and Chorus Pro service code)
and their accounts, mails and SMS (dev
pages), events whose handling failed (dead letters) with replay."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from services.common.errors import DomainError

from .. import forms, idempotency
from ..rpc_client import SERVICE_NAMES, rpc
from ..security import ADMIN, allow

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@allow(ADMIN)
def index():
    return render_template("admin/index.html")


@bp.get("/clients")
@allow(ADMIN)
def clients():
    overview = rpc("accounts", "clients_overview", g.user["id"])
    tab = "inactifs" if request.args.get("onglet") == "inactifs" else "clients"
    return render_template("admin/clients.html", overview=overview, tab=tab)


@bp.route("/clients/<client_number>", methods=["GET", "POST"])
@allow(ADMIN)
def client(client_number):
    """One client: what Librisoft sends, its accounts, and what the bookshop adds (issue 9): the
    SIRET (checked by accounts with python-stdnum) and the Chorus Pro service code of its
    invoices. A refused value: the page again, 400, the French message, nothing changed."""
    number = client_number[:40]
    if request.method == "POST":
        form = forms.ClientBilling.read()
        try:
            rpc("accounts", "set_client_billing", g.user["id"], number, form["siret"],
                form["chorus_service_code"], idempotency_key=idempotency.key())
        except DomainError as exc:
            if exc.code != "invalid":
                raise
            current = rpc("accounts", "admin_get_client", g.user["id"], number)
            return render_template("admin/client.html", client=current, form=form,
                                   error=exc.message, errors=exc.details or {}), 400
        flash("Le SIRET et le code service Chorus Pro du client sont enregistrés.", "success")
        return redirect(url_for("admin.client", client_number=number))
    current = rpc("accounts", "admin_get_client", g.user["id"], number)
    form = {"siret": current.get("siret") or "",
            "chorus_service_code": current.get("chorus_service_code") or ""}
    return render_template("admin/client.html", client=current, form=form, error=None,
                           errors={})


@bp.get("/mails")
@allow(ADMIN)
def mails():
    return render_template("admin/mails.html", data=rpc("notifications", "list_mails", 200))


@bp.get("/sms")
@allow(ADMIN)
def sms():
    return render_template("admin/sms.html", data=rpc("notifications", "list_sms", 200))


@bp.get("/mails/<int:mail_id>")
@allow(ADMIN)
def mail(mail_id):
    return render_template("admin/mail.html", mail=rpc("notifications", "get_mail", mail_id))


@bp.get("/messages-en-echec")
@allow(ADMIN)
def dead_letters():
    letters = []
    unreachable = []
    for service in SERVICE_NAMES:
        try:
            for letter in rpc(service, "list_dead_letters"):
                letters.append(dict(letter, service=service))
        except Exception:
            unreachable.append(service)
    return render_template("admin/dead_letters.html", letters=letters, unreachable=unreachable)


@bp.post("/messages-en-echec/<service>/<int:letter_id>/rejouer")
@allow(ADMIN)
def replay(service, letter_id):
    if service not in SERVICE_NAMES:
        abort(404)
    result = rpc(service, "replay_dead_letter", letter_id)
    labels = {"processed": "traité", "duplicate": "déjà traité", "failed": "encore en échec",
              "gone": "introuvable", "no handler": "sans destinataire"}
    flash(f"Message {letter_id} de {service} rejoué : {labels.get(result, result)}.",
          "success" if result in ("processed", "duplicate") else "error")
    return redirect(url_for("admin.dead_letters"))
