"""Distribution day (issue 10 K5, reference 004 steps 5 and 6): a phone page for the initiator
(its own grouped order) and the bookshop (any), once the grouped order is made available.

Each tick (« venu », « a tout retiré ») is its own small form: with JavaScript
(static/distribution.js) it is sent at once by `fetch` with the form's CSRF token and an
`Idempotency-Key` of its own (a retry after a lost answer repeats the same key: one change), and
the page says « enregistré » or « non enregistré, réessayer »; without JavaScript the same form
posts and comes back to the page. The search box is a GET form (and filters as one types with
JavaScript). « a payé » (a cheque's 7-digit number or cash), the notes and « Valider la
distribution » are plain forms, each once per form (its one-time token)."""
from decimal import Decimal

from flask import (Blueprint, flash, g, jsonify, redirect, render_template, request, url_for)

from services.common.errors import DomainError, invalid
from services.payments.domain.manual import check_cheque_number

from .. import forms, idempotency
from ..formatting import money
from ..rpc_client import rpc
from ..security import ADMIN, COLLECTIVITE, allow
from . import confirmation, confirmed, refused

bp = Blueprint("distribution", __name__, url_prefix="/distribution")

WHO = (COLLECTIVITE, ADMIN)
NOTE_WORDS = {"refund": "remboursement", "extra": "paiement complémentaire"}  # the initiator (its own: the service says) and the bookshop


def wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "fetch" or \
        request.accept_mimetypes.best == "application/json"


def page_url(number, query="", sub=None):
    url = url_for("distribution.page", number=number, **({"q": query} if query else {}))
    return f"{url}#sous-commande-{sub}" if sub else url


def render_page(number, query, *, error=None, errors=None, status=200, form=None):
    data = rpc("grouped_orders", "distribution", g.user["id"], number, query)
    back = url_for("admin_grouped_orders.detail", number=number) \
        if g.user["role"] == ADMIN else url_for("grouped_orders.detail", number=number)
    return render_template("distribution/page.html", d=data, back=back, error=error,
                           errors=errors, form=form or {}), status


@bp.get("/<int:number>")
@allow(*WHO)
def page(number):
    return render_page(number, forms.DistributionSearch.read()["q"])


def _answer(number, form, call, done):
    """Run `call()` (an RPC); answer JSON to the page's script, else a flash and the page (a
    refusal: the page again with the message, 400 or 409). "Not yours" stays a 404/403."""
    try:
        result = call()
    except DomainError as exc:
        if exc.code in ("not_found", "forbidden"):
            raise
        status = 409 if exc.code == "conflict" else 400
        if wants_json():
            return jsonify({"ok": False, "message": exc.message,
                            "errors": exc.details or {}}), status
        return render_page(number, form.get("q", ""), error=exc.message, errors=exc.details,
                           status=status, form=form)
    if wants_json():
        return jsonify(dict(result, ok=True, message="Enregistré"))
    flash(done(result), "success")
    return redirect(page_url(number, form.get("q", ""), form.get("sub")))


@bp.post("/<int:number>/coche")
@allow(*WHO)
def tick(number):
    form = forms.DistributionTick.read()
    field = {"venu": "came", "tout-retire": "collected_all"}.get(form["field"], form["field"])

    def done(result):
        label = "venu" if field == "came" else "a tout retiré"
        state = "coché" if form["value"] else "décoché"
        return f"Sous-commande n° {form['sub']} : « {label} » {state}, enregistré."
    return _answer(number, form, lambda: rpc(
        "grouped_orders", "distribution_tick", g.user["id"], number, form["sub"], field,
        form["value"], idempotency_key=idempotency.key()), done)


@bp.post("/<int:number>/paiement")
@allow(*WHO)
def payment(number):
    """« a payé » at pickup: a cheque with its 7-digit number, or cash."""
    form = forms.DistributionPayment.read()
    method = form["method"] if form["method"] in ("cheque", "cash") else ""

    def call():
        try:
            if not method:
                raise invalid("Choisissez le moyen de paiement reçu : chèque ou espèces.",
                              {"method": ["Chèque ou espèces."]})
            cheque_number = check_cheque_number(method, form["cheque_number"])
        except DomainError:
            # whose grouped order it is decides first: another's is a 404, not a 400
            rpc("grouped_orders", "distribution", g.user["id"], number, "")
            raise
        return rpc("grouped_orders", "distribution_payment", g.user["id"], number, form["sub"],
                   method, cheque_number, idempotency_key=idempotency.key())
    return _answer(number, form, call,
                   lambda r: f"Sous-commande n° {form['sub']} payée : {r['paid_by']}, "
                             "enregistré.")


@bp.post("/<int:number>/date")
@allow(*WHO)
def distribution_date(number):
    """The distribution's date and slot, once validated; changed after availability, the
    buyers are mailed the new date (if their mails are on)."""
    form = forms.DistributionDate.read()

    def done(result):
        if not result["distribution_date"]:
            return "Date de distribution retirée."
        told = (" Les acheteurs sont prévenus par e-mail." if result["made_available_at"]
                and result["buyer_ready_mails"] else "")
        return f"Date de distribution enregistrée : {result['distribution_label']}.{told}"

    def call():
        if not form["distribution_date"] and not form["had_date"]:
            # nothing set, nothing typed: not « Date de distribution retirée »
            rpc("grouped_orders", "distribution", g.user["id"], number, "")  # whose it is
            raise invalid("Indiquez le jour de la distribution.",
                          {"distribution_date": ["Un jour, par exemple 15/06/2027."]})
        return rpc("grouped_orders", "set_distribution_date", g.user["id"], number,
                   form["distribution_date"], form["distribution_slot"],
                   idempotency_key=idempotency.key())
    return _answer(number, form, call, done)


@bp.post("/<int:number>/note")
@allow(*WHO)
def note(number):
    """A refund or an extra payment noted at pickup (amount and why)."""
    form = forms.DistributionNote.read()
    return _answer(number, form, lambda: rpc(
        "grouped_orders", "distribution_note", g.user["id"], number, form["sub"], form["kind"],
        form["amount"], form["comment"], idempotency_key=idempotency.key()),
        lambda r: f"Sous-commande n° {form['sub']} : {NOTE_WORDS[r['kind']]} de "
                  f"{money(r['amount'])} noté.")


def owing_words(recap) -> str:
    """Who still owes at the end of distribution day (issue 10 K5: paying at pickup): they
    stay unpaid, never counted as paid."""
    words = ""
    for key, what in (("came_owing", "venus sans avoir payé"),
                      ("absent_owing", "absents qui devaient payer au retrait")):
        owing = recap.get(key) or []
        if owing:
            names = ", ".join(f"{o['first_name']} {o['last_name']} ({money(o['total'])})"
                              for o in owing)
            words += f" {what.capitalize()} : {names}."
    total = (recap.get("came_owing_total") or "0.00", recap.get("absent_owing_total") or "0.00")
    if words:
        words += (f" Non encaissé : {money(str(sum(map(Decimal, total))))} ; ces commandes "
                  "restent « En attente de paiement ».")
    return words


@bp.post("/<int:number>/valider")
@allow(*WHO)
def validate(number):
    """« Valider la distribution »: a confirmation page first (who did not come, who is told),
    then once."""
    if not confirmed():
        data = rpc("grouped_orders", "distribution", g.user["id"], number, "")
        absent = data["absent"]
        names = ", ".join(f"{a['first_name']} {a['last_name']}" for a in absent)
        several = "s" if len(absent) > 1 else ""
        message = (f"{len(absent)} acheteur{several} n'{'ont' if several else 'a'} pas été "
                   f"vu{several} : {names}. "
                   + ("Chacun reçoit" if several else "Il ou elle reçoit")
                   + " un e-mail disant que ses livres l'attendent au lieu de retrait."
                   if absent else "Tous les acheteurs sont venus.")
        message += owing_words(data["recap"])
        return confirmation(
            title=f"Valider la distribution de la commande groupée n° {number}",
            message=f"{message} Le récapitulatif est envoyé à l'initiateur ; plus rien ne "
                    "pourra être coché ensuite.",
            button="Valider la distribution", back=page_url(number))
    try:
        rpc("grouped_orders", "validate_distribution", g.user["id"], number,
            idempotency_key=idempotency.key())
    except DomainError as exc:
        if exc.code in ("not_found", "forbidden"):
            raise
        refused(exc)
    else:
        flash("La distribution est validée : le récapitulatif est envoyé à l'initiateur et "
              "les absents sont prévenus par e-mail.", "success")
    return redirect(page_url(number))
