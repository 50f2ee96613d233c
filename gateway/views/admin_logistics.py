"""The bookshop's « Logisticien » page (reference 003, step 3): the ready orders (« Commande
prête ») with a check box each and « Toutes les commandes prêtes », the action « Mettre les
commandes à disposition du logisticien » and « Exécuter »; below, the batches made, their files
(CSV, JSON) and whether the logistician acknowledged them. ADMIN only (logistics trusts the
gateway's check, as payments does for payouts)."""
from flask import Blueprint, Response, flash, g, redirect, render_template, url_for

from services.common.errors import HTTP_STATUS, DomainError

from .. import forms, idempotency
from ..rpc_client import rpc
from ..security import ADMIN, allow

bp = Blueprint("admin_logistics", __name__, url_prefix="/admin")

ACTION = "logisticien"
ACTIONS = ((ACTION, "Mettre les commandes à disposition du logisticien"),)


def _page(error=None, details=None, form=None, status=200):
    ready = rpc("logistics", "list_candidates")
    batches = rpc("logistics", "list_batches", 50)
    return render_template("admin/logistics.html", ready=ready, batches=batches, error=error,
                           details=details or {}, form=form or {"commandes": [], "toutes": False,
                                                                "action": ACTION},
                           actions=ACTIONS), status


@bp.get("/logisticien")
@allow(ADMIN)
def index():
    return _page()


@bp.post("/logisticien")
@allow(ADMIN)
def hand_off():
    """« Exécuter »: one batch of the ticked orders (or of every ready one), once each. A
    refusal (nothing ticked, an order already handed off) is the page again, with the French
    message and its status (400 / 409): nothing was changed."""
    form = forms.HandOff.read()
    if form["action"] != ACTION:
        return _page("Choisissez une action, puis « Exécuter ».",
                     {"action": ["Choisissez une action."]}, form, 400)
    try:
        batch = rpc("logistics", "hand_off", g.user["email"], form["commandes"], form["toutes"],
                    idempotency_key=idempotency.key())
    except DomainError as exc:
        if exc.code not in ("invalid", "conflict"):
            raise
        return _page(exc.message, exc.details, form, HTTP_STATUS[exc.code])
    flash(f"Lot n° {batch['number']} créé : {batch['order_count']} commande(s) mise(s) à "
          "disposition du logisticien.", "success")
    return redirect(url_for("admin_logistics.index", _anchor=f"lot-{batch['number']}"), 303)


@bp.get("/logisticien/lots/<int:number>.<any(csv, json):fmt>")
@allow(ADMIN)
def batch_file(number, fmt):
    file = rpc("logistics", "batch_file", number, fmt)
    return Response(file["content"].encode("utf-8"), content_type=file["content_type"],
                    headers={"Content-Disposition":
                             f'attachment; filename="{file["filename"]}"'})
