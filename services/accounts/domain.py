"""Accounts rules (reference 001, "Les types de comptes du site", "Contraintes de
fonctionnement", "Créer un compte collectivité"). Pure Python: no nameko, no SQL."""
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from services.common.errors import forbidden, invalid, throttled
from services.common.validation import EMAIL_MAX, check_email

ADMIN = "admin"
UTILISATEUR = "utilisateur"
APPROBATEUR = "approbateur"
COLLECTIVITE = "collectivite"
COLLECTIVITY_ROLES = (UTILISATEUR, APPROBATEUR, COLLECTIVITE)
ROLES = (ADMIN, *COLLECTIVITY_ROLES)
ROLE_LABELS = {ADMIN: "Libraire (administrateur)", UTILISATEUR: "Utilisateur",
               APPROBATEUR: "Approbateur", COLLECTIVITE: "Collectivité"}

# who may create which roles (the admin creates any; reference 001 §3)
CREATABLE = {
    ADMIN: ROLES,
    COLLECTIVITE: (UTILISATEUR, APPROBATEUR),
    APPROBATEUR: (UTILISATEUR,),
    UTILISATEUR: (),
}

PASSWORD_MIN = 10
PASSWORD_MAX = 128

LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_IP = 30
RESET_TOKEN_TTL = timedelta(hours=1)
SESSION_TTL = timedelta(hours=12)   # the gateway's cookie lives as long


@dataclass
class Actor:
    id: int
    role: str
    client_numbers: frozenset = field(default_factory=frozenset)

    @property
    def is_admin(self):
        return self.role == ADMIN


def normalize_email(email) -> str:
    """The one check of every door (services.common.validation, email-validator)."""
    return check_email(email)


def check_password(password, confirmation=None):
    problems = []
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        problems.append(f"Au moins {PASSWORD_MIN} caractères.")
    elif len(password) > PASSWORD_MAX:
        problems.append(f"Au plus {PASSWORD_MAX} caractères.")
    if confirmation is not None and confirmation != password:
        raise invalid("La confirmation ne correspond pas au mot de passe.",
                      {"confirmation": ["Différente du mot de passe."]})
    if problems:
        raise invalid("Le mot de passe est trop faible : " + " ".join(problems),
                      {"password": problems})


def check_role(role) -> str:
    if role not in ROLES:
        raise invalid("Droits inconnus : choisissez Utilisateur, Approbateur ou Collectivité.",
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


def check_login_allowed(failures_for_email: int, failures_for_ip: int):
    """Throttle before checking the password, the same way whether the account exists or not."""
    if failures_for_email >= MAX_FAILURES_PER_EMAIL or failures_for_ip >= MAX_FAILURES_PER_IP:
        raise throttled("Trop de tentatives de connexion. Réessayez dans quelques minutes.")


def new_reset_token(now: datetime):
    """(token for the mail, its hash to store, expiry). The token has 256 bits of entropy."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token), now + RESET_TOKEN_TTL


def new_session_token(now: datetime):
    """(token for the session cookie, its hash to store, expiry)."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token), now + SESSION_TTL


def session_valid(ended_at, expires_at, session_version, account_active,
                  account_session_version, now) -> bool:
    return (ended_at is None and expires_at > now and account_active
            and session_version == account_session_version)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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


def newer_revision(stored_revision, incoming_revision) -> bool:
    """A client update is applied only if it is newer than what we hold (events may arrive out
    of order or twice)."""
    return stored_revision is None or incoming_revision > stored_revision
