"""The bookshop's "Gestion des commandes groupées" (reference 000, "Le libraire")."""
from flask import Blueprint, g, redirect, render_template, request, url_for

from .. import forms, idempotency
from ..formatting import money
from ..rpc_client import rpc
from ..security import ADMIN, allow
from ..tabs import GROUPED_ORDER_TABS
from . import act, confirmation, confirmed
from .grouped_orders import pdf_response

bp = Blueprint("admin_grouped_orders", __name__, url_prefix="/admin")

@bp.get("/commandes-groupees")
@allow(ADMIN)
def index():
    data = rpc("grouped_orders", "admin_list", g.user["id"],
               request.args.get("onglet", "validation")[:20])
    return render_template("admin/grouped_orders.html", data=data, tabs=GROUPED_ORDER_TABS)


@bp.get("/commandes-groupees/<int:number>")
@allow(ADMIN)
def detail(number):
    go = rpc("grouped_orders", "admin_get", g.user["id"], number)
    orders = rpc("librisoft_bridge", "find_orders_by_source", "grouped_order", number) \
        if go["status"] in ("processing", "closed") else []
    return render_template("grouped_orders/detail.html", go=go, admin=True,
                           classic_orders=orders)


def _act(number, method, *args, done):
    """Run the action once per form (its idempotency key) and go back to the grouped order."""
    act("grouped_orders", method, *args, done=done, idempotency_key=idempotency.key())
    return redirect(url_for("admin_grouped_orders.detail", number=number) if number
                    else url_for("admin_grouped_orders.index"))


@bp.post("/commandes-groupees/<int:number>/valider")
@allow(ADMIN)
def validate(number):
    return _act(number, "validate_grouped_order", number,
                done="La commande groupée est validée et envoyée vers LIBRISOFT.")


@bp.post("/commandes-groupees/<int:number>/annuler")
@allow(ADMIN)
def cancel(number):
    reason = forms.Confirmation.read()["reason"]
    ask = dict(title=f"Annuler la commande groupée n° {number}",
               message="La commande groupée sera annulée : chaque acheteur payé est remboursé, "
                       "l'initiateur et les acheteurs sont prévenus par e-mail avec ce motif.",
               button="Annuler la commande groupée et rembourser les acheteurs",
               back=url_for("admin_grouped_orders.detail", number=number),
               reason="Motif (envoyé à l'initiateur et aux acheteurs)", reason_required=True)
    if not confirmed():
        return confirmation(**ask)
    if not reason.strip():
        return confirmation(**ask, error="Indiquez le motif de l'annulation.",
                            details={"reason": ["Le motif est obligatoire : il est envoyé "
                                                "aux acheteurs."]})
    return _act(number, "cancel_grouped_order", number, reason,
                done="La commande groupée est annulée ; les acheteurs payés sont remboursés "
                     "et prévenus.")


@bp.post("/commandes-groupees/<int:number>/clore")
@allow(ADMIN)
def close_now(number):
    """« Clore les souscriptions maintenant »: the deadline's effect, today (issue 8 §6)."""
    if not confirmed():
        go = rpc("grouped_orders", "admin_get", g.user["id"], number)
        return confirmation(
            title=f"Clore les souscriptions de la commande groupée n° {number}",
            message=f"Plus aucun acheteur ne pourra souscrire ni payer (la date limite était "
                    f"le {go['deadline'][8:10]}/{go['deadline'][5:7]}/{go['deadline'][:4]}). "
                    f"{go['client_name']} ({go['initiator_email']}) est prévenu(e) par e-mail ; "
                    "vous pourrez ensuite valider la commande groupée.",
            button="Clore les souscriptions maintenant",
            back=url_for("admin_grouped_orders.detail", number=number))
    return _act(number, "close_subscriptions_now", number,
                done="Les souscriptions sont closes ; l'initiateur est prévenu par e-mail.")


@bp.route("/commandes-groupees/<int:number>/mise-a-disposition", methods=["GET", "POST"])
@allow(ADMIN)
def make_available(number):
    if request.method == "GET":
        go = rpc("grouped_orders", "admin_get", g.user["id"], number)
        return render_template("admin/make_available.html", go=go)
    return _act(number, "make_available", number,
                done="Le mail de mise à disposition est envoyé ; la commande est clôturée.")


@bp.post("/commandes-groupees/<int:number>/reinitialiser")
@allow(ADMIN)
def reset(number):
    return _act(number, "reset_status", number, done="Le statut est revenu à l'étape "
                                                     "précédente.")


@bp.get("/commandes-groupees/<int:number>/pdf")
@allow(ADMIN)
def pdf(number):
    return pdf_response(number)


@bp.post("/sous-commandes/<int:sub_number>/valider")
@allow(ADMIN)
def validate_sub(sub_number):
    number = forms.SubOrderAction.read()["grouped_order"]
    return _act(number, "admin_validate_sub_order", sub_number,
                done=f"La sous-commande n° {sub_number} est validée (payée).")


@bp.post("/sous-commandes/<int:sub_number>/annuler")
@allow(ADMIN)
def cancel_sub(sub_number):
    form = forms.SubOrderAction.read()
    number = form["grouped_order"]
    if not confirmed():
        go = rpc("grouped_orders", "admin_get", g.user["id"], number) if number else {}
        sub = next((s for s in go.get("sub_orders", []) if s["number"] == sub_number), None)
        message = f"La sous-commande n° {sub_number} sera annulée."
        if sub is not None:
            who = f"{sub['first_name']} {sub['last_name']} ({sub['email']})"
            paid = f" Elle est payée : {money(sub['total'])} seront remboursés à {who}." \
                if sub["status"] == "paid" else ""
            message = f"La sous-commande n° {sub_number} de {who}, {sub['quantity']} " \
                f"exemplaire{'s' if sub['quantity'] > 1 else ''}, sera annulée.{paid}"
        return confirmation(
            title=f"Annuler la sous-commande n° {sub_number}",
            message=message + " L'acheteur est prévenu par e-mail.",
            button=f"Annuler la sous-commande n° {sub_number}",
            back=url_for("admin_grouped_orders.detail", number=number) if number
            else url_for("admin_grouped_orders.index"),
            reason="Motif (envoyé à l'acheteur par e-mail)",
            hidden={"grouped_order": number})
    return _act(number, "admin_cancel_sub_order", sub_number,
                form["reason"],
                done=f"La sous-commande n° {sub_number} est annulée ; l'acheteur est prévenu.")
