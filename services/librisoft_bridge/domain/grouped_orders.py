"""How a validated grouped order becomes the classic order Librisoft picks up: pure Python."""
from services.common.errors import invalid
from services.common.money import money

from . import values as v
from .orders import (GROUPED_ORDER, MAX_NUMBER, MAX_QUANTITY, ORDER_TEXT_SIZES, PENDING,
                     describe, number_or_none, parsed, timestamp)
from .values import MAX_PRICE, vat_rate


def from_grouped_order(payload: dict) -> dict:
    """The classic order of a validated grouped order (a loaded GroupedOrderValidatedV1
    payload): {"order": columns, "lines": [columns]}, one line of the paid quantity at the public
    unit price. Refused (DomainError) when the payload cannot make a sound order: no paid copy,
    a total that is not quantity × unit price to the cent, a text too long for its column."""
    article, errors = payload["article"], {}
    texts = {name: payload.get(name) or "" for name in
             ("client_number", "client_name", "initiator_email", "contact_email")}
    texts["title"] = article.get("title") or ""
    for name, value in texts.items():
        if len(value) > ORDER_TEXT_SIZES[name]:
            errors[name] = [f"{ORDER_TEXT_SIZES[name]} caractères au plus ({len(value)} reçus)."]
    for name in ("client_number", "client_name", "title"):
        if not texts[name].strip():
            errors[name] = ["champ obligatoire."]
    ean = parsed(errors, "article.ean", v.ean13, article.get("ean"))
    rate = parsed(errors, "article.vat_rate", vat_rate, article.get("vat_rate"))
    placed_at = parsed(errors, "validated_at", timestamp, payload.get("validated_at"))
    if number_or_none(payload["number"]) is None:
        errors["number"] = [f"numéro entre 1 et {MAX_NUMBER} attendu, reçu {payload['number']}."]
    quantity, unit_price = payload["quantity"], payload["unit_price_ttc"]
    if not 1 <= quantity <= MAX_QUANTITY:
        errors["quantity"] = [f"entre 1 et {MAX_QUANTITY} exemplaires payés attendu, "
                              f"reçu {quantity}."]
    if not 0 < unit_price <= MAX_PRICE:
        errors["unit_price_ttc"] = [f"prix strictement positif attendu, reçu {unit_price}."]
    line_total = None if errors else money(unit_price * quantity)
    if line_total is not None and line_total != payload["total_ttc"]:
        errors["total_ttc"] = [f"{quantity} × {unit_price} = {line_total}, "
                               f"reçu {payload['total_ttc']}."]
    if errors:
        raise invalid(f"Commande groupée n° {payload['number']} non reprise en commande "
                      f"classique : {describe(errors)}", errors)
    line = {"position": 1, "ean": ean, "title": texts["title"], "vat_rate": rate,
            "quantity": quantity, "unit_price_ttc": money(unit_price), "total_ttc": line_total}
    order = {"source_kind": GROUPED_ORDER, "source_number": payload["number"],
             **{name: texts[name] for name in
                ("client_number", "client_name", "initiator_email", "contact_email")},
             "pickup_label": payload.get("pickup_label") or "",
             "billing_label": payload.get("billing_label") or "",
             "comment": payload.get("comment") or "", "placed_at": placed_at,
             "total_ttc": line_total, "state": PENDING}
    return {"order": order, "lines": [line]}
