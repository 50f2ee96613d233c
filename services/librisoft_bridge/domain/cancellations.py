"""A classic order's source is cancelled, and Librisoft applies the cancellation: pure Python.
Each rule returns the changes to store (an empty dict when nothing changes) or raises
DomainError."""
from datetime import datetime

from services.common.errors import conflict

from .orders import CANCEL_REASON_MAX
from .pickup import acknowledgement


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
