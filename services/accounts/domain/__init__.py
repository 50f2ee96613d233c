"""Accounts rules (reference 001, "Les types de comptes du site", "Contraintes de
fonctionnement", "Créer un compte collectivité"). Pure Python: no nameko, no SQL, no I/O.

One module per topic, re-exported here (`domain.X`):

- `roles`: the roles, who creates whom (the table itself is `services.common.roles`, shared
  with the gateway), who manages which account, the admin's alert banner;
- `passwords`: the password policy;
- `sessions`: signed-in sessions and reset links (tokens, their lifetimes, validity);
- `throttling`: how many failed sign-ins are allowed;
- `clients`: the replica of Librisoft's collectivity clients, their SIRET and Chorus code."""
from .clients import CHORUS_CODE_MAX, check_client_billing, newer_revision
from .passwords import PASSWORD_MAX, PASSWORD_MIN, check_password
from .roles import (ADMIN, APPROBATEUR, COLLECTIVITE, COLLECTIVITY_ROLES, CREATABLE,
                    ROLE_LABELS, ROLES, UTILISATEUR, Actor, authorize_creation, check_role,
                    client_alerts, left_waiting_message, may_manage, may_see,
                    waiting_role_label)
from .sessions import (MAX_RESET_LINKS, RESET_TOKEN_TTL, SESSION_TTL, hash_token,
                       may_send_reset_link, new_reset_token, new_session_token, session_valid)
from .throttling import (LOGIN_WINDOW, MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_IP,
                         check_login_allowed)

__all__ = [
    "newer_revision", "CHORUS_CODE_MAX", "check_client_billing", "PASSWORD_MAX", "PASSWORD_MIN", "check_password", "ADMIN", "APPROBATEUR",
    "COLLECTIVITE", "COLLECTIVITY_ROLES", "CREATABLE", "ROLE_LABELS", "ROLES", "UTILISATEUR",
    "Actor", "authorize_creation", "check_role", "client_alerts", "may_manage", "may_see",
    "left_waiting_message", "waiting_role_label",
    "RESET_TOKEN_TTL", "SESSION_TTL", "hash_token", "new_reset_token", "new_session_token",
    "MAX_RESET_LINKS", "may_send_reset_link",
    "session_valid", "LOGIN_WINDOW", "MAX_FAILURES_PER_EMAIL", "MAX_FAILURES_PER_IP",
    "check_login_allowed",
]
