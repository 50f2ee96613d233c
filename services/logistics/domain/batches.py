"""A hand-off (reference 003, step 3: « Mettre les commandes à disposition du logisticien »,
then « Exécuter »): which orders the batch takes, or why nothing is done. An order is handed
off once: asking for one already in a batch is refused, and the whole request changes nothing.
Pure Python."""
from dataclasses import dataclass

from services.common.errors import conflict, invalid

from .orders import HANDED_OFF, MAX_SELECTION, READY, Order, order_name

NOTHING_CHANGED = "Rien n'a été changé."


@dataclass(frozen=True)
class BatchRow:
    """One row of the batch file: one line of one order."""
    batch_number: int
    kind: str
    number: int
    reference: str          # « Commande groupée n° 62 »
    customer: str
    destination: str
    ean: str
    title: str
    quantity: int


def choose(orders: dict, requested, take_all: bool) -> list:
    """The orders the batch takes, in the order asked (all candidates: oldest first as given).
    `orders`: key -> Order, as loaded (and locked) for the request; `requested`: keys asked for.
    Raises invalid (nothing asked, too many) or conflict (already handed off, not ready) in
    French; nothing is handed off then."""
    if take_all:
        chosen = [o for o in orders.values() if o.is_candidate]
        if not chosen:
            raise conflict("Aucune commande prête à mettre à disposition du logisticien. "
                           + NOTHING_CHANGED)
        return chosen[:MAX_SELECTION]
    keys = list(dict.fromkeys(requested or ()))
    if not keys:
        raise invalid("Cochez au moins une commande, ou « Toutes les commandes prêtes ».",
                      {"commandes": ["Aucune commande choisie."]})
    if len(keys) > MAX_SELECTION:
        raise invalid(f"Au plus {MAX_SELECTION} commandes par lot.",
                      {"commandes": [f"{len(keys)} commandes choisies."]})
    chosen = []
    for key in keys:
        order = orders.get(key)
        name = order_name(*key)
        if order is None:
            raise invalid(f"{name} : commande inconnue du service logistique. " + NOTHING_CHANGED,
                          {"commandes": [f"{name} : commande inconnue."]})
        if order.status == HANDED_OFF:
            raise conflict(f"La {name[0].lower()}{name[1:]} a déjà été mise à disposition du "
                           f"logisticien (lot n° "
                           f"{order.batch_number}) : une commande n'est remise qu'une fois. "
                           + NOTHING_CHANGED)
        if order.status != READY:
            raise conflict(f"La {name[0].lower()}{name[1:]} n'est pas « Commande prête » : elle ne peut pas être remise "
                           "au logisticien. " + NOTHING_CHANGED)
        if not order.lines:
            raise conflict(f"{name} : ses lignes ne sont pas encore connues du service "
                           "logistique ; réessayez dans un instant. " + NOTHING_CHANGED)
        chosen.append(order)
    return chosen


def rows(batch_number: int, orders: list) -> list:
    """The batch file's rows: one per line of each order, in the batch's order."""
    return [BatchRow(batch_number, o.kind, o.number, order_name(o.kind, o.number), o.customer,
                     o.destination, line.ean, line.title, line.quantity)
            for o in orders for line in o.lines]


def summary(orders: list) -> dict:
    return {"orders": len(orders), "lines": sum(len(o.lines) for o in orders),
            "quantity": sum(line.quantity for o in orders for line in o.lines)}


__all__ = ["BatchRow", "Order", "choose", "rows", "summary"]
