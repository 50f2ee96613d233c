"""A collectivity client's SIRET (checked by python-stdnum) and Chorus Pro service code: set by
the bookshop only, refused in French when wrong (nothing changed), kept through Librisoft's
updates, given to the services printing the client."""
import pytest

from services.accounts import domain, use_cases
from services.common.errors import DomainError
from tests.unit.accounts.test_use_cases import NOW, client, db, make  # noqa: F401

SIRET = "73282932000074"   # a valid SIRET (Luhn)


@pytest.mark.parametrize("given,kept", [
    ("73282932000074", "73282932000074"), (" 732 829 320 00074 ", "73282932000074"),
    ("", None), (None, None),
    # what python-stdnum accepts is stored as its 14 ASCII digits (Factur-X, Chorus Pro)
    ("732.829.320.00074", "73282932000074"), ("７３２８２９３２００００７４", "73282932000074")])
def test_a_valid_siret_or_none(given, kept):
    assert domain.check_client_billing(given, "")[0] == kept


@pytest.mark.parametrize("given,message", [
    ("73282932000075", "clé de contrôle"), ("7328293200007", "14 chiffres"),
    ("7328293200007A", "que des chiffres")])
def test_a_wrong_siret_is_refused_in_french(given, message):
    with pytest.raises(DomainError) as exc:
        domain.check_client_billing(given, "")
    assert exc.value.code == "invalid" and message in exc.value.details["siret"][0]


def test_the_chorus_code_is_optional_short_text():
    assert domain.check_client_billing("", "  SERVICE   ECOLES ") == (None, "SERVICE ECOLES")
    assert domain.check_client_billing("", " ") == (None, None)
    with pytest.raises(DomainError) as exc:
        domain.check_client_billing("", "x" * 101)
    assert "100 caractères" in exc.value.details["chorus_service_code"][0]


def test_the_bookshop_sets_them_and_librisoft_updates_keep_them(db):
    with db.transaction() as s:
        view = use_cases.set_client_billing(s, 1, "16", "732 829 320 00074", "ECOLES", NOW)
    assert (view["siret"], view["chorus_service_code"]) == (SIRET, "ECOLES")
    with db.transaction() as s:
        use_cases.apply_client_update(s, client("16", "ECOLE JULES FERRY", revision=2), NOW)
    with db.transaction() as s:
        got = use_cases.get_client(s, "16")
    assert (got["siret"], got["chorus_service_code"], got["revision"]) == (SIRET, "ECOLES", 2)


def test_a_bad_siret_changes_nothing_and_only_the_admin_may(db):
    with db.transaction() as s:
        use_cases.set_client_billing(s, 1, "16", SIRET, "ECOLES", NOW)
    with pytest.raises(DomainError) as exc, db.transaction() as s:
        use_cases.set_client_billing(s, 1, "16", "73282932000075", "AUTRE", NOW)
    assert exc.value.code == "invalid"
    coll = make(db, 1, "achats@ecole.fr", "collectivite", ["16"])
    with pytest.raises(DomainError) as exc, db.transaction() as s:
        use_cases.set_client_billing(s, coll["id"], "16", SIRET, "AUTRE", NOW)
    assert exc.value.code == "forbidden"
    with pytest.raises(DomainError) as exc, db.transaction() as s:
        use_cases.admin_get_client(s, coll["id"], "16")
    assert exc.value.code == "forbidden"
    with db.transaction() as s:
        got = use_cases.admin_get_client(s, 1, "16")
    assert (got["siret"], got["chorus_service_code"]) == (SIRET, "ECOLES")
    assert [a["email"] for a in got["accounts"]] == ["achats@ecole.fr"]
    with pytest.raises(DomainError) as exc, db.transaction() as s:
        use_cases.get_client(s, "999")
    assert exc.value.code == "not_found"


def test_who_holds_a_clients_baskets_active_accounts_by_role(db):
    """For baskets: who is told a basket waits for them (a deactivated account is not)."""
    coll = make(db, 1, "achats@ecole.fr", "collectivite", ["16"])
    make(db, coll["id"], "chef@ecole.fr", "approbateur", ["16"])
    gone = make(db, coll["id"], "ancien@ecole.fr", "approbateur", ["16"])
    with db.transaction() as s:
        use_cases.set_active(s, 1, gone["id"], False)
    with db.transaction() as s:
        assert use_cases.client_account_emails(s, "16") == {
            "collectivite": ["achats@ecole.fr"], "approbateur": ["chef@ecole.fr"]}
        assert use_cases.client_account_emails(s, "999") == {}
