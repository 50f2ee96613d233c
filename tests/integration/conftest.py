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


@pytest.fixture(scope="module")
def bridge_db(suite):
    """The librisoft_bridge service's database, to look at its inbox and outbox."""
    db = suite.db("librisoft_bridge")
    yield db
    db.dispose()


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
