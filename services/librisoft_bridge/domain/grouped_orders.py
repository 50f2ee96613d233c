"""How a validated grouped order becomes the classic order Librisoft picks up: pure Python."""
from services.common.errors import invalid
from services.common.money import money

from . import values as v
from .orders import (GROUPED_ORDER, MAX_NUMBER, MAX_QUANTITY, ORDER_TEXT_SIZES, PENDING,
                     describe, number_or_none, parsed, timestamp)
from .values import MAX_PRICE, vat_rate


def _lines(payload: dict, errors: dict) -> list:
    """The classic order's lines: one per title of `lines` (a reading list, issue 10), else
    (an event from before reading lists) one line of `article`, the paid quantity at the public
    unit price. Each: a valid EAN13 and VAT rate, 1 to MAX_QUANTITY copies, a price, a
    total of quantity × unit price to the cent."""
    given = payload.get("lines") or [
        {"ean": payload["article"].get("ean"), "title": payload["article"].get("title"),
         "vat_rate": payload["article"].get("vat_rate"), "quantity": payload["quantity"],
         "unit_price_ttc": payload["unit_price_ttc"], "total_ttc": payload["total_ttc"]}]
    named = "lines" if payload.get("lines") else None
    lines = []
    for position, given_line in enumerate(given, start=1):
        at = f"{named}.{position}." if named else ""
        title = (given_line.get("title") or "").strip()
        if not title:
            errors[f"{at}title" if named else "title"] = ["champ obligatoire."]
        elif len(title) > ORDER_TEXT_SIZES["title"]:
            errors[f"{at}title" if named else "title"] = [
                f"{ORDER_TEXT_SIZES['title']} caractères au plus ({len(title)} reçus)."]
        ean = parsed(errors, f"{at}ean" if named else "article.ean", v.ean13,
                     given_line.get("ean"))
        rate = parsed(errors, f"{at}vat_rate" if named else "article.vat_rate", vat_rate,
                      given_line.get("vat_rate"))
        quantity, unit_price = given_line["quantity"], given_line["unit_price_ttc"]
        if not 1 <= quantity <= MAX_QUANTITY:
            errors[f"{at}quantity" if named else "quantity"] = [
                f"entre 1 et {MAX_QUANTITY} exemplaires payés attendu, reçu {quantity}."]
        if not 0 < unit_price <= MAX_PRICE:
            errors[f"{at}unit_price_ttc" if named else "unit_price_ttc"] = [
                f"prix strictement positif attendu, reçu {unit_price}."]
        if errors:
            continue
        total = money(unit_price * quantity)
        if total != given_line["total_ttc"]:
            errors[f"{at}total_ttc" if named else "total_ttc"] = [
                f"{quantity} × {unit_price} = {total}, reçu {given_line['total_ttc']}."]
            continue
        lines.append({"position": position, "ean": ean, "title": title, "vat_rate": rate,
                      "quantity": quantity, "unit_price_ttc": money(unit_price),
                      "total_ttc": total})
    return lines


def from_grouped_order(payload: dict) -> dict:
    """The classic order of a validated grouped order (a loaded GroupedOrderValidatedV1
    payload): {"order": columns, "lines": [columns]}, one line per title (`_lines`). Refused
    (DomainError) when the payload cannot make a sound order: no paid copy, a line whose total
    is not quantity × unit price to the cent, lines that do not add up to the order's
    quantity and total, a text too long for its column."""
    errors = {}
    texts = {name: payload.get(name) or "" for name in
             ("client_number", "client_name", "initiator_email", "contact_email")}
    for name, value in texts.items():
        if len(value) > ORDER_TEXT_SIZES[name]:
            errors[name] = [f"{ORDER_TEXT_SIZES[name]} caractères au plus ({len(value)} reçus)."]
    for name in ("client_number", "client_name"):
        if not texts[name].strip():
            errors[name] = ["champ obligatoire."]
    placed_at = parsed(errors, "validated_at", timestamp, payload.get("validated_at"))
    if number_or_none(payload["number"]) is None:
        errors["number"] = [f"numéro entre 1 et {MAX_NUMBER} attendu, reçu {payload['number']}."]
    lines = _lines(payload, errors)
    if not errors and payload.get("lines"):
        quantity = sum(line["quantity"] for line in lines)
        total = sum(line["total_ttc"] for line in lines)
        if (quantity, total) != (payload["quantity"], payload["total_ttc"]):
            errors["lines"] = [f"les lignes font {quantity} exemplaires pour {total}, reçu "
                               f"{payload['quantity']} pour {payload['total_ttc']}."]
    if errors:
        raise invalid(f"Commande groupée n° {payload['number']} non reprise en commande "
                      f"classique : {describe(errors)}", errors)
    order = {"source_kind": GROUPED_ORDER, "source_number": payload["number"],
             **{name: texts[name] for name in
                ("client_number", "client_name", "initiator_email", "contact_email")},
             "pickup_label": payload.get("pickup_label") or "",
             "billing_label": payload.get("billing_label") or "",
             "comment": payload.get("comment") or "", "placed_at": placed_at,
             "total_ttc": sum((line["total_ttc"] for line in lines), money(0)),
             "state": PENDING}
    return {"order": order, "lines": lines}
