"""Event contracts: the name (past tense), its version, the producing service, the payload
schema and the consumers, whose durable queues the producer declares before publishing so that
an event published before its consumer ever started is kept, not dropped. The payloads' schemas
are in services/common/contracts/payloads.py and cycle_payloads.py (the order desk's and the
school cycle's)."""
import functools
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

from marshmallow import EXCLUDE, Schema, fields

from . import cycle_payloads as c, payloads as p


class Envelope(Schema):
    class Meta:
        unknown = EXCLUDE

    event_id = fields.String(required=True)
    event_type = fields.String(required=True)
    version = fields.Integer(required=True)
    source = fields.String(required=True)
    occurred_at = fields.String(required=True)
    payload = fields.Dict(required=True)


@dataclass(frozen=True)
class EventContract:
    name: str
    version: int
    source: str
    schema: type
    consumers: tuple = field(default=())  # (service, method) pairs
    # the consumers' queue names are the transport's: services.common.nameko_glue.event_queue_name
    # Routing by the payload (issue 11: a consumer that would do nothing with most events is not
    # delivered them): `topic(payload)` gives the routing key's second word (the key is then
    # "<name>.<word>"); `only` names, per (service, method), the one word its queue is bound to;
    # the other consumers are bound to "<name>.#" (every event of the type).
    topic: object = None
    only: dict = field(default_factory=dict)

    def routing_key(self, payload: dict) -> str:
        return self.name if self.topic is None else f"{self.name}.{self.topic(payload)}"

    def binding_key(self, service: str, method: str) -> str:
        if self.topic is None:
            return self.name
        word = self.only.get((service, method))
        return f"{self.name}.{word or '#'}"


def payment_place(payload: dict) -> str:
    """`sub_order_placed`'s routing word: "online" (the provider's page, then `sub_order_paid`)
    or "at_bookshop" (cheque, cash, at pickup: the buyer's instructions by mail)."""
    return "online" if payload.get("payment_method", "online") == "online" else "at_bookshop"


# consumers that no longer consume an event: their queue, still bound on a broker that ran an
# older version, would keep filling; the producer deletes it once (nameko_glue.AmqpPublisher).
# logistics heard every `sub_order_placed` for a sub-order's own hand-off, which doubled its
# grouped order's (whose lines carry the sub-order's copies): a parent's books go with it.
RETIRED_CONSUMERS = {"sub_order_placed": (("logistics", "on_sub_order_placed"),)}

CONTRACTS = {c.name: c for c in (
    EventContract("collectivity_client_updated", 1, "librisoft_bridge", p.CollectivityClientUpdatedV1,
                  consumers=(("accounts", "on_collectivity_client_updated"),)),
    EventContract("account_created", 1, "accounts", p.AccountCreatedV1,
                  consumers=(("notifications", "on_account_created"),)),
    EventContract("password_reset_requested", 1, "accounts", p.PasswordResetRequestedV1,
                  consumers=(("notifications", "on_password_reset_requested"),)),
    EventContract("grouped_order_created", 1, "grouped_orders", p.GroupedOrderCreatedV1,
                  consumers=(("notifications", "on_grouped_order_created"),
                             ("order_desk", "on_grouped_order_created"))),
    EventContract("grouped_order_deadline_passed", 1, "grouped_orders", p.GroupedOrderDeadlinePassedV1,
                  consumers=(("notifications", "on_grouped_order_deadline_passed"),)),
    EventContract("grouped_order_validated", 1, "grouped_orders", p.GroupedOrderValidatedV1,
                  consumers=(("librisoft_bridge", "on_grouped_order_validated"),
                             ("notifications", "on_grouped_order_validated"),
                             ("order_desk", "on_grouped_order_validated"),
                             ("logistics", "on_grouped_order_validated"))),
    EventContract("grouped_order_made_available", 1, "grouped_orders", p.GroupedOrderMadeAvailableV1,
                  consumers=(("notifications", "on_grouped_order_made_available"),
                             ("order_desk", "on_grouped_order_made_available"),
                             ("logistics", "on_grouped_order_made_available"))),
    EventContract("grouped_order_copies_changed", 1, "grouped_orders",
                  p.GroupedOrderCopiesChangedV1,
                  consumers=(("logistics", "on_grouped_order_copies_changed"),)),
    EventContract("grouped_order_cancelled", 1, "grouped_orders", p.GroupedOrderCancelledV1,
                  consumers=(("librisoft_bridge", "on_grouped_order_cancelled"),
                             ("notifications", "on_grouped_order_cancelled"),
                             ("order_desk", "on_grouped_order_cancelled"),
                             ("logistics", "on_grouped_order_cancelled"))),
    EventContract("grouped_order_failed", 1, "grouped_orders", p.GroupedOrderFailedV1,
                  consumers=(("notifications", "on_grouped_order_failed"),
                             ("order_desk", "on_grouped_order_failed"))),
    EventContract("sub_order_paid", 1, "grouped_orders", p.SubOrderPaidV1,
                  consumers=(("notifications", "on_sub_order_paid"),
                             ("order_desk", "on_sub_order_paid"))),
    EventContract("sub_order_cancelled", 1, "grouped_orders", p.SubOrderCancelledV1,
                  consumers=(("notifications", "on_sub_order_cancelled"),
                             ("order_desk", "on_sub_order_cancelled"),
                             ("invoicing", "on_sub_order_cancelled"),
                             ("payments", "on_sub_order_cancelled"))),
    EventContract("sub_order_refunded", 1, "grouped_orders", p.SubOrderRefundedV1,
                  consumers=(("notifications", "on_sub_order_refunded"),
                             ("order_desk", "on_sub_order_refunded"))),
    EventContract("sub_order_adjusted", 1, "grouped_orders", p.SubOrderAdjustedV1,
                  consumers=(("notifications", "on_sub_order_adjusted"),
                             ("order_desk", "on_sub_order_adjusted"))),
    EventContract("refund_requested", 1, "grouped_orders", p.RefundRequestedV1,
                  consumers=(("payments", "on_refund_requested"),)),
    EventContract("payment_succeeded", 1, "payments", p.PaymentSucceededV1,
                  consumers=(("grouped_orders", "on_payment_succeeded"),)),
    EventContract("payment_failed", 1, "payments", p.PaymentFailedV1,
                  consumers=(("grouped_orders", "on_payment_failed"),
                             ("notifications", "on_payment_failed"))),
    EventContract("payment_refunded", 1, "payments", p.PaymentRefundedV1,
                  consumers=(("grouped_orders", "on_payment_refunded"),)),
    EventContract("classic_order_status_changed", 1, "librisoft_bridge", p.ClassicOrderStatusChangedV1,
                  consumers=(("grouped_orders", "on_classic_order_status_changed"),
                             ("baskets", "on_classic_order_status_changed"),
                             ("order_desk", "on_classic_order_status_changed"))),
    EventContract("quote_requested", 1, "baskets", p.CollectivityDocumentV1,
                  consumers=(("librisoft_bridge", "on_quote_requested"),
                             ("notifications", "on_quote_requested"),
                             ("order_desk", "on_quote_requested"))),
    EventContract("collectivity_order_placed", 1, "baskets", p.CollectivityDocumentV1,
                  consumers=(("librisoft_bridge", "on_collectivity_order_placed"),
                             ("notifications", "on_collectivity_order_placed"),
                             ("order_desk", "on_collectivity_order_placed"),
                             ("logistics", "on_collectivity_order_placed"))),
    EventContract("collectivity_order_status_changed", 1, "baskets", p.CollectivityOrderStatusChangedV1,
                  consumers=(("librisoft_bridge", "on_collectivity_order_status_changed"),
                             ("notifications", "on_collectivity_order_status_changed"),
                             ("order_desk", "on_collectivity_order_status_changed"),
                             ("logistics", "on_collectivity_order_status_changed"),
                             ("invoicing", "on_collectivity_order_status_changed"))),
    EventContract("collectivity_message_sent", 1, "baskets", p.CollectivityMessageSentV1,
                  consumers=(("notifications", "on_collectivity_message_sent"),)),
    EventContract("basket_moved", 1, "baskets", p.BasketMovedV1,
                  consumers=(("notifications", "on_basket_moved"),)),
    EventContract("sub_order_placed", 1, "grouped_orders", c.SubOrderPlacedV1,
                  consumers=(("order_desk", "on_sub_order_placed"),
                             ("notifications", "on_sub_order_placed")),
                  topic=payment_place,
                  only={("notifications", "on_sub_order_placed"): "at_bookshop"}),
    EventContract("grouped_order_deadline_approached", 1, "grouped_orders", c.GroupedOrderDeadlineApproachedV1,
                  consumers=(("notifications", "on_grouped_order_deadline_approached"),)),
    EventContract("sub_order_payment_reminded", 1, "grouped_orders", c.SubOrderPaymentRemindedV1,
                  consumers=(("notifications", "on_sub_order_payment_reminded"),)),
    EventContract("grouped_order_reopened", 1, "grouped_orders", p.GroupedOrderReopenedV1,
                  consumers=(("notifications", "on_grouped_order_reopened"),)),
    EventContract("sub_order_email_corrected", 1, "grouped_orders", c.SubOrderEmailCorrectedV1,
                  consumers=(("notifications", "on_sub_order_email_corrected"),
                             ("order_desk", "on_sub_order_email_corrected"))),
    EventContract("sub_order_made_available", 1, "grouped_orders", c.SubOrderMadeAvailableV1,
                  consumers=(("notifications", "on_sub_order_made_available"),)),
    EventContract("sub_order_distribution_reminded", 1, "grouped_orders",
                  c.SubOrderDistributionRemindedV1,
                  consumers=(("notifications", "on_sub_order_distribution_reminded"),)),
    EventContract("payment_state_changed", 1, "payments", c.PaymentStateChangedV1,
                  consumers=(("order_desk", "on_payment_state_changed"),)),
    EventContract("order_progressed", 1, "order_desk", c.OrderProgressedV1,
                  consumers=(("logistics", "on_order_progressed"),
                             ("notifications", "on_order_progressed"))),
    EventContract("invoice_issued", 1, "invoicing", c.InvoiceIssuedV1,
                  consumers=(("order_desk", "on_invoice_issued"),
                             ("grouped_orders", "on_invoice_issued"),
                             ("baskets", "on_invoice_issued"),
                             ("notifications", "on_invoice_issued"),
                             ("logistics", "on_invoice_issued"))),
    EventContract("invoice_settled", 1, "invoicing", c.InvoiceSettledV1,
                  consumers=(("order_desk", "on_invoice_settled"),)),
    EventContract("orders_handed_off", 1, "logistics", c.OrdersHandedOffV1,
                  consumers=(("order_desk", "on_orders_handed_off"),)),
    EventContract("grouped_order_distributed", 1, "grouped_orders", p.GroupedOrderDistributedV1,
                  consumers=(("notifications", "on_grouped_order_distributed"),
                             ("order_desk", "on_grouped_order_distributed"))),
)}


def contract(name) -> EventContract:
    try:
        return CONTRACTS[name]
    except KeyError:
        raise LookupError(f"unknown event type {name!r}: add it to services.common.contracts.events")


@functools.cache
def _schema(name):
    """One schema instance per contract, reused (building a marshmallow schema deep-copies its
    fields and nested schemas: ~12 builds per subscription, a tenth of grouped_orders' CPU on
    the form's path, issue 11; dump, validate and load keep no state between calls)."""
    return contract(name).schema()


@functools.cache
def _envelope():
    return Envelope()


def make_envelope(name, payload: dict, source: str) -> dict:
    c = contract(name)
    if c.source != source:
        raise ValueError(f"{source} may not publish {name} (its source is {c.source})")
    schema = _schema(name)
    body = schema.dump(payload)
    errors = schema.validate(body)
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
    envelope = _envelope().load(body)
    payload = _schema(name).load(envelope["payload"])
    return envelope, payload
