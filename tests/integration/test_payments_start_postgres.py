"""payments' start_payment on a real PostgreSQL (Core statements, no savepoint since issue 11):
the same request sent twice at once (two instances) makes one payment, one checkout, one
`payment_state_changed`; both answers name it."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from services.common import outbox
from services.common.messaging_models import messaging_tables
from services.payments import use_cases
from services.payments.adapters import sandbox
from services.payments.models import Base, Payment, SandboxCheckout
from tests.support.suite import throwaway_db

NOW = datetime.now(timezone.utc)
PROVIDER = sandbox.SandboxProvider(sandbox.Settings(
    secret="s", public_url="http://pay.test", callback_url="http://pay.test/cb", merchant="L"))


@pytest.fixture
def pg():
    with throwaway_db(f"lsbt_pay_{uuid.uuid4().hex[:8]}", "payments", Base.metadata) as db:
        yield db


def data(key="sub-9-a", reference="9"):
    return {"reference_kind": "sub_order", "reference_id": reference, "amount": "14.90",
            "description": "Commande groupée n° 1", "customer_email": "a@b.fr",
            "return_url": "http://127.0.0.1:9/retour", "idempotency_key": key}


def start(db, request, barrier=None):
    def record(session, event_type, payload):
        return outbox.record(session, db.metadata, "payments", event_type, payload)

    with db.transaction() as s:
        if barrier is not None:
            barrier.wait(timeout=10)
        return use_cases.start_payment(s, PROVIDER, request, NOW, record)


def test_the_same_request_twice_at_once_makes_one_payment(pg):
    for attempt in range(3):
        request, barrier = data(f"sub-9-{attempt}", str(attempt)), threading.Barrier(2)
        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(start, [pg] * 2, [request] * 2, [barrier] * 2))
        assert answers[0] == answers[1] and answers[0]["state"] == "processing"
    with pg.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 3
        assert s.scalar(select(func.count()).select_from(SandboxCheckout)) == 3
        events = s.execute(select(messaging_tables(pg.metadata)[0].c.event_type)).scalars()
        assert list(events) == ["payment_state_changed"] * 3


def test_a_paid_reference_takes_no_new_payment_and_a_key_names_one_payment(pg):
    first = start(pg, data())
    assert start(pg, data()) == first
    with pg.transaction() as s:
        s.execute(Payment.__table__.update().values(state="succeeded"))
    assert start(pg, data()) == {**first, "state": "succeeded",
                                 "state_label": "Paiement confirmé"}
    with pytest.raises(Exception) as exc:
        start(pg, data("sub-9-b"))
    assert getattr(exc.value, "code", None) == "conflict"
    with pytest.raises(Exception) as exc:
        start(pg, {**data(), "amount": "15.00"})
    assert getattr(exc.value, "code", None) == "conflict"
