import pytest

from services.accounts import domain
from services.accounts.domain import (ADMIN, APPROBATEUR, COLLECTIVITE, UTILISATEUR, Actor,
                                      authorize_creation)
from services.common.errors import DomainError
from services.common.validation import check_email

KNOWN = {"16", "17", "8010000696914"}
admin = Actor(1, ADMIN)
collectivite = Actor(2, COLLECTIVITE, frozenset({"16", "17"}))
approbateur = Actor(3, APPROBATEUR, frozenset({"16"}))
utilisateur = Actor(4, UTILISATEUR, frozenset({"16"}))


@pytest.mark.parametrize("actor,role,allowed", [
    (admin, UTILISATEUR, True), (admin, APPROBATEUR, True), (admin, COLLECTIVITE, True),
    (collectivite, UTILISATEUR, True), (collectivite, APPROBATEUR, True),
    (collectivite, COLLECTIVITE, False), (collectivite, ADMIN, False),
    (approbateur, UTILISATEUR, True), (approbateur, APPROBATEUR, False),
    (approbateur, COLLECTIVITE, False),
    (utilisateur, UTILISATEUR, False), (utilisateur, APPROBATEUR, False),
])
def test_who_may_create_whom(actor, role, allowed):
    if allowed:
        assert authorize_creation(actor, role, ["16"], KNOWN) == ["16"]
    else:
        with pytest.raises(DomainError) as exc:
            authorize_creation(actor, role, ["16"], KNOWN)
        assert exc.value.code == "forbidden"


def test_a_collectivity_account_needs_at_least_one_known_active_client():
    with pytest.raises(DomainError) as exc:
        authorize_creation(admin, UTILISATEUR, [], KNOWN)
    assert exc.value.details["client_numbers"]
    with pytest.raises(DomainError) as exc:
        authorize_creation(admin, UTILISATEUR, ["999"], KNOWN)
    assert "999" in exc.value.message


def test_non_admins_only_assign_their_own_clients():
    assert authorize_creation(collectivite, APPROBATEUR, ["17", "16", "16"], KNOWN) == \
        ["16", "17"]
    with pytest.raises(DomainError) as exc:
        authorize_creation(approbateur, UTILISATEUR, ["17"], KNOWN)
    assert exc.value.code == "forbidden"


def test_an_admin_account_has_no_client():
    assert authorize_creation(admin, ADMIN, [], KNOWN) == []
    with pytest.raises(DomainError):
        authorize_creation(admin, ADMIN, ["16"], KNOWN)


@pytest.mark.parametrize("role", ["superuser", "", None, "Approbateur"])
def test_unknown_roles_are_refused(role):
    with pytest.raises(DomainError) as exc:
        authorize_creation(admin, role, ["16"], KNOWN)
    assert exc.value.code == "invalid"


@pytest.mark.parametrize("email", ["", "no-at-sign", "a@b", "x" * 250 + "@a.fr", "a b@c.fr"])
def test_bad_emails(email):
    with pytest.raises(DomainError):
        check_email(email)


def test_emails_are_normalised():
    assert check_email("  Prof.Martin@Ecole.FR ") == "prof.martin@ecole.fr"


def test_password_rules():
    domain.check_password("x" * 10)
    for bad in ("short", "", None, "x" * 129):
        with pytest.raises(DomainError):
            domain.check_password(bad)
    with pytest.raises(DomainError) as exc:
        domain.check_password("x" * 10, "y" * 10)
    assert "confirmation" in exc.value.details


def test_alert_banner_of_reference_001():
    alerts = domain.client_alerts({
        "16": [UTILISATEUR],                          # utilisateur sans approbateur
        "17": [APPROBATEUR, UTILISATEUR],             # approbateur sans collectivité
        "18": [UTILISATEUR, APPROBATEUR, COLLECTIVITE],
        "19": [COLLECTIVITE],
        "20": [],
    })
    assert alerts == [
        "Le compte client 16 comporte un utilisateur sans approbateur, ou un approbateur sans "
        "collectivité.",
        "Le compte client 17 comporte un utilisateur sans approbateur, ou un approbateur sans "
        "collectivité."]


def test_login_throttle():
    domain.check_login_allowed(domain.MAX_FAILURES_PER_EMAIL - 1, 0)
    with pytest.raises(DomainError) as exc:
        domain.check_login_allowed(domain.MAX_FAILURES_PER_EMAIL, 0)
    assert exc.value.code == "throttled"
    with pytest.raises(DomainError):
        domain.check_login_allowed(0, domain.MAX_FAILURES_PER_IP)


def test_reset_tokens_are_long_and_stored_hashed():
    from datetime import datetime, timezone
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    token, token_hash, expires = domain.new_reset_token(now)
    assert len(token) >= 43 and token_hash == domain.hash_token(token) != token
    assert expires - now == domain.RESET_TOKEN_TTL


def test_client_revisions_only_move_forward():
    assert domain.newer_revision(None, 1)
    assert domain.newer_revision(1, 2)
    assert not domain.newer_revision(2, 2)
    assert not domain.newer_revision(3, 2)
