import warnings
from datetime import datetime, timezone
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", message=r"(?s).*Eventlet is deprecated")

ADMIN_EMAIL = "admin@librairie.test"
ADMIN_PASSWORD = "admin-password-2026"

UNIT_TIER = Path(__file__).parent / "unit"


@pytest.fixture(autouse=True)
def cheap_argon2_in_unit_tier(request, monkeypatch):
    """The unit tier hashes passwords with argon2's cheapest parameters (ARGON2_PROFILE=test,
    read by services/accounts/adapters/passwords.py at each hash); the integration and end-to-end tiers,
    and the services they start, keep the production ones."""
    if UNIT_TIER in Path(str(request.node.path)).parents:
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
    s = Suite(smtp_port=smtp_port_of(smtp))
    try:
        s.start_all()
        _create_admin(s)
        yield s
    finally:
        s.shutdown()


def smtp_port_of(collector):
    return collector.port


def _create_admin(suite):
    from services.accounts import use_cases
    db = suite.db("accounts")
    with db.transaction() as session:
        use_cases.create_admin(session, ADMIN_EMAIL, ADMIN_PASSWORD, datetime.now(timezone.utc))
    db.dispose()
