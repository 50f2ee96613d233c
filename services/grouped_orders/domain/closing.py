"""Closing (reference 000, "Le libraire"): subscriptions and payments stop when the deadline
day ends (or when the bookshop closes them); the bookshop validates once every sub-order is
paid, cancelled or to be paid at pickup (issue 10 K5: a commitment, its copies ordered)."""
from datetime import date, datetime

from services.common.errors import conflict

from .deadlines import closes_at, days_left, french_day, not_open_yet
from .status import AWAITING_PAYMENT, CANCELLED, CLOSED, OPEN, PAID, PROCESSING

__all__ = ["can_subscribe", "check_subscription_open", "validation_blockers",
           "check_can_validate"]


def can_subscribe(status: str, deadline: date, now: datetime, opens_on=None) -> bool:
    """Open, from the opening day (if any) to the end of the deadline day."""
    return status == OPEN and not not_open_yet(opens_on, now) and now < closes_at(deadline)


def check_subscription_open(status, deadline, now, opens_on=None):
    if status == OPEN and not_open_yet(opens_on, now):
        raise conflict(f"Les souscriptions à cette commande groupée ouvriront le "
                       f"{french_day(opens_on)} : revenez à partir de cette date.")
    if not can_subscribe(status, deadline, now, opens_on):
        raise conflict("Les souscriptions à cette commande groupée sont closes : aucun "
                       "paiement ne peut plus être commencé.")


def validation_blockers(status: str, deadline: date, now: datetime, subs) -> list:
    """Why the bookshop cannot validate yet (empty: it can)."""
    if status in (PROCESSING, CLOSED):
        return ["Cette commande groupée a déjà été validée et envoyée vers LIBRISOFT."]
    if status == CANCELLED:
        return ["Cette commande groupée est annulée."]
    reasons = []
    # once the bookshop has closed the subscriptions (status no longer open), no more waiting
    if status == OPEN and now < closes_at(deadline):
        days = days_left(deadline, now)  # the same count as « Il reste … jours »
        reasons.append("Vous pourrez valider cette commande groupée demain, une fois les "
                       "souscriptions closes." if days <= 1 else
                       f"Vous pourrez valider cette commande groupée dans {days} jours.")
    # a sub-order to be paid at pickup is not pending: it is paid on distribution day
    pending = [s.number for s in subs if s.status == AWAITING_PAYMENT
               and not getattr(s, "at_pickup", False)]
    if pending:
        reasons.append("Des paiements sont en attente de traitement (sous-commande"
                       f"{'s' if len(pending) > 1 else ''} n° "
                       f"{', '.join(map(str, pending))}) : validez-les ou annulez-les.")
    if not any(s.status == PAID or getattr(s, "at_pickup", False) for s in subs):
        reasons.append("Aucune sous-commande n'est payée.")
    return reasons


def check_can_validate(status, deadline, now, subs):
    reasons = validation_blockers(status, deadline, now, subs)
    if reasons:
        raise conflict(" ".join(reasons), {"validation": reasons})
