"""The states of reference 003 (Oxatis' "Paiement" column) as a forward-only state machine.

    pending --> processing --> succeeded --> refunded
       |            |--------> refused | cancelled | error
       '--> error   (the provider could not even open its page)

A success notified after a refusal, an abandon or an error (a bank that captured after all) is
the one way back: the money was taken although the buyer was told it was not, so it is recorded
(succeeded, without telling anyone it was paid) and refunded at once, in the same transaction
(`late_success`)."""
from services.common.errors import conflict

PENDING, PROCESSING, SUCCEEDED = "pending", "processing", "succeeded"
REFUSED, CANCELLED, ERROR, REFUNDED = "refused", "cancelled", "error", "refunded"

# Reference 003's six payment labels, the only vocabulary shown for a payment (issue 9). A
# refunded payment is an order paid then cancelled: "Annulé" (its refunds are listed apart).
LABEL_CANCELLED, LABEL_ERROR = "Annulé", "Erreur technique"
LABEL_PENDING, LABEL_PROCESSING = "En attente du paiement", "Paiement en cours de traitement"
LABEL_REFUSED, LABEL_CONFIRMED = "Paiement refusé", "Paiement confirmé"
LABELS = (LABEL_CANCELLED, LABEL_ERROR, LABEL_PENDING, LABEL_PROCESSING, LABEL_REFUSED,
          LABEL_CONFIRMED)

STATE_LABELS = {
    PENDING: LABEL_PENDING,
    PROCESSING: LABEL_PROCESSING,
    SUCCEEDED: LABEL_CONFIRMED,
    REFUSED: LABEL_REFUSED,
    CANCELLED: LABEL_CANCELLED,
    ERROR: LABEL_ERROR,
    REFUNDED: LABEL_CANCELLED,
}
STATES = tuple(STATE_LABELS)
FAILED_STATES = (REFUSED, CANCELLED, ERROR)

TRANSITIONS = {
    PENDING: frozenset({PROCESSING, ERROR}),
    PROCESSING: frozenset({SUCCEEDED, REFUSED, CANCELLED, ERROR}),
    SUCCEEDED: frozenset({REFUNDED}),
    REFUSED: frozenset(), CANCELLED: frozenset(), ERROR: frozenset(), REFUNDED: frozenset(),
}

LATE_SUCCESS_REASON = ("Paiement reçu après un refus ou un abandon : remboursé "
                       "automatiquement.")

FAILURE_REASONS = {
    REFUSED: "Paiement refusé par la banque de l'acheteur.",
    CANCELLED: "Paiement abandonné par l'acheteur.",
    ERROR: "Erreur technique chez le prestataire de paiement.",
}


def state_label(state: str) -> str:
    """The reference 003 label of one of payments' own states (the one mapping)."""
    return STATE_LABELS[state]


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, ())


def move(current: str, target: str) -> str:
    """The new state, or DomainError conflict if the machine does not go from current to target."""
    if not can_move(current, target):
        raise conflict(f"Un paiement « {STATE_LABELS.get(current, current)} » ne peut pas passer "
                       f"à « {STATE_LABELS.get(target, target)} ».")
    return target


def late_success(current: str, target: str) -> bool:
    """A success notified once the payment had failed (refused, cancelled, error): the money is
    taken and must go back, automatically."""
    return target == SUCCEEDED and current in FAILED_STATES
