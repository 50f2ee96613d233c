"""A grouped order's and a sub-order's `order_document` (services.common.contracts.documents):
the lines, totals and payment its PDF and the order desk read (moved out of presenters.py, which
shapes the views and the events)."""
from services.common.money import money_str

from . import domain
from .presenters import as_rule, iso

def _money_fields(line) -> dict:
    return {"ean": line.ean, "title": line.title, "publisher": line.publisher,
            "quantity": line.quantity, "vat_rate": line.vat_rate,
            "unit_price_ttc": money_str(line.unit_price_ttc),
            "unit_price_ht": money_str(line.unit_price_ht), "total_ht": money_str(line.total_ht),
            "vat_amount": money_str(line.vat_amount), "total_ttc": money_str(line.total_ttc)}


def _totals(lines) -> dict:
    t = domain.document_totals(lines)
    return {"total_ht": money_str(t["total_ht"]), "total_ttc": money_str(t["total_ttc"]),
            "vat": [{"rate": v["rate"], "base_ht": money_str(v["base_ht"]),
                     "amount": money_str(v["amount"])} for v in t["vat"]]}


def _address_lines(label, name) -> list:
    lines = [x for x in (label or "").split("\n") if x.strip()]
    return lines[1:] if lines and lines[0] == name else lines


def document_titles(go) -> dict:
    """The grouped order's titles as its documents name them, by title row id."""
    return {t.id: {"ean": t.ean, "title": t.title, "publisher": t.publisher,
                   "vat_rate": t.vat_rate, "position": t.position} for t in go.titles}


def sub_order_document(sub, go, noted=(), credited=None) -> dict:
    """`noted`: the (kind, amount) of its notes at pickup (a refund, an extra payment);
    `credited`: what its credit notes gave back of its payment."""
    lines = domain.order_lines(document_titles(go), [as_rule(sub)], paid_only=False)
    at_pickup = domain.noted_totals(noted)
    return {"kind": "sub_order", "number": sub.number,
            "title": domain.sub_order_title(sub.number, go.number),
            "placed_at": iso(sub.created_at),
            "status": domain.sub_order_status_label(sub.status, sub.payment_method),
            "customer": {"name": f"{sub.first_name} {sub.last_name}".strip(), "email": sub.email,
                         "address_lines": [], "client_number": None, "siret": None,
                         "chorus_service_code": None, "public_buyer": False},
            "reference": f"Commande groupée n°\u00a0{go.number} — {go.client_name}",
            "lines": [_money_fields(x) for x in lines], "totals": _totals(lines),
            "payment": dict(domain.sub_order_payment(sub.status, sub.paid_manually,
                                                     sub.last_payment_state, sub.payment_method,
                                                     sub.cheque_number),
                            refunded_at_pickup=money_str(at_pickup["refunded"]),
                            extra_at_pickup=money_str(at_pickup["extra"]),
                            **({"refunded_by_credit_notes": money_str(credited)}
                               if credited else {}))}


def grouped_order_document(go, rules, manual_numbers) -> dict:
    """`rules`: its sub-orders (domain.Sub); `manual_numbers`: the paid ones settled by hand."""
    titles = document_titles(go)
    lines = domain.order_lines(titles, rules, paid_only=True)
    # the copies to be paid at pickup: ordered all the same, shown apart (issue 10 K5)
    pickup = domain.order_lines(titles, [s for s in rules if s.at_pickup], paid_only=False)
    return {"kind": "grouped_order", "number": go.number,
            "title": domain.grouped_order_title(go.number), "placed_at": iso(go.created_at),
            "status": domain.STATUS_LABELS[go.status],
            "customer": {"name": go.client_name,
                         "email": go.contact_email or go.initiator_email,
                         "address_lines": _address_lines(go.billing_label, go.client_name),
                         "client_number": go.client_number, "siret": None,
                         "chorus_service_code": None, "public_buyer": False},
            "reference": "",
            "lines": [_money_fields(x) for x in lines], "totals": _totals(lines),
            "payment": domain.grouped_order_payment(go.status, rules, manual_numbers),
            "at_pickup": {"lines": [_money_fields(x) for x in pickup], "totals": _totals(pickup)}
            if pickup else None}
