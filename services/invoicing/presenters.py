"""What the invoicing RPCs answer and the `invoice_issued` payload, from the stored snapshot
(money as strings, dates ISO). The PDF's view (`document_view`) adds the seller and the legal
mentions: everything the renderer prints, so the renderer decides nothing."""
from decimal import Decimal

from services.common.money import eur, money_str

from . import domain
from .domain import amounts, mentions, numbering

ORDER_KIND_LABELS = {"sub_order": "Sous-commande", "grouped_order": "Commande groupée",
                     "collectivity_order": "Commande collectivité", "quote": "Devis"}


def line_view(line) -> dict:
    return {"position": line.position, "ean": line.ean, "title": line.title,
            "publisher": line.publisher, "quantity": line.quantity,
            "vat_rate": format(line.vat_rate.normalize(), "f") if line.vat_rate is not None else "",
            **{f: money_str(getattr(line, f)) for f in amounts.LINE_MONEY},
            **discount_view(line)}


def discount_view(line) -> dict:
    """A discounted line's public price, rate and unit discount as printed: public − discount =
    unit price TTC exactly (the unit discount is the difference); {} for a line without."""
    public, percent = getattr(line, "public_price_ttc", None), getattr(line, "discount_percent", None)
    if public is None or not percent:
        return {}
    return {"public_price_ttc": money_str(public),
            "discount_percent": format(Decimal(percent).normalize(), "f"),
            "unit_discount": money_str(public - line.unit_price_ttc),
            "line_discount": money_str((public - line.unit_price_ttc) * line.quantity)}


def line_values(line) -> dict:
    """A stored line as the domain's dict (Decimals)."""
    return {"position": line.position, "ean": line.ean, "title": line.title,
            "publisher": line.publisher, "quantity": line.quantity,
            "vat_rate": amounts.vat_rate(line.vat_rate),
            **{f: getattr(line, f) for f in amounts.LINE_MONEY},
            **{f: getattr(line, f, None) for f in amounts.LINE_DISCOUNT}}


def invoice_view(inv, credit_notes=(), with_lines=True, earlier_credited=None) -> dict:
    """An invoice (with its `credit_notes`) or a credit note; a credit note's `credit` (what
    becomes of its amount) needs `earlier_credited`, the TTC of its invoice's credit notes
    before it (None: not computed, e.g. the register's list)."""
    lines = [line_values(ln) for ln in inv.lines]
    view = {
        "number": inv.number, "kind": inv.kind, "kind_label": domain.KIND_LABELS[inv.kind],
        "order": {"kind": inv.order_kind, "number": inv.order_number,
                  "kind_label": ORDER_KIND_LABELS.get(inv.order_kind, inv.order_kind)},
        "title": inv.title, "reference": inv.reference,
        "issued_at": numbering.aware(inv.issued_at).isoformat(),
        "issued_on": numbering.paris(inv.issued_at).date().isoformat(),
        "sale_date": inv.sale_date.isoformat(), "due_on": inv.due_on.isoformat(),
        "paid": inv.paid,
        "customer": {"name": inv.customer_name, "email": inv.customer_email,
                     "address_lines": [a for a in inv.customer_address.split("\n") if a],
                     "client_number": inv.client_number, "siret": inv.siret,
                     "chorus_service_code": inv.chorus_service_code,
                     "public_buyer": inv.public_buyer},
        "payment": {"method": inv.payment_method, "state_label": inv.payment_label,
                    "cheque_number": inv.cheque_number},
        "total_ht": money_str(inv.total_ht), "vat_total": money_str(inv.vat_total),
        "total_ttc": money_str(inv.total_ttc),
        "vat": [{"rate": format(v["rate"].normalize(), "f"), "base_ht": money_str(v["base_ht"]),
                 "amount": money_str(v["amount"])} for v in amounts.totals(lines)["vat"]],
        "reason": inv.reason, "cancelled": inv.cancelled,
        "settled_at": numbering.aware(inv.settled_at).isoformat() if inv.settled_at else None,
        "settled_on": numbering.paris(inv.settled_at).date().isoformat() if inv.settled_at
        else None,
        "settled_note": inv.settled_note or "",
        "facturx": inv.public_buyer and inv.kind in (domain.INVOICE, domain.CREDIT_NOTE),
        "invoice_number": inv.invoice.number if inv.invoice_id and inv.invoice else "",
    }
    if inv.kind == domain.CREDIT_NOTE and inv.invoice_id and inv.invoice:
        original = inv.invoice
        view["invoice_issued_on"] = numbering.paris(original.issued_at).date().isoformat()
        # paid when the credit note was issued: an invoice marked « réglée » later keeps its
        # earlier credit notes « à déduire » (they were deducted from what it asked)
        paid_then = original.paid and not (original.settled_at and numbering.aware(
            inv.issued_at) < numbering.aware(original.settled_at))
        view["invoice_paid"] = paid_then
        if earlier_credited is not None:
            balance = mentions.settlement(original.total_ttc, paid_then,
                                          original.refunded_at_pickup,
                                          original.extra_at_pickup)["balance"]
            view["credit"] = {k: (money_str(v) if k != "mode" else v) for k, v in
                              mentions.credit_note_settlement(
                                  inv.total_ttc, paid_then, balance,
                                  earlier_credited).items()}
    if with_lines:
        view["lines"] = [line_view(ln) for ln in inv.lines]
        view["discount_total"] = money_str(sum(
            (Decimal(x.get("line_discount", "0")) for x in view["lines"]), Decimal("0.00")))
    if inv.kind == domain.INVOICE:
        view["settlement"] = {k: money_str(v) for k, v in mentions.settlement(
            inv.total_ttc, inv.paid, inv.refunded_at_pickup, inv.extra_at_pickup).items()}
        view["credit_notes"] = [{"number": c.number, "total_ttc": money_str(c.total_ttc),
                                 "issued_at": numbering.aware(c.issued_at).isoformat()} for c in credit_notes]
        left = domain.credit_notes.remaining(
            lines, [line_values(ln) for c in credit_notes for ln in c.lines])
        view["remaining"] = [
            {"position": r["position"], "title": r["title"], "quantity": r["quantity"],
             "unit_price_ttc": money_str(r["unit_price_ttc"])} for r in left]
        # what a credit note for all that is left would credit (TTC)
        view["remaining_ttc"] = money_str(sum((r["total_ttc"] for r in left), Decimal("0.00")))
        credited = sum((c.total_ttc for c in credit_notes), Decimal("0.00"))
        view["credited_ttc"] = money_str(credited)
        # what the customer still owes on it today (the register's « à encaisser », per
        # invoice): an invoice not paid nor cancelled, less its credit notes (deducted)
        view["due_ttc"] = money_str(max(Decimal("0.00"), inv.total_ttc - credited)
                                    if not inv.paid and not inv.cancelled else Decimal("0.00"))
    return view


def issued_event(inv, cancels_invoice=False, credit=None) -> dict:
    """`credit`: a credit note's settlement (its view's `credit`): what is owed back now goes
    with the event, and why, for the order's owner to refund it."""
    refund = ({"to_refund": credit["to_refund"], "reason": inv.reason or ""}
              if credit and credit.get("mode") == "refund" else {})
    if credit:
        refund["credit_mode"] = credit.get("mode") or ""
        refund.setdefault("reason", inv.reason or "")
    return {**refund, "detail_url": inv.detail_url or "", "due_on": inv.due_on.isoformat(),
            "paid": bool(inv.paid), "number": inv.number, "kind": inv.kind,
            "order": {"kind": inv.order_kind, "number": int(inv.order_number)},
            "invoice_number": inv.invoice.number if inv.invoice_id and inv.invoice else "",
            "total_ht": money_str(inv.total_ht), "vat_total": money_str(inv.vat_total),
            "total_ttc": money_str(inv.total_ttc), "issued_at": numbering.aware(inv.issued_at).isoformat(),
            "customer_name": inv.customer_name, "customer_email": inv.customer_email,
            "facturx": bool(inv.public_buyer), "cancels_invoice": cancels_invoice,
            # a credit note's lines: the copies it takes back (the order's owner no longer
            # orders, counts nor hands them over)
            **({"lines": [{"ean": ln.ean or "", "quantity": ln.quantity,
                           "total_ttc": money_str(ln.total_ttc)} for ln in inv.lines]}
               if inv.kind == domain.CREDIT_NOTE else {})}


def settled_event(inv, amount) -> dict:
    """`invoice_settled`: an invoice on account marked paid; `amount`, what was collected
    (its credit notes deducted: its `remaining_ttc`)."""
    return {"number": inv.number, "order": {"kind": inv.order_kind,
                                            "number": int(inv.order_number)},
            "amount": amount, "settled_at": numbering.aware(inv.settled_at).isoformat(),
            "note": inv.settled_note or ""}


def document_view(view: dict, seller: dict) -> dict:
    """The PDF's view: the invoice, the seller, the payment terms and the legal notes."""
    notes = mentions.legal_notes(view["customer"], view["kind"])
    return {**view, "seller": {**seller, "address_lines": [
                a for a in seller["address"].split("\n") if a]},
            "notes": notes, "payment_text": payment_text(view, seller)}


def payment_text(view, seller=None) -> str:
    if view["kind"] == domain.CREDIT_NOTE:
        return credit_note_text(view)
    if view["paid"]:
        payment = view["payment"]
        how = {"cheque": "par chèque", "cash": "en espèces", "online": "en ligne"}.get(
            payment.get("method") or "", "")
        cheque = payment.get("cheque_number")
        if cheque:  # « par chèque n° 1234567 », not « par chèque, chèque n° 1234567 »
            how = f"par chèque n° {cheque}"
        s = view.get("settlement") or {}
        if s and (Decimal(s["refunded_at_pickup"]) or Decimal(s["extra_at_pickup"])):
            return (f"Facture réglée{' ' + how if how else ''}" + " : "
                    + f"{eur(s['paid'])} payés"
                    + (f", {eur(s['refunded_at_pickup'])} remboursés au retrait des livres"
                       if Decimal(s["refunded_at_pickup"]) else "")
                    + (f", {eur(s['extra_at_pickup'])} payés en plus au retrait"
                       if Decimal(s["extra_at_pickup"]) else "")
                    + f" ; net réglé : {eur(s['net_paid'])}.")
        if view.get("settled_at"):  # an invoice on account, marked paid by the bookshop
            note = view.get("settled_note") or ""
            return (f"Facture acquittée le {_day(view['settled_on'])}"
                    + (f" ({note})" if note else "") + ".")
        return "Facture acquittée" + (f" ({how})" if how else "") + "."
    due = view["due_on"]
    seller = seller or {}
    iban = " ".join((seller.get("iban") or "").split())
    payee = seller.get("cheque_payable_to") or seller.get("name") or "la librairie"
    return (f"Paiement au plus tard le {due[8:10]}/{due[5:7]}/{due[:4]} "
            "(date d'échéance), par virement" + (f" (IBAN {iban})" if iban else "")
            + f" ou par chèque à l'ordre de {payee}, en rappelant le n° de facture "
            f"{view['number']}.")


def _day(iso) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if iso else ""


def credit_note_text(view) -> str:
    """What a credit note says of its money (`view["credit"]`, mentions.credit_note_settlement):
    refunded, regularising a refund handed over at pickup, or deducted from the invoice."""
    invoice = f"la facture n° {view['invoice_number']}" + (
        f" du {_day(view['invoice_issued_on'])}" if view.get("invoice_issued_on") else "")
    credit = view.get("credit")
    if credit is None:  # an older caller's view: no settlement computed
        return (f"Avoir sur {invoice} : son montant est déduit de ce qui reste à payer sur "
                "cette facture ou, si elle est déjà réglée, remboursé.")
    if credit["mode"] == "deduct":
        return (f"Avoir à déduire du règlement de {invoice} : la somme due sur cette facture "
                f"est diminuée de {eur(credit['to_deduct'])}. Si elle est déjà réglée, ce "
                "montant vous est remboursé.")
    already = Decimal(credit["already_refunded"])
    if already and not Decimal(credit["to_refund"]):
        return (f"Avoir de régularisation de {invoice} : son montant "
                f"({eur(credit['credited'])}) vous a déjà été remboursé au retrait des livres ; "
                "rien de plus à rembourser.")
    start = f"{invoice[0].upper()}{invoice[1:]} ayant été réglée, le montant de cet avoir"
    if already:
        return (f"{start} ({eur(credit['credited'])}) vous revient (déjà remboursé au retrait "
                f"des livres : {eur(credit['already_refunded'])} ; reste à vous rembourser : "
                f"{eur(credit['to_refund'])}).")
    if (view.get("payment") or {}).get("method") == "online" and \
            (view.get("order") or {}).get("kind") == "sub_order":  # refunded by the platform
        return (f"{start} ({eur(credit['credited'])}) vous est remboursé sur le moyen de "
                "paiement utilisé pour votre paiement en ligne.")
    return f"{start} ({eur(credit['credited'])}) vous est remboursé par la librairie."
