"""The bookshop's "Gestion des commandes groupées" (reference 000, "Le libraire")."""
from flask import Blueprint, g, redirect, render_template, request, url_for


from .. import idempotency
from ..security import ADMIN, allow
from ..services import rpc
from . import act
from .grouped_orders import pdf_response

bp = Blueprint("admin_grouped_orders", __name__, url_prefix="/admin")

TABS = (("validation", "En attente de validation"), ("traitement", "En attente de traitement"),
        ("cloturees", "Clôturées"), ("annulees", "Annulées"))


@bp.get("/commandes-groupees")
@allow(ADMIN)
def index():
    data = rpc("grouped_orders", "admin_list", g.user["id"],
               request.args.get("onglet", "validation")[:20])
    return render_template("admin/grouped_orders.html", data=data, tabs=TABS)


@bp.get("/commandes-groupees/<int:number>")
@allow(ADMIN)
def detail(number):
    go = rpc("grouped_orders", "admin_get", g.user["id"], number)
    orders = rpc("librisoft_bridge", "find_orders_by_source", "grouped_order", number) \
        if go["status"] in ("processing", "closed") else []
    return render_template("grouped_orders/detail.html", go=go, admin=True,
                           classic_orders=orders)


def _act(number, method, *args, done, **kwargs):
    act("grouped_orders", method, *args, done=done, **kwargs)
    return redirect(url_for("admin_grouped_orders.detail", number=number))


@bp.post("/commandes-groupees/<int:number>/valider")
@allow(ADMIN)
def validate(number):
    return _act(number, "validate_grouped_order", number,
                done="La commande groupée est validée et envoyée vers LIBRISOFT.",
                idempotency_key=idempotency.key())


@bp.post("/commandes-groupees/<int:number>/annuler")
@allow(ADMIN)
def cancel(number):
    return _act(number, "cancel_grouped_order", number, request.form.get("reason", "")[:1000],
                done="La commande groupée est annulée ; les acheteurs payés sont remboursés "
                     "et prévenus.", idempotency_key=idempotency.key())


@bp.route("/commandes-groupees/<int:number>/mise-a-disposition", methods=["GET", "POST"])
@allow(ADMIN)
def make_available(number):
    if request.method == "GET":
        go = rpc("grouped_orders", "admin_get", g.user["id"], number)
        return render_template("admin/make_available.html", go=go)
    return _act(number, "make_available", number,
                done="Le mail de mise à disposition est envoyé ; la commande est clôturée.",
                idempotency_key=idempotency.key())


@bp.post("/commandes-groupees/<int:number>/reinitialiser")
@allow(ADMIN)
def reset(number):
    return _act(number, "reset_status", number, done="Le statut est revenu à l'étape "
                                                     "précédente.",
                idempotency_key=idempotency.key())


@bp.get("/commandes-groupees/<int:number>/pdf")
@allow(ADMIN)
def pdf(number):
    return pdf_response(number)


@bp.post("/sous-commandes/<int:sub_number>/valider")
@allow(ADMIN)
def validate_sub(sub_number):
    number = request.form.get("grouped_order", 0, type=int)
    return _act(number, "admin_validate_sub_order", sub_number,
                done=f"La sous-commande n° {sub_number} est validée (payée).",
                idempotency_key=idempotency.key())


@bp.post("/sous-commandes/<int:sub_number>/annuler")
@allow(ADMIN)
def cancel_sub(sub_number):
    number = request.form.get("grouped_order", 0, type=int)
    return _act(number, "admin_cancel_sub_order", sub_number,
                request.form.get("reason", "")[:500],
                done=f"La sous-commande n° {sub_number} est annulée.",
                idempotency_key=idempotency.key())
