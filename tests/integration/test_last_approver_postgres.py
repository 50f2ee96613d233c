"""Two tabs deactivating a client's two Approbateurs at the same moment (PostgreSQL): each saw
the other still active and both went through, leaving the baskets waiting with no one to
validate them. The client's active accounts of that role are locked by the deactivation: the
second waits, then sees it would be the last one and is refused."""
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest

from services.accounts import use_cases
from services.accounts.models import Account, Base
from services.common.errors import DomainError
from tests.support.fakes import Events
from tests.support.suite import throwaway_db
from tests.unit.accounts.test_use_cases import client

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)
WAITING = [{"id": 9, "name": "Classe CM2", "client_number": "16",
            "client_name": "ECOLE JULES FERRY"}]


@pytest.fixture
def pg():
    with throwaway_db(f"lsbt_acc_{uuid.uuid4().hex[:8]}", "accounts", Base.metadata) as db:
        yield db


def make(db, actor_id, email, role):
    with db.transaction() as s:
        return use_cases.create_account(s, actor_id, {
            "email": email, "password": "password-2026", "confirmation": "password-2026",
            "role": role, "client_numbers": ["16"]}, NOW, Events())


def test_two_approvers_deactivated_at_once_leave_one(pg):
    with pg.transaction() as s:
        use_cases.apply_client_update(s, client("16", "ECOLE JULES FERRY"), NOW)
        use_cases.create_admin(s, "admin@librairie.test", "admin-password", NOW)
    coll = make(pg, 1, "achats@ecole.fr", "collectivite")
    first = make(pg, coll["id"], "chef@ecole.fr", "approbateur")
    second = make(pg, coll["id"], "adjoint@ecole.fr", "approbateur")
    locked = threading.Event()

    def deactivate(account_id, first_one):
        if not first_one:
            locked.wait(timeout=10)
        try:
            with pg.transaction() as s:
                use_cases.set_active(s, coll["id"], account_id, False, lambda n, r: WAITING)
                if first_one:
                    locked.set()
                    time.sleep(0.5)  # the other tab's request arrives meanwhile
            return "deactivated"
        except DomainError as exc:
            return exc.code

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(deactivate, [first["id"], second["id"]], [True, False]))
    assert outcomes == ["deactivated", "conflict"]
    with pg.transaction() as s:
        assert [a.email for a in s.query(Account).filter_by(role="approbateur", active=True)] \
            == ["adjoint@ecole.fr"]
