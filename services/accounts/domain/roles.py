"""Who may create, see and (de)activate which account (reference 001, "Les types de comptes du
site" and "Créer un compte collectivité" §3), and the admin's alert banner (§4). The roles and
the who-creates-whom table are `services.common.roles` (the gateway's authorization reads the
same table)."""
from dataclasses import dataclass, field

from services.common.errors import forbidden, invalid
from services.common.roles import (ADMIN, APPROBATEUR, COLLECTIVITE, COLLECTIVITY_ROLES,
                                   CREATABLE, ROLE_LABELS, ROLES, UTILISATEUR)

__all__ = ["ADMIN", "APPROBATEUR", "COLLECTIVITE", "COLLECTIVITY_ROLES", "CREATABLE",
           "ROLE_LABELS", "ROLES", "UTILISATEUR", "Actor", "check_role", "authorize_creation",
           "may_manage", "client_alerts"]


@dataclass
class Actor:
    id: int
    role: str
    client_numbers: frozenset = field(default_factory=frozenset)

    @property
    def is_admin(self):
        return self.role == ADMIN


def check_role(role) -> str:
    if role not in ROLES:
        raise invalid("Droits inconnus : choisissez Utilisateur, Approbateur, Collectivité (ou "
                      "Administrateur, pour la librairie).",
                      {"role": ["Valeur inconnue."]})
    return role


def authorize_creation(actor: Actor, role: str, client_numbers, known_active_clients) -> list:
    """The client numbers the new account gets, or DomainError. An admin account has none; a
    collectivity account has at least one, all known and active, and (for a non-admin creator)
    all among the creator's own clients."""
    check_role(role)
    if role not in CREATABLE.get(actor.role, ()):
        raise forbidden("Vous ne pouvez pas créer un compte avec ces droits.")
    numbers = sorted({str(n).strip() for n in client_numbers or () if str(n).strip()})
    if role == ADMIN:
        if numbers:
            raise invalid("Un compte libraire n'est affecté à aucun client.",
                          {"client_numbers": ["Aucun client pour un compte libraire."]})
        return []
    if not numbers:
        raise invalid("Affectez au moins un client collectivité.",
                      {"client_numbers": ["Au moins un client."]})
    unknown = [n for n in numbers if n not in known_active_clients]
    if unknown:
        raise invalid("Client(s) inconnu(s) ou inactif(s) : " + ", ".join(unknown),
                      {"client_numbers": ["Client inconnu : " + n for n in unknown]})
    if not actor.is_admin:
        foreign = [n for n in numbers if n not in actor.client_numbers]
        if foreign:
            raise forbidden("Vous ne pouvez affecter que vos propres clients collectivité.")
    return numbers


def may_manage(actor: Actor, target_role: str, target_clients) -> bool:
    """May `actor` see and (de)activate an account? Admin: all. Others: accounts whose role
    they could create and whose clients are all among their own."""
    if actor.is_admin:
        return True
    return (target_role in CREATABLE.get(actor.role, ())
            and bool(target_clients) and set(target_clients) <= set(actor.client_numbers))


def may_see(actor: Actor, target_role: str, target_clients) -> bool:
    """May `actor` see an account in its « Comptes » list? Those it manages, and those of a
    role it could create that share one of its clients while also attached to another (an
    Utilisateur of two schools): shown to each school, managed by the bookshop alone."""
    if may_manage(actor, target_role, target_clients):
        return True
    return (target_role in CREATABLE.get(actor.role, ())
            and bool(set(target_clients or ()) & set(actor.client_numbers)))


def client_alerts(clients_roles: dict) -> list:
    """Reference 001 §4: the admin's banner. `clients_roles` maps client number -> the roles of
    its active accounts. A client with an Utilisateur but no Approbateur, or an Approbateur but
    no Collectivité account, is reported."""
    alerts = []
    for number, roles in clients_roles.items():
        roles = set(roles)
        if (UTILISATEUR in roles and APPROBATEUR not in roles) or \
                (APPROBATEUR in roles and COLLECTIVITE not in roles):
            alerts.append(f"Le compte client {number} comporte un utilisateur sans approbateur, "
                          "ou un approbateur sans collectivité.")
    return alerts


# the roles whose accounts baskets wait for (reference 001, annexe: the approval chain)
WAITING_ROLE_LABELS = {APPROBATEUR: "approbateur", COLLECTIVITE: "collectivité"}


def waiting_role_label(role: str):
    """« approbateur » / « collectivité » for a role baskets wait for; None for the others."""
    return WAITING_ROLE_LABELS.get(role)


def left_waiting_message(email: str, role: str, waiting: list) -> str:
    """Why the last active account of its role for a client is not deactivated: `waiting` are
    the baskets ({name, client_name}) that would then wait for good."""
    label = WAITING_ROLE_LABELS[role]
    names = ", ".join(f"« {b['name']} » ({b['client_name']})" for b in waiting[:5]) + (
        f" et {len(waiting) - 5} autre(s)" if len(waiting) > 5 else "")
    return (f"Le compte {email} n'est pas désactivé : c'est le seul compte {label} actif de "
            f"son client, et {len(waiting)} panier(s) attendent sa validation : {names}. "
            f"Désactivé, personne ne pourrait plus les valider. Créez d'abord un autre compte "
            f"{label} (il verra ces paniers), ou faites-les traiter avant.")
