"""A title becomes unavailable (issue 10, K3): on the grouped order's page, the bookshop sets
the copies of a title it will actually get (a confirmation first: the buyers are refunded and
told at once); the adjusted lines show in red, on its page and the initiator's, until it clicks
« J'ai vérifié »."""
import logging

from flask import Blueprint, flash, g, redirect, url_for

from services.common.errors import DomainError
from services.common.validation import whole_number

from .. import forms, idempotency
from ..rpc_client import rpc
from ..security import ADMIN, allow
from . import act, confirmation

log = logging.getLogger(__name__)
bp = Blueprint("unavailable_titles", __name__, url_prefix="/admin")


@bp.app_template_global()
def title_adjustments(number, admin):
    """The titles cut and the adjusted lines of a grouped order (the bookshop's, or the
    initiator's own); None if grouped_orders does not answer (the page still shows)."""
    try:
        return rpc("grouped_orders", "admin_adjustments" if admin else "my_adjustments",
                   g.user["id"], int(number))
    except DomainError as exc:
        log.warning("adjustments of grouped order %s unavailable: %s", number, exc.code)
        return None


def _s(available) -> str:
    return "s" if available.isdigit() and int(available) > 1 else ""


def _cut_message(title, available, copies) -> str:
    """What the bookshop confirms: who keeps their copies, who is cut, what they are told."""
    then = ("ce que leurs acheteurs ont payé en trop leur est remboursé en ligne (ou noté « à "
            "rendre » pour un chèque ou des espèces) et chacun reçoit un e-mail qui dit ce qui "
            "change.")
    if available == "0":
        return (f"Aucun exemplaire de « {title} » ne sera servi : toutes les commandes de ce "
                f"titre sont réduites ou annulées, leurs totaux recalculés ; {then}")
    return (f"{copies.capitalize()} de « {title} » {'iront' if _s(available) else 'ira'} aux "
            "acheteurs dans l'ordre de leurs commandes (premier inscrit, premier servi). Les "
            f"commandes des suivants sont réduites ou annulées, leurs totaux recalculés ; {then}")


def _copies(available) -> str:
    """« 2 exemplaires », « 1 exemplaire », « aucun exemplaire »."""
    if available.isdigit() and int(available) == 0:
        return "aucun exemplaire"
    return f"{available or '?'} exemplaire{_s(available)}"


def _back(number):
    return url_for("admin_grouped_orders.detail", number=number) + "#indisponibles"


@bp.post("/commandes-groupees/<int:number>/titres/<int:title_id>/disponibles")
@allow(ADMIN)
def set_available(number, title_id):
    form = forms.AvailableCopies.read()
    data = rpc("grouped_orders", "admin_adjustments", g.user["id"], number)
    title = next((t for t in data["titles"] if t["title_id"] == title_id), None)
    if title is None:
        from flask import abort
        abort(404)
    available = form["available"]
    count = whole_number(available)
    if count is None or count < 0:  # empty or not a number of copies: nothing to confirm
        return confirmation(title=f"« {title['title']} » : exemplaires disponibles",
                            message="", button=None, back=_back(number),
                            error="Indiquez le nombre d'exemplaires disponibles."
                            if not available else
                            "La quantité disponible est un nombre entier positif ou nul.",
                            details={"available": ["Nombre entier, 0 ou plus."]})
    available = str(count)  # « 007 », « +3 »: « 7 », « 3 »
    copies = _copies(available)
    ask = dict(title=f"« {title['title']} » : {copies} disponible{_s(available)}",
               message=_cut_message(title["title"], available, copies),
               button="Corriger les commandes et rembourser", back=_back(number),
               hidden={"available": available})
    if not form["confirmed"]:
        return _ask(number, title_id, available, ask)
    try:
        rpc("grouped_orders", "admin_set_title_available", g.user["id"], number, title_id,
            available, idempotency_key=idempotency.key())
    except DomainError as exc:
        if exc.code in ("not_found", "forbidden"):
            raise
        page, status = confirmation(**ask, error=exc.message, details=exc.details)
        return page, 409 if exc.code == "conflict" else 400
    flash(f"« {title['title']} » : {copies} disponible{_s(available)}. Les commandes sont "
          "corrigées (en rouge ci-dessous), les acheteurs remboursés et prévenus.", "success")
    return redirect(_back(number))


def _ask(number, title_id, available, ask):
    """The confirmation, with what it will change: the copies ordered, each buyer whose line
    goes down; a quantity with nothing to cut (as many as ordered, or more) is refused at
    once, with no button, rather than confirmed then refused."""
    try:
        plan = rpc("grouped_orders", "admin_preview_title_available", g.user["id"], number,
                   title_id, available)
    except DomainError as exc:
        if exc.code in ("not_found", "forbidden"):
            raise
        page, _ = confirmation(**dict(ask, button=None, message=""), error=exc.message,
                               details=exc.details)
        return page, 409 if exc.code == "conflict" else 400
    if plan["unchanged"]:
        flash(f"« {plan['title']} » a déjà {_copies(available)} disponible{_s(available)} : "
              "rien à corriger.", "info")
        return redirect(_back(number))
    ordered = plan["ordered"]
    ask["message"] = (f"{ordered} exemplaire{'s' if ordered > 1 else ''} commandé"
                      f"{'s' if ordered > 1 else ''} aujourd'hui. " + ask["message"])
    ask["items"] = [f"{c['buyer']} (n° {c['sub_order_number']}, "
                    f"{'payée' if c['paid'] else 'non payée'}) : {c['before']} → {c['after']}"
                    for c in plan["changes"]]
    ask["items_title"] = "Commandes réduites (exemplaires de ce titre, avant → après) :"
    return confirmation(**ask)


@bp.post("/commandes-groupees/<int:number>/ajustements/verifies")
@allow(ADMIN)
def confirm(number):
    """« J'ai vérifié »: the adjusted lines no longer show in red."""
    act("grouped_orders", "admin_confirm_adjustments", number,
        done="Les lignes corrigées sont vérifiées.", idempotency_key=idempotency.key())
    return redirect(_back(number))
