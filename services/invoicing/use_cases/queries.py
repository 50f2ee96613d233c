"""Reading invoices and credit notes: the Finances page's list and CSV, an order's invoices
(for the bookshop's and the customer's pages), one document's view for its PDF."""
import csv
import io
from decimal import Decimal

from sqlalchemy import func, select

from services.common.errors import invalid
from services.common.money import money_str
from services.common.spreadsheet import cell

from .. import domain, presenters
from ..domain import mentions
from ..models import Invoice
from .issuing import check_order_key, invoice_answer, load_invoice

MAX_LIST = 2000


def list_invoices(session, limit=500, order_kind=None, order_numbers=None) -> dict:
    """Newest first, with the totals: invoices, credit notes, and the net (invoices less credit
    notes), each HT, TVA, TTC. With `order_kind` and `order_numbers`: those orders' only (a
    customer's own, the gateway having asked the orders' owner which are theirs)."""
    try:
        limit = max(1, min(int(limit), MAX_LIST))
    except (TypeError, ValueError):
        raise invalid("Nombre de factures invalide.", {"limit": ["Nombre entier attendu."]})
    q = select(Invoice)
    if order_kind is not None:
        kind, _ = check_order_key(order_kind, 1)
        wanted = sorted({str(int(n)) for n in list(order_numbers or ())[:MAX_LIST]
                         if str(n).isdigit()})
        q = q.where(Invoice.order_kind == kind, Invoice.order_number.in_(wanted))
    rows = session.execute(q.order_by(Invoice.sequence.desc()).limit(limit)).scalars().all()
    items = [presenters.invoice_view(inv, with_lines=False) for inv in rows]
    _mark_to_regularise(session, rows, items)
    sums = {}
    for kind in (domain.INVOICE, domain.CREDIT_NOTE):
        chosen = [inv for inv in rows if inv.kind == kind]
        sums[kind] = {f: sum((getattr(inv, f) for inv in chosen), 0) for f in
                      ("total_ht", "vat_total", "total_ttc")}
        sums[kind]["count"] = len(chosen)
    totals = {kind: {f: (money_str(v) if f != "count" else v) for f, v in values.items()}
              for kind, values in sums.items()}
    totals["net"] = {f: money_str(sums[domain.INVOICE][f] - sums[domain.CREDIT_NOTE][f])
                     for f in ("total_ht", "vat_total", "total_ttc")}
    return {"items": items, "totals": totals}


def _mark_to_regularise(session, rows, items):
    """An invoice whose buyer was handed money back at pickup says what a credit note must
    still regularise (`to_regularise`, TTC): the bookshop sees it on the Finances page."""
    owing = {inv.id: item for inv, item in zip(rows, items) if inv.kind == domain.INVOICE
             and Decimal(item["settlement"]["balance"]) > 0}
    if not owing:
        return
    credited = dict(session.execute(
        select(Invoice.invoice_id, func.sum(Invoice.total_ttc))
        .where(Invoice.invoice_id.in_(sorted(owing))).group_by(Invoice.invoice_id)).all())
    for invoice_id, item in owing.items():
        left = mentions.to_regularise(Decimal(item["settlement"]["balance"]),
                                      credited.get(invoice_id))
        if left:
            item["to_regularise"] = money_str(left)


def order_invoices(session, kind, number) -> list:
    """The order's invoices and credit notes, oldest first (with their lines)."""
    kind, number = check_order_key(kind, number)
    rows = session.execute(select(Invoice).where(Invoice.order_kind == kind,
                                                 Invoice.order_number == number)
                           .order_by(Invoice.sequence)).scalars().all()
    return [invoice_answer(session, inv) for inv in rows]


def invoices_for_orders(session, kind, numbers) -> dict:
    """{order number: [{number, kind, kind_label, total_ttc, cancelled}]} for a page of orders
    (a grouped order's sub-orders): one query, no lines."""
    kind, _ = check_order_key(kind, 1)
    wanted = sorted({str(int(n)) for n in list(numbers)[:MAX_LIST] if str(n).isdigit()})
    found = {}
    if not wanted:
        return found
    for inv in session.execute(select(Invoice).where(Invoice.order_kind == kind,
                                                     Invoice.order_number.in_(wanted))
                               .order_by(Invoice.sequence)).scalars():
        found.setdefault(inv.order_number, []).append(
            {"number": inv.number, "kind": inv.kind, "kind_label": domain.KIND_LABELS[inv.kind],
             "total_ttc": money_str(inv.total_ttc), "cancelled": inv.cancelled})
    return found


def get_invoice(session, number) -> dict:
    return invoice_answer(session, load_invoice(session, number))


CSV_HEADER = ["Numéro", "Type", "Date d'émission", "Commande", "N° commande", "Client",
              "N° client", "SIRET", "Facture d'origine", "Total HT", "TVA", "Total TTC",
              "Acquittée", "Échéance", "Factur-X"]


def export_csv(session) -> str:
    """Every invoice and credit note, in the order of the series; credit notes negative.
    Semicolons and decimal commas: what a French spreadsheet opens as it is."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for inv in session.execute(select(Invoice).order_by(Invoice.sequence)).scalars():
        sign = -1 if inv.kind == domain.CREDIT_NOTE else 1
        view = presenters.invoice_view(inv, with_lines=False)
        writer.writerow([
            inv.number, domain.KIND_LABELS[inv.kind], view["issued_on"],
            presenters.ORDER_KIND_LABELS.get(inv.order_kind, inv.order_kind),
            inv.order_number, cell(inv.customer_name), inv.client_number, inv.siret,
            view["invoice_number"],
            *(money_str(sign * getattr(inv, f)).replace(".", ",")
              for f in ("total_ht", "vat_total", "total_ttc")),
            # a credit note is neither paid nor due: the customer owes nothing on it
            *(("", "") if inv.kind == domain.CREDIT_NOTE
              else ("oui" if inv.paid else "non", view["due_on"])),
            "oui" if inv.public_buyer else "non"])
    return out.getvalue()
