"""Classic orders, pure Python: how a validated grouped order becomes the classic order that
Librisoft picks up, and how Librisoft's acknowledgement and status move it.

An order is `pending` (en attente de récupération) until Librisoft acknowledges it, then
`picked_up` (récupérée par Librisoft) for good. Librisoft may then post its own order number and
its status, free text such as "Attente fournisseur(s)" or "Préparation commande", as often as it
likes; posting a status implies the order was picked up. Every function returns the changes to
store (an empty dict when nothing changes) and raises DomainError for bad input."""
from datetime import datetime, timezone
from decimal import Decimal

from services.common.errors import invalid, not_found

from . import values as v
from .domain import MAX_PRICE, vat_rate

GROUPED_ORDER = "grouped_order"
SOURCE_KINDS = (GROUPED_ORDER, "collectivity_order", "quote")
PENDING, PICKED_UP = "pending", "picked_up"
STATES = (PENDING, PICKED_UP)
LIST_FILTERS = (PENDING, PICKED_UP, "all")
MAX_PER_PAGE = 500
MAX_QUANTITY = 1_000_000
MAX_NUMBER = 2**31 - 1  # Integer columns: a larger number is no order of ours
ORDER_TEXT_SIZES = {"client_number": 50, "client_name": 200, "initiator_email": 254,
                    "contact_email": 254, "title": 300, "librisoft_number": 40,
                    "librisoft_status": 100}


def money(amount: Decimal) -> Decimal:
    return amount.quantize(v.CENT)


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
    ean = _parsed(errors, "article.ean", v.ean13, article.get("ean"))
    rate = _parsed(errors, "article.vat_rate", vat_rate, article.get("vat_rate"))
    placed_at = _parsed(errors, "validated_at", timestamp, payload.get("validated_at"))
    if _number(payload["number"]) is None:
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


def _parsed(errors, name, parse, value):
    try:
        parsed = parse(value)
    except ValueError as exc:
        errors[name] = [str(exc)]
        return None
    if parsed is None:
        errors[name] = ["champ obligatoire."]
    return parsed


def timestamp(value):
    """An ISO 8601 date and time, in UTC (SQLite keeps no offset); one without an offset is
    read as UTC."""
    if v.is_blank(value):
        return None
    try:
        moment = datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"date et heure ISO 8601 attendues, reçu « {value} ».") from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def describe(errors: dict) -> str:
    return " ; ".join(f"{name} : {' '.join(messages)}" for name, messages in errors.items())


def acknowledgement(order: dict, now: datetime) -> dict:
    """Librisoft picked the order up: nothing changes once it has."""
    return {} if order["state"] == PICKED_UP else {"state": PICKED_UP, "picked_up_at": now}


def status_changes(order: dict, update: dict, now: datetime) -> dict:
    """Librisoft posted its status (and maybe its own number): the order is picked up; the
    number is kept when none is sent."""
    changes = acknowledgement(order, now)
    number = update.get("librisoft_number")
    if number is not None and number != order["librisoft_number"]:
        changes["librisoft_number"] = number
    if update["status"] != order["librisoft_status"]:
        changes["librisoft_status"] = update["status"]
    if "librisoft_number" in changes or "librisoft_status" in changes:
        changes["status_updated_at"] = now
    return changes


def clean_status(body) -> dict:
    """{"status", "librisoft_number"} from Librisoft's JSON body, or DomainError (French)."""
    if not isinstance(body, dict):
        raise invalid('Objet JSON attendu : {"status": "...", "librisoft_number": "..."}.')
    cleaned, errors = {}, {}
    for name, key, required in (("status", "librisoft_status", True),
                                ("librisoft_number", "librisoft_number", False)):
        try:
            cleaned[name] = v.text(body.get(name), ORDER_TEXT_SIZES[key])
        except ValueError as exc:
            errors[name] = [str(exc)]
            continue
        if cleaned[name] is None and required:
            errors[name] = ["champ obligatoire."]
    if errors:
        raise invalid(f"Statut refusé : {describe(errors)}", errors)
    return cleaned


def status_event(order: dict) -> dict:
    """The classic_order_status_changed payload of an order's current state."""
    return {"order_number": order["number"], "source_kind": order["source_kind"],
            "source_number": order["source_number"], "picked_up": order["state"] == PICKED_UP,
            "librisoft_number": order["librisoft_number"] or "",
            "status": order["librisoft_status"] or ""}


def order_number(value) -> int:
    """An order number as sent (a path segment, an RPC argument); unknown -> not_found."""
    number = _number(value)
    if number is None:
        raise not_found(f"Commande introuvable : n° « {_shown(value)} ».")
    return number


def source_number(value):
    """A source number, or None when it cannot name a stored source."""
    return _number(value)


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    try:
        digits = str(value).strip()
    except ValueError:  # an int too long to print
        return None
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 10):
        return None
    number = int(digits)
    return number if 1 <= number <= MAX_NUMBER else None


def _shown(value) -> str:
    try:
        text = str(value)
    except ValueError:  # an int too long to print
        return "…"
    return text if len(text) <= 40 else text[:40] + "…"


def list_filter(status, source_kind):
    """(states to list or None for all, source kind or None), or DomainError."""
    if v.is_blank(status):
        status = "all"
    status = status.strip() if isinstance(status, str) else status
    if status not in LIST_FILTERS:
        raise invalid(f"Statut inconnu « {_shown(status)} » : {', '.join(LIST_FILTERS)} "
                      "attendu.",
                      {"status": [f"{', '.join(LIST_FILTERS)} attendu."]})
    return (None if status == "all" else (status,)), source_kind_filter(source_kind)


def source_kind_filter(source_kind):
    if v.is_blank(source_kind):
        return None
    if source_kind not in SOURCE_KINDS:
        raise invalid(f"Type de commande inconnu « {_shown(source_kind)} » : "
                      f"{', '.join(SOURCE_KINDS)} attendu.",
                      {"source_kind": [f"{', '.join(SOURCE_KINDS)} attendu."]})
    return source_kind
