"""Totals to send to suppliers (issue 10 K2, reference 004 step 3): the « Récapitulatif par
produits » of one grouped order (the bookshop's, and the initiator's own) and the bookshop's
« vue globale » of every grouped order closing in a period; each as a page, a CSV (`;`, UTF-8
with BOM) and a PDF (drawn by grouped_orders in a child process)."""
import base64
import csv
import io
from datetime import datetime

from flask import Blueprint, Response, g, render_template

from services.common.clock import PARIS
from services.common.errors import DomainError
from services.common.spreadsheet import cell
from services.grouped_orders.domain.suppliers import default_period

from .. import forms
from ..rpc_client import rpc, slow_rpc
from ..security import ADMIN, COLLECTIVITY, allow

bp = Blueprint("suppliers", __name__)

CSV_HEADER = ["editeur", "titre", "ean", "taux_tva", "exemplaires_payes", "total_ttc_paye",
              "total_ht_paye", "tva_payee", "exemplaires_en_attente", "total_ttc_en_attente",
              "total_ht_en_attente", "exemplaires_a_encaisser_au_retrait",
              "total_ttc_a_encaisser_au_retrait", "total_ht_a_encaisser_au_retrait",
              "commandes_groupees"]


def _period():
    """The period asked (`du`, `au`), the current month (Paris) by default."""
    form = forms.SupplierPeriod.read()
    start, end = default_period(datetime.now(PARIS).date())
    return form["du"] or start.isoformat(), form["au"] or end.isoformat()


def _figures(f):
    return [f["copies_paid"], f["ttc_paid"], f["ht_paid"], f["vat_paid"], f["copies_awaiting"],
            f["ttc_awaiting"], f["ht_awaiting"], f["copies_at_pickup"], f["ttc_at_pickup"],
            f["ht_at_pickup"]]


def csv_rows(recap) -> list:
    """One row per publisher and title, the publisher's total per VAT rate, then the totals per
    rate and overall (amounts as "14.90": a spreadsheet reads them as numbers)."""
    rows = [CSV_HEADER]
    for p in recap["publishers"]:
        for t in p["titles"]:
            rows.append([cell(p["name"]), cell(t["title"]), t["ean"], t["vat_rate"], *_figures(t),
                         " ".join(str(n) for n in t["orders"])])
        for r in p["by_rate"]:
            rows.append([cell(p["name"]), f"Total {p['name']} TVA {r['vat_rate']} %", "",
                         r["vat_rate"], *_figures(r), ""])
        rows.append([cell(p["name"]), f"Total {p['name']}", "", "", *_figures(p["totals"]), ""])
    for r in recap["by_rate"]:
        rows.append(["", f"Total TVA {r['vat_rate']} %", "", r["vat_rate"], *_figures(r), ""])
    rows.append(["", "Total général", "", "", *_figures(recap["totals"]),
                 " ".join(str(g["number"]) for g in recap["grouped_orders"])])
    return rows


def csv_response(recap, filename):
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(csv_rows(recap))
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}.csv"'})


def pdf_response(data, filename):
    return Response(base64.b64decode(data), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}.pdf"'})


# -- the bookshop's « vue globale » ------------------------------------------------------------
def _period_or_page():
    start, end = _period()
    try:
        recap = rpc("grouped_orders", "admin_supplier_recap", g.user["id"], start, end)
    except DomainError as exc:
        if exc.code != "invalid":
            raise
        return None, (render_template("suppliers/recap.html", recap=None, period=True,
                                      start=start, end=end, error=exc.message,
                                      errors=exc.details, admin=True), 400)
    return recap, None


@bp.get("/admin/recapitulatif-fournisseurs")
@allow(ADMIN)
def admin_period():
    recap, page = _period_or_page()
    return page or render_template("suppliers/recap.html", recap=recap, period=True,
                                   start=recap["start"], end=recap["end"], admin=True)


@bp.get("/admin/recapitulatif-fournisseurs.csv")
@allow(ADMIN)
def admin_period_csv():
    recap, page = _period_or_page()
    return page or csv_response(recap, f"recapitulatif-fournisseurs-{recap['start']}-"
                                       f"{recap['end']}")


@bp.get("/admin/recapitulatif-fournisseurs.pdf")
@allow(ADMIN)
def admin_period_pdf():
    recap, page = _period_or_page()
    if page:
        return page
    return pdf_response(slow_rpc("grouped_orders", "supplier_recap_pdf", g.user["id"],
                                 start=recap["start"], end=recap["end"]),
                        f"recapitulatif-fournisseurs-{recap['start']}-{recap['end']}")


# -- one grouped order's « Récapitulatif par produits » (the bookshop's; the initiator's own) ---
def _order_page(number, admin):
    recap = rpc("grouped_orders", "supplier_recap", g.user["id"], number)
    return render_template("suppliers/recap.html", recap=recap, period=False, admin=admin,
                           number=number)


def _order_csv(number):
    recap = rpc("grouped_orders", "supplier_recap", g.user["id"], number)
    return csv_response(recap, f"recapitulatif-produits-{number}")


def _order_pdf(number):
    return pdf_response(slow_rpc("grouped_orders", "supplier_recap_pdf", g.user["id"],
                                 number=number), f"recapitulatif-produits-{number}")


@bp.get("/admin/commandes-groupees/<int:number>/recapitulatif-produits")
@allow(ADMIN)
def admin_order(number):
    return _order_page(number, True)


@bp.get("/admin/commandes-groupees/<int:number>/recapitulatif-produits.csv")
@allow(ADMIN)
def admin_order_csv(number):
    return _order_csv(number)


@bp.get("/admin/commandes-groupees/<int:number>/recapitulatif-produits.pdf")
@allow(ADMIN)
def admin_order_pdf(number):
    return _order_pdf(number)


@bp.get("/commandes-groupees/<int:number>/recapitulatif-produits")
@allow(*COLLECTIVITY)
def order(number):
    return _order_page(number, False)


@bp.get("/commandes-groupees/<int:number>/recapitulatif-produits.csv")
@allow(*COLLECTIVITY)
def order_csv(number):
    return _order_csv(number)


@bp.get("/commandes-groupees/<int:number>/recapitulatif-produits.pdf")
@allow(*COLLECTIVITY)
def order_pdf(number):
    return _order_pdf(number)
