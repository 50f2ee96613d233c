"""An order's detail as a PDF (reference 002, « Voir le détail de la commande en format PDF »),
drawn from its `order_document` (services.common.contracts.documents) with reportlab through
services.common.sheets: the bookshop (name, address), the customer (with its SIRET and Chorus
Pro service code when it has them), the order (date, status, reference), the lines, the totals
HT, VAT per rate and TTC, the payment's method and state. A discounted line (a collectivity's)
says its public price and discount; a unit price HT is never printed (docs/invoicing.md §
Amounts: unit price TTC × quantity = line TTC, the only multiplication that holds to the cent).

Pure drawing: no nameko, no database. A service renders it in a child process
(`render_in_child`: `python -m services.common.order_pdf` reads `{"document", "bookshop"}` as
JSON on stdin and writes the PDF on stdout, services.common.offload), so that its event loop
keeps serving meanwhile."""
import json
import sys
from datetime import datetime
from decimal import Decimal

from babel.dates import format_datetime
from reportlab.lib.pagesizes import A4

from services.common.contracts.documents import KIND_LABELS, PAYMENT_METHODS
from services.common.money import eur
from services.common.sheets import MARGIN_X, Column, Sheet, fonts, render_sheet, wrap

PORTRAIT_WIDTH_PT = A4[0]

CHILD_MODULE = "services.common.order_pdf"  # this module, run as `python -m`

COLUMNS = [Column("EAN", 13), Column("Article", 30), Column("Qté", 5, "right"),
           Column("TVA", 6, "right"), Column("PU TTC", 9, "right"),
           Column("Total HT", 10, "right"), Column("Montant TVA", 10, "right"),
           Column("Total TTC", 10, "right")]


def rate_label(rate: str) -> str:
    """"5.5" -> "5,5 %"."""
    return f"{Decimal(rate).normalize():f}".replace(".", ",") + "\u00a0%"


def when(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso), "dd/MM/y (à HH:mm)",
                           tzinfo="Europe/Paris", locale="fr_FR")


def payment_label(payment: dict) -> str:
    method = PAYMENT_METHODS.get(payment.get("method"), payment.get("method") or "")
    text = f"{method} — {payment.get('state_label') or ''}".strip(" —")
    if payment.get("cheque_number"):
        text += f" (chèque n° {payment['cheque_number']})"
    return text


def _block(lines, width_pt=165.0) -> list:
    """Each line wrapped to the heading block's width, nothing cut off."""
    regular, _ = fonts()
    out = []
    for line in lines:
        if line:
            out.extend(wrap(line, regular, 8.0, width_pt))
    return out


def _blocks(blocks) -> list:
    """The heading's blocks side by side, each wrapped to its share of the page's width (three
    blocks: 167 pt each; a fourth, the delivery address, narrows them)."""
    width = (PORTRAIT_WIDTH_PT - 2 * MARGIN_X) / len(blocks) - 12.0
    return [(heading, _block(lines, width)) for heading, lines in blocks]


PAID_HEADING = "Payés (en ligne ou à la librairie)"
PICKUP_HEADING = "À payer au retrait des livres (commandés, pas encore payés)"


def discount_note(x) -> str:
    """A discounted line's public price and discount, so that public − discount = the unit price
    printed (« prix public 15,00 € − 9 % (−1,35 €) »); "" for a line without."""
    if x.get("public_price_ttc") in (None, "") or not x.get("discount_percent"):
        return ""
    public, unit = Decimal(str(x["public_price_ttc"])), Decimal(str(x["unit_price_ttc"]))
    return (f" · prix public {eur(public)} − {rate_label(str(x['discount_percent']))} "
            f"(−{eur(public - unit)})")


def discount_total(lines) -> Decimal:
    return sum(((Decimal(str(x["public_price_ttc"])) - Decimal(str(x["unit_price_ttc"])))
                * x["quantity"] for x in lines if discount_note(x)), Decimal("0.00"))


def _row(x) -> list:
    return [x["ean"], x["title"] + (f" — {x['publisher']}" if x.get("publisher") else "")
            + discount_note(x),
            str(x["quantity"]), rate_label(x["vat_rate"]), eur(x["unit_price_ttc"]),
            eur(x["total_ht"]), eur(x["vat_amount"]), eur(x["total_ttc"])]


def sheet(document: dict, bookshop: dict) -> Sheet:
    customer = document["customer"]
    identity = [customer["name"], *customer.get("address_lines", []), customer.get("email", "")]
    if customer.get("client_number"):
        identity.append(f"N° client : {customer['client_number']}")
    if customer.get("siret"):
        identity.append(f"SIRET : {customer['siret']}")
    if customer.get("chorus_service_code"):
        identity.append(f"Code service Chorus Pro : {customer['chorus_service_code']}")
    quote = document["kind"] == "quote"  # a quote request is no order: « demandée »
    order = [f"{KIND_LABELS.get(document['kind'], 'Commande')} : n°\u00a0{document['number']}",
             f"{'Demandée' if quote else 'Passée'} le {when(document['placed_at'])}"
             if document.get("placed_at") else "",
             f"Statut : {document['status']}",
             f"Référence : {document['reference']}" if document.get("reference") else "",
             # a quote request asks no payment: no line saying so
             "" if quote else f"Paiement : {payment_label(document['payment'])}"]
    rows = [_row(x) for x in document["lines"]]
    pickup = document.get("at_pickup")
    sections = {}
    if pickup:  # a grouped order's copies to be paid at pickup: ordered, apart from the paid
        sections = {0: PAID_HEADING} if rows else {}
        sections[len(rows)] = PICKUP_HEADING
        rows += [_row(x) for x in pickup["lines"]]
    totals = document["totals"]
    paid = " payé" if pickup else ""
    summary = [f"Total HT{paid} : {eur(totals['total_ht'])}"]
    summary += [f"TVA {rate_label(v['rate'])} sur {eur(v['base_ht'])} HT : {eur(v['amount'])}"
                for v in totals["vat"]]
    summary.append(f"Total TTC{paid} : {eur(totals['total_ttc'])}")
    if discount_total(document["lines"]):
        summary.append(f"Remises accordées : {eur(discount_total(document['lines']))} TTC "
                       "(prix public − remise = prix unitaire TTC)")
    if pickup:
        t = pickup["totals"]
        vat = sum((Decimal(str(v["amount"])) for v in t["vat"]), Decimal("0"))
        summary += [f"À payer au retrait : {eur(t['total_ttc'])} TTC (HT {eur(t['total_ht'])}, "
                    f"TVA {eur(vat)})",
                    "Total commandé TTC : "
                    f"{eur(Decimal(str(totals['total_ttc'])) + Decimal(str(t['total_ttc'])))}"]
    if not quote:
        summary.append(f"Paiement : {payment_label(document['payment'])}")
        given = document["payment"].get("refunded_to_buyer")
        if given and Decimal(str(given)) > 0:  # credit notes, a title cut, at pickup…
            summary.append(f"Remboursé à l'acheteur : {eur(given)}")
    return Sheet(
        title=document["title"], columns=COLUMNS, rows=rows,
        meta=_blocks([("Librairie", [bookshop.get("name", ""),
                                     *str(bookshop.get("address", "")).split("\n"),
                                     bookshop.get("email", ""), bookshop.get("phone", "")]),
                      ("Client", identity),
                      *([("Livraison", document["delivery_lines"])]
                        if document.get("delivery_lines") else []),
                      ("Demande" if quote else "Commande", order)]),
        sections=sections, summary_title="Montants", summary=summary, orientation="portrait",
        author=bookshop.get("name", ""))


def render(document: dict, bookshop: dict) -> bytes:
    return render_sheet(sheet(document, bookshop))


def render_in_child(document: dict, bookshop: dict, timeout=60) -> bytes:
    """Render in a child process (services.common.offload): the service's loop keeps serving."""
    from services.common.offload import run_in_child
    data = json.dumps({"document": document, "bookshop": bookshop}).encode()
    return run_in_child(CHILD_MODULE, data, timeout)


if __name__ == "__main__":
    given = json.load(sys.stdin)
    sys.stdout.buffer.write(render(given["document"], given["bookshop"]))
