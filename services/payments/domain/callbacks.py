"""What a provider's verified notification does to a payment (issue 3): a move forward is
applied; a move backwards is ignored; a success after a failure (money taken after all) is
recorded and refunded at once, never kept. Either way, a success notification tells a provider
that keeps its own records that the money is captured."""
from dataclasses import dataclass
from decimal import Decimal

from services.common.errors import invalid

from .states import SUCCEEDED, can_move, late_success

APPLIED, REFUNDED_AT_ONCE, IGNORED = "applied", "refunded", "ignored"


@dataclass(frozen=True)
class CallbackDecision:
    outcome: str    # "applied" (move to the target), "refunded" (late success), "ignored"
    capture: bool   # the provider learns that the money was captured


def check_notified_amount(notified: Decimal, expected: Decimal) -> None:
    if notified != expected:
        raise invalid("Le montant notifié ne correspond pas au montant du paiement.")


def decide_callback(current: str, target: str) -> CallbackDecision:
    """The decision for a notification moving a payment from `current` to `target`."""
    moves, late = can_move(current, target), late_success(current, target)
    outcome = APPLIED if moves else REFUNDED_AT_ONCE if late else IGNORED
    return CallbackDecision(outcome, capture=target == SUCCEEDED and (moves or late))
