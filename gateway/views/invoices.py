"""Invoices and credit notes (reference 003 step 2, issue 9), over the invoicing service.

- The bookshop (ADMIN): « Générer une facture » for a sub-order or a collectivity order (route
  `invoices.issue`, a confirmation first), a credit note against an invoice (`invoices.credit_note`:
  all that is left, or some lines), each PDF (`invoices.admin_pdf`), the register on the
  Finances page and its CSV (`invoices.export_csv`).
- The customer, from the pages where their order already is: a collectivity's order
  (`invoices.collectivity_pdf`, the order read through baskets' own check of the account) and a
  parent's sub-order (`invoices.buyer_pdf`, the subscription's two tokens). Each PDF is served
  only if it is one of THAT order's invoices or credit notes.

The pages show an order's invoices through the template globals `order_invoices(kind, number)`
and `invoices_by_order(kind, numbers)` (one RPC for a page of sub-orders); a page keeps working,
without them, if invoicing does not answer."""
import base64
import logging
import re
from decimal import Decimal

from flask import (Blueprint, Response, abort, flash, g, redirect, render_template, request,
                   url_for)

from services.common.errors import HTTP_STATUS, DomainError

from .. import forms, idempotency
from ..formatting import money
from ..rpc_client import rpc, slow_rpc
from ..security import ADMIN, ANONYMOUS, APPROBATEUR, COLLECTIVITE, UTILISATEUR, allow
from . import confirmation, confirmed

log = logging.getLogger(__name__)
bp = Blueprint("invoices", __name__)

KINDS = {"sous-commande": "sub_order", "commande-collectivite": "collectivity_order"}
LABELS = {"sub_order": "la sous-commande", "collectivity_order": "la commande collectivité"}
NUMBER = re.compile(r"^\d{4}-\d{2}-\d{9}$")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class IssueForm(forms.Form):
    back = forms.Text(300)


class CreditNoteForm(forms.Form):
    """All that is left (`scope` "all") or the quantities typed per line (`position[i]` with
    `quantity[i]`)."""
    # one character more than the service keeps: a longer reason is refused in French, not cut
    reason = forms.Text(1001)
    scope = forms.Choice("all", "lines")
    position = forms.TextList(10, 1000)
    quantity = forms.TextList(10, 1000)


def _back(value, default):
    """Back to a page of the admin only (never elsewhere)."""
    if value.startswith("/admin/") and "//" not in value and "\\" not in value:
        return value
    return default


# ---- template globals ------------------------------------------------------------------------
@bp.app_template_global()
def order_invoices(kind, number):
    """The order's invoices and credit notes, oldest first; None if invoicing does not answer."""
    try:
        return rpc("invoicing", "order_invoices", kind, number)
    except DomainError as exc:
        log.warning("invoices of %s %s unavailable: %s", kind, number, exc.code)
        return None


@bp.app_template_global()
def invoices_by_order(kind, numbers, unavailable=None):
    """{order number: its invoices and credit notes} for a page of orders; `unavailable` ({} by
    default) if invoicing does not answer (a list that says « Non facturée » asks None)."""
    try:
        return rpc("invoicing", "invoices_for_orders", kind, [int(n) for n in numbers])
    except DomainError as exc:
        log.warning("invoices of %s unavailable: %s", kind, exc.code)
        return {} if unavailable is None else unavailable


@bp.app_template_global()
def invoice_register():
    """The Finances page's invoices and credit notes with their totals; None if unavailable."""
    try:
        return rpc("invoicing", "list_invoices")
    except DomainError as exc:
        log.warning("invoice register unavailable: %s", exc.code)
        return None


# ---- the bookshop ----------------------------------------------------------------------------
@bp.post("/admin/factures/emettre/<any('sous-commande', 'commande-collectivite'):kind>/"
         "<int:number>")
@allow(ADMIN)
def issue(kind, number):
    """« Générer une facture »: a confirmation, then the invoice (once: the same order asked
    again gives the same invoice). Refused (cancelled order, figures that do not add up): the
    confirmation page again with the French reason, 409 / 400."""
    wire = KINDS[kind]
    back = _back(IssueForm.read()["back"], url_for("admin_finances.index"))
    ask = dict(title=f"Générer la facture de {LABELS[wire]} n° {number}",
               message=f"La facture de {LABELS[wire]} n° {number} sera émise avec le prochain "
                       "numéro de la série (AAAA-MM-NNNNNNNNN). Une fois facturée, la commande "
                       "ne peut plus être annulée ni modifiée : une correction passe par un "
                       "avoir.",
               button="Générer la facture", back=back, hidden={"back": back})
    if not confirmed():
        return confirmation(**ask)
    try:
        invoice = rpc("invoicing", "issue_invoice", g.user["id"], wire, number)
    except DomainError as exc:
        if exc.code in ("not_found", "forbidden", "unavailable"):
            raise
        page, _ = confirmation(**ask, error=exc.message)
        return page, HTTP_STATUS.get(exc.code, 400)
    flash(f"Facture n° {invoice['number']} émise pour {LABELS[wire]} n° {number} "
          f"({money(invoice['total_ttc'])} TTC).", "success")
    return redirect(back)


@bp.post("/admin/factures/emettre/sous-commandes-payees/<int:number>")
@allow(ADMIN)
def issue_paid_sub_orders(number):
    """« Facturer les sous-commandes payées » of a grouped order: a confirmation (how many),
    then each paid sub-order's invoice at once (one already invoiced keeps its own); what was
    issued, and any refusal with its reason, said on the page it came from."""
    go = rpc("grouped_orders", "admin_get", g.user["id"], number)
    paid = [s["number"] for s in go.get("sub_orders") or () if s.get("status") == "paid"]
    back = _back(IssueForm.read()["back"], url_for("admin_desk.order", kind="grouped_order",
                                                   number=number))
    if not paid:
        flash(f"Aucune sous-commande payée à facturer dans la commande groupée n° {number}.",
              "error")
        return redirect(back)
    if not confirmed():
        return confirmation(
            title=f"Facturer les sous-commandes payées de la commande groupée n° {number}",
            message=f"{len(paid)} sous-commande(s) payée(s) : chacune reçoit sa facture, avec "
                    "le prochain numéro de la série ; celles déjà facturées gardent la leur. "
                    "Une fois facturée, une sous-commande ne peut plus être annulée ni "
                    "modifiée : une correction passe par un avoir.",
            button=f"Facturer {len(paid)} sous-commande(s)", back=back, hidden={"back": back})
    outcome = slow_rpc("invoicing", "issue_invoices", g.user["id"], "sub_order", paid)
    issued, existing = outcome["issued"], outcome["existing"]
    if issued:
        flash(f"{len(issued)} facture(s) émise(s) : n° {issued[0]['number']}"
              + (f" à {issued[-1]['number']}" if len(issued) > 1 else "")
              + (f" ; {len(existing)} sous-commande(s) l'étaient déjà." if existing else "."),
              "success")
    elif existing:
        flash(f"Les {len(existing)} sous-commande(s) payée(s) étaient déjà facturées.", "info")
    for refused in outcome["refused"]:
        flash(f"Sous-commande n° {refused['order']} : {refused['message']}", "error")
    return redirect(back)


def _to_refund(note) -> str:
    """The money the credit note owes the customer, and who moves it: a parent's sub-order is
    refunded by the platform (online: on the card used; a cheque or cash: recorded as handed
    back, the parent told by mail that the bookshop gives it back); any other order's customer
    is refunded by the clerk."""
    credit = note.get("credit") or {}
    if credit.get("mode") != "refund" or not Decimal(credit.get("to_refund") or "0"):
        return ""
    amount = money(credit["to_refund"])
    if (note.get("order") or {}).get("kind") == "sub_order":
        if (note.get("payment") or {}).get("method") in ("cheque", "cash"):
            return (f" {amount} à rendre au parent (chèque ou espèces) : il est prévenu par "
                    "courriel que la librairie les lui rend.")
        return (f" {amount} remboursés au parent sur le moyen de paiement utilisé en ligne ; "
                "il en est prévenu par courriel.")
    return (f" À rembourser au client : {amount}. L'avoir ne fait pas le "
            "remboursement : faites-le vous-même (virement, ou en rendant un chèque ou des "
            "espèces).")


@bp.route("/admin/factures/<number>/avoir", methods=["GET", "POST"])
@allow(ADMIN)
def credit_note(number):
    """A credit note: all that is left of the invoice, or some quantities of its lines; a reason
    is required. Its own number in the same series, its own PDF."""
    invoice = rpc("invoicing", "get_invoice", number[:20])
    if invoice["kind"] != "invoice":
        abort(404)
    # back to the page it was asked from (the order's), else the Finances page's register
    back = _back(request.args.get("retour", "")[:300],
                 url_for("admin_finances.index") + "#factures")
    error, details, form = None, {}, {"reason": "", "scope": "all"}
    quantities = {}
    if request.method == "POST":
        form = CreditNoteForm.read()
        lines = None
        if form["scope"] == "lines":
            pairs = list(zip(form["position"], form["quantity"]))
            lines = {p: (q.strip() or "0") for p, q in pairs}
            quantities = lines
            if len(lines) != len(pairs) or len(form["position"]) != len(form["quantity"]):
                # a line twice, or a quantity without its line: never half of what was asked
                return render_template(
                    "invoices/credit_note.html", invoice=invoice, form=form, quantities={},
                    back=back,
                    details={"lines": ["Chaque ligne une seule fois, avec sa quantité."]},
                    error="Indiquez une quantité par ligne de la facture, chaque ligne une "
                          "seule fois."), 400
        if form["scope"] is None:  # missing or forged: never the whole invoice by default
            return render_template(
                "invoices/credit_note.html", invoice=invoice, form=dict(form, scope="all"),
                quantities={}, back=back,
                details={"scope": ["Tout ce qui reste ou certaines lignes."]},
                error="Choisissez ce que l'avoir crédite : tout ce qui reste de la facture ou "
                      "seulement certaines quantités."), 400
        try:
            note = rpc("invoicing", "issue_credit_note", g.user["id"], invoice["number"],
                       form["reason"], lines, idempotency_key=idempotency.key())
        except DomainError as exc:
            if exc.code in ("not_found", "forbidden", "unavailable"):
                raise
            error, details = exc.message, exc.details
            status = HTTP_STATUS.get(exc.code, 400)
        else:
            flash(f"Avoir n° {note['number']} émis sur la facture n° {invoice['number']} "
                  f"({money(note['total_ttc'])} TTC).{_to_refund(note)}", "success")
            return redirect(back)
        return render_template("invoices/credit_note.html", invoice=invoice, form=form,
                               quantities=quantities, error=error, details=details,
                               back=back), status
    return render_template("invoices/credit_note.html", invoice=invoice, form=form,
                           quantities=quantities, error=None, details={}, back=back)


@bp.post("/admin/factures/<number>/reglement")
@allow(ADMIN)
def settle(number):
    """« Marquer réglée »: an invoice on account (a collectivity's) paid by transfer or cheque:
    a confirmation with how it was paid, then the invoice marked paid, once."""
    back = _back(IssueForm.read()["back"], url_for("admin_finances.index") + "#factures")
    invoice = rpc("invoicing", "get_invoice", number[:20])
    if invoice["kind"] != "invoice":
        abort(404)
    due = Decimal(invoice["remaining_ttc"])  # its credit notes deducted
    credited = Decimal(invoice["total_ttc"]) - due
    ask = dict(title=f"Marquer réglée la facture n° {invoice['number']}",
               message=f"La facture n° {invoice['number']} ({invoice['customer']['name']}) "
                       f"sera marquée réglée : {money(due)} reçus"
                       + (f" (son total, {money(invoice['total_ttc'])} TTC, moins ses avoirs)"
                          if credited else "") + ". Son PDF dira « Facture acquittée » et "
                       "elle ne sera plus à encaisser.",
               button="Marquer réglée", back=back, hidden={"back": back},
               reason="Mode de règlement (virement du …, chèque n° …)")
    if not confirmed():
        return confirmation(**ask)
    try:
        rpc("invoicing", "settle_invoice", g.user["id"], invoice["number"],
            forms.Confirmation.read()["reason"], idempotency_key=idempotency.key())
    except DomainError as exc:
        if exc.code in ("not_found", "forbidden", "unavailable"):
            raise
        page, _ = confirmation(**ask, error=exc.message, details=exc.details)
        return page, HTTP_STATUS.get(exc.code, 400)
    flash(f"Facture n° {invoice['number']} marquée réglée.", "success")
    return redirect(back)


@bp.get("/admin/factures/<number>.pdf")
@allow(ADMIN)
def admin_pdf(number):
    return _pdf(number)


@bp.get("/admin/finances/factures.csv")
@allow(ADMIN)
def export_csv():
    """Every invoice and credit note, or those of the Finances page's filters (a month for the
    accountant: `du`, `au`; words: `recherche`); a refused filter is a 400 in French."""
    filters = {k: request.args.get(k, "").strip()[:200] for k in ("recherche", "du", "au")
               if request.args.get(k, "").strip()}
    try:
        text = rpc("invoicing", "export_invoices_csv", filters or None)
    except DomainError as exc:
        if exc.code != "invalid":
            raise
        return Response(exc.message + "\n", status=400, mimetype="text/plain")
    name = "factures-et-avoirs" + "".join(f"-{k}-{filters[k]}" for k in ("du", "au")
                                          if DAY.fullmatch(filters.get(k, "")))
    return Response("\ufeff" + text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}.csv"'})


# ---- the customer ----------------------------------------------------------------------------
@bp.get("/mes-commandes-collectivite/<int:order_number>/factures/<number>.pdf")
@allow(UTILISATEUR, APPROBATEUR, COLLECTIVITE)
def collectivity_pdf(order_number, number):
    rpc("baskets", "get_my_document", g.user["id"], "order", order_number)  # theirs, or 404/403
    return _own_pdf("collectivity_order", order_number, number)


@bp.get("/souscription/<token>/commande/<buyer_token>/factures/<number>.pdf")
@allow(ANONYMOUS)
def buyer_pdf(token, buyer_token, number):
    sub = rpc("grouped_orders", "buyer_status", token[:64], buyer_token[:64])  # or 404
    return _own_pdf("sub_order", sub["number"], number)


def _own_pdf(kind, order_number, number):
    mine = rpc("invoicing", "order_invoices", kind, order_number)
    if number not in {inv["number"] for inv in mine}:
        abort(404)
    return _pdf(number)


def _pdf(number):
    if not NUMBER.match(number or ""):
        abort(404)
    invoice = rpc("invoicing", "get_invoice", number)
    pdf = base64.b64decode(slow_rpc("invoicing", "invoice_pdf", number))
    name = ("avoir" if invoice["kind"] == "credit_note" else "facture") + f"-{number}.pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})
