"""The owners' statuses on the one progress vocabulary (services/common/progress.py), written
once (docs/architecture.md, "The order desk: who owns what"). Pure Python.

An owner's event that moves an order's progress is looked up here: (kind, event, action) ->
the progress code it means. Events not in the table leave the progress as it is."""
from services.common.progress import (  # noqa: F401  (REGISTERED: the default, for use_cases)
    CANCELLED, DELIVERING, DONE, PATH, PROCESSING, READY,
    REGISTERED)

# (event type, action or None) -> (kind of the order it names, progress code)
OWNER_PROGRESS = {
    ("grouped_order_validated", None): ("grouped_order", PROCESSING),
    ("grouped_order_made_available", None): ("grouped_order", READY),
    ("grouped_order_cancelled", None): ("grouped_order", CANCELLED),
    # « Valider la distribution »: handed out on distribution day (the absent's sub-orders
    # stay « Livraison/retrait en cours » on their own rows); no logistician after it
    ("grouped_order_distributed", None): ("grouped_order", DONE),
    ("sub_order_cancelled", None): ("sub_order", CANCELLED),
    ("collectivity_order_status_changed", "made_available"): ("collectivity_order", READY),
    ("collectivity_order_status_changed", "shipped"): ("collectivity_order", DELIVERING),
    ("collectivity_order_status_changed", "closed"): ("collectivity_order", DONE),
    ("collectivity_order_status_changed", "cancelled"): ("collectivity_order", CANCELLED),
    # Librisoft picked up the classic order made from a grouped or collectivity order
    ("classic_order_status_changed", "grouped_order"): ("grouped_order", PROCESSING),
    ("classic_order_status_changed", "collectivity_order"): ("collectivity_order", PROCESSING),
}

# the table as the page and docs show it: (kind, owner's status, progress code)
OWNER_STATUSES = (
    ("grouped_order", "validée", PROCESSING),
    ("grouped_order", "mise à disposition", READY),
    ("grouped_order", "distribuée", DONE),
    ("grouped_order", "annulée", CANCELLED),
    ("sub_order", "annulée", CANCELLED),
    ("collectivity_order", "prise en charge par Librisoft", PROCESSING),
    ("collectivity_order", "mise à disposition", READY),
    ("collectivity_order", "expédiée", DELIVERING),
    ("collectivity_order", "clôturée", DONE),
    ("collectivity_order", "annulée", CANCELLED),
)


# A parent's sub-order follows its grouped order's cycle (the desk rows carry the grouped
# order's number): event -> the progress of its sub-orders, and the history's comment.
# « Terminé »: picked up on distribution day; an absent buyer's books wait at the pickup place:
# « Livraison/retrait en cours » until the bookshop closes it.
SUB_ORDERS_FOLLOW = {
    "grouped_order_validated": (PROCESSING, "Commande groupée n° {number} validée : "
                                            "commandée au fournisseur"),
    "grouped_order_made_available": (READY, "Commande groupée n° {number} mise à disposition"),
    "grouped_order_distributed": (DONE, "Retirée à la distribution de la commande groupée "
                                        "n° {number}"),
    "grouped_order_cancelled": (CANCELLED, "Commande groupée n° {number} annulée : {reason}"),
    "grouped_order_failed": (CANCELLED, "Commande groupée n° {number} annulée : {reason}"),
}
ABSENT_COMMENT = "Absent à la distribution de la commande groupée n° {number} : livres à retirer"
# the grouped order's progress a sub-order known late takes at once (its events came before)
CAUGHT_UP = (PROCESSING, READY, CANCELLED)
CAUGHT_UP_COMMENT = "Suit la commande groupée n° {number}"


def sub_orders_follow(event_type, payload) -> tuple:
    """(progress, comment, {sub-order number: (progress, comment)}) the grouped order's event
    means for its sub-orders: the exceptions are the absent buyers of a distribution."""
    code, comment = SUB_ORDERS_FOLLOW[event_type]
    words = {"number": payload["number"], "reason": payload.get("reason") or ""}
    comment = comment.format(**words).rstrip(" :")
    absent = {}
    if event_type == "grouped_order_distributed":
        for told in (*payload.get("absent", ()), *payload.get("absent_owing", ())):
            absent[int(told["sub_order_number"])] = (DELIVERING, ABSENT_COMMENT.format(**words))
    return code, comment, absent


def caught_up(grouped_progress):
    """The progress a sub-order known after its grouped order moved takes (None: none)."""
    return grouped_progress if grouped_progress in CAUGHT_UP else None


def owner_progress(event_type, action=None):
    """(kind, progress code) the owner's event means, or None."""
    return OWNER_PROGRESS.get((event_type, action))


def moves_forward(current, to_code):
    """Whether an owner's fact `to_code` still applies to an order at `current` (events may
    arrive out of order: a late "validated" does not take a cancelled or ready order back).
    Annulée and Terminé are final; along the path an order only moves forward."""
    if current == to_code:
        return False
    if current in (CANCELLED, DONE):
        return False
    if to_code in PATH and current in PATH:
        return PATH.index(to_code) > PATH.index(current)
    return True
