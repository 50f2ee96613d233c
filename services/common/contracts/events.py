"""Event contracts: the name (past tense), its version, the producing service, the payload
schema and the consumers, whose durable queues the producer declares before publishing so that
an event published before its consumer ever started is kept, not dropped."""
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from marshmallow import EXCLUDE, Schema, fields, validate

from .fields import Percent


class Envelope(Schema):
    class Meta:
        unknown = EXCLUDE

    event_id = fields.String(required=True)
    event_type = fields.String(required=True)
    version = fields.Integer(required=True)
    source = fields.String(required=True)
    occurred_at = fields.String(required=True)
    payload = fields.Dict(required=True)


class Payload(Schema):
    class Meta:
        unknown = EXCLUDE


# ---- librisoft_bridge ----------------------------------------------------------------------
class Address(Payload):
    label = fields.String(load_default="")
    line1 = fields.String(load_default="")
    line2 = fields.String(load_default="")
    postal_code = fields.String(load_default="")
    city = fields.String(load_default="")


class Discounts(Payload):
    vat_2_1 = Percent(required=True)
    vat_5_5 = Percent(required=True)
    vat_20 = Percent(required=True)
    school = Percent(required=True)


class CollectivityClientUpdatedV1(Payload):
    """The full state of a collectivity client after a Librisoft sync (state transfer).
    `revision` grows with every change: a consumer ignores a revision older than the one it has."""
    number = fields.String(required=True)
    revision = fields.Integer(required=True)
    name = fields.String(required=True)
    addresses = fields.List(fields.Nested(Address), load_default=list)
    phone = fields.String(load_default="")
    email = fields.String(load_default="")
    gencod = fields.String(load_default="")
    active = fields.Boolean(required=True)
    discounts = fields.Nested(Discounts, required=True)
    lang_law_warning = fields.Boolean(load_default=False)


# ---- accounts ------------------------------------------------------------------------------
class AccountCreatedV1(Payload):
    account_id = fields.Integer(required=True)
    email = fields.String(required=True)
    role = fields.String(required=True)
    client_names = fields.List(fields.String(), load_default=list)
    created_by_email = fields.String(load_default="")


class PasswordResetRequestedV1(Payload):
    account_id = fields.Integer(required=True)
    email = fields.String(required=True)
    token = fields.String(required=True)
    expires_at = fields.String(required=True)


@dataclass(frozen=True)
class EventContract:
    name: str
    version: int
    source: str
    schema: type
    consumers: tuple = field(default=())  # (service, method) pairs

    def queue_name(self, service, method):
        # nameko's own naming for a SERVICE_POOL event handler queue
        return f"evt-{self.source}-{self.name}--{service}.{method}"


CONTRACTS = {c.name: c for c in (
    EventContract("collectivity_client_updated", 1, "librisoft_bridge",
                  CollectivityClientUpdatedV1,
                  consumers=(("accounts", "on_collectivity_client_updated"),)),
    EventContract("account_created", 1, "accounts", AccountCreatedV1,
                  consumers=(("notifications", "on_account_created"),)),
    EventContract("password_reset_requested", 1, "accounts", PasswordResetRequestedV1,
                  consumers=(("notifications", "on_password_reset_requested"),)),
)}


def contract(name) -> EventContract:
    try:
        return CONTRACTS[name]
    except KeyError:
        raise LookupError(f"unknown event type {name!r}: add it to services.common.contracts.events")


def make_envelope(name, payload: dict, source: str) -> dict:
    c = contract(name)
    if c.source != source:
        raise ValueError(f"{source} may not publish {name} (its source is {c.source})")
    body = c.schema().dump(payload)
    errors = c.schema().validate(body)
    if errors:
        raise ValueError(f"{name} payload breaks its contract: {errors}")
    return {
        "event_id": str(uuid.uuid4()),
        "event_type": name,
        "version": c.version,
        "source": source,
        "occurred_at": datetime.now(timezone.utc).isoformat(),
        "payload": body,
    }


def load_envelope(name, body: dict):
    """(envelope, payload) with the payload loaded through its contract; raises ValidationError."""
    envelope = Envelope().load(body)
    payload = contract(name).schema().load(envelope["payload"])
    return envelope, payload
