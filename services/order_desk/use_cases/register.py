"""The register fed by the owners' events (consumers run in the event's transaction, once per
event id: services.common.inbox). Each consumer upserts the facts its event carries on
(kind, number) and, when the owner's event implies a progress move, calls
`progress.apply_owner_progress`. Events may arrive out of order: a row created by a late fact
(a sub_order_paid before its sub_order_placed) is completed by the earlier one when it comes."""
from sqlalchemy import update

from services.common.money import money

from ..domain import mapping, register
from ..models import RegisterEntry
from . import register_row
from .progress import (apply_owner_progress, catch_up_sub_order, follow_grouped_order,
                       lock_grouped_order)

SYSTEM = "système"


def upsert(session, kind, number, facts, now, *, keep=(), awaiting=None, payment=None,
           latest=None, unless_paid=False):
    """The register row of (kind, number), created if need be, with the facts the event knows
    set (`facts`: those named in `keep` only when the row has none yet: a placed_at is never
    moved by a later event; `awaiting`: only while the row knows no payment state; `payment`:
    unless the row holds a later payment fact; `latest`: an invoice number, unless the row
    holds a later one; `unless_paid`: nor over a row that says paid or whose order is
    cancelled). One statement (register_row)."""
    return register_row.upsert(session, kind, number, register.changes(
        facts, keep=keep, awaiting=awaiting, payment=payment, latest=latest,
        unless_paid=unless_paid), now)


def _progress(session, event_type, action, number, at, comment, now, record):
    target = mapping.owner_progress(event_type, action)
    if target is None:
        return False
    kind, code = target
    return apply_owner_progress(session, kind, number, code, register.parse_instant(at) or now,
                                SYSTEM, comment, now, record)


PLACED = ("placed_at", "placed_day")


def _sub_orders_follow(session, event_type, payload, at, now):
    """The grouped order's sub-orders follow its cycle (domain.mapping.SUB_ORDERS_FOLLOW)."""
    to, comment, exceptions = mapping.sub_orders_follow(event_type, payload)
    follow_grouped_order(session, payload["number"], to, comment,
                         register.parse_instant(at) or now, now, exceptions)


# ---- grouped_orders ---------------------------------------------------------------------------
def on_grouped_order_created(session, payload, envelope, now, record):
    facts = {**register.grouped_order_facts(payload),
             **register.placed(envelope.get("occurred_at") or now)}
    upsert(session, "grouped_order", payload["number"], facts, now, keep=PLACED)


def on_grouped_order_validated(session, payload, envelope, now, record):
    facts = {**register.grouped_order_facts(payload),
             "total_ttc": money(payload["total_ttc"])}
    upsert(session, "grouped_order", payload["number"], facts, now)
    # the teacher's comment on the grouped order is not the progress's (it read as the
    # bookshop's message in the history)
    _progress(session, "grouped_order_validated", None, payload["number"],
              payload.get("validated_at"), "", now, record)
    _sub_orders_follow(session, "grouped_order_validated", payload, payload.get("validated_at"),
                       now)


def on_grouped_order_made_available(session, payload, envelope, now, record):
    upsert(session, "grouped_order", payload["number"], register.grouped_order_facts(payload),
           now)
    _progress(session, "grouped_order_made_available", None, payload["number"],
              payload.get("made_available_at"), "", now, record)
    _sub_orders_follow(session, "grouped_order_made_available", payload,
                       payload.get("made_available_at"), now)


def on_grouped_order_cancelled(session, payload, envelope, now, record):
    upsert(session, "grouped_order", payload["number"], register.grouped_order_facts(payload),
           now)
    _progress(session, "grouped_order_cancelled", None, payload["number"],
              envelope.get("occurred_at"), payload.get("reason", ""), now, record)
    _sub_orders_follow(session, "grouped_order_cancelled", payload, envelope.get("occurred_at"),
                       now)


def on_grouped_order_distributed(session, payload, envelope, now, record):
    """« Valider la distribution »: the grouped order is « Terminé » (the logistician no
    longer offered it), who came picked their books up, the absent's wait."""
    _progress(session, "grouped_order_distributed", None, payload["number"],
              payload.get("distributed_at"), "Distribution validée", now, record)
    _sub_orders_follow(session, "grouped_order_distributed", payload,
                       payload.get("distributed_at"), now)


def on_grouped_order_failed(session, payload, envelope, now, record):
    """The minimum was not reached (one event per mail: the same move each time, once)."""
    _sub_orders_follow(session, "grouped_order_failed", payload, envelope.get("occurred_at"),
                       now)


def on_sub_order_placed(session, payload, envelope, now, record):
    facts = {**register.sub_order_facts(payload), **register.placed(payload["subscribed_at"]),
             "payment_method": payload.get("payment_method") or "online"}
    # awaiting its payment until a payment fact says more (a later one wins)
    awaiting = {"payment_state": "pending", "payment_label": (
        register.AT_PICKUP_LABEL if facts["payment_method"] == "pickup"
        else register.PAYMENT_LABELS["pending"])}
    grouped = lock_grouped_order(session, facts["grouped_order_number"])
    upsert(session, "sub_order", payload["sub_order_number"], facts, now,
           keep=(*PLACED, "payment_method"), awaiting=awaiting)
    catch_up_sub_order(session, payload["sub_order_number"], grouped, now)


def on_sub_order_paid(session, payload, envelope, now, record):
    facts = {**register.sub_order_facts(payload), **register.placed(payload["subscribed_at"])}
    # how it was paid: the owner knows (cash was shown « Chèque », a cheque without its number)
    method = payload.get("payment_method") or ("cheque" if payload.get("manual") else None)
    grouped = lock_grouped_order(session, facts["grouped_order_number"])
    upsert(session, "sub_order", payload["sub_order_number"], facts, now, keep=PLACED,
           payment=register.payment_facts("succeeded", payload.get("paid_at"), method,
                                          payload.get("cheque_number")))
    catch_up_sub_order(session, payload["sub_order_number"], grouped, now)


def on_sub_order_cancelled(session, payload, envelope, now, record):
    number = payload["sub_order_number"]
    facts = register.sub_order_facts(payload)
    if not payload.get("refund_expected"):
        # nothing was paid (its owner says so): nothing awaited any more, whatever payment was
        # open then (one finished later on the provider's page is refunded, not the order's);
        # or its credit notes gave all of it back already: « Annulé (remboursé) »
        given = money(payload.get("credited") or 0) > 0
        facts.update(register.payment_facts("refunded" if given else "cancelled",
                                            envelope.get("occurred_at")))
    upsert(session, "sub_order", number, facts, now)
    _progress(session, "sub_order_cancelled", None, number, envelope.get("occurred_at"),
              payload.get("reason", ""), now, record)


def on_sub_order_refunded(session, payload, envelope, now, record):
    facts = register.sub_order_facts(payload)
    facts.pop("total_ttc", None)
    if payload.get("credit_note_number"):
        # a credit note's refund: the order was paid and stays so (its invoice says the rest)
        upsert(session, "sub_order", payload["sub_order_number"], facts, now)
        return
    # a payment the sub-order did not count (paid twice: by hand, then online), refunded
    # automatically: a paid sub-order stays paid
    upsert(session, "sub_order", payload["sub_order_number"], facts, now,
           payment=register.payment_facts("refunded", payload.get("refunded_at")),
           unless_paid=bool(payload.get("automatic")))


def on_sub_order_email_corrected(session, payload, envelope, now, record):
    """The bookshop corrected the buyer's mistyped e-mail: the row (and its search) follow."""
    upsert(session, "sub_order", payload["sub_order_number"],
           register.sub_order_facts(payload), now)


def on_sub_order_adjusted(session, payload, envelope, now, record):
    """A title of the sub-order came short (issue 10, K3): its amount is the new total."""
    facts = register.sub_order_facts(payload)
    facts["total_ttc"] = money(payload["total_after"])
    upsert(session, "sub_order", payload["sub_order_number"], facts, now)


# ---- baskets ----------------------------------------------------------------------------------
def on_quote_requested(session, payload, envelope, now, record):
    upsert(session, "quote", payload["number"], register.collectivity_facts(payload), now,
           keep=(*PLACED, "cc_emails"))


def on_collectivity_order_placed(session, payload, envelope, now, record):
    # paid on account, after (and against) its invoice: « En compte »
    upsert(session, "collectivity_order", payload["number"],
           {**register.collectivity_facts(payload), "payment_method": "account"}, now,
           keep=(*PLACED, "payment_method", "cc_emails"))


def on_collectivity_order_status_changed(session, payload, envelope, now, record):
    facts = {"client_name": payload.get("client_name", ""),
             "total_ttc": money(payload["total_ttc"]),
             "detail_url": payload.get("detail_url", "")}
    upsert(session, "collectivity_order", payload["number"], facts, now)
    if payload["action"] == "reset":  # the owner's « Réinitialiser le statut »: the one move
        # back, to its initial status; a correction, no mail
        apply_owner_progress(session, "collectivity_order", payload["number"],
                             mapping.PROCESSING if payload.get("picked_up") else
                             mapping.REGISTERED,
                             register.parse_instant(payload.get("at")) or now, SYSTEM,
                             "Statut réinitialisé par la librairie", now, record, reset=True)
        return
    _progress(session, "collectivity_order_status_changed", payload["action"],
              payload["number"], payload.get("at"), payload.get("reason", ""), now, record)


# ---- librisoft_bridge -------------------------------------------------------------------------
def on_classic_order_status_changed(session, payload, envelope, now, record):
    """Librisoft picked up the classic order of a grouped or collectivity order: "En cours de
    traitement" (a quote's pickup is not an order's progress)."""
    kind = payload.get("source_kind")
    if not payload.get("picked_up") or payload.get("cancelled") or kind == "quote":
        return
    upsert(session, kind, payload["source_number"], {}, now)
    _progress(session, "classic_order_status_changed", kind, payload["source_number"],
              envelope.get("occurred_at"), payload.get("status") or "", now, record)


# ---- payments, invoicing, logistics -----------------------------------------------------------
def on_payment_state_changed(session, payload, envelope, now, record):
    kind = payload["reference_kind"]
    if kind not in register.ORDER_KINDS or not str(payload["reference_id"]).isdigit():
        return
    # a parent's sub-order: once paid or cancelled, its owner's events tell what became of its
    # payment (a second payment, or one made after the cancellation, is refunded: not the
    # sub-order's)
    upsert(session, kind, int(payload["reference_id"]), {}, now, payment=register.payment_facts(
        payload["state"], payload.get("occurred_at"), payload.get("method"),
        payload.get("cheque_number"), payload.get("label")), unless_paid=kind == "sub_order")


def on_invoice_issued(session, payload, envelope, now, record):
    """An invoice: the order is invoiced (its latest invoice: one invoiced again after a credit
    note took the first entirely shows the new number). A credit note that takes its invoice
    entirely (`cancels_invoice`): the order is « annulée par avoir » until invoiced again; a
    partial one leaves the order invoiced."""
    order = payload["order"]
    if payload.get("kind") == "credit_note":
        if payload.get("cancels_invoice") and payload.get("invoice_number"):
            upsert(session, order["kind"], order["number"], {}, now,
                   latest={"credited_invoice": payload["invoice_number"]})
            _credited(session, order, None)  # « annulée par avoir »: nothing of it counted
        else:  # a partial one: the order counts for what is left of it
            upsert(session, order["kind"], order["number"], {}, now)
            _credited(session, order, money(payload.get("total_ttc") or 0))
        return
    facts = {"customer_name": payload.get("customer_name", ""),
             "customer_email": payload.get("customer_email", "")}
    upsert(session, order["kind"], order["number"], facts, now,
           keep=("customer_name", "customer_email"),
           latest={"invoice_number": payload["number"]})


def _credited(session, order, amount):
    """Add `amount` to what partial credit notes took off the order (None: back to 0). The
    inbox takes each event once: the sum never counts a credit note twice."""
    row = RegisterEntry.__table__.c
    value = 0 if amount is None else row.credited_ttc + amount
    session.execute(update(RegisterEntry.__table__).where(
        row.kind == order["kind"], row.number == int(order["number"])).values(credited_ttc=value))


def on_invoice_settled(session, payload, envelope, now, record):
    """« Marquer réglée » on a collectivity's invoice on account: its payment column says
    « Facture réglée » from then on (the other kinds' payments are their owners' to tell)."""
    order = payload["order"]
    if order["kind"] != "collectivity_order":
        return
    upsert(session, order["kind"], order["number"], {}, now,
           payment=register.payment_facts("succeeded", payload["settled_at"],
                                          label=register.SETTLED_LABEL))


def on_orders_handed_off(session, payload, envelope, now, record):
    for order in payload["orders"]:
        upsert(session, order["kind"], order["number"], {"batch_number": payload["batch_number"]},
               now, keep=("batch_number",))
