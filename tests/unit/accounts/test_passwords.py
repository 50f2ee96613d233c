"""argon2 parameters: production unchanged (argon2-cffi's RFC 9106 low-memory defaults), the
cheap test profile only where ARGON2_PROFILE=test says so (the tests, tests/conftest.py)."""
import argon2
import pytest

from services.accounts.adapters import passwords


def test_production_parameters_are_unchanged(monkeypatch):
    monkeypatch.delenv("ARGON2_PROFILE", raising=False)
    h = passwords.hasher()
    assert (h.type, h.time_cost, h.memory_cost, h.parallelism, h.hash_len, h.salt_len) == \
        (argon2.Type.ID, 3, 65536, 4, 32, 16)
    stored = passwords.hash_password("un mot de passe")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify_password(stored, "un mot de passe")


def test_the_unit_tier_hashes_cheaply_and_both_profiles_verify_each_other(monkeypatch):
    assert passwords.profile_name() == "test"  # set by tests/conftest.py for every test
    cheap = passwords.hash_password("secret")
    assert cheap.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    monkeypatch.setenv("ARGON2_PROFILE", "production")
    assert passwords.verify_password(cheap, "secret")
    strong = passwords.hash_password("secret")
    monkeypatch.setenv("ARGON2_PROFILE", "test")
    assert passwords.verify_password(strong, "secret")
    assert not passwords.verify_password(strong, "autre")
    assert not passwords.verify_password(None, "secret")


def test_an_unknown_profile_is_refused(monkeypatch):
    monkeypatch.setenv("ARGON2_PROFILE", "fast")
    with pytest.raises(RuntimeError, match="ARGON2_PROFILE"):
        passwords.hash_password("secret")
