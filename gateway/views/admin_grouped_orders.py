"""The bookshop's "Gestion des commandes groupées" (reference 000, "Le libraire")."""
import csv
import io
from decimal import Decimal

from flask import (Blueprint, Response, abort, flash, g, redirect, render_template, request,
                   url_for)

from services.common.errors import DomainError, invalid
from services.common.spreadsheet import cell
from services.grouped_orders.domain.status import check_sub_order_action
from services.payments.domain.manual import check_cheque_number

from .. import forms, idempotency
from ..formatting import in_paris, money
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
        deadline = f"{go['deadline'][8:10]}/{go['deadline'][5:7]}/{go['deadline'][:4]}"
        outcome = go.get("if_closed_now") or {}
        message = ("Plus aucun acheteur ne pourra souscrire ni payer, dès maintenant, avant la "
                   f"date limite du {deadline}. {go['client_name']} ({go['initiator_email']}) "
                   "est prévenu(e) par e-mail.")
        button = "Clore les souscriptions maintenant"
        if outcome.get("fails"):
            # the deadline's rule applies today: say it before it is done (it cannot be undone)
            message += (" Attention : les minimums sont vérifiés à la clôture, sur les "
                        "exemplaires payés aujourd'hui. " + outcome["reason"] + " Clore "
                        "maintenant annule donc la commande groupée : chaque acheteur payé est "
                        "remboursé, l'initiateur et les acheteurs sont prévenus par e-mail.")
            button = "Clore les souscriptions et annuler la commande groupée"
        else:
            if outcome.get("dropped"):
                names = ", ".join(f"« {t} »" for t in outcome["dropped"])
                plural = len(outcome["dropped"]) > 1
                message += (" Attention : les minimums sont vérifiés à la clôture, sur les "
                            "exemplaires payés aujourd'hui. "
                            + ("Les titres facultatifs " if plural else "Le titre facultatif ")
                            + names + (" n'ont pas atteint leur minimum : ils seront retirés"
                                       if plural else
                                       " n'a pas atteint son minimum : il sera retiré")
                            + " de la commande groupée, "
                            + ("leurs" if plural else "ses") + " acheteurs remboursés de la "
                            "différence et prévenus.")
            summary = go.get("summary") or {}
            # those paid at pickup are ordered all the same: they do not hold the validation
            pending = (summary.get("sub_orders", {}).get("awaiting_payment") or 0) - \
                ((summary.get("at_pickup") or {}).get("sub_orders") or 0)
            message += (" Vous pourrez ensuite valider la commande groupée"
                        + (f", une fois chaque sous-commande en attente de paiement ({pending}) "
                           "payée ou annulée." if pending else ".")
                        + " L'initiateur pourra rouvrir les souscriptions tant que vous ne "
                        "l'aurez pas validée.")
        # not « définitive » when the initiator may still reopen it (the cancellation is)
        return confirmation(title=f"Clore les souscriptions de la commande groupée n° {number}",
                            message=message, button=button,
                            back=url_for("admin_grouped_orders.detail", number=number),
                            final=bool(outcome.get("fails")))
    return _act(number, "close_subscriptions_now", number, done=_closed)


def _closed(go) -> str:
    """What closing did: the minimums may have cancelled the grouped order (its own mails)."""
    if (go or {}).get("status") == "cancelled":
        return ("Les souscriptions sont closes. Minimum non atteint : la commande groupée est "
                "annulée, les acheteurs payés sont remboursés ; l'initiateur et les acheteurs "
                "sont prévenus par e-mail.")
    return "Les souscriptions sont closes ; l'initiateur est prévenu par e-mail."


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
    """« Valider » a sub-order's payment received at the bookshop (reference 003 step 1): a
    cheque with its number (7 digits, required) or cash, from the sub-order's row; then a
    confirmation page; then payments records it once. A bad number: this page again, 400,
    nothing changed; a second validation: 409."""
    form = forms.ManualPayment.read()
    number = form["grouped_order"]
    if not number:  # the row's hidden field: a form sent from elsewhere
        raise invalid("Formulaire incomplet : validez le paiement depuis la page de la commande "
                      "groupée.", {"grouped_order": ["Commande groupée manquante."]})
    go = rpc("grouped_orders", "admin_get", g.user["id"], number)
    sub = next((s for s in (go or {}).get("sub_orders", []) if s["number"] == sub_number), None)
    if sub is None:
        abort(404)
    method = form["method"] if form["method"] in ("cheque", "cash") else ""
    page = dict(go=go, sub=sub, method=method, cheque_number=form["cheque_number"])
    try:
        if not method:
            raise invalid("Choisissez le moyen de paiement reçu : chèque ou espèces.",
                          {"method": ["Chèque ou espèces."]})
        cheque_number = check_cheque_number(method, form["cheque_number"])
        # paid or cancelled meanwhile (a stale page): refused now, not after a confirmation
        check_sub_order_action(sub["status"], go["status"], "validate")
        if not form["confirmed"]:
            return render_template("admin/manual_payment.html", confirm=True,
                                   **dict(page, cheque_number=cheque_number))
        rpc("grouped_orders", "admin_record_manual_payment", g.user["id"], sub_number, method,
            cheque_number, idempotency_key=idempotency.key())
    except DomainError as exc:
        if exc.code in ("not_found", "forbidden"):
            raise
        return render_template("admin/manual_payment.html", confirm=False, error=exc.message,
                               errors=exc.details, **page), \
            409 if exc.code == "conflict" else 400
    what = f"le chèque n° {cheque_number}" if method == "cheque" else "le paiement en espèces"
    flash(f"La sous-commande n° {sub_number} est payée : {what} ({money(sub['total'])}) est "
          "enregistré.", "success")
    return redirect(url_for("admin_grouped_orders.detail", number=number))


@bp.post("/commandes-groupees/<int:number>/moyens-de-paiement")
@allow(ADMIN)
def payment_methods(number):
    """Allow (or not) a cheque and / or cash at the bookshop, and / or paying at pickup
    (issue 10 K5), besides online payment."""
    form = forms.PaymentMethods.read()
    return _act(number, "admin_set_payment_methods", number, form["cheque"], form["cash"],
                form["pickup"],
                done="Les moyens de paiement proposés aux acheteurs sont enregistrés.")


@bp.post("/commandes-groupees/<int:number>/rappels")
@allow(ADMIN)
def buyer_reminders(number):
    """Remind (or not) the buyers who have not paid, before the deadline (issue 10, K1)."""
    enabled = forms.BuyerReminders.read()["enabled"]
    return _act(number, "admin_set_buyer_reminders", number, enabled,
                done="Les acheteurs qui n'ont pas payé recevront un rappel avant la date "
                     "limite." if enabled else
                     "Les acheteurs qui n'ont pas payé ne recevront pas de rappel.")


@bp.post("/commandes-groupees/<int:number>/mails-livres-prets")
@allow(ADMIN)
def buyer_ready_mails(number):
    """Mail (or not) each buyer when their books are ready and if the date changes (K5)."""
    enabled = forms.BuyerReadyMails.read()["enabled"]
    return _act(number, "admin_set_buyer_ready_mails", number, enabled,
                done="Chaque acheteur sera prévenu par e-mail quand ses livres seront prêts."
                if enabled else "Les acheteurs ne recevront pas d'e-mail quand les livres "
                                "seront prêts.")


def paris_time(value) -> str:
    """An instant as the bookshop's spreadsheet reads it: Paris time, to the second
    (« 2026-12-08 00:22:38 »; the CSV said the UTC time, « 2026-12-07T23:22:38.901185 »)."""
    return in_paris(str(value)).strftime("%Y-%m-%d %H:%M:%S") if value else ""


CSV_HEADER = ["sous_commande", "nom", "prenom", "email", "eleve", "date_achat", "quantite",
              "statut", "total_ttc", "mode_paiement", "numero_cheque", "paye_le"]


@bp.get("/commandes-groupees/<int:number>/sous-commandes.csv")
@allow(ADMIN)
def export_csv(number):
    """The sub-orders as CSV (`;`, UTF-8 with BOM, decimal commas: for a French spreadsheet):
    how each was paid, a cheque's number."""
    go = rpc("grouped_orders", "admin_get", g.user["id"], number)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for s in go["sub_orders"]:
        writer.writerow([s["number"], cell(s["last_name"]), cell(s["first_name"]),
                         cell(s["email"]), cell(s.get("pupil") or ""),
                         paris_time(s["created_at"]), s["quantity"], s["status_label"],
                         str(s["total"]).replace(".", ","),  # a number to a French spreadsheet
                         s["payment_method_label"], s["cheque_number"],
                         paris_time(s["paid_at"])])
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="commande-groupee-{number}.csv"'})


@bp.post("/sous-commandes/<int:sub_number>/email")
@allow(ADMIN)
def correct_email(sub_number):
    """A buyer's mistyped e-mail corrected (the parent called: no confirmation, no link to
    pay came); they are told at the new address, with their order's page."""
    form = forms.BuyerEmail.read()
    return _act(form["grouped_order"], "admin_correct_buyer_email", sub_number, form["email"],
                done=lambda go: f"L'adresse e-mail de la sous-commande n° {sub_number} est "
                                "corrigée ; l'acheteur est prévenu à la nouvelle adresse.")


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
            # what credit notes gave back already is not refunded again
            credited = Decimal(sub.get("credited") or "0")
            # what its total still holds of it (copies credited came off its lines already)
            rest = Decimal(sub["total"]) - Decimal(sub.get("credited_in_total") or "0")
            paid = f" Elle est payée : {money(rest)} seront remboursés à {who}." \
                if sub["status"] == "paid" else ""
            if sub["status"] == "paid" and sub.get("payment_method") in ("cheque", "cash"):
                paid = f" Elle est payée ({sub['paid_by']}) : rendez " \
                    f"{'le chèque' if sub['payment_method'] == 'cheque' else 'les espèces'} " \
                    f"({money(rest)}) à {who}."
            if sub["status"] == "paid" and credited:
                by_hand = sub.get("payment_method") in ("cheque", "cash")
                paid = (f" Elle est payée ; ses avoirs lui ont déjà rendu {money(credited)}"
                        + (" : rien de plus à rembourser." if rest <= 0 else
                           f" : rendez encore {money(rest)} à {who}." if by_hand else
                           f" : {money(rest)} seront encore remboursés à {who}."))
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
