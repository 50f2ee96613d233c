"""Accounts: activation is a guarded transition (the same request twice signs out once), and
creating an account with one idempotency key twice gives one account and one welcome mail."""
import pytest
from sqlalchemy import func, select

from services.accounts import use_cases
from services.accounts.models import Account, Base
from services.common import idempotency
from services.common.errors import DomainError
from services.common.guards import transition
from tests.support.fakes import Events, sqlite_database
from tests.unit.accounts.test_use_cases import NOW, _seeded, make


@pytest.fixture
def db(tmp_path):
    with sqlite_database("accounts", Base, tmp_path) as database:
        yield from _seeded(database)


class Store:
    def __init__(self, db):
        self.db = db

    def transaction(self):
        return self.db.transaction()


def test_deactivating_twice_signs_out_once_and_answers_the_same(db):
    user = make(db, 1, "biblio@ecole.fr", "collectivite", ["16"])
    answers = []
    for _ in range(2):
        with db.transaction() as s:
            answers.append(use_cases.set_active(s, 1, user["id"], False))
    assert answers[0] == answers[1] and answers[0]["active"] is False
    with db.transaction() as s:
        assert s.get(Account, user["id"]).session_version == user["session_version"] + 1
        use_cases.set_active(s, 1, user["id"], True)
        assert s.get(Account, user["id"]).session_version == user["session_version"] + 2


def test_creating_an_account_twice_with_one_key_creates_one(db):
    events = Events()
    data = {"email": "chef@ecole.fr", "password": "password-2026",
            "confirmation": "password-2026", "role": "collectivite", "client_numbers": ["16"]}
    request = {k: v for k, v in data.items() if k not in ("password", "confirmation")}
    results = [idempotency.once(Store(db), "new-1", "create_account", 1, request,
                                use_cases.create_account, 1, data, NOW, events)
               for _ in range(2)]
    assert results[0] == results[1] and len(events) == 1
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Account)
                        .where(Account.email == "chef@ecole.fr")) == 1
    with pytest.raises(DomainError) as refused:  # without the key: a clear refusal
        make(db, 1, "chef@ecole.fr", "collectivite", ["16"])
    assert "existe déjà" in refused.value.message


def test_a_reset_link_used_by_a_stale_twin_is_refused(db):
    """Two uses of one link read it unused; the first changes the password, the second (still
    deciding on what it read) is refused."""
    from services.accounts.models import ResetToken
    from services.accounts import domain
    user = make(db, 1, "biblio@ecole.fr", "collectivite", ["16"])
    token, token_hash, expires = domain.new_reset_token(NOW)
    with db.transaction() as s:
        s.add(ResetToken(token_hash=token_hash, account_id=user["id"], expires_at=expires))
    with db.transaction() as s:
        use_cases.reset_password(s, token, "nouveau-mot-2026", "nouveau-mot-2026", NOW)
        with pytest.raises(DomainError) as refused:
            transition(s, ResetToken, token_hash, [None], {"used_at": NOW},
                       column="used_at")
    assert refused.value.code == "conflict"
