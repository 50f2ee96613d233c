"""How a collectivity's quote request or collectivity order (baskets' documents) becomes the
classic order Librisoft picks up: pure Python."""
from decimal import Decimal

from services.common.errors import invalid
from services.common.money import money

from . import values as v
from .orders import (DOCUMENT_LABELS, MAX_NUMBER, MAX_QUANTITY, MAX_TOTAL, ORDER_TEXT_SIZES,
                     PENDING, amount, describe, number_or_none, parsed, timestamp)
from .values import MAX_PRICE, vat_rate


def from_document(kind: str, payload: dict) -> dict:
    """The classic order of a collectivity's quote request (kind "quote") or order
    ("collectivity_order"), a loaded CollectivityDocumentV1 payload: {"order": columns,
    "lines": [columns]}, its frozen lines as baskets priced them (docs/prices.md: the unit price
    is rounded to the cent first, the line is unit price × quantity exactly, HT + VAT = TTC).
    Refused (DomainError) when the payload cannot make a sound order: no line, a quantity under
    1, a line whose total is not unit price × quantity or whose HT + VAT is not its total, line
    totals that do not add up to totals.total_ttc to the cent, a bad EAN13 or VAT rate, an
    amount out of its column's range, a text too long for its column."""
    errors = {}
    texts = {name: payload.get(source) or "" for name, source in (
        ("client_number", "client_number"), ("client_name", "client_name"),
        ("initiator_email", "placed_by_email"), ("contact_name", "contact_name"),
        ("contact_email", "contact_email"), ("contact_phone", "contact_phone"),
        ("reference", "reference"))}
    for name, value in texts.items():
        if len(value) > ORDER_TEXT_SIZES[name]:
            errors[name] = [f"{ORDER_TEXT_SIZES[name]} caractères au plus ({len(value)} reçus)."]
    for name in ("client_number", "client_name"):
        if not texts[name].strip():
            errors[name] = ["champ obligatoire."]
    placed_at = parsed(errors, "placed_at", timestamp, payload.get("placed_at"))
    if number_or_none(payload["number"]) is None:
        errors["number"] = [f"numéro entre 1 et {MAX_NUMBER} attendu, reçu {payload['number']}."]
    if not payload["lines"]:
        errors["lines"] = ["au moins une ligne attendue."]
    lines = [_document_line(errors, position, line)
             for position, line in enumerate(payload["lines"], start=1)]
    totals = {name: amount(errors, f"totals.{name}", payload["totals"][name], MAX_TOTAL)
              for name in ("discount_total", "subtotal_ht", "vat_total", "total_ttc")}
    if not errors:
        lines_total = sum((line["total_ttc"] for line in lines), Decimal("0.00"))
        if lines_total != totals["total_ttc"]:
            errors["totals.total_ttc"] = [f"les lignes font {lines_total} au total, "
                                          f"reçu {totals['total_ttc']}."]
    if errors:
        raise invalid(f"{DOCUMENT_LABELS[kind]} n° {payload['number']} non reprise en commande "
                      f"classique : {describe(errors)}", errors)
    order = {"source_kind": kind, "source_number": payload["number"],
             **{name: texts[name] for name in
                ("client_number", "client_name", "initiator_email", "contact_name",
                 "contact_email", "contact_phone")},
             "reference": texts["reference"] or None,
             "pickup_label": payload.get("delivery_label") or "",
             "billing_label": payload.get("billing_label") or "",
             "comment": payload.get("comment") or "", "placed_at": placed_at,
             **totals, "state": PENDING}
    return {"order": order, "lines": lines}


def _document_line(errors, position, line) -> dict:
    """One frozen line of a quote or collectivity order; its problems go to `errors` under
    `lines.<position>.<field>`."""
    prefix = f"lines.{position}"
    title = line.get("title") or ""
    if not title.strip():
        errors[f"{prefix}.title"] = ["champ obligatoire."]
    elif len(title) > ORDER_TEXT_SIZES["title"]:
        errors[f"{prefix}.title"] = [f"{ORDER_TEXT_SIZES['title']} caractères au plus "
                                     f"({len(title)} reçus)."]
    quantity = line["quantity"]
    if not 1 <= quantity <= MAX_QUANTITY:
        errors[f"{prefix}.quantity"] = [f"entre 1 et {MAX_QUANTITY} exemplaires attendu, "
                                        f"reçu {quantity}."]
    if not 0 < line["public_price_ttc"] <= MAX_PRICE:
        errors[f"{prefix}.public_price_ttc"] = [
            f"prix strictement positif attendu (au plus {MAX_PRICE}), "
            f"reçu {line['public_price_ttc']}."]
    if not 0 <= line["discount_percent"] <= 100:
        errors[f"{prefix}.discount_percent"] = [
            f"remise entre 0 et 100 % attendue, reçu {line['discount_percent']}."]
    if 1 <= quantity <= MAX_QUANTITY and \
            money(line["unit_price_ttc"]) * quantity != money(line["total_ttc"]):
        errors[f"{prefix}.total_ttc"] = [
            f"{quantity} × {money(line['unit_price_ttc'])} = "
            f"{money(line['unit_price_ttc']) * quantity}, reçu {money(line['total_ttc'])}."]
    elif money(line["total_ht"]) + money(line["vat_amount"]) != money(line["total_ttc"]):
        errors[f"{prefix}.vat_amount"] = [
            f"HT {money(line['total_ht'])} + TVA {money(line['vat_amount'])} ≠ TTC "
            f"{money(line['total_ttc'])}."]
    return {"position": position,
            "ean": parsed(errors, f"{prefix}.ean", v.ean13, line.get("ean")),
            "title": title,
            "vat_rate": parsed(errors, f"{prefix}.vat_rate", vat_rate, line.get("vat_rate")),
            "quantity": quantity, "public_price_ttc": money(line["public_price_ttc"]),
            "discount_percent": money(line["discount_percent"]),
            "unit_price_ttc": amount(errors, f"{prefix}.unit_price_ttc",
                                      line["unit_price_ttc"], MAX_PRICE),
            **{name: amount(errors, f"{prefix}.{name}", line[name], MAX_TOTAL)
               for name in ("discount_amount", "total_ttc", "total_ht", "vat_amount")}}
