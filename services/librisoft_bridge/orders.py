"""Classic orders, pure Python: how a validated grouped order, a collectivity's quote request
or a collectivity order becomes the classic order that Librisoft picks up, and how Librisoft's
acknowledgement and status move it.

An order is `pending` (en attente de récupération) until Librisoft acknowledges it, then
`picked_up` (récupérée par Librisoft) for good. Librisoft may then post its own order number and
its status, free text such as "Attente fournisseur(s)" or "Préparation commande", as often as it
likes; posting a status implies the order was picked up. Every function returns the changes to
store (an empty dict when nothing changes) and raises DomainError for bad input."""
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal

from services.common.errors import conflict, invalid, not_found

from . import values as v
from .domain import MAX_PRICE, vat_rate

GROUPED_ORDER, COLLECTIVITY_ORDER, QUOTE = "grouped_order", "collectivity_order", "quote"
SOURCE_KINDS = (GROUPED_ORDER, COLLECTIVITY_ORDER, QUOTE)
DOCUMENT_LABELS = {QUOTE: "Demande de devis", COLLECTIVITY_ORDER: "Commande collectivité"}
PENDING, PICKED_UP = "pending", "picked_up"
STATES = (PENDING, PICKED_UP)
CANCELLED = "cancelled"  # a listing filter: the cancellations Librisoft has to apply
LIST_FILTERS = (PENDING, PICKED_UP, CANCELLED, "all")
CANCEL_REASON_MAX = 1000
MAX_PER_PAGE = 500
MAX_QUANTITY = 1_000_000
MAX_NUMBER = 2**31 - 1  # Integer columns: a larger number is no order of ours
MAX_TOTAL = Decimal("999999999999.99")  # Numeric(14, 2)
ORDER_TEXT_SIZES = {"client_number": 50, "client_name": 200, "initiator_email": 254,
                    "contact_email": 254, "contact_name": 200, "contact_phone": 40,
                    "reference": 50, "title": 300, "librisoft_number": 40,
                    "librisoft_status": 100}


def money(amount: Decimal) -> Decimal:
    """To the cent, half-up (docs/prices.md), whatever the decimal context says."""
    return amount.quantize(v.CENT, rounding=ROUND_HALF_UP)


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
    placed_at = _parsed(errors, "placed_at", timestamp, payload.get("placed_at"))
    if _number(payload["number"]) is None:
        errors["number"] = [f"numéro entre 1 et {MAX_NUMBER} attendu, reçu {payload['number']}."]
    if not payload["lines"]:
        errors["lines"] = ["au moins une ligne attendue."]
    lines = [_document_line(errors, position, line)
             for position, line in enumerate(payload["lines"], start=1)]
    totals = {name: _amount(errors, f"totals.{name}", payload["totals"][name], MAX_TOTAL)
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
            "ean": _parsed(errors, f"{prefix}.ean", v.ean13, line.get("ean")),
            "title": title,
            "vat_rate": _parsed(errors, f"{prefix}.vat_rate", vat_rate, line.get("vat_rate")),
            "quantity": quantity, "public_price_ttc": money(line["public_price_ttc"]),
            "discount_percent": money(line["discount_percent"]),
            "unit_price_ttc": _amount(errors, f"{prefix}.unit_price_ttc",
                                      line["unit_price_ttc"], MAX_PRICE),
            **{name: _amount(errors, f"{prefix}.{name}", line[name], MAX_TOTAL)
               for name in ("discount_amount", "total_ttc", "total_ht", "vat_amount")}}


def _amount(errors, name, value, maximum):
    """An amount as sent, to the cent, if it fits its column (0 to `maximum`)."""
    if not 0 <= value <= maximum:
        errors[name] = [f"montant entre 0 et {maximum} attendu, reçu {value}."]
    return money(value)


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


def cancellation(order: dict, reason: str, now: datetime) -> dict:
    """The source (grouped order, collectivity order) was cancelled: the order is cancelled,
    once. A picked-up order then waits among the cancellations Librisoft has to apply; one not
    yet picked up leaves the pending list (nothing to apply)."""
    if order["cancelled_at"] is not None:
        return {}
    return {"cancelled_at": now, "cancel_reason": (reason or "").strip()[:CANCEL_REASON_MAX]}


def cancellation_acknowledgement(order: dict, now: datetime) -> dict:
    """Librisoft applied the cancellation: nothing changes once it has; an order that is not
    cancelled has no cancellation to acknowledge."""
    if order["cancelled_at"] is None:
        raise conflict(f"La commande n° {order['number']} n'est pas annulée : aucune annulation "
                       "à prendre en compte.")
    if order["cancellation_acknowledged_at"] is not None:
        return {}
    changes = acknowledgement(order, now)  # it knew the order, then
    changes["cancellation_acknowledged_at"] = now
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
    cancelled_at = order.get("cancelled_at")
    acknowledged_at = order.get("cancellation_acknowledged_at")
    return {"order_number": order["number"], "source_kind": order["source_kind"],
            "source_number": order["source_number"], "picked_up": order["state"] == PICKED_UP,
            "librisoft_number": order["librisoft_number"] or "",
            "status": order["librisoft_status"] or "",
            "cancelled": cancelled_at is not None,
            "cancelled_at": _iso(cancelled_at),
            "cancellation_acknowledged": acknowledged_at is not None,
            "cancellation_acknowledged_at": _iso(acknowledged_at)}


def _iso(moment):
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite keeps no offset: every time stored here is UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat()


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
