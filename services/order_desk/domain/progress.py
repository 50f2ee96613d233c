"""The progress of an order on the desk (references 002 §2 and 003 step 2), in the one vocabulary
of `services.common.progress`: which moves exist, which of them the desk records itself and
which it must ask of the order's owner, and when the customer is mailed. Pure Python.

The rules, read from reference 002 §2:

- the forward path is Commande enregistrée → Confirmation en cours → En cours de traitement →
  Commande prête → Livraison/retrait en cours → Terminé. « Confirmation en cours » is optional
  (the reference's menu on a registered order offers « En cours de traitement » at once);
  « Commande prête » appears only once the order is « En cours de traitement », and
  « Livraison/retrait en cours » only once it is « Commande prête »; « Terminé » « indiquera
  directement que la commande est terminée »: it may be chosen from any state of the path.
  Nothing goes back (the owner's own « Réinitialiser le statut » excepted, see `owner_applies`);
- « Annulée » (a reason is required) and « Erreur » are reachable from any state but « Terminé »;
  « Annulée » is final (the owner refunded what was paid online);
- « Erreur » (« ne pas toucher ce statut » : the system sets it, the bookshop may too) is left
  for the state the order was in before the error, once the problem is solved, or for
  « Annulée »;
- a quote is never « prête » nor « en livraison » (it is a request for a price): its path is
  enregistrée → confirmation → traitement → terminé;
- a move that is an owner's action (cancel a sub-order, validate, make available or cancel a
  grouped order, make available, ship, close or cancel a collectivity order) is asked of the
  owner: its event then moves the progress (`OWNER_ACTIONS`). A grouped order cannot be
  « Terminé » on the desk before its owner made it available: a jump may not skip a step the
  owner must take (`REQUIRED_STEPS`)."""
from dataclasses import dataclass

from services.common.errors import conflict, invalid
from services.common.progress import (CANCELLED, CONFIRMING, DELIVERING, DONE, ERROR, LABELS,
                                      PATH, PROCESSING, PROGRESS_CODES, READY, REGISTERED,
                                      SILENT)

KINDS = ("sub_order", "grouped_order", "collectivity_order", "quote")
KIND_LABELS = {"sub_order": "Sous-commande", "grouped_order": "Commande groupée",
               "collectivity_order": "Commande collectivité", "quote": "Demande de devis"}

# the forward moves the bookshop may choose (reference 002 §2's menu)
FORWARD = {
    REGISTERED: (CONFIRMING, PROCESSING, DONE),
    CONFIRMING: (PROCESSING, DONE),
    PROCESSING: (READY, DONE),
    READY: (DELIVERING, DONE),
    DELIVERING: (DONE,),
    DONE: (),
    CANCELLED: (),
    ERROR: (),
}
# the states a kind never takes
NOT_FOR = {"quote": (READY, DELIVERING)}
FINAL = (DONE, CANCELLED)
REASON_MAX = 1000
COMMENT_MAX = 1000


@dataclass(frozen=True)
class OwnerAction:
    """What the desk asks of the owner for a move: the owner service and its action."""
    service: str   # grouped_orders / baskets
    action: str    # the owner's RPC (grouped_orders) or bookshop action (baskets)
    needs_reason: bool = False


OWNER_ACTIONS = {
    ("sub_order", CANCELLED): OwnerAction("grouped_orders", "admin_cancel_sub_order", True),
    ("grouped_order", PROCESSING): OwnerAction("grouped_orders", "validate_grouped_order"),
    ("grouped_order", READY): OwnerAction("grouped_orders", "make_available"),
    ("grouped_order", CANCELLED): OwnerAction("grouped_orders", "cancel_grouped_order", True),
    ("collectivity_order", READY): OwnerAction("baskets", "made_available"),
    ("collectivity_order", DELIVERING): OwnerAction("baskets", "shipped"),
    ("collectivity_order", DONE): OwnerAction("baskets", "closed"),
    ("collectivity_order", CANCELLED): OwnerAction("baskets", "cancelled", True),
}
# the owners' events that mail the customer themselves (notifications): the desk's
# `order_progressed` then says mail=False, so that a move gives one mail
OWNER_MAILED = {("grouped_order", PROCESSING), ("grouped_order", READY), ("grouped_order", DONE),
                ("collectivity_order", READY), ("collectivity_order", DELIVERING),
                ("collectivity_order", DONE), ("grouped_order", CANCELLED),
                ("collectivity_order", CANCELLED), ("sub_order", CANCELLED)}
# the steps of the path a kind's owner must take itself: a desk jump may not pass over them
REQUIRED_STEPS = {"grouped_order": (PROCESSING, READY)}


@dataclass(frozen=True)
class Move:
    """A move the bookshop asked for, checked: from -> to, its comment (the reason of a
    cancellation), and the owner's action when the owner must make it (None: the desk records
    it itself)."""
    kind: str
    from_status: str
    to_status: str
    comment: str
    owner: OwnerAction | None

    @property
    def recorded_by_desk(self) -> bool:
        return self.owner is None


def check_kind(kind) -> str:
    if kind not in KINDS:
        raise invalid("Type de commande inconnu.", {"kind": ["Type de commande inconnu."]})
    return kind


def check_status(code, field="to") -> str:
    if code not in PROGRESS_CODES:
        raise invalid("État d'avancement inconnu.", {field: ["État d'avancement inconnu."]})
    return code


def next_states(kind: str, current: str, before_error: str | None = None) -> tuple:
    """The states the bookshop may move an order to from `current`, in the menu's order.
    `before_error`: the state an order in « Erreur » was in before (from its history)."""
    if current == ERROR:
        back = (before_error,) if before_error and before_error not in (ERROR,) + FINAL else ()
        return back + (CANCELLED,)
    if current in FINAL:
        return ()
    forward = tuple(s for s in FORWARD[current]
                    if s not in NOT_FOR.get(kind, ()) and not _skips_required(kind, current, s))
    return forward + (CANCELLED, ERROR)


def _skips_required(kind, current, to) -> bool:
    """Whether the jump current -> to passes over a step the owner must take itself."""
    if current not in PATH or to not in PATH:
        return False
    between = PATH[PATH.index(current) + 1:PATH.index(to)]
    return any(step in between for step in REQUIRED_STEPS.get(kind, ()))


def clean_comment(comment, to: str) -> str:
    """The comment of a move, stripped; a cancellation's is its reason, required."""
    comment = (comment or "").strip()
    limit = REASON_MAX if to == CANCELLED else COMMENT_MAX
    if to == CANCELLED and not comment:
        raise invalid("Indiquez le motif de l'annulation.",
                      {"comment": ["Le motif est obligatoire pour annuler."]})
    if len(comment) > limit:
        raise invalid(f"Le commentaire est trop long ({limit} caractères au plus).",
                      {"comment": ["Trop long."]})
    return comment


def check_move(kind: str, current: str, to: str, comment="", *, expected=None,
               before_error=None) -> Move:
    """The bookshop's move of an order (kind) from `current` to `to`. `expected`: the state the
    bookshop saw when it chose (a form): if the order moved since, the move is stale (409).
    Raises invalid (400: unknown state, missing reason) or conflict (409: not from here)."""
    check_kind(kind)
    check_status(to)
    comment = clean_comment(comment, to)
    if expected is not None and expected != current:
        check_status(expected, "from")
        raise conflict(f"Cette commande est passée à « {LABELS[current]} » entre-temps : "
                       "rechargez la page pour voir son état actuel.")
    if to == current:
        raise conflict(f"Cette commande est déjà « {LABELS[current]} ».")
    if to not in next_states(kind, current, before_error):
        if current in FINAL:
            raise conflict(f"Une commande « {LABELS[current]} » ne change plus d'état.")
        if to in NOT_FOR.get(kind, ()):
            raise conflict(f"Une {KIND_LABELS[kind].lower()} n'est jamais « {LABELS[to]} ».")
        if _skips_required(kind, current, to):
            raise conflict(f"La {KIND_LABELS[kind].lower()} doit d'abord passer par « "
                           f"{LABELS[_first_required(kind, current, to)]} ».")
        raise conflict(f"Impossible de passer de « {LABELS[current]} » à « {LABELS[to]} ».")
    owner = None if current == ERROR and to != CANCELLED else OWNER_ACTIONS.get((kind, to))
    return Move(kind, current, to, comment, owner)


def _first_required(kind, current, to):
    between = PATH[PATH.index(current) + 1:PATH.index(to)]
    return next(s for s in between if s in REQUIRED_STEPS.get(kind, ()))


def owner_applies(current: str | None, to: str, *, reset=False) -> bool:
    """Whether an owner's event (the owner already moved) moves the desk's progress from
    `current` to `to`. The owner decided: any forward move on the path, jumps included, and
    « Annulée » or « Erreur » from a state that is not final. The same state again (an event
    repeated, or late: made available after shipped) changes nothing; a late event never moves
    an order back. `reset`: the owner's own « Réinitialiser le statut », the one move back."""
    if current is None:
        return True
    if to == current:
        return False
    if reset:
        return True
    if current in FINAL:
        return False
    if to in (CANCELLED, ERROR):
        return True
    if current == ERROR:
        return True
    return PATH.index(to) > PATH.index(current)


def mails_customer(to: str, owner_mailed=False) -> bool:
    """Every state but « Annulée » and « Erreur » mails the customer (reference 002 §2), once:
    not again when the owner's own event mailed them already (made available, a collectivity
    order's status change)."""
    return to not in SILENT and not owner_mailed


def owner_mails(kind: str, to: str) -> bool:
    """Whether the owner's own event for the move of a `kind` to `to` mailed the customer."""
    return (kind, to) in OWNER_MAILED


def before_error(history: list) -> str | None:
    """The state an order in « Erreur » was in before it, from its history ((from, to) pairs,
    oldest first)."""
    for from_status, to_status in reversed(history):
        if to_status == ERROR:
            return from_status if from_status != ERROR else None
    return None


def cancellable_by_owner(kind: str, current: str, grouped_progress=None) -> bool:
    """Whether the owner still takes « Annulée »: grouped_orders cancels a grouped order until
    it is made available (« Commande prête » and after: refused, « Clôturée »), and a
    sub-order until its grouped order is validated (`grouped_progress`: the grouped order's
    progress on the desk, None if the desk has not heard of it)."""
    if kind == "grouped_order":
        return current not in (READY, DELIVERING, DONE)
    if kind == "sub_order":
        return grouped_progress not in (PROCESSING, READY, DELIVERING, DONE, CANCELLED)
    return True


def menu(kind: str, current: str, before=None, invoiced=False, cancellable=True) -> list:
    """The moves the desk's form offers: [{code, label, owner, needs_reason}]. An order whose
    invoice is live (`invoiced`) is not offered Annulée: its owner refuses it until a credit
    note cancels the invoice (docs/invoicing.md § The order locked); nor is one its owner no
    longer cancels (`cancellable`: `cancellable_by_owner`), which it offered, then refused."""
    return [{"code": s, "label": LABELS[s],
             "owner": (kind, s) in OWNER_ACTIONS and not (current == ERROR and s != CANCELLED),
             "needs_reason": s == CANCELLED}
            for s in next_states(kind, current, before)
            if not (s == CANCELLED and (invoiced or not cancellable))]
