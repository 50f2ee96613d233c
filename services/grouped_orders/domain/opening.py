"""Moving the opening day (issue 10, K1): the initiator may change it, or open at once, while
the grouped order is open and its subscriptions have not opened yet; the new day is checked
as at creation (`deadlines.check_opening`: not in the past, not after the deadline)."""
from services.common.errors import conflict

from .deadlines import not_open_yet
from .status import OPEN

__all__ = ["ALREADY_OPENED", "check_opening_change"]

ALREADY_OPENED = ("Les souscriptions sont déjà ouvertes : la date d'ouverture ne peut plus être "
                  "changée.")


def check_opening_change(status: str, opens_on, now):
    if status != OPEN:
        raise conflict("La date d'ouverture ne peut être changée que tant que la commande est "
                       "ouverte.")
    if not not_open_yet(opens_on, now):
        raise conflict(ALREADY_OPENED)
