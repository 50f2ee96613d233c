"""The progress of an order on the desk (references 002 §2 and 003 step 2): the block of the
order's page (`desk/_progress.html`: its history — who, when, from → to, comment — and a form to
move it to one of its next states) and the form's route. ADMIN only. Annulée asks for a reason
on a confirmation page first; bad input is a 400 and a stale move (the order moved since the
page was shown, or the same move twice) a 409, both on the order's page with order_desk's French
message, nothing changed."""
from flask import Blueprint, flash, g, redirect, render_template, url_for

from services.common.errors import HTTP_STATUS, DomainError
from services.common.progress import CANCELLED, LABELS, PROGRESS_CODES, SILENT

from .. import forms, idempotency
from ..rpc_client import rpc
from ..security import ADMIN, allow
from . import admin_desk, confirmed

bp = Blueprint("admin_progress", __name__, url_prefix="/admin")
KIND_PATH = "<any(sub_order, grouped_order, collectivity_order, quote):kind>/<int:number>"
CHOOSE = "Choisissez le nouvel état de la commande."


@bp.app_context_processor
def progress_of_an_order():
    """`order_progress(kind, number)` for the order page's progress block (order_desk's
    `progress_history`: state, history, next moves, moves awaiting their owner)."""
    return {"order_progress": lambda kind, number: rpc("order_desk", "progress_history",
                                                       kind, number)}


def _order_page(kind, number, status, error, details=None, form=None):
    """The order's page again, the move refused: its message above the form, what was typed
    kept."""
    data = rpc("order_desk", "get_order", kind, number)
    return render_template("desk/order.html", order=data, kinds=admin_desk.KINDS,
                           link=admin_desk.owner_link(data), progress_error=error,
                           progress_errors=details or {}, progress_form=form or {}), status


def _confirm_cancellation(kind, number, form, error=None, details=None):
    here = url_for("admin_desk.order", kind=kind, number=number)
    label = admin_desk.KINDS[kind]
    return render_template(
        "admin/confirm.html", title=f"Annuler : {label.lower()} n° {number}",
        message="La commande passera à « Annulée » et ce qui a été payé en ligne sera "
                "remboursé. Le motif est gardé dans l'historique.",
        button="Annuler la commande", back=here + "#avancement",
        reason_label="Motif de l'annulation", reason_required=True,
        reason=forms.Confirmation.read()["reason"] or form["comment"],
        hidden={"to": CANCELLED, "current": form["current"]}, error=error,
        details=details), 400 if error else 200


@bp.post(f"/commandes/{KIND_PATH}/progression")
@allow(ADMIN)
def move(kind, number):
    form = forms.ProgressMove.read()
    to = form["to"]
    if to not in PROGRESS_CODES:
        return _order_page(kind, number, 400, CHOOSE, {"to": [CHOOSE]}, form)
    if to == CANCELLED and not confirmed():
        history = rpc("order_desk", "progress_history", kind, number)
        if CANCELLED not in [m["code"] for m in history.get("moves", ())]:
            # not offered from where the order is (or it moved since): said on its page, a
            # 409, not a confirmation page for a move the desk would refuse
            return _order_page(kind, number, 409, "Cette commande ne peut plus être annulée "
                               "depuis son état actuel.", {"to": ["Choix non proposé."]}, form)
        return _confirm_cancellation(kind, number, form)
    comment = forms.Confirmation.read()["reason"] if to == CANCELLED else form["comment"]
    try:
        answer = rpc("order_desk", "move_progress", kind, number, to, comment,
                     g.user["email"], g.user["id"], form["current"] or None,
                     idempotency_key=idempotency.key())
    except DomainError as exc:
        if exc.code not in ("invalid", "conflict"):
            raise
        if to == CANCELLED and exc.code == "invalid":
            details = {"reason": exc.details.get("comment", [exc.message])}
            return _confirm_cancellation(kind, number, form, exc.message, details)
        return _order_page(kind, number, HTTP_STATUS[exc.code], exc.message, exc.details, form)
    if any(p["to_status"] == to for p in answer.get("pending", ())):
        flash(f"C'est fait sur la commande elle-même ; son avancement passe à « {LABELS[to]} » "
              "dans un instant.", "success")
    else:
        told = "" if to in SILENT else " Le client est prévenu par e-mail."
        flash(f"Avancement : « {LABELS[to]} ».{told}", "success")
    return redirect(url_for("admin_desk.order", kind=kind, number=number) + "#avancement")
