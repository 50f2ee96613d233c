"""Classic orders, pure Python: what the bridge calls an order, its states, numbers and
listings, and the checks shared by the rules that make one (`grouped_orders`, `documents`) and
move it (`pickup`, `cancellations`).

An order is `pending` (en attente de récupération) until Librisoft acknowledges it, then
`picked_up` (récupérée par Librisoft) for good. Librisoft may then post its own order number and
its status, free text such as "Attente fournisseur(s)" or "Préparation commande", as often as it
likes; posting a status implies the order was picked up. Every rule returns the changes to
store (an empty dict when nothing changes) and raises DomainError for bad input."""
from datetime import datetime, timezone
from decimal import Decimal

from services.common.errors import invalid, not_found
from services.common.money import money

from . import values as v

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


def amount(errors, name, value, maximum):
    """An amount as sent, to the cent, if it fits its column (0 to `maximum`)."""
    if not 0 <= value <= maximum:
        errors[name] = [f"montant entre 0 et {maximum} attendu, reçu {value}."]
    return money(value)


def parsed(errors, name, parse, value):
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


def order_number(value) -> int:
    """An order number as sent (a path segment, an RPC argument); unknown -> not_found."""
    number = number_or_none(value)
    if number is None:
        raise not_found(f"Commande introuvable : n° « {shown(value)} ».")
    return number


def source_number(value):
    """A source number, or None when it cannot name a stored source."""
    return number_or_none(value)


def number_or_none(value):
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


def shown(value) -> str:
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
        raise invalid(f"Statut inconnu « {shown(status)} » : {', '.join(LIST_FILTERS)} "
                      "attendu.",
                      {"status": [f"{', '.join(LIST_FILTERS)} attendu."]})
    return (None if status == "all" else (status,)), source_kind_filter(source_kind)


def listing(states) -> dict:
    """What the orders of a listing are, field by field (`list_filter`'s states; absent: any):
    the cancellations Librisoft has to apply are the cancelled orders it had picked up and has
    not acknowledged yet; a cancelled order is no longer pending (to pick up)."""
    if states == (CANCELLED,):
        return {"states": (PICKED_UP,), "cancelled": True, "cancellation_acknowledged": False}
    if states == (PENDING,):
        return {"states": states, "cancelled": False}
    return {"states": states} if states else {}


def source_kind_filter(source_kind):
    if v.is_blank(source_kind):
        return None
    if source_kind not in SOURCE_KINDS:
        raise invalid(f"Type de commande inconnu « {shown(source_kind)} » : "
                      f"{', '.join(SOURCE_KINDS)} attendu.",
                      {"source_kind": [f"{', '.join(SOURCE_KINDS)} attendu."]})
    return source_kind
