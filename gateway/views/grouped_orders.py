"""The initiator's grouped orders (reference 000, "L'initiateur de la commande"): create one for
one or several titles (a reading list, issue 10), follow it, change its deadline, export the
sign-in sheet."""
import base64

from flask import (Blueprint, Response, flash, g, redirect, render_template, request, url_for)

from services.common.errors import DomainError
from services.grouped_orders.domain import MAX_TITLES, minimums_by_ean

from .. import forms, idempotency
from ..rpc_client import rpc, slow_rpc
from ..security import COLLECTIVITY, allow
from . import confirmation, confirmed
from .catalogue import page_arg

bp = Blueprint("grouped_orders", __name__, url_prefix="/commandes-groupees")


@bp.get("/")
@allow(*COLLECTIVITY)
def mine():
    return render_template("grouped_orders/mine.html",
                           orders=rpc("grouped_orders", "list_my_grouped_orders", g.user["id"]))


@bp.get("/nouvelle")
@allow(*COLLECTIVITY)
def search():
    query = request.args.get("q", "").strip()[:200]
    result = rpc("librisoft_bridge", "search_articles", query, page_arg(), 20) if query else None
    return render_template("grouped_orders/search.html", query=query, result=result)


def _client_number():
    numbers = [c["number"] for c in g.user["clients"]]
    wanted = request.values.get("client_number", "")
    return wanted if wanted in numbers else (numbers[0] if numbers else "")


def _eans(first, others) -> list:
    """The reading list's EANs in order, each once, MAX_TITLES at most."""
    eans = []
    for ean in [first, *others]:
        ean = (ean or "").strip()[:20]
        if ean and ean not in eans:
            eans.append(ean)
    return eans[:MAX_TITLES]


@bp.route("/nouvelle/<ean>", methods=["GET", "POST"])
@allow(*COLLECTIVITY)
def new(ean):
    """The reading list being built: its titles (the first in the path, the others as `titre`
    in the query, each added from the search on the page, removed by a link), each required
    or optional, then the deadline, the opening day, the pickup place."""
    posted = forms.NewGroupedOrder.read() if request.method == "POST" else {}
    asked = forms.ReadingList.read()
    eans = _eans(ean, posted.get("titles") or asked["titre"])
    articles = [rpc("librisoft_bridge", "get_article", e) for e in eans]
    client_number = _client_number()
    pickups = rpc("grouped_orders", "pickup_options", g.user["id"], client_number)
    optional = set(posted.get("optional") or asked["facultatif"])
    form = {"deadline": "", "opens_on": "", "pickup": "", "comment": "", "min_copies": "",
            "max_copies": "", "client_number": client_number, "optional": optional,
            "title_min": dict(zip(posted.get("titles") or [], posted.get("title_min") or []))}
    query = asked["q"]
    found = rpc("librisoft_bridge", "search_articles", query, 1, 10) if query else None
    page = {"articles": articles, "eans": eans, "pickups": pickups, "query": query,
            "found": found, "max_titles": MAX_TITLES}
    if posted.get("step") == "create":
        form.update(deadline=posted["deadline"], opens_on=posted["opens_on"],
                    pickup=posted["pickup"], comment=posted["comment"],
                    min_copies=posted["min_copies"], max_copies=posted["max_copies"])
        titles = [dict({"ean": a["ean"], "optional": a["ean"] in optional},
                       **({"min_copies": form["title_min"][a["ean"]]}
                          if (form["title_min"].get(a["ean"]) or "").strip() else {}))
                  for a in articles]
        data = {k: v for k, v in form.items() if k not in ("optional", "title_min")}
        try:
            created = rpc("grouped_orders", "create_grouped_order", g.user["id"],
                          dict(data, titles=titles), idempotency_key=idempotency.key())
        except DomainError as exc:
            return render_template("grouped_orders/new.html", form=form, error=exc.message,
                                   errors=exc.details, **page), 400
        flash(f"La commande groupée n° {created['number']} est créée. Communiquez le lien de "
              "souscription aux acheteurs : il vous a aussi été envoyé par e-mail.", "success")
        return redirect(url_for("grouped_orders.detail", number=created["number"]))
    return render_template("grouped_orders/new.html", form=form, **page)


@bp.get("/<int:number>")
@allow(*COLLECTIVITY)
def detail(number):
    return render_template("grouped_orders/detail.html", go=rpc(
        "grouped_orders", "get_my_grouped_order", g.user["id"], number), admin=False)


@bp.post("/<int:number>/date-limite")
@allow(*COLLECTIVITY)
def deadline(number):
    deadline = forms.Deadline.read()["deadline"]
    if not deadline.strip():  # not « Date invalide »: say what to do, on the page, a 400
        flash("Choisissez la nouvelle date limite : le dernier jour où les acheteurs peuvent "
              "commander.", "error")
        return _again(number, {"deadline": ""}, 400)
    try:
        go = rpc("grouped_orders", "change_deadline", g.user["id"], number,
                 deadline, idempotency_key=idempotency.key())
    except DomainError as exc:
        if exc.code not in ("invalid", "conflict"):  # a conflict: no longer reopenable
            raise  # not one's own: refused, not a message on someone else's page
        flash(exc.message, "error")
        return _again(number, {"deadline": deadline[:10]},  # the date typed stays
                      409 if exc.code == "conflict" else 400)
    else:
        flash(f"La date limite est maintenant le {go['deadline'][8:10]}/{go['deadline'][5:7]}/"
              f"{go['deadline'][:4]}" + (" : les souscriptions sont ouvertes jusqu'à ce "
                                          "jour-là." if go.get("subscriptions_open") else "."),
              "success")
    return redirect(url_for("grouped_orders.detail", number=number))


@bp.post("/<int:number>/annuler")
@allow(*COLLECTIVITY)
def cancel(number):
    """The initiator cancels their own grouped order (not validated by the bookshop, no parent
    paid): a confirmation page with the reason the parents are told, then the cancellation; a
    refusal (a parent paid, validated) is said on the grouped order's page, a 409."""
    reason = forms.Confirmation.read()["reason"]
    # one's own only: another's is not even said to exist (a 404), its confirmation page neither
    rpc("grouped_orders", "get_my_grouped_order", g.user["id"], number)
    ask = dict(title=f"Annuler la commande groupée n° {number}",
               message="La commande groupée sera annulée et son lien de souscription fermé ; "
                       "les parents qui ont commandé sans payer sont prévenus par e-mail avec "
                       "ce motif.",
               button="Annuler la commande groupée",
               back=url_for("grouped_orders.detail", number=number),
               reason="Motif (envoyé aux parents)", reason_required=True)
    if not confirmed():
        return confirmation(**ask)
    if not reason.strip():
        return confirmation(**ask, error="Indiquez le motif de l'annulation.",
                            details={"reason": ["Le motif est obligatoire : il est envoyé "
                                                "aux parents."]})
    try:
        rpc("grouped_orders", "cancel_my_grouped_order", g.user["id"], number, reason,
            idempotency_key=idempotency.key())
    except DomainError as exc:
        if exc.code not in ("invalid", "conflict"):
            raise  # not one's own: refused, not a message on someone else's page
        flash(exc.message, "error")
        return _again(number, {}, 409 if exc.code == "conflict" else 400)
    flash("La commande groupée est annulée ; les parents qui avaient commandé sont prévenus.",
          "success")
    return redirect(url_for("grouped_orders.detail", number=number))


@bp.post("/<int:number>/ouverture")
@allow(*COLLECTIVITY)
def opening(number):
    """Move the opening day while subscriptions have not opened yet (issue 10, K1); a date in
    the past or after the deadline: the page again, 400, in French, nothing changed."""
    opens_on = forms.Opening.read()["opens_on"].strip()
    try:
        go = rpc("grouped_orders", "change_opening", g.user["id"], number, opens_on,
                 idempotency_key=idempotency.key())
    except DomainError as exc:
        if exc.code not in ("invalid", "conflict"):
            raise  # not one's own: refused, not a message on someone else's page
        flash(exc.message, "error")
        return _again(number, {"opens_on": opens_on[:10]},  # the day typed stays
                      409 if exc.code == "conflict" else 400)
    if go["opens_on"]:
        day = go["opens_on"]
        flash(f"Les souscriptions ouvriront le {day[8:10]}/{day[5:7]}/{day[:4]}.", "success")
    else:
        flash("Les souscriptions sont ouvertes dès maintenant.", "success")
    return redirect(url_for("grouped_orders.detail", number=number))


def _again(number, typed, status=400):
    """The grouped order's page again with what the initiator typed in the refused form (and
    the French message flashed above it), not a redirect that would lose it."""
    return render_template("grouped_orders/detail.html", admin=False, typed=typed, go=rpc(
        "grouped_orders", "get_my_grouped_order", g.user["id"], number)), status


def pdf_response(number):
    """The sign-in sheet: every buyer, or `?par=editeur` one section per publisher (issue 10
    K4)."""
    per_publisher = forms.SignInSheet.read()["par"] == "editeur"
    data = base64.b64decode(slow_rpc("grouped_orders", "export_pdf", g.user["id"], number,
                                     "publishers" if per_publisher else "global"))
    # not « commande-groupee-N »: the name of the grouped order's own document (« Détail de la
    # commande »), a second file of that name in the same downloads folder
    name = f"emargement-editeurs-{number}" if per_publisher else \
        f"emargement-commande-groupee-{number}"
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}.pdf"'})


@bp.get("/<int:number>/pdf")
@allow(*COLLECTIVITY)
def pdf(number):
    return pdf_response(number)


@bp.post("/<int:number>/exemplaires")
@allow(*COLLECTIVITY)
def copy_limits(number):
    """The minimum to go ahead and the cap (issue 10), changed while the grouped order is open:
    a mistake (a cap below the copies already subscribed…) is said on the page, nothing
    changed."""
    limits = forms.CopyLimits.read()
    try:
        per_title = minimums_by_ean(zip(limits["ean"], limits["title_min"])) \
            if limits["ean"] else None
        go = rpc("grouped_orders", "change_copy_limits", g.user["id"], number,
                 limits["min_copies"], limits["max_copies"],
                 idempotency_key=idempotency.key(), title_minimums=per_title)
    except DomainError as exc:
        if exc.code not in ("invalid", "conflict"):
            raise
        details = " ".join(sum((list(v) for v in (exc.details or {}).values()), []))
        flash(f"{exc.message} {details}".strip(), "error")
        return _again(number, {"min_copies": limits["min_copies"],
                               "max_copies": limits["max_copies"],
                               "title_min": dict(zip(limits["ean"], limits["title_min"]))},
                      409 if exc.code == "conflict" else 400)
    else:
        flash(limits_message(go.get("min_copies"), go.get("max_copies"), go.get("titles") or ()),
              "success")
    return redirect(url_for("grouped_orders.detail", number=number))


def limits_message(minimum, maximum, titles=()) -> str:
    def copies(n):
        return f"{n} exemplaire{'s' if n > 1 else ''}"
    said = [f"minimum {copies(minimum)}" if minimum else "pas de minimum",
            f"maximum {copies(maximum)}" if maximum else "pas de maximum"]
    said += [f"minimum de « {t['title']} » : {t['min_copies']}" for t in titles
             if t.get("min_copies")]
    return f"Exemplaires : {', '.join(said)}."
