"""The bookshop's "Gestion des devis collectivité" and "Gestion des commandes collectivité"
(reference 001): lists with their tabs and filters, the detail, archive, the order actions
(Mettre à disposition, Expédier, Clôturer, Annuler, Réinitialiser le statut), messages."""
from flask import Blueprint, g, redirect, render_template, request, url_for

from services.common.errors import DomainError

from .. import forms, idempotency
from ..rpc_client import rpc
from ..security import ADMIN, allow
from . import act, confirmation, confirmed
from .catalogue import page_arg

bp = Blueprint("admin_collectivity", __name__, url_prefix="/admin")

DONE = {"made_available": "Le client est prévenu que sa commande est mise à disposition.",
        "shipped": "Le client est prévenu que sa commande est expédiée.",
        "closed": "La commande est clôturée.", "cancelled": "La commande est annulée ; le client "
        "est prévenu.", "reset": "Le statut de la commande est réinitialisé."}
# the irreversible actions: a confirmation page first (issue 8 §5)
CONFIRM = {"closed": ("Clôturer la commande collectivité n° {number}",
                      "La commande sera clôturée : elle quitte la liste des commandes en cours "
                      "et le client est prévenu par e-mail (« Réinitialiser le statut » la "
                      "rouvrirait, sans le prévenir).", "Clôturer la commande"),
           "reset": ("Réinitialiser le statut de la commande collectivité n° {number}",
                     "La commande revient à son statut initial (en attente, ou en cours de "
                     "traitement si LIBRISOFT l'a prise en charge) et peut de nouveau être "
                     "mise à disposition, expédiée, clôturée ou annulée ; le client n'est pas "
                     "prévenu.", "Réinitialiser le statut"),
           "cancelled": ("Annuler la commande collectivité n° {number}",
                         "La commande sera annulée ; le client est prévenu par e-mail avec ce "
                         "motif.", "Annuler la commande")}
FILTERS = ("eans", "client", "client_delivered", "client_invoiced", "date_from", "date_to",
           "delivery_mode", "number")


def _back(kind, number):
    return redirect(url_for("admin_collectivity.quote" if kind == "quote"
                            else "admin_collectivity.order", number=number))


def _back_to_list(form, default):
    """Where the list the action came from is: its own address (a page of the admin), or
    `default`."""
    return form["back_url"] if form["back_url"].startswith("/admin/") else default


def _act(kind, number, method, *args, done):
    act("baskets", method, *args, done=done, idempotency_key=idempotency.key())
    form = forms.OrderAction.read()
    if form["back"] == "list":
        return redirect(_back_to_list(form, url_for("admin_collectivity.orders")))
    return _back(kind, number)


@bp.get("/devis-collectivite")
@allow(ADMIN)
def quotes():
    archived = request.args.get("onglet") == "archives"
    data = rpc("baskets", "admin_list_quotes", g.user["id"], archived,
               request.args.get("q", "").strip()[:50], page_arg(), 50)
    return render_template("admin/collectivity_quotes.html", data=data)


def _document(kind, number):
    return render_template("baskets/document.html", admin=True, kind=kind,
                           doc=rpc("baskets", "admin_get_document", g.user["id"], kind, number))


@bp.get("/devis-collectivite/<int:number>")
@allow(ADMIN)
def quote(number):
    return _document("quote", number)


@bp.post("/devis-collectivite/<int:number>/archivage")
@allow(ADMIN)
def archive(number):
    response = _act("quote", number, "admin_archive_quote", number,
                    done=f"Le devis n° {number} est archivé.")
    if forms.OrderAction.read()["back"] == "quotes":
        return redirect(url_for("admin_collectivity.quotes"))
    return response


@bp.get("/commandes-collectivite")
@allow(ADMIN)
def orders():
    tab = request.args.get("onglet", "pending")[:20]
    filters = {k: request.args.get(k, "").strip()[:1000] for k in FILTERS}
    filters["page"] = page_arg()
    error = errors = None
    try:
        data = rpc("baskets", "admin_list_orders", g.user["id"], tab, filters)
        if "onglet" not in request.args and not data["orders"]:
            # no tab asked for: open on the first one with orders, not on an empty one
            first = next((t["key"] for t in data["tabs"] if t["count"]), None)
            if first and first != data["tab"]:
                data = rpc("baskets", "admin_list_orders", g.user["id"], first, filters)
    except DomainError as exc:
        if exc.code != "invalid":
            raise
        error, errors = exc.message, exc.details
        data = rpc("baskets", "admin_list_orders", g.user["id"], tab, {})
    return render_template("admin/collectivity_orders.html", data=data, form=filters,
                           error=error, errors=errors,
                           query={k: v for k, v in filters.items() if v and k != "page"}), \
        400 if error else 200


@bp.get("/commandes-collectivite/<int:number>")
@allow(ADMIN)
def order(number):
    return _document("order", number)


@bp.post("/commandes-collectivite/<int:number>/<any(made_available, shipped, closed, cancelled, "
         "reset):action>")
@allow(ADMIN)
def order_action(number, action):
    form = forms.OrderAction.read()
    if action in CONFIRM and not confirmed():
        title, message, button = CONFIRM[action]
        here = url_for("admin_collectivity.order", number=number)
        back = _back_to_list(form, here) if form["back"] == "list" else here
        hidden = {k: form[k] for k in ("back", "back_url") if form[k]}
        return confirmation(title=title.format(number=number), message=message, button=button,
                            back=back, hidden=hidden, final=action == "cancelled",
                            reason="Motif de l'annulation (envoyé au client)"
                            if action == "cancelled" else None,
                            reason_required=action == "cancelled")
    if action == "cancelled" and not form["reason"].strip():
        return confirmation(title=CONFIRM[action][0].format(number=number),
                            message=CONFIRM[action][1], button=CONFIRM[action][2],
                            back=url_for("admin_collectivity.order", number=number),
                            reason="Motif de l'annulation (envoyé au client)",
                            reason_required=True, error="Indiquez le motif de l'annulation.",
                            details={"reason": ["Le motif est obligatoire : il est envoyé "
                                                "au client."]})
    return _act("order", number, "admin_order_action", number, action,
                form["reason"], done=DONE[action])


@bp.post("/<any(devis, commande):kind>-collectivite/<int:number>/message")
@allow(ADMIN)
def message(kind, number):
    kind = "quote" if kind == "devis" else "order"
    return _act(kind, number, "admin_send_message", kind, number,
                forms.Message.read()["message"], done="Le message est envoyé au client.")
