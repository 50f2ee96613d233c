"""The minimum to go ahead and the capacity cap (issue 10, "Beyond every peer"): optional
numbers of copies (every title together) that the initiator sets when creating a grouped order
and may change while it is open.

- The minimum counts PAID copies, and the copies to be paid at pickup (issue 10 K5: the
  buyer's commitment, the bookshop allowed it; docs/reading-lists.md): at the deadline, fewer
  such copies than the minimum and
  the grouped order fails (every paid sub-order refunded, every buyer and the initiator mailed,
  nothing for Librisoft). The public progress "7 / 10 exemplaires" counts the same copies.
- The cap counts HELD copies: paid and awaiting payment (a buyer who subscribed has a place; not
  counting them would let the cap be overrun by payments arriving later). A sub-order cancelled
  gives its copies back. A subscription that would go beyond the cap is refused (409) with the
  number of copies left; when none is left the grouped order is "complet" (closed to new
  subscriptions by itself, open again if copies come back)."""
from typing import NamedTuple

from services.common.errors import conflict, invalid
from services.common.validation import whole_number

__all__ = ["MAX_COPIES_LIMIT", "CopyLimits", "check_copy_limits", "copies_left", "is_full",
           "smallest_order", "check_room", "minimum_reached", "minimum_failure_reason", "progress"]

MAX_COPIES_LIMIT = 100_000


class CopyLimits(NamedTuple):
    """The minimum and maximum of copies: each an int or None (no limit)."""
    minimum: int | None = None
    maximum: int | None = None


def _limit(raw, key, label, errors):
    if raw in (None, ""):
        return None
    value = whole_number(raw)
    if value is None or not 1 <= value <= MAX_COPIES_LIMIT:
        errors[key] = [f"{label} : un nombre entier entre 1 et {MAX_COPIES_LIMIT}, ou vide."]
        return None
    return value


def check_copy_limits(minimum, maximum, held=0) -> CopyLimits:
    """The initiator's minimum and maximum (empty: none). The maximum is at least the minimum
    and at least the copies already held (paid or awaiting payment): a cap below what buyers
    already subscribed is refused, nothing changed."""
    errors = {}
    low = _limit(minimum, "min_copies", "Minimum d'exemplaires", errors)
    high = _limit(maximum, "max_copies", "Maximum d'exemplaires", errors)
    if not errors and low is not None and high is not None and high < low:
        errors["max_copies"] = [f"Le maximum ({high}) est inférieur au minimum ({low})."]
    if not errors and high is not None and high < held:
        errors["max_copies"] = [f"{held} exemplaires sont déjà souscrits : le maximum ne peut "
                                f"pas être inférieur à {held}."]
    if errors:
        raise invalid("Vérifiez le minimum et le maximum d'exemplaires.", errors)
    return CopyLimits(low, high)


def copies_left(maximum, held):
    """Copies that may still be subscribed (None: no cap)."""
    return None if maximum is None else max(0, maximum - held)


def is_full(maximum, held, smallest=1) -> bool:
    """No order fits any more: fewer copies left under the cap than the smallest order takes
    (one copy of each required title of a reading list, `smallest`)."""
    return maximum is not None and maximum - held < max(1, smallest)


def smallest_order(required_flags) -> int:
    """The fewest copies an order can take: one of each required title (at least one copy)."""
    return max(1, sum(1 for required in required_flags if required))


def check_room(maximum, held, asked):
    """A subscription of `asked` copies fits under the cap, or is refused (409) saying how many
    copies are left; never accepted in part (the buyer chooses again)."""
    left = copies_left(maximum, held)
    if left is None or asked <= left:
        return
    if left == 0:
        raise conflict("Cette commande groupée est complète : le nombre maximum d'exemplaires "
                       "est atteint.", {"quantity": ["Plus aucun exemplaire disponible."]})
    plural = "s" if left > 1 else ""
    left_words = f"que {left} exemplaires" if left > 1 else "qu'un exemplaire"
    raise conflict(f"Il ne reste {left_words} dans cette commande groupée : "
                   f"vous en demandez {asked}.",
                   {"quantity": [f"{left} exemplaire{plural} au plus."]})


def minimum_reached(minimum, paid) -> bool:
    return minimum is None or paid >= minimum


def minimum_failure_reason(minimum, paid, at_pickup=0) -> str:
    """`paid`: every copy counted (paid, and to be paid at pickup); `at_pickup`: of those, the
    copies to be paid at pickup (said apart)."""
    plural = "s" if paid > 1 else ""
    what = f"payé{plural}" if not at_pickup else f"payé{plural} ou à payer au retrait"
    return (f"Minimum non atteint à la clôture des souscriptions : {paid} exemplaire{plural} {what} "
            f"sur les {minimum} nécessaires.")


def progress(minimum, maximum, paid, awaiting, at_pickup=0, smallest=1) -> dict:
    """What the public page shows: paid copies (and those to be paid at pickup, `at_pickup`,
    part of `awaiting`) toward the minimum ("7 / 10 exemplaires"), the copies awaiting
    payment, and the copies left under the cap (`full`: fewer than the `smallest` order)."""
    held = paid + awaiting
    counted = paid + at_pickup
    return {"paid": paid, "awaiting": awaiting, "at_pickup": at_pickup,
            "minimum": minimum, "maximum": maximum,
            "minimum_reached": minimum_reached(minimum, counted),
            "percent": (min(100, counted * 100 // minimum) if minimum else None),
            "left": copies_left(maximum, held), "full": is_full(maximum, held, smallest),
            "label": (f"{counted} / {minimum} exemplaires" if minimum is not None else
                      f"{paid} exemplaire{'s' if paid > 1 else ''} payé{'s' if paid > 1 else ''}")}
