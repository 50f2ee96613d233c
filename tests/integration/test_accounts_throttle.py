"""Login throttling counts attempts fired at once, on a real PostgreSQL (row locks), as the
accounts service runs them: the attempt reserved in one transaction, the password checked in
another. Only one database of its own: no broker, no other service."""
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from services.accounts import use_cases
from services.accounts.models import Base, LoginAttempt
from services.common.errors import DomainError
from tests.support.suite import throwaway_db


@pytest.fixture
def pg():
    with throwaway_db(f"lsbt_throttle_{uuid.uuid4().hex[:8]}", "accounts", Base.metadata) as db:
        now = datetime.now(timezone.utc)
        with db.transaction() as s:
            use_cases.create_admin(s, "admin@librairie.test", "admin-password", now)
        yield db


def attempt(db, email, password, ip):
    now = datetime.now(timezone.utc)
    try:
        with db.transaction() as s:
            attempt_id = use_cases.reserve_login_attempt(s, email, ip, now)
        with db.transaction() as s:
            return "ok" if use_cases.check_login(s, attempt_id, email, password, now) else "wrong"
    except DomainError as exc:
        return exc.code


def test_concurrent_wrong_passwords_count_at_most_five_per_address(pg):
    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(lambda i: attempt(pg, "admin@librairie.test", "nope",
                                                  f"10.0.0.{i}"), range(20)))
    assert results.count("wrong") == 5 and results.count("throttled") == 15, results
    with pg.transaction() as s:
        assert s.scalar(select(func.count()).select_from(LoginAttempt)) == 5
    # even the right password is refused now
    assert attempt(pg, "admin@librairie.test", "admin-password", "10.9.9.9") == "throttled"


def test_concurrent_attempts_from_one_ip_count_at_most_thirty(pg):
    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(lambda i: attempt(pg, f"user{i}@ecole.fr", "nope", "6.6.6.6"),
                                range(45)))
    assert results.count("wrong") == 30 and results.count("throttled") == 15, results
