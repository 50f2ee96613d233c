"""The bookshop's « Commandes » page (issue 9, references 002 and 003): the month calendar
(one cell per Paris day, "count / total €", the month total, previous / next month, today
marked; a day's cell filters the list to that day) and below it the list of every order (sub-
orders, grouped orders, collectivity orders, quotes) filtered, sorted and paginated by
order_desk; and one order's register data with links to its owner's admin page. ADMIN only.
Bad filters are a 400 page with order_desk's French messages next to their fields."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template, url_for

from services.common.errors import DomainError, invalid
from services.common.progress import LABELS as PROGRESS_LABELS

from .. import forms
from ..rpc_client import rpc
from ..security import ADMIN, allow

bp = Blueprint("admin_desk", __name__, url_prefix="/admin")

PARIS = ZoneInfo("Europe/Paris")
KINDS = {"sub_order": "Sous-commande", "grouped_order": "Commande groupée",
         "collectivity_order": "Commande collectivité", "quote": "Demande de devis"}
# reference 003's six labels; "refunded" is shown "Annulé" too (payments' STATE_LABELS)
PAYMENT_STATES = {"pending": "En attente du paiement",
                  "processing": "Paiement en cours de traitement",
                  "succeeded": "Paiement confirmé", "refused": "Paiement refusé",
                  "cancelled": "Annulé", "error": "Erreur technique",
                  "refunded": "Annulé (remboursé)"}
SORTS = {"date": "Date", "number": "N°", "amount": "Total TTC", "customer": "Client"}
LIST_FIELDS = ("day", "number", "customer", "amount_from", "amount_to", "period_from",
               "period_to", "kind", "payment_state", "progress", "invoiced")


def _month(value, today):
    """(year, month) of "YYYY-MM", today's when empty; `invalid` in French otherwise."""
    if not value:
        return today.year, today.month
    try:
        at = datetime.strptime(value, "%Y-%m")
    except ValueError:
        raise invalid("Mois invalide : choisissez un mois (AAAA-MM).",
                      {"month": ["Mois invalide : choisissez un mois (AAAA-MM)."]})
    if not 2000 <= at.year <= 2100:
        raise invalid("Mois invalide : entre 2000 et 2100.",
                      {"month": ["Mois invalide : entre 2000 et 2100."]})
    return at.year, at.month


def owner_link(order):
    """The owner's own admin page of the order (its actions live there)."""
    kind, number = order["kind"], order["number"]
    if kind == "sub_order" and order.get("grouped_order_number"):
        grouped = order["grouped_order_number"]
        return (f"Voir la commande groupée n° {grouped}",
                url_for("admin_grouped_orders.detail", number=grouped))
    if kind == "grouped_order":
        return (f"Voir la commande groupée n° {number}",
                url_for("admin_grouped_orders.detail", number=number))
    if kind == "collectivity_order":
        return (f"Voir la commande collectivité n° {number}",
                url_for("admin_collectivity.order", number=number))
    if kind == "quote":
        return f"Voir le devis n° {number}", url_for("admin_collectivity.quote", number=number)
    return None


@bp.get("/commandes")
@allow(ADMIN)
def index():
    form = forms.DeskFilters.read()
    today = datetime.now(timezone.utc).astimezone(PARIS).date()
    filters = {k: form[k] for k in LIST_FIELDS if form[k]}
    filters.update({k: form[k] for k in ("sort", "direction", "page") if form[k]})
    error, errors, data = None, {}, None
    try:
        month_of = form["month"] or (form["day"][:7] if len(form["day"]) == 10 else "")
        year, month = _month(month_of, today)
    except DomainError as exc:
        error, errors = exc.message, dict(exc.details)
        year, month = today.year, today.month
    calendar = rpc("order_desk", "calendar", year, month)
    try:
        data = rpc("order_desk", "list_orders", filters)
    except DomainError as exc:
        if exc.code != "invalid":
            raise
        error, errors = error or exc.message, {**exc.details, **errors}
    query = {k: form[k] for k in LIST_FIELDS if form[k]}
    month_arg = f"{calendar['year']:04d}-{calendar['month']:02d}"
    return render_template(
        "desk/index.html", calendar=calendar, data=data, form=form, error=error,
        errors=errors, query=query, month_arg=month_arg, kinds=KINDS,
        payment_states=PAYMENT_STATES, progress_labels=PROGRESS_LABELS, sorts=SORTS,
        owner_link=owner_link), 400 if error else 200


@bp.get("/commandes/<any(sub_order, grouped_order, collectivity_order, quote):kind>/"
        "<int:number>")
@allow(ADMIN)
def order(kind, number):
    data = rpc("order_desk", "get_order", kind, number)
    return render_template("desk/order.html", order=data, kinds=KINDS, link=owner_link(data))
