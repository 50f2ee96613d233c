"""The roles of the site's accounts and who may create whom (reference 001, "Les types de
comptes du site", "Créer un compte collectivité" §3), written once: the accounts service's
rules (`services.accounts.domain.roles`) and the gateway's authorization (`gateway.security`)
both read this table. Pure Python: the domains may import it."""

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

# the roles that may create (and so manage) accounts: admin, Approbateur, Collectivité
MANAGERS = tuple(role for role in ROLES if CREATABLE[role])


def creatable_by(role) -> tuple:
    """The roles an account of `role` may create (none for an unknown role)."""
    return CREATABLE.get(role, ())


def role_label(role) -> str:
    """The French label of a role; an unknown role is shown as it is."""
    return ROLE_LABELS.get(role, role)
