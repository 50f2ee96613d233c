"""How a buyer pays (reference 003 step 1, issue 9): online (the provider's page, always
offered), and, when the bookshop allows it for the grouped order, by cheque or in cash at the
bookshop. A cheque or cash sub-order starts no online payment: it stays « En attente de
paiement » until the bookshop records the cheque (with its number) or the cash from the grouped
order's admin page; payments checks and keeps the number.

Cheque and cash are paid AT THE BOOKSHOP, by the deadline. The fourth method (issue 10 K5,
reference 004), « à payer au retrait », when the bookshop allows it: the buyer pays by cheque
or in cash on distribution day. Such a sub-order is a commitment (`committed`): the bookshop
validates the grouped order with it still awaiting its payment, its copies are ordered, and it
is paid from the distribution page (docs/reading-lists.md, « Payer au retrait »)."""
from services.common.errors import invalid

from .status import AWAITING_PAYMENT

__all__ = ["ONLINE", "CHEQUE", "CASH", "PAYMENT_METHODS", "OFFLINE_METHODS",
           "PAYMENT_METHOD_LABELS", "PAYMENT_METHOD_CHOICES", "ONLINE_ONLY", "methods_of",
           "methods_text", "default_payment_methods", "allowed_methods_from_form",
           "check_buyer_method", "is_offline", "paid_by_label", "PICKUP", "at_pickup",
           "starts_online_payment"]

ONLINE, CHEQUE, CASH, PICKUP = "online", "cheque", "cash", "pickup"
PAYMENT_METHODS = (ONLINE, CHEQUE, CASH, PICKUP)
OFFLINE_METHODS = (CHEQUE, CASH)       # what the bookshop records: a cheque or cash
_ALLOWABLE = (CHEQUE, CASH, PICKUP)     # what the bookshop may allow besides online
ONLINE_ONLY = ONLINE
# how the sub-order is / was paid, shown to the bookshop and on the sign-in sheet
PAYMENT_METHOD_LABELS = {ONLINE: "En ligne", CHEQUE: "Chèque", CASH: "Espèces",
                         PICKUP: "Au retrait"}
# the buyer's choice on the public page
PAYMENT_METHOD_CHOICES = {ONLINE: "Payer en ligne (carte bancaire)",
                          CHEQUE: "Payer par chèque à la librairie",
                          CASH: "Payer en espèces à la librairie",
                          PICKUP: "Payer au retrait des livres (chèque ou espèces)"}


def methods_of(text) -> tuple:
    """The methods a grouped order allows, from what it stores ("online,cheque"): online always
    first, then the others in their order; an unknown word is ignored."""
    words = set((text or "").split(","))
    return (ONLINE,) + tuple(m for m in _ALLOWABLE if m in words)


def methods_text(methods) -> str:
    return ",".join(methods_of(",".join(methods)))


def default_payment_methods(configured) -> str:
    """The default for a new grouped order, from GROUPED_ORDER_PAYMENT_METHODS (e.g.
    "online,cheque"); a word that is not a method is refused, never guessed."""
    words = [w.strip() for w in (configured or ONLINE).split(",") if w.strip()]
    unknown = [w for w in words if w not in PAYMENT_METHODS]
    if unknown:
        raise invalid(f"GROUPED_ORDER_PAYMENT_METHODS : moyen de paiement inconnu "
                      f"« {unknown[0]} » (attendu : online, cheque, cash, pickup).")
    return methods_text(words)


def allowed_methods_from_form(cheque, cash, pickup=False) -> str:
    """The bookshop's choice on the grouped order's admin page: online, plus cheque and/or
    cash at the bookshop, and/or payment at pickup."""
    for value in (cheque, cash, pickup):
        if not isinstance(value, bool):
            raise invalid("Choix des moyens de paiement illisible.",
                          {"payment_methods": ["Oui ou non pour chaque moyen."]})
    return methods_text([ONLINE] + ([CHEQUE] if cheque else []) + ([CASH] if cash else [])
                        + ([PICKUP] if pickup else []))


def check_buyer_method(method, allowed_text) -> str:
    """The buyer's choice: online when none is given; one the grouped order allows, else a
    French 400."""
    method = method or ONLINE
    allowed = methods_of(allowed_text)
    if method not in allowed:
        offered = ", ".join(PAYMENT_METHOD_CHOICES[m].lower() for m in allowed)
        raise invalid("Ce moyen de paiement n'est pas proposé pour cette commande groupée.",
                      {"payment_method": [f"Choisissez parmi : {offered}."]})
    return method


def is_offline(method) -> bool:
    """A cheque or cash: what the bookshop (or the distribution page) records by hand."""
    return method in OFFLINE_METHODS


def at_pickup(status, method) -> bool:
    """A sub-order still awaiting its payment, to be paid on distribution day: its copies are
    ordered (a commitment), its money is « à encaisser au retrait », never counted as paid."""
    return status == AWAITING_PAYMENT and method == PICKUP


def starts_online_payment(method) -> bool:
    """Subscribing starts an online payment only for a buyer who chose to pay online."""
    return (method or ONLINE) == ONLINE


def paid_by_label(method, cheque_number) -> str:
    """« chèque n° 1234567 », « espèces », « en ligne »: how a paid sub-order was paid."""
    if method == CHEQUE:
        return f"chèque n° {cheque_number}" if cheque_number else "chèque"
    return PAYMENT_METHOD_LABELS.get(method or ONLINE, "").lower()
