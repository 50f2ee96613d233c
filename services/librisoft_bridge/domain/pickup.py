"""Librisoft picks a classic order up and posts its status: pure Python. Each rule returns the
changes to store (an empty dict when nothing changes) or raises DomainError."""
from datetime import datetime

from services.common.errors import invalid

from . import values as v
from .orders import ORDER_TEXT_SIZES, PICKED_UP, describe
from .rows import unreadable


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
            value = body.get(name)
            if value is not None and not isinstance(value, str):  # 123 was taken for « 123 »
                raise ValueError("texte attendu (entre guillemets).")
            unreadable(value)
            cleaned[name] = v.text(value, ORDER_TEXT_SIZES[key])
        except ValueError as exc:
            errors[name] = [str(exc)]
            continue
        if cleaned[name] is None and required:
            errors[name] = ["champ obligatoire."]
    if errors:
        raise invalid(f"Statut refusé : {describe(errors)}", errors)
    return cleaned
