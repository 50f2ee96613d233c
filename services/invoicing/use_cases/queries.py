"""Reading invoices and credit notes: the Finances page's list and CSV, an order's invoices
(for the bookshop's and the customer's pages), one document's view for its PDF."""
import csv
import io
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from services.common.errors import invalid
from services.common.money import money_str
from services.common.spreadsheet import cell

from .. import domain, presenters
from ..domain import mentions, numbering, register
from ..models import Invoice
from .issuing import check_order_key, invoice_answer, load_invoice

MAX_LIST = 2000


def _filtered(q, filters):
    """`filters` (domain.register.parse_filters' input): every word in the search key, issued
    within the period (Paris days). Returns (query, the filters as understood)."""
    f = register.parse_filters(filters)
    for word in f.words:
        q = q.where(Invoice.search_key.contains(word, autoescape=True))
    if f.day_from:
        q = q.where(Invoice.issued_at >= numbering.paris_midnight(f.day_from))
    if f.day_to:
        q = q.where(Invoice.issued_at < numbering.paris_midnight(f.day_to + timedelta(days=1)))
    return q, f


def list_invoices(session, limit=500, order_kind=None, order_numbers=None,
                  filters=None) -> dict:
    """Newest first, with the totals: invoices, credit notes, and the net (invoices less credit
    notes), each HT, TVA, TTC. With `order_kind` and `order_numbers`: those orders' only (a
    customer's own, the gateway having asked the orders' owner which are theirs). `filters`:
    words and a period of issue (domain.register); the totals are the filtered documents'.
    `more`: documents beyond `limit` were left out of `items` (not of the totals)."""
    try:
        limit = max(1, min(int(limit), MAX_LIST))
    except (TypeError, ValueError):
        raise invalid("Nombre de factures invalide.", {"limit": ["Nombre entier attendu."]})
    q, f = _filtered(select(Invoice), filters)
    if order_kind is not None:
        kind, _ = check_order_key(order_kind, 1)
        wanted = sorted({str(int(n)) for n in list(order_numbers or ())[:MAX_LIST]
                         if str(n).isdigit()})
        q = q.where(Invoice.order_kind == kind, Invoice.order_number.in_(wanted))
    rows = session.execute(q.order_by(Invoice.sequence.desc()).limit(limit)).scalars().all()
    # each invoice with its credit notes, as its own page gives it (the list said « no credit
    # note » and the whole invoice left to credit after a credit note): one query for the page
    notes = {}
    ids = [inv.id for inv in rows if inv.kind == domain.INVOICE]
    for note in (session.execute(select(Invoice).where(
            Invoice.kind == domain.CREDIT_NOTE, Invoice.invoice_id.in_(ids))
            .order_by(Invoice.sequence)).scalars() if ids else ()):
        notes.setdefault(note.invoice_id, []).append(note)
    items = [presenters.invoice_view(inv, notes.get(inv.id, ()), with_lines=False)
             for inv in rows]
    _mark_to_regularise(session, rows, items)
    money_fields = ("total_ht", "vat_total", "total_ttc")
    sums = {kind: {name: 0 for name in money_fields} | {"count": 0}
            for kind in (domain.INVOICE, domain.CREDIT_NOTE)}
    for kind, count, *amounts in session.execute(  # every filtered document, not only a page
            select(Invoice.kind, func.count(),
                   *(func.coalesce(func.sum(getattr(Invoice, n)), 0) for n in money_fields))
            .where(Invoice.id.in_(q.with_only_columns(Invoice.id).scalar_subquery()))
            .group_by(Invoice.kind)).all():
        sums[kind] = dict(zip(money_fields, amounts), count=count)
    totals = {kind: {name: (money_str(v) if name != "count" else v)
                     for name, v in values.items()} for kind, values in sums.items()}
    totals["net"] = {name: money_str(sums[domain.INVOICE][name] - sums[domain.CREDIT_NOTE][name])
                     for name in money_fields}
    count = sums[domain.INVOICE]["count"] + sums[domain.CREDIT_NOTE]["count"]
    totals["to_collect"] = money_str(_to_collect(session, q))
    return {"items": items, "totals": totals, "filters": f.as_dict(),
            "more": count > len(items)}


def _to_collect(session, q):
    """What the filtered invoices still ask (« à encaisser »): those not paid nor cancelled,
    less the credit notes deducted from them."""
    open_ids = q.with_only_columns(Invoice.id).where(
        Invoice.kind == domain.INVOICE, Invoice.paid.is_(False),
        Invoice.cancelled.is_(False)).scalar_subquery()
    asked = session.scalar(select(func.coalesce(func.sum(Invoice.total_ttc), 0))
                           .where(Invoice.id.in_(open_ids)))
    deducted = session.scalar(select(func.coalesce(func.sum(Invoice.total_ttc), 0)).where(
        Invoice.kind == domain.CREDIT_NOTE, Invoice.invoice_id.in_(open_ids)))
    return asked - deducted


def _mark_to_regularise(session, rows, items):
    """An invoice whose buyer was handed money back at pickup says what a credit note must
    still regularise (`to_regularise`, TTC): the bookshop sees it on the Finances page."""
    owing = {inv.id: (item, _handed_back(item["settlement"]))
             for inv, item in zip(rows, items) if inv.kind == domain.INVOICE}
    # only money really handed back: an invoice not paid yet (a collectivity's, paid on
    # account) has a balance too, what it still owes, and no credit note to issue for it
    owing = {k: v for k, v in owing.items() if v[1] > 0}
    if not owing:
        return
    credited = dict(session.execute(
        select(Invoice.invoice_id, func.sum(Invoice.total_ttc))
        .where(Invoice.invoice_id.in_(sorted(owing))).group_by(Invoice.invoice_id)).all())
    for invoice_id, (item, handed) in owing.items():
        left = mentions.to_regularise(handed, credited.get(invoice_id))
        if left:
            item["to_regularise"] = money_str(left)


def _handed_back(settlement) -> Decimal:
    """The money handed back at pickup beyond what was paid more there (what a credit note
    must regularise), 0 for none."""
    return max(Decimal("0"), Decimal(settlement["refunded_at_pickup"])
               - Decimal(settlement["extra_at_pickup"]))


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


# the VAT rates of a French bookshop (2.1 % press, 5.5 % books, 20 % the rest): the accountant
# books each rate's base and VAT apart (the PDF splits them; the CSV too, after the totals)
CSV_RATES = (("2.1", "2,1 %"), ("5.5", "5,5 %"), ("20", "20 %"))
CSV_HEADER = ["Numéro", "Type", "Date d'émission", "Commande", "N° commande", "Client",
              "N° client", "SIRET", "Facture d'origine", "Total HT", "TVA", "Total TTC",
              "Acquittée", "Échéance", "Factur-X",
              *(f"{what} {label}" for _, label in CSV_RATES for what in ("HT", "TVA"))]


def _by_rate(view, sign) -> list:
    """Each rate's base HT and VAT, signed as the totals (empty cells for a rate not used)."""
    found = {v["rate"]: v for v in view["vat"]}
    cells = []
    for rate, _ in CSV_RATES:
        v = found.get(rate)
        cells += (["", ""] if v is None else
                  [money_str(sign * Decimal(v[k])).replace(".", ",") for k in ("base_ht",
                                                                               "amount")])
    return cells


def export_csv(session, filters=None) -> str:
    """Every invoice and credit note (or those `filters` keep: a month for the accountant), in
    the order of the series; credit notes negative. Semicolons and decimal commas: what a French
    spreadsheet opens as it is."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    q, _ = _filtered(select(Invoice), filters)
    for inv in session.execute(q.order_by(Invoice.sequence)).scalars():
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
            "oui" if inv.public_buyer else "non", *_by_rate(view, sign)])
    return out.getvalue()
