import pytest

from services.common.contracts.events import make_envelope
from services.common.nameko_glue import AmqpPublisher


@pytest.fixture(scope="session")
def api_key(suite):
    from services.librisoft_bridge import keys
    db = suite.db("librisoft_bridge")
    key = keys.create_key(db, "test-bookshop")
    db.dispose()
    return key


def service_db(service):
    """A module-scoped fixture: `service`'s database in the running suite (its inbox, outbox
    and tables), e.g. `baskets_db = service_db("baskets")`."""
    @pytest.fixture(scope="module")
    def fixture(suite):
        db = suite.db(service)
        yield db
        db.dispose()

    return fixture


bridge_db = service_db("librisoft_bridge")


@pytest.fixture(scope="session")
def publish(suite):
    """Publish an event as its producer's outbox relay would (confirms, mandatory)."""
    publisher = AmqpPublisher(suite.amqp_uri)

    def send(event_type, payload=None, body=None, source=None):
        from services.common.contracts.events import contract
        body = body or make_envelope(event_type, payload, source or contract(event_type).source)
        publisher(event_type, body)
        return body

    return send


@pytest.fixture
def things_db():
    """A throwaway PostgreSQL database with the unit tests' `things` table and thing 1 open."""
    import os
    from tests.support.suite import throwaway_db
    from tests.unit.common.test_guards_idempotency import Base, Thing
    with throwaway_db(f"lsbt_things_{os.getpid()}", "things", Base.metadata) as database:
        with database.transaction() as s:
            s.add(Thing(id=1, status="open"))
        yield database
