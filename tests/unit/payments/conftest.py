import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from services.common import outbox
from services.common.contracts.events import load_envelope
from tests.support.fakes import database_fixture
from services.common.messaging_models import messaging_tables
from services.payments.adapters import sandbox, signatures
from services.payments.models import Base, SandboxNotification

NOW = datetime(2027, 1, 15, 8, 0, tzinfo=timezone.utc)
SETTINGS = sandbox.Settings(secret="sandbox-dev-secret", public_url="http://pay.test",
                            callback_url="http://pay.test/payments/v1/callbacks/sandbox",
                            merchant="Librairie du Parc")


db = database_fixture("payments", Base)


@pytest.fixture
def provider():
    return sandbox.SandboxProvider(SETTINGS)


class Outbox:
    """`record` writing to the real outbox; `events()` reads them back through their contracts."""

    def __init__(self, db):
        self.db = db

    def __call__(self, session, event_type, payload):
        return outbox.record(session, self.db.metadata, "payments", event_type, payload)

    def events(self):
        """The events but `payment_state_changed` (one per state entered: see `states()`)."""
        return [(t, p) for t, p in self.all_events() if t != "payment_state_changed"]

    def all_events(self):
        table = messaging_tables(self.db.metadata)[0]
        with self.db.transaction() as session:
            rows = session.execute(select(table.c.event_type, table.c.body)
                                   .order_by(table.c.id)).all()
        return [(t, load_envelope(t, body)[1]) for t, body in rows]

    def types(self):
        return [t for t, _ in self.events()]

    def states(self):
        """(payment_id, state, label) of each `payment_state_changed`, in order."""
        return [(p["payment_id"], p["state"], p["label"]) for t, p in self.all_events()
                if t == "payment_state_changed"]

    def moves(self):
        """(previous_state, state) of each `payment_state_changed`, in order."""
        return [(p["previous_state"], p["state"]) for t, p in self.all_events()
                if t == "payment_state_changed"]


@pytest.fixture
def record(db):
    return Outbox(db)


def start_data(**changes):
    data = {"reference_kind": "sub_order", "reference_id": "154", "amount": "14.90",
            "description": "Commande groupée n° 65 — Le livre × 1",
            "customer_email": "oscar@laposte.net", "return_url": "http://127.0.0.1:9/retour",
            "idempotency_key": "sub-154-a"}
    data.update(changes)
    return data


def checkout_id(started: dict) -> str:
    return started["redirect_url"].rsplit("/", 1)[1]


def notifications(db) -> list:
    with db.transaction() as session:
        return [(n.id, n.body) for n in session.scalars(
            select(SandboxNotification).order_by(SandboxNotification.id))]


def notification(event_id, kind, checkout, amount="14.90", **extra) -> bytes:
    return json.dumps({"event_id": event_id, "type": kind, "checkout_id": checkout,
                       "amount": amount, "occurred_at": NOW.isoformat(), **extra}).encode()


def signed(body: bytes, at=NOW, secret=SETTINGS.secret) -> dict:
    return {signatures.HEADER: signatures.header_value(secret, int(at.timestamp()), body)}
