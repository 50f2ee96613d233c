"""A title becomes unavailable (issue 10, K3; reference 004 step 4, « mettre à jour les commandes
des adhérents si certains produits ne sont pas disponibles »): the bookshop says how many copies
of a title of a closed reading list it will actually get (0: none). The copies go to the buyers
in the order they subscribed: the first subscribed is served first, in full, then the next, and
so on; the buyer where the copies run out gets what is left, the later ones none of that title.
Cancelled sub-orders take none. Each buyer's total is recomputed from its lines (each line
rounded to the cent); what a buyer paid too much is refunded online (a partial refund), or, paid
by cheque or cash, noted « à rendre » by the bookshop; a sub-order left without any copy is
cancelled (its payment refunded in full). The rule is written for users in docs/reading-lists.md.

Only while the grouped order awaits the bookshop's validation (subscriptions closed, nothing
sent to Librisoft yet), and only down: the available quantity is below the copies ordered now (a
refund is never taken back). The same quantity again changes nothing (a double click)."""
from dataclasses import dataclass, replace
from decimal import Decimal

from services.common.errors import conflict, invalid
from services.common.validation import whole_number

from .status import AWAITING_VALIDATION, PAID, SUB_CANCELLED
from .titles import lines_quantity, lines_total

__all__ = ["Holder", "SubChange", "allocate", "check_can_adjust", "check_available",
           "sub_change", "give_back_way", "ONLINE_REFUND", "BY_HAND", "NO_MONEY",
           "adjustment_key", "owed_after_credits"]

ONLINE_REFUND, BY_HAND, NO_MONEY = "online_refund", "by_hand", "none"


@dataclass(frozen=True)
class Holder:
    """A sub-order holding copies of the title: its number, when it subscribed, the copies it
    ordered at first (before any adjustment) and its status."""
    number: int
    subscribed_at: object
    ordered: int
    status: str


def allocate(available: int, holders) -> dict:
    """{sub-order number: copies of the title it keeps}: first subscribed served first (ties by
    sub-order number); a cancelled sub-order keeps none. Allocated from the copies ordered at
    first, so the same quantity always gives the same answer."""
    left, kept = available, {}
    for h in sorted(holders, key=lambda h: (h.subscribed_at, h.number)):
        if h.status == SUB_CANCELLED:
            continue
        kept[h.number] = min(h.ordered, max(left, 0))
        left -= kept[h.number]
    return kept


def check_can_adjust(group_status: str):
    if group_status != AWAITING_VALIDATION:
        raise conflict("Les quantités disponibles se corrigent une fois les souscriptions "
                       "closes et avant la validation de la commande groupée.")


def check_available(raw, current_total: int, current_available) -> int | None:
    """The quantity the bookshop typed: a whole number from 0 to the copies ordered now, excluded
    (None: the same as already set, nothing to do)."""
    value = whole_number(raw)
    if value is None or value < 0:
        raise invalid("La quantité disponible est un nombre entier positif ou nul.",
                      {"available": ["Nombre entier, 0 ou plus."]})
    if current_available is not None and value == current_available:
        return None
    if value >= current_total:
        raise invalid(f"La quantité disponible ({value}) doit être inférieure aux exemplaires "
                      f"commandés ({current_total}) : sinon il n'y a rien à corriger.",
                      {"available": [f"Moins de {current_total}."]})
    return value


@dataclass(frozen=True)
class SubChange:
    """What an adjustment does to one sub-order: its lines and total before and after, the
    difference, how it is given back, whether the sub-order is cancelled."""
    before_total: Decimal
    after_total: Decimal
    difference: Decimal
    after_quantity: int
    money: str          # ONLINE_REFUND | BY_HAND | NO_MONEY
    cancelled: bool


def give_back_way(status: str, payment_method: str, has_payment: bool = True) -> str:
    """How a paid sub-order is given money back: through the provider only when it was paid
    online (a payment to refund); a cheque, cash, or a sub-order the bookshop validated by hand
    without any payment recorded (« payée par la librairie »), by hand (« à rendre »)."""
    if status != PAID:
        return NO_MONEY
    online = (payment_method or "online") == "online" and has_payment
    return ONLINE_REFUND if online else BY_HAND


def sub_change(lines_before, lines_after, status: str, payment_method: str,
               has_payment: bool = True) -> SubChange:
    """`lines_*`: the sub-order's domain.Line before and after. A paid sub-order is owed the
    difference back: online by a partial refund, a cheque or cash by hand (« à rendre », as
    one validated by hand: no payment recorded, `has_payment` False); one awaiting payment
    simply owes less. No copy left: cancelled (the cancellation refunds it)."""
    before, after = lines_total(lines_before), lines_total(lines_after)
    copies = lines_quantity(lines_after)
    cancelled = copies == 0
    if cancelled or before == after:
        way = NO_MONEY
    else:
        way = give_back_way(status, payment_method, has_payment)
    return SubChange(before, after, before - after, copies, way, cancelled)


def owed_after_credits(change: SubChange, credited: Decimal) -> SubChange:
    """A paid sub-order whose credit notes already gave back `credited`: what is still paid is
    its total before less that; after the cut it keeps lines worth `after_total`, so it is owed
    at most what is still paid beyond them (never more than the payment has left: payments
    refused the whole difference, the refund was dead-lettered and the parent's page said « en
    cours » for good). Which lines the credit notes were for is invoicing's: the bookshop never
    gives back more than it holds, and a credit note can give back any rest."""
    if not credited or change.money == NO_MONEY:
        return change
    still_paid = change.before_total - Decimal(credited)
    owed = max(Decimal("0.00"), min(change.difference, still_paid - change.after_total))
    return replace(change, difference=owed, money=change.money if owed else NO_MONEY)


def adjustment_key(title_id: int, available: int, sub_number: int) -> str:
    """The partial refund's key: one per title, quantity and sub-order (a redelivered event, a
    second instance: payments refunds it once)."""
    return f"adjust-t{title_id}-q{available}-sub{sub_number}"
