import os
import warnings
from datetime import datetime, timezone

import pytest

warnings.filterwarnings("ignore", message=r"(?s).*Eventlet is deprecated")

# every process of a suite (and the tests' own engines) keeps 2 idle connections, not 10:
# make test runs two suites side by side (one per pytest-xdist worker), and PostgreSQL
# allows 100 connections in all (a burst still opens up to 22 per process)
os.environ.setdefault("DB_POOL_SIZE", "2")

ADMIN_EMAIL = "admin@librairie.test"
ADMIN_PASSWORD = "admin-password-2026"

# the environment of the suites the tests start: argon2's cheapest parameters. Production's
# (64 MiB x 3 passes) cost 0.3-0.7 s a hash or a sign-in on 2 busy cores, and a run signs in
# and creates accounts hundreds of times; no integration or end-to-end test checks a hash's
# cost (tests/unit/accounts/test_passwords.py checks the profiles), and a hash carries its
# own parameters. The benchmarks' suites keep production's.
CHEAP_ARGON2 = {"ARGON2_PROFILE": "test",
                # the consumers' and relays' waits for a batch to form (issue 11: 50 and 20 ms,
                # for throughput under a steady stream) cut to 5 ms: the tests wait for each
                # event's effects one after the other, the code path stays the same
                # (tests/unit/common/test_batch_consumption.py, test_relay_soon.py check the
                # waits themselves; the benchmarks keep production's)
                "EVENT_BATCH_LINGER_MS": "5", "RELAY_LINGER_MS": "5"}


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch):
    """The tests hash passwords with argon2's cheapest parameters (ARGON2_PROFILE=test, read by
    services/accounts/adapters/passwords.py at each hash), in every tier, as do the services
    the integration and end-to-end tiers start (CHEAP_ARGON2), e.g. the concurrent sign-ins of
    tests/integration/test_accounts_throttle.py; tests/unit/accounts/test_passwords.py sets
    the profile it checks itself."""
    monkeypatch.setenv("ARGON2_PROFILE", "test")
    yield


@pytest.fixture(scope="session")
def smtp():
    from tests.support.smtp import start_smtp
    from tests.support.suite import free_port
    controller, collector = start_smtp(free_port())
    yield collector
    controller.stop()


@pytest.fixture(scope="session")
def suite(smtp):
    """Every service and the gateway, running for the whole test session."""
    from tests.support.suite import Suite
    s = Suite(smtp_port=smtp_port_of(smtp), env=CHEAP_ARGON2)
    try:
        s.start_all()
        _create_admin(s)
        yield s
    finally:
        s.shutdown()


def smtp_port_of(collector):
    return collector.port


def _create_admin(suite):
    """The admin account, hashed with the suite's parameters (each sign-in verifies with the
    parameters the hash carries)."""
    from services.accounts import use_cases
    db = suite.db("accounts")
    profile = os.environ.get("ARGON2_PROFILE")
    os.environ["ARGON2_PROFILE"] = suite.env.get("ARGON2_PROFILE", "production")
    try:
        with db.transaction() as session:
            use_cases.create_admin(session, ADMIN_EMAIL, ADMIN_PASSWORD,
                                   datetime.now(timezone.utc))
    finally:
        if profile is None:
            os.environ.pop("ARGON2_PROFILE", None)
        else:
            os.environ["ARGON2_PROFILE"] = profile
    db.dispose()
