"""The last active Approbateur (or Collectivité) of a client is not deactivated while baskets
wait at its level: they waited for good, out of everyone's hands (an outside review found the
page's check bypassed by the JSON API, and by two tabs deactivating the two Approbateurs at
once). The rule is accounts' own, in the deactivation's transaction."""
import pytest

from services.accounts import use_cases
from services.accounts.models import Base
from services.common.errors import DomainError
from tests.support.fakes import sqlite_database
from tests.unit.accounts.test_use_cases import _seeded, make

WAITING = [{"id": 9, "name": "Classe CM2", "client_number": "16",
            "client_name": "ECOLE JULES FERRY"}]


@pytest.fixture
def db(tmp_path):
    with sqlite_database("accounts", Base, tmp_path) as database:
        yield from _seeded(database)


def deactivate(db, actor, account, waiting, asked=None):
    def waiting_for(numbers, role):
        if asked is not None:
            asked.append((list(numbers), role))
        return waiting
    with db.transaction() as s:
        return use_cases.set_active(s, actor, account, False, waiting_for)


def test_the_last_approver_with_baskets_waiting_stays_active(db):
    coll = make(db, 1, "achats@ecole.fr", "collectivite", ["16"])
    appro = make(db, coll["id"], "chef@ecole.fr", "approbateur", ["16"])
    asked = []
    with pytest.raises(DomainError) as err:
        deactivate(db, coll["id"], appro["id"], WAITING, asked)
    assert err.value.code == "conflict"
    assert err.value.message.startswith("Le compte chef@ecole.fr n'est pas désactivé : c'est "
                                        "le seul compte approbateur actif de son client")
    assert "« Classe CM2 » (ECOLE JULES FERRY)" in err.value.message
    assert asked == [(["16"], "approbateur")]
    assert deactivate(db, coll["id"], appro["id"], [])["active"] is False  # nothing waits


def test_with_another_approver_it_goes_ahead_and_then_the_other_is_the_last(db):
    coll = make(db, 1, "achats@ecole.fr", "collectivite", ["16"])
    first = make(db, coll["id"], "chef@ecole.fr", "approbateur", ["16"])
    second = make(db, coll["id"], "adjoint@ecole.fr", "approbateur", ["16"])
    asked = []
    assert deactivate(db, coll["id"], first["id"], WAITING, asked)["active"] is False
    assert asked == []  # another one holds the level: baskets not even asked
    with pytest.raises(DomainError):
        deactivate(db, coll["id"], second["id"], WAITING)


def test_an_utilisateur_is_deactivated_without_asking(db):
    coll = make(db, 1, "achats@ecole.fr", "collectivite", ["16"])
    user = make(db, coll["id"], "biblio@ecole.fr", "utilisateur", ["16"])
    asked = []
    assert deactivate(db, coll["id"], user["id"], WAITING, asked)["active"] is False
    assert asked == []
