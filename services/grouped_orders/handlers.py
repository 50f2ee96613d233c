"""Grouped orders use cases. Each takes a session (the unit of work, committed by the caller),
`now`, and `record(session, event, payload)` for events; RPC, events and tests call them alike."""
import secrets


from sqlalchemy import select

from services.common.errors import invalid, not_found
from services.common.guards import transition

from . import domain
from .models import GroupedOrder, PaymentAttempt, SubOrder
from .views import buyer, grouped_order_view, public_view, ref, sub_view


def address_label(address: dict, name: str = "") -> str:
    parts = [name, address.get("label", ""), address.get("line1", ""), address.get("line2", ""),
             f"{address.get('postal_code', '')} {address.get('city', '')}".strip()]
    return "\n".join(p for p in parts if p and p.strip())


def pickup_choices(client: dict, bookshop_label: str) -> dict:
    """"bookshop" or "address-<i>" (one of the collectivity's addresses) -> label."""
    choices = {"bookshop": bookshop_label}
    for i, address in enumerate(client.get("addresses") or []):
        choices[f"address-{i}"] = address_label(address, client["name"])
    return choices


def get_grouped_order(session, number) -> GroupedOrder:
    go = session.get(GroupedOrder, number)
    if go is None:
        raise not_found("Commande groupée introuvable.")
    return go


def _own(session, number, account_id) -> GroupedOrder:
    go = get_grouped_order(session, number)
    if go.initiator_id != account_id:
        raise not_found("Commande groupée introuvable.")  # not even its existence
    return go


# ---- initiator ------------------------------------------------------------------------------
def create(session, initiator: dict, client: dict, article: dict, data: dict, now, record,
           public_url, bookshop_label) -> dict:
    deadline = domain.check_deadline(data.get("deadline"), now)
    choices = pickup_choices(client, bookshop_label)
    pickup = data.get("pickup") or ""
    if pickup not in choices:
        raise invalid("Choisissez le lieu de mise à disposition.",
                      {"pickup": ["Choisissez la librairie ou une adresse de la collectivité."]})
    comment = (data.get("comment") or "").strip()
    if len(comment) > 1000:
        raise invalid("Le commentaire est trop long.", {"comment": ["1000 caractères au plus."]})
    price = domain.money(article["price_ttc"])
    if price <= 0:
        raise invalid("Cet article n'a pas de prix public : il ne peut pas être commandé.")
    addresses = client.get("addresses") or []
    go = GroupedOrder(
        token=secrets.token_urlsafe(24), status=domain.OPEN, initiator_id=initiator["id"],
        initiator_email=initiator["email"], client_number=client["number"],
        client_name=client["name"], contact_email=initiator["email"],
        contact_phone=client.get("phone") or "",
        article={k: article.get(k) for k in ("ean", "title", "author", "publisher",
                                             "collection", "genre", "publication_date",
                                             "format", "price_ttc", "vat_rate", "summary")},
        unit_price=price, deadline=deadline, closes_at=domain.closes_at(deadline),
        pickup_kind="bookshop" if pickup == "bookshop" else "collectivity",
        pickup_label=choices[pickup],
        billing_label=address_label(addresses[0], client["name"]) if addresses else client["name"],
        comment=comment, created_at=now)
    session.add(go)
    session.flush()
    record(session, "grouped_order_created", dict(ref(go, public_url), comment=comment))
    return grouped_order_view(go, now, public_url)


def list_for_initiator(session, account_id, now, public_url) -> list:
    q = select(GroupedOrder).where(GroupedOrder.initiator_id == account_id) \
        .order_by(GroupedOrder.number.desc())
    return [grouped_order_view(go, now, public_url, with_subs=False) for go in session.scalars(q)]


def get_for_initiator(session, number, account_id, now, public_url) -> dict:
    return grouped_order_view(_own(session, number, account_id), now, public_url)


def change_deadline(session, number, account_id, deadline, now, public_url) -> dict:
    go = _own(session, number, account_id)
    session.refresh(go, with_for_update=True)
    if go.status != domain.OPEN:
        raise invalid("La date limite ne peut être changée que tant que la commande est "
                      "ouverte.")
    deadline = domain.check_deadline(deadline, now)
    transition(session, GroupedOrder, go.number, [domain.OPEN],
               {"deadline": deadline, "closes_at": domain.closes_at(deadline)},
               message=domain.ALREADY_DONE)
    return grouped_order_view(go, now, public_url)


# ---- buyers (public link) -------------------------------------------------------------------
def _by_token(session, token, share=False) -> GroupedOrder:
    """`share`: a shared row lock (FOR SHARE on PostgreSQL) so that the grouped order cannot be
    closed, validated or cancelled while a subscription or a payment attempt is being made."""
    q = select(GroupedOrder).where(GroupedOrder.token == (token or "")[:64])
    go = session.scalar(q.with_for_update(read=True) if share else q)
    if go is None:
        raise not_found("Ce lien de souscription n'existe pas.")
    return go


def public(session, token, now) -> dict:
    return public_view(_by_token(session, token), now)


def subscribe(session, token, data, now) -> dict:
    go = _by_token(session, token, share=True)
    domain.check_subscription_open(go.status, go.deadline, now)
    first, last, email, quantity = domain.check_buyer(
        data.get("first_name"), data.get("last_name"), data.get("email"), data.get("quantity"),
        data.get("accepted_terms"))
    sub = SubOrder(grouped_order_number=go.number, buyer_token=secrets.token_urlsafe(24),
                   first_name=first, last_name=last, email=email, quantity=quantity,
                   unit_price=go.unit_price, status=domain.AWAITING_PAYMENT, created_at=now)
    session.add(sub)
    session.flush()
    return dict(sub_view(sub), buyer_token=sub.buyer_token)


def _sub_by_buyer_token(session, token, buyer_token, share=False) -> SubOrder:
    go = _by_token(session, token, share)
    sub = session.scalar(select(SubOrder).where(SubOrder.buyer_token == (buyer_token or "")[:64],
                                                SubOrder.grouped_order_number == go.number))
    if sub is None:
        raise not_found("Sous-commande introuvable.")
    return sub


def buyer_status(session, token, buyer_token, now) -> dict:
    sub = _sub_by_buyer_token(session, token, buyer_token)
    go = sub.grouped_order
    return dict(sub_view(sub), grouped_order=public_view(go, now),
                can_pay=sub.status == domain.AWAITING_PAYMENT and
                domain.can_subscribe(go.status, go.deadline, now))


def begin_payment_attempt(session, token, buyer_token, now) -> dict:
    """Step 1 of paying: a new attempt with its own idempotency key (no payment can start once
    subscriptions are closed)."""
    sub = _sub_by_buyer_token(session, token, buyer_token, share=True)
    go = sub.grouped_order
    domain.check_subscription_open(go.status, go.deadline, now)
    if sub.status != domain.AWAITING_PAYMENT:
        raise invalid("Cette sous-commande n'attend pas de paiement.")
    attempt = PaymentAttempt(sub_order_number=sub.number, state="starting", created_at=now,
                             idempotency_key=f"sub-{sub.number}-{secrets.token_hex(8)}")
    session.add(attempt)
    session.flush()
    return {"attempt_id": attempt.id, "idempotency_key": attempt.idempotency_key,
            "reference_kind": "sub_order", "reference_id": str(sub.number),
            "amount": str(domain.money(sub.unit_price * sub.quantity)),
            "description": f"Commande groupée n° {go.number} — {go.article['title']} × "
                           f"{sub.quantity}",
            "customer_email": sub.email}


def attach_payment(session, attempt_id, payment: dict):
    """Step 3: the payment the provider gave for this attempt."""
    attempt = session.get(PaymentAttempt, attempt_id)
    attempt.payment_id = payment["payment_id"]
    attempt.redirect_url = payment.get("redirect_url") or ""
    attempt.state = payment.get("state", "processing")


def _sub_for_payment(session, payload):
    if payload.get("reference_kind") != "sub_order":
        return None, None
    # the sub-order's row lock: a payment and the bookshop's action on it run one at a time
    sub = session.get(SubOrder, int(payload["reference_id"]), with_for_update=True)
    attempt = session.scalar(select(PaymentAttempt).where(
        PaymentAttempt.payment_id == payload["payment_id"]))
    return sub, attempt


def _attempt_of(session, sub, attempt, payload, now):
    """The attempt a payment belongs to; one is recorded if the payment was never attached
    (grouped_orders stopped between starting it and attaching it)."""
    if attempt is None:
        attempt = PaymentAttempt(sub_order_number=sub.number, payment_id=payload["payment_id"],
                                 idempotency_key=f"sub-{sub.number}-{payload['payment_id']}"[:80],
                                 state="succeeded", created_at=now)
        session.add(attempt)
    return attempt


def on_payment_succeeded(session, payload, now, record, public_url):
    sub, attempt = _sub_for_payment(session, payload)
    if sub is None:
        return
    if attempt is not None:
        attempt.state = "succeeded"
    go = sub.grouped_order
    right_amount = domain.money(payload["amount"]) == domain.money(sub.unit_price * sub.quantity)
    if domain.payment_outcome(sub.status, go.status) == "paid" and right_amount:
        sub.status, sub.paid_at = domain.PAID, now
        sub.paid_payment_id = payload["payment_id"]
        sub.last_payment_state = "succeeded"
        record(session, "sub_order_paid", paid_payload(sub, go, public_url, now))
        return
    if sub.paid_payment_id == payload["payment_id"]:
        return  # that very payment is already counted
    # cancelled meanwhile, paid twice, or a wrong amount: give the money back
    attempt = _attempt_of(session, sub, attempt, payload, now)
    if attempt.refund_state is not None:
        return  # already asked
    reason = domain.unowed_payment_reason(sub.status, go.status, right_amount=right_amount)
    attempt.refund_state, attempt.refund_reason = "requested", reason
    attempt.refund_amount = domain.money(payload["amount"])
    record(session, "refund_requested", {
        "payment_id": payload["payment_id"], "amount": payload["amount"],
        "reason": f"Remboursement automatique : {reason}.", "reference_kind": "sub_order",
        "reference_id": str(sub.number)})


def paid_payload(sub, go, public_url, now, manual=False):
    return {"sub_order_number": sub.number, "grouped_order": ref(go, public_url),
            "buyer": buyer(sub), "quantity": sub.quantity, "unit_price_ttc": str(sub.unit_price),
            "total_ttc": str(domain.money(sub.unit_price * sub.quantity)),
            "subscribed_at": sub.created_at.isoformat(), "paid_at": now.isoformat(),
            "manual": manual}


def on_payment_failed(session, payload):
    sub, attempt = _sub_for_payment(session, payload)
    if attempt is not None:
        attempt.state = payload["state"]
    if sub is not None and sub.status == domain.AWAITING_PAYMENT:
        sub.last_payment_state = payload["state"]


def on_payment_refunded(session, payload, now=None, record=None, public_url=""):
    """The money is back with the buyer: the sub-order's own payment (it was cancelled), or a
    payment it did not count (after a cancellation or a refusal, twice), refunded
    automatically. Either way the buyer is told by mail (sub_order_refunded), once."""
    sub, attempt = _sub_for_payment(session, payload)
    if sub is None:
        return
    go = sub.grouped_order
    amount = domain.money(payload["amount"])
    if sub.paid_payment_id == payload["payment_id"]:
        if sub.refund_state == "refunded":
            return
        sub.refund_state, sub.refunded_at = "refunded", now
        reason = sub.cancel_reason or go.cancel_reason or "Commande annulée"
        automatic = False
    else:
        attempt = _attempt_of(session, sub, attempt, payload, now)
        if attempt.refund_state == "refunded":
            return
        if not attempt.refund_reason:
            attempt.refund_reason = domain.unowed_payment_reason(
                sub.status, go.status, late=bool(payload.get("late")))
        attempt.refund_state, attempt.refunded_at = "refunded", now
        attempt.refund_amount = amount
        reason, automatic = attempt.refund_reason, True
    if record is not None:
        record(session, "sub_order_refunded", {
            "sub_order_number": sub.number, "grouped_order": ref(go, public_url),
            "buyer": buyer(sub), "amount": str(amount), "reason": reason,
            "automatic": automatic, "payment_id": payload["payment_id"],
            "refunded_at": (now or sub.created_at).isoformat()})


def on_classic_order_status_changed(session, payload):
    if payload["source_kind"] != "grouped_order":
        return
    go = session.get(GroupedOrder, payload["source_number"])
    if go is None:
        return
    go.classic_order_number = payload["order_number"]
    go.librisoft_number = payload.get("librisoft_number") or go.librisoft_number
    go.librisoft_status = payload.get("status") or ("Récupérée par LIBRISOFT" if
                                                    payload["picked_up"] else go.librisoft_status)
    if payload.get("cancelled") and go.librisoft_cancel_told_at is None:
        go.librisoft_cancel_told_at = _moment(payload.get("cancelled_at"))
    if payload.get("cancellation_acknowledged") and go.librisoft_cancel_done_at is None:
        go.librisoft_cancel_done_at = _moment(payload.get("cancellation_acknowledged_at"))


def _moment(iso_text):
    from datetime import datetime, timezone
    try:
        moment = datetime.fromisoformat(iso_text)
    except (TypeError, ValueError):
        return datetime.now(timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


