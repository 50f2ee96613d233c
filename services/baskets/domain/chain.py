"""Baskets and their approval chain (reference 001, annexe "Comment le client traite les paniers").
Pure Python: no nameko, no SQL.

A basket belongs to one collectivity client and is created by one account, its owner. It sits
at a *level*, and whoever holds that level acts on it:

    0 DRAFT            the owner's draft (always editable by the owner, never locked)
    1 AT_APPROVER      at the client's Approbateur accounts ("Paniers à valider")
    2 AT_COLLECTIVITY  at the client's Collectivité accounts ("Paniers à valider")
    3 TRANSFORMED      made into a quote request or an order; nothing moves any more

An Utilisateur sends its draft to level 1, an Approbateur its own draft straight to level 2,
a Collectivité transforms its own draft directly. Arriving at level 1 or 2 locks the basket; its
holder may unlock it to edit the lines, lock it again, pass it on (submit), or return it to the
previous level the basket actually visited (`path`), with a comment for the sender.

Refusals: `forbidden` when this account is not the one entitled to act on the basket in its
state (not its holder, not its owner, the wrong role), `conflict` when it is entitled but the
state does not allow it (locked, not locked, empty, transformed, no previous level)."""
from dataclasses import dataclass, field

from services.common.errors import DomainError, conflict, forbidden, invalid
from services.common.roles import ADMIN, APPROBATEUR, COLLECTIVITE, UTILISATEUR
from services.common.validation import whole_number


ROLES = (UTILISATEUR, APPROBATEUR, COLLECTIVITE)
ROLE_LEVEL = {UTILISATEUR: 0, APPROBATEUR: 1, COLLECTIVITE: 2}

DRAFT, AT_APPROVER, AT_COLLECTIVITY, TRANSFORMED = 0, 1, 2, 3
LEVEL_LABELS = {DRAFT: "En préparation", AT_APPROVER: "À valider par l'approbateur",
                AT_COLLECTIVITY: "À valider par la collectivité", TRANSFORMED: "Transformé"}

NAME_MAX = 100
DEFAULT_NAME = "Mon panier"
COMMENT_MAX = 1000
REFERENCE_MAX = 50
MAX_QUANTITY = 999
MAX_LINES = 500

# what may be done to a basket
RENAME, DELETE, EDIT, SUBMIT, UNLOCK, LOCK, RETURN, TRANSFORM, RECALL = (
    "rename", "delete", "edit", "submit", "unlock", "lock", "return", "transform", "recall")
ACTIONS = (RENAME, DELETE, EDIT, SUBMIT, UNLOCK, LOCK, RETURN, TRANSFORM, RECALL)

@dataclass(frozen=True)
class Actor:
    id: int
    role: str
    client_numbers: frozenset = field(default_factory=frozenset)
    email: str = ""


@dataclass(frozen=True)
class BasketState:
    """What the rules need to know of a basket."""
    owner_id: int
    owner_role: str
    client_number: str
    level: int = DRAFT
    path: tuple = (DRAFT,)        # the levels visited, the current one last
    locked: bool = False
    lines: int = 0


def check_account(active: bool, role: str, bookshop: bool):
    """Every call re-checks its account: a deactivated one does nothing; the bookshop's methods
    are the admin's only, and the collectivity's are not the admin's."""
    if not active or (role == ADMIN) != bookshop:
        raise forbidden()


def check_collectivity_actor(actor: Actor):
    if actor.role not in ROLES:
        raise forbidden("Les paniers sont réservés aux comptes collectivité.")


# ---- who sees and who holds -----------------------------------------------------------------
def is_owner(actor: Actor, b: BasketState) -> bool:
    return actor.id == b.owner_id


def of_client(actor: Actor, b: BasketState) -> bool:
    return actor.role in ROLES and b.client_number in actor.client_numbers


def can_see(actor: Actor, b: BasketState) -> bool:
    """Its owner always; Approbateurs and Collectivités of its client once it reached their
    level (a transformed basket is past every level); nobody else."""
    if not of_client(actor, b):
        return False
    if is_owner(actor, b):
        return True
    return actor.role in (APPROBATEUR, COLLECTIVITE) and b.level >= ROLE_LEVEL[actor.role]


def holds(actor: Actor, b: BasketState) -> bool:
    """The account whose turn it is: the owner at level 0, an Approbateur of the client at
    level 1, a Collectivité of the client at level 2, nobody once transformed."""
    if not of_client(actor, b):
        return False
    if b.level == DRAFT:
        return is_owner(actor, b)
    if b.level == AT_APPROVER:
        return actor.role == APPROBATEUR
    if b.level == AT_COLLECTIVITY:
        return actor.role == COLLECTIVITE
    return False


def frozen(level: int) -> bool:
    """A transformed basket is frozen: it is no longer re-priced (its lines are the document's)."""
    return level == TRANSFORMED


def client_number(numbers, chosen) -> str:
    """The client an account buys for: the one it chose, or its only one."""
    if chosen not in (None, ""):
        return str(chosen).strip()[:40]
    if len(numbers) == 1:
        return numbers[0]
    raise invalid("Choisissez le client collectivité pour lequel vous achetez.",
                  {"client_number": ["Choisissez un client."]})


def submit_target(b: BasketState) -> int | None:
    """Where "submit" sends the basket from its level (None: there is nothing to submit to)."""
    if b.level == DRAFT:
        return {UTILISATEUR: AT_APPROVER, APPROBATEUR: AT_COLLECTIVITY}.get(b.owner_role)
    if b.level == AT_APPROVER:
        return AT_COLLECTIVITY
    return None


def return_target(b: BasketState) -> int | None:
    return b.path[-2] if len(b.path) >= 2 and b.level in (AT_APPROVER, AT_COLLECTIVITY) else None


def may_transform(actor: Actor, b: BasketState) -> bool:
    """A Collectivité transforms what it holds: a basket at level 2, or its own draft."""
    return holds(actor, b) and actor.role == COLLECTIVITE


# ---- the rules, one per action --------------------------------------------------------------
def _holder(actor, b):
    if not holds(actor, b):
        raise forbidden("Ce panier n'est pas entre vos mains : vous ne pouvez pas agir dessus.")


def check(actor: Actor, b: BasketState, action: str):
    """Raise DomainError unless `actor` may do `action` to `b` now. In this order: a basket the
    actor cannot see is forbidden; a transformed one is a conflict for all who see it; then
    whether this actor is entitled (forbidden), then whether the state allows it (conflict)."""
    if action not in ACTIONS:
        raise invalid(f"Action inconnue : « {action} ».")
    if not can_see(actor, b):
        raise forbidden("Ce panier ne vous est pas accessible.")
    if b.level == TRANSFORMED:
        raise conflict("Ce panier a déjà été transformé : il ne peut plus être modifié.")
    if action == RENAME:
        if not (is_owner(actor, b) or ROLE_LEVEL[actor.role] > ROLE_LEVEL[b.owner_role]):
            raise forbidden("Seuls son créateur et les rôles au-dessus de lui peuvent renommer "
                            "ce panier.")
    elif action == DELETE:
        if not is_owner(actor, b):
            raise forbidden("Seul le créateur d'un panier peut le supprimer.")
        if b.level != DRAFT:
            raise conflict("Seul un panier en préparation peut être supprimé.")
    elif action == EDIT:
        _holder(actor, b)
        if b.locked:
            raise conflict("Ce panier est verrouillé : déverrouillez-le pour le modifier.")
    elif action == SUBMIT:
        _holder(actor, b)
        if submit_target(b) is None:
            raise forbidden("La collectivité ne transmet pas ce panier : elle le transforme en "
                            "demande de devis ou en commande.")
        if b.lines == 0:
            raise conflict("Ce panier est vide : ajoutez-y des articles avant de l'envoyer.")
    elif action in (UNLOCK, LOCK):
        _holder(actor, b)
        if b.level == DRAFT:
            raise conflict("Un panier en préparation n'est jamais verrouillé.")
        if action == UNLOCK and not b.locked:
            raise conflict("Ce panier est déjà déverrouillé.")
        if action == LOCK and b.locked:
            raise conflict("Ce panier est déjà verrouillé.")
    elif action == RETURN:
        _holder(actor, b)
        if return_target(b) is None:
            raise conflict("Ce panier n'a pas de rôle précédent.")
    elif action == RECALL:
        # « Reprendre ce panier »: its creator takes back a basket sent a moment ago (a line
        # forgotten), while it waits untouched where it was sent
        if not is_owner(actor, b):
            raise forbidden("Seul le créateur d'un panier peut le reprendre.")
        if b.level == DRAFT:
            raise conflict("Ce panier est déjà entre vos mains.")
        if tuple(b.path) != (DRAFT, b.level):
            raise conflict("Ce panier a été transmis plus loin : demandez qu'on vous le "
                           "retourne.")
        if not b.locked:
            raise conflict("Ce panier est en cours de modification par son destinataire : "
                           "demandez-lui de vous le retourner.")
    elif action == TRANSFORM:
        if not may_transform(actor, b):
            raise forbidden("Seule la collectivité qui détient ce panier peut le transformer en "
                            "demande de devis ou en commande.")
        if b.lines == 0:
            raise conflict("Ce panier est vide : il ne peut pas être transformé.")


def allowed(actor: Actor, b: BasketState) -> list:
    """The actions `actor` may take on `b` now, in the order of ACTIONS."""
    names = []
    for action in ACTIONS:
        try:
            check(actor, b, action)
        except DomainError:
            continue
        names.append(action)
    return names


def action_labels(b: BasketState) -> dict:
    """The reference's button labels for this basket's state."""
    to = submit_target(b)
    return {
        RENAME: "Renommer le panier", DELETE: "Supprimer le panier", EDIT: "Modifier le panier",
        SUBMIT: ("Envoyer ce panier à l'approbateur" if to == AT_APPROVER
                 else "Transmettre ce panier à la collectivité"),
        UNLOCK: "Déverrouiller le panier", LOCK: "Verrouiller le panier",
        RETURN: "Retourner ce panier au rôle précédent", TRANSFORM: "Transformer ce panier",
        "transform_quote": "Transformer ce panier en demande de devis",
        "transform_order": "Transformer ce panier en commande",
        RECALL: "Reprendre ce panier",
    }


# ---- transitions: (new level, new path, locked) ---------------------------------------------
@dataclass(frozen=True)
class Move:
    action: str
    from_level: int
    to_level: int
    path: tuple
    locked: bool


def submit(actor: Actor, b: BasketState) -> Move:
    check(actor, b, SUBMIT)
    to = submit_target(b)
    return Move(SUBMIT, b.level, to, (*b.path, to), True)


def unlock(actor: Actor, b: BasketState) -> Move:
    check(actor, b, UNLOCK)
    return Move(UNLOCK, b.level, b.level, b.path, False)


def lock(actor: Actor, b: BasketState) -> Move:
    check(actor, b, LOCK)
    return Move(LOCK, b.level, b.level, b.path, True)


def return_(actor: Actor, b: BasketState, comment) -> tuple[Move, str]:
    check(actor, b, RETURN)
    comment = check_comment(comment)
    to = return_target(b)
    return Move(RETURN, b.level, to, b.path[:-1], to != DRAFT), comment


def recall(actor: Actor, b: BasketState) -> Move:
    check(actor, b, RECALL)
    return Move(RECALL, b.level, DRAFT, (DRAFT,), False)


def transform(actor: Actor, b: BasketState) -> Move:
    check(actor, b, TRANSFORM)
    return Move(TRANSFORM, b.level, TRANSFORMED, (*b.path, TRANSFORMED), True)


LEVEL_ROLES = {AT_APPROVER: APPROBATEUR, AT_COLLECTIVITY: COLLECTIVITE}


def told_of_move(move: Move, holders: dict, owner_email: str, actor_email: str) -> list:
    """Who is mailed that a basket now waits for them (`holders`: the client's active
    accounts' addresses by role): the accounts of the level it was sent or returned to, or its
    owner when it comes back to the draft; never the one who moved it. Nobody for a lock or an
    unlock."""
    if move.action not in (SUBMIT, RETURN) or move.to_level == move.from_level:
        return []
    if move.to_level == DRAFT:
        emails = [owner_email]
    else:
        emails = holders.get(LEVEL_ROLES.get(move.to_level), [])
    mover = (actor_email or "").strip().lower()
    return [e for e in dict.fromkeys(e.strip().lower() for e in emails if e and e.strip())
            if e != mover]


HOLDER_LABELS = {AT_APPROVER: "approbateur", AT_COLLECTIVITY: "collectivité"}


def waiting_level(role: str) -> int | None:
    """The level whose baskets wait for the accounts of `role` (None: the Utilisateur's drafts
    are its own, they wait for no one)."""
    return {APPROBATEUR: AT_APPROVER, COLLECTIVITE: AT_COLLECTIVITY}.get(role)


def check_someone_holds(move: Move, told: list, client_name: str):
    """A basket sent (or returned) to a level where the client has no active account would
    wait there for good, out of everyone's hands: refused, saying what to ask the bookshop."""
    if move.to_level in HOLDER_LABELS and move.to_level != move.from_level and not told:
        role = HOLDER_LABELS[move.to_level]
        raise conflict(f"Aucun compte {role} actif n'est rattaché à {client_name} : ce panier "
                       f"attendrait une validation que personne ne peut donner. Demandez à la "
                       f"librairie de créer ou de réactiver un compte {role}.")


# ---- field checks ---------------------------------------------------------------------------
def check_name(name) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        return DEFAULT_NAME
    if len(name) > NAME_MAX:
        raise invalid(f"Le nom du panier est trop long ({NAME_MAX} caractères au plus).",
                      {"name": [f"{NAME_MAX} caractères au plus."]})
    return name


def check_new_name(name) -> str:
    """A rename: an empty name is refused (it said « Le panier est renommé. » and named it
    « Mon panier »); a new basket without a name is still « Mon panier » (`check_name`)."""
    if not " ".join(str(name or "").split()):
        raise invalid("Donnez un nom au panier.", {"name": ["Le nom est obligatoire."]})
    return check_name(name)


def check_comment(comment, field_name="comment") -> str:
    comment = str(comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise invalid(f"Le commentaire est trop long ({COMMENT_MAX} caractères au plus).",
                      {field_name: [f"{COMMENT_MAX} caractères au plus."]})
    return comment


def check_quantity(quantity) -> int:
    """A whole number 1..999 (an int, or a string of digits from a form): 2.5 or "2.5" is
    refused, never truncated."""
    value = whole_number(quantity)
    if value is None or not 1 <= value <= MAX_QUANTITY:
        raise invalid(f"La quantité doit être un nombre entier entre 1 et {MAX_QUANTITY}.",
                      {"quantity": [f"Entre 1 et {MAX_QUANTITY}."]})
    return value


def check_added_quantity(already: int, added) -> int:
    """A line's quantity after `added` copies (checked as `check_quantity`) go to the
    `already` there: over the maximum, the message says the line's own figures."""
    added = check_quantity(added)
    if already + added > MAX_QUANTITY:
        raise invalid(f"Ce panier contient déjà {already} exemplaire{'s' if already > 1 else ''} "
                      f"de cet article : {MAX_QUANTITY} au plus par article "
                      f"({MAX_QUANTITY - already} de plus au maximum).",
                      {"quantity": [f"{MAX_QUANTITY - already} au plus."]})
    return already + added


def check_reference(reference) -> str:
    reference = " ".join(str(reference or "").split())
    if not reference:
        raise invalid("La référence collectivité est obligatoire.",
                      {"reference": ["Obligatoire."]})
    if len(reference) > REFERENCE_MAX:
        raise invalid(f"La référence collectivité est trop longue ({REFERENCE_MAX} caractères "
                      "au plus).", {"reference": [f"{REFERENCE_MAX} caractères au plus."]})
    return reference


def row_id(value) -> int | None:
    """A basket's or a document's number as given by a caller, or None if it cannot be one."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 2**31 - 1 else None


def check_can_add_line(lines: int):
    if lines >= MAX_LINES:
        raise conflict(f"Un panier compte au plus {MAX_LINES} articles différents.")

