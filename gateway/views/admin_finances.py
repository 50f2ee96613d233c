"""The bookshop's « Finances » page (reference 002 §3, issue 9): the payouts the payment
provider owes the bookshop, due and paid, by date, with their transactions, fees, refunds and
net amounts; a CSV export; marking a payout as received. ADMIN only (payments trusts the
gateway's check: its payout RPCs take no account)."""
from decimal import Decimal

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for

from services.common.errors import DomainError

from .. import idempotency
from ..formatting import money
from ..rpc_client import rpc
from ..security import ADMIN, allow
from . import confirmation, confirmed, refused

bp = Blueprint("admin_finances", __name__, url_prefix="/admin")

FILTERS = (("", "Tous"), ("open", "À verser"), ("paid", "Versés"))


def _sum(payouts, status, field="net"):
    return sum((Decimal(p[field]) for p in payouts if p["status"] == status), Decimal("0.00"))


INVOICE_FILTERS = ("recherche", "du", "au")  # invoicing's domain.register reads them


def invoice_filters():
    return {k: request.args.get(k, "").strip()[:200] for k in INVOICE_FILTERS
            if request.args.get(k, "").strip()}


def _register(filters):
    """The invoices and credit notes the filters keep: (register, error, details); a refused
    filter is said next to its field, the register shown unfiltered; None if invoicing does not
    answer (the page still shows the payouts)."""
    try:
        return rpc("invoicing", "list_invoices", 500, None, None, filters), None, {}
    except DomainError as exc:
        if exc.code != "invalid":
            return None, None, {}
        error, details = exc.message, exc.details
    try:
        return rpc("invoicing", "list_invoices", 500), error, details
    except DomainError:
        return None, error, details


@bp.get("/finances")
@allow(ADMIN)
def index():
    status = request.args.get("statut", "")
    status = status if status in dict(FILTERS) else ""
    payouts = rpc("payments", "list_payouts", g.user["id"], status or None)
    totals = {s: {f: _sum(payouts, s, f) for f in ("gross", "fees", "refunds", "net")}
              for s in ("open", "paid")}
    wanted = invoice_filters()
    register, error, details = _register(wanted)
    return render_template("admin/finances.html", payouts=payouts, totals=totals,
                           status=status, filters=FILTERS, register=register,
                           register_loaded=True, invoice_form=wanted, invoice_error=error,
                           invoice_errors=details), 400 if error else 200


@bp.get("/finances/reversements.csv")
@allow(ADMIN)
def export_csv():
    text = rpc("payments", "export_payouts_csv")
    return Response("\ufeff" + text, mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="reversements.csv"'})


@bp.post("/finances/<payout_id>/verse")
@allow(ADMIN)
def mark_paid(payout_id):
    """Confirmation page, then open -> paid once (the form's one-time key). A refusal (already
    paid, unknown payout) is a message on the Finances page."""
    try:
        payout = rpc("payments", "get_payout", payout_id[:40])
        if not confirmed():
            return confirmation(
                title=f"Reversement du {payout['due_on'][8:10]}/{payout['due_on'][5:7]}/"
                      f"{payout['due_on'][:4]}",
                message=f"Confirmez que le prestataire de paiement a versé "
                        f"{money(payout['net'])} ({payout['transactions']} transaction(s)) sur "
                        "le compte de la librairie.",
                button="Marquer comme versé", back=url_for("admin_finances.index"))
        rpc("payments", "mark_payout_paid", payout["payout_id"], idempotency.key())
    except DomainError as exc:
        refused(exc)
    else:
        flash("Le reversement est marqué comme versé.", "success")
    return redirect(url_for("admin_finances.index"))
