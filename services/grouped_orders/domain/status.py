"""The statuses of a grouped order and of its sub-orders (reference 000, "Consultation", "Le
libraire"), the moves between them, and what the bookshop may do in each."""
from services.common.errors import conflict, invalid, not_found

__all__ = [
    "OPEN", "AWAITING_VALIDATION", "PROCESSING", "CLOSED", "CANCELLED", "STATUS_LABELS", "TABS",
    "DEFAULT_TAB", "AWAITING_PAYMENT", "PAID", "SUB_CANCELLED", "SUB_LABELS", "REFUND_LABELS",
    "TRANSITIONS", "ALREADY_DONE", "SUB_ALREADY_DONE", "REASON_MAX", "SUB_REASON_MAX",
    "PICKED_UP_BY_LIBRISOFT", "check_owner", "tab_or_default", "tab_counts", "sources",
    "check_transition", "previous_status", "check_can_close_now", "check_deadline_change",
    "check_initiator_can_cancel",
    "REOPEN_AFTER_CUT",
    "check_sub_order_action", "check_cancel_reason",
    "sub_cancel_reason", "cancelled_with_the_order", "librisoft_status"]

# grouped order statuses
OPEN = "open"
AWAITING_VALIDATION = "awaiting_validation"
PROCESSING = "processing"
CLOSED = "closed"
CANCELLED = "cancelled"
STATUS_LABELS = {OPEN: "Commande ouverte", AWAITING_VALIDATION: "En attente de validation",
                 PROCESSING: "En attente de traitement", CLOSED: "Clôturée",
                 CANCELLED: "Annulée"}
# the bookshop's tabs (reference 000, "Consultation")
TABS = {"validation": (OPEN, AWAITING_VALIDATION), "traitement": (PROCESSING,),
        "cloturees": (CLOSED,), "annulees": (CANCELLED,)}
DEFAULT_TAB = "validation"

# sub-order statuses
AWAITING_PAYMENT = "awaiting_payment"
PAID = "paid"
SUB_CANCELLED = "cancelled"
SUB_LABELS = {AWAITING_PAYMENT: "En attente de paiement", PAID: "Payée",
              SUB_CANCELLED: "Annulée"}
REFUND_LABELS = {None: "", "requested": "Remboursement demandé", "refunded": "Remboursée"}

# wanted status -> the statuses it may be reached from (the guarded UPDATE's condition)
TRANSITIONS = {
    AWAITING_VALIDATION: (OPEN,),
    PROCESSING: (AWAITING_VALIDATION, OPEN),
    CLOSED: (PROCESSING,),
    CANCELLED: (OPEN, AWAITING_VALIDATION, PROCESSING),
}
ALREADY_DONE = ("Cette action a déjà été faite sur cette commande groupée, ou son statut a "
                "changé entre-temps : rechargez la page.")
SUB_ALREADY_DONE = ("Cette sous-commande vient d'être modifiée par une autre action : rechargez "
                    "la page pour voir son état actuel.")
REASON_MAX = 1000      # a grouped order's cancellation reason, as stored
SUB_REASON_MAX = 500   # a sub-order's
PICKED_UP_BY_LIBRISOFT = "Récupérée par LIBRISOFT"


def check_owner(initiator_id, account_id):
    """An initiator sees only its own grouped orders; another's is not even said to exist."""
    if initiator_id != account_id:
        raise not_found("Commande groupée introuvable.")


def tab_or_default(tab) -> str:
    """The bookshop's tab asked for; an unknown one shows "validation"."""
    return tab if tab in TABS else DEFAULT_TAB


def tab_counts(counts_by_status: dict) -> dict:
    """The number of grouped orders under each tab, from their number by status."""
    return {tab: sum(counts_by_status.get(s, 0) for s in statuses)
            for tab, statuses in TABS.items()}


def sources(wanted: str) -> tuple:
    """The statuses from which a grouped order may move to `wanted`."""
    return TRANSITIONS.get(wanted, ())


def check_transition(current: str, wanted: str):
    if current == wanted:  # the same request twice: the first one did it
        raise conflict(f"Cette commande groupée est déjà « {STATUS_LABELS[current]} » : "
                       "l'action a déjà été faite.")
    if current not in sources(wanted):
        raise conflict(f"Impossible de passer de « {STATUS_LABELS[current]} » à "
                       f"« {STATUS_LABELS[wanted]} ».")


def previous_status(current: str) -> str:
    """"Réinitialiser le statut": one step back."""
    if current == CLOSED:
        return PROCESSING
    raise conflict("Seule une commande groupée clôturée peut revenir au statut précédent.")


def check_can_close_now(status: str):
    """« Clore les souscriptions maintenant »: only an open grouped order."""
    if status != OPEN:
        raise conflict("Les souscriptions de cette commande groupée sont déjà closes."
                       if status in (AWAITING_VALIDATION, PROCESSING, CLOSED) else
                       "Cette commande groupée est annulée.")


REOPEN_AFTER_CUT = ("La librairie a déjà réduit des titres de cette commande après sa clôture : "
                    "elle ne peut plus être rouverte.")


def check_deadline_change(status: str, cut: bool = False):
    """The initiator moves the deadline while the grouped order is open, or reopens it with a
    later deadline while it waits for the bookshop's validation (parents who forgot: the
    reference's « il peut modifier la date butoir »), unless a title was cut meanwhile (its
    buyers were told and refunded)."""
    if status == AWAITING_VALIDATION:
        if cut:
            raise conflict(REOPEN_AFTER_CUT)
        return
    if status != OPEN:
        raise conflict("La date limite ne peut plus être changée : la commande est validée, "
                      "mise à disposition ou annulée.")


def check_initiator_can_cancel(status: str, paid_subs: int):
    """The initiator cancels their own grouped order (the wrong title, a class trip called
    off) while the bookshop has not validated it and no parent has paid: paid parents are
    refunded by the bookshop's own cancellation (its money, its decision)."""
    if status == CANCELLED:
        raise conflict("Cette commande groupée est déjà annulée.")
    if status not in (OPEN, AWAITING_VALIDATION):
        raise conflict("La librairie a déjà validé cette commande groupée : demandez-lui son "
                       "annulation.")
    if paid_subs:
        raise conflict(f"{paid_subs} parent{'s ont' if paid_subs > 1 else ' a'} déjà payé : "
                       "seule la librairie peut annuler la commande groupée et "
                       "rembourser. Contactez-la.")


def check_sub_order_action(sub_status: str, group_status: str, action: str):
    """The bookshop validates (a cheque handed over) or cancels a sub-order by hand."""
    if group_status in (PROCESSING, CLOSED, CANCELLED):
        raise conflict("La commande groupée n'accepte plus de modification de ses "
                       "sous-commandes.")
    if action == "validate" and sub_status != AWAITING_PAYMENT:
        raise conflict("Seule une sous-commande en attente de paiement peut être validée.")
    if action == "cancel" and sub_status == SUB_CANCELLED:
        raise conflict("Cette sous-commande est déjà annulée.")


def check_cancel_reason(reason) -> str:
    """Cancelling a grouped order says why (the buyers and Librisoft are told)."""
    reason = (reason or "").strip()
    if not reason:
        raise invalid("Indiquez le motif de l'annulation.", {"reason": ["Obligatoire."]})
    if len(reason) > REASON_MAX:  # refused, not stored cut
        raise invalid(f"Le motif est trop long ({REASON_MAX} caractères au plus).",
                      {"reason": [f"{REASON_MAX} caractères au plus."]})
    return reason


def sub_cancel_reason(reason) -> str:
    """The reason a sub-order is cancelled for (optional), as stored."""
    return (reason or "").strip()[:SUB_REASON_MAX]


def cancelled_with_the_order(sub_status: str) -> bool:
    """Cancelling a grouped order cancels each of its sub-orders not cancelled already."""
    return sub_status != SUB_CANCELLED


def librisoft_status(status, picked_up: bool, current):
    """What the bookshop sees of the classic order in Librisoft: its status when the bridge
    gives one, else "Récupérée par LIBRISOFT" once picked up, else what was known."""
    return status or (PICKED_UP_BY_LIBRISOFT if picked_up else current)
