"""How grouped orders and sub-orders are shown (RPC output): plain dicts, money as strings."""
from . import domain


def iso(value):
    return value.isoformat() if value is not None else None


def urls(go, public_url):
    base = public_url.rstrip("/")
    return {"subscription_url": f"{base}/souscription/{go.token}",
            "detail_url": f"{base}/commandes-groupees/{go.number}"}


def ref(go, public_url) -> dict:
    """The GroupedOrderRef part of every event."""
    return {"number": go.number, "client_number": go.client_number,
            "client_name": go.client_name, "initiator_email": go.initiator_email,
            "contact_email": go.contact_email or go.initiator_email,
            "article": {k: go.article.get(k) for k in
                        ("ean", "title", "author", "publisher", "price_ttc", "vat_rate")},
            "deadline": go.deadline.isoformat(), "pickup_label": go.pickup_label,
            **urls(go, public_url)}


def buyer(sub) -> dict:
    return {"first_name": sub.first_name, "last_name": sub.last_name, "email": sub.email}


def as_rule(sub) -> domain.Sub:
    return domain.Sub(sub.number, sub.quantity, sub.unit_price, sub.status)


def sub_view(sub) -> dict:
    rule = as_rule(sub)
    last = sub.attempts[-1] if sub.attempts else None
    return {"number": sub.number, "first_name": sub.first_name, "last_name": sub.last_name,
            "email": sub.email, "quantity": sub.quantity, "unit_price": str(sub.unit_price),
            "total": str(rule.total), "status": sub.status,
            "status_label": domain.SUB_LABELS[sub.status], "created_at": iso(sub.created_at),
            "paid_at": iso(sub.paid_at), "paid_manually": sub.paid_manually,
            "cancelled_at": iso(sub.cancelled_at), "cancel_reason": sub.cancel_reason,
            "refund_state": sub.refund_state,
            "refund_label": domain.REFUND_LABELS.get(sub.refund_state, ""),
            "refunded_at": iso(sub.refunded_at),
            "last_payment_state": sub.last_payment_state,
            "payment_attempts": len(sub.attempts),
            "automatic_refunds": [auto_refund_view(a) for a in sub.attempts if a.refund_state],
            "last_payment_id": last.payment_id if last else None}


def auto_refund_view(attempt) -> dict:
    """A payment the sub-order did not count, refunded by itself: "Remboursé automatiquement :
    paiement reçu après annulation"."""
    label = domain.AUTO_REFUND_LABELS[attempt.refund_state]
    return {"payment_id": attempt.payment_id, "state": attempt.refund_state,
            "reason": attempt.refund_reason,
            "amount": str(attempt.refund_amount) if attempt.refund_amount is not None else None,
            "refunded_at": iso(attempt.refunded_at),
            "label": f"{label} : {attempt.refund_reason}" if attempt.refund_reason else label}


def summary_view(subs) -> dict:
    s = domain.summarize([as_rule(x) for x in subs])
    return {"articles": s.articles, "sub_orders": s.sub_orders,
            "total_awaiting": str(s.totals[domain.AWAITING_PAYMENT]),
            "total_paid": str(s.totals[domain.PAID])}


def grouped_order_view(go, now, public_url, with_subs=True) -> dict:
    subs = list(go.subs)
    view = {
        "number": go.number, "status": go.status,
        "status_label": domain.STATUS_LABELS[go.status],
        "deadline": go.deadline.isoformat(),
        "deadline_warning": domain.DEADLINE_WARNING if domain.deadline_approaching(
            go.status, go.deadline, now) else "",
        "deadline_passed": now >= domain.closes_at(go.deadline),
        # closed by the bookshop before the deadline: no days left either
        "days_left": domain.days_left(go.deadline, now) if go.status == domain.OPEN else 0,
        "subscriptions_open": domain.can_subscribe(go.status, go.deadline, now),
        "initiator_id": go.initiator_id, "initiator_email": go.initiator_email,
        "client_number": go.client_number, "client_name": go.client_name,
        "contact_email": go.contact_email, "contact_phone": go.contact_phone,
        "article": go.article, "unit_price": str(go.unit_price),
        "pickup_kind": go.pickup_kind, "pickup_label": go.pickup_label,
        "billing_label": go.billing_label, "comment": go.comment,
        "created_at": iso(go.created_at), "validated_at": iso(go.validated_at),
        "made_available_at": iso(go.made_available_at), "cancelled_at": iso(go.cancelled_at),
        "cancel_reason": go.cancel_reason, "classic_order_number": go.classic_order_number,
        "librisoft_number": go.librisoft_number, "librisoft_status": go.librisoft_status,
        "librisoft_cancel_told_at": iso(go.librisoft_cancel_told_at),
        "librisoft_cancel_done_at": iso(go.librisoft_cancel_done_at),
        "summary": summary_view(subs),
        "validation_blockers": domain.validation_blockers(
            go.status, go.deadline, now, [as_rule(x) for x in subs]),
        "pending_payments": any(x.status == domain.AWAITING_PAYMENT for x in subs),
        **urls(go, public_url),
    }
    if with_subs:
        view["sub_orders"] = [sub_view(x) for x in subs]
    return view


def public_view(go, now) -> dict:
    """What the public subscription page shows: nothing of the other buyers."""
    return {"number": go.number, "status": go.status,
            "status_label": domain.STATUS_LABELS[go.status], "client_name": go.client_name,
            "deadline": go.deadline.isoformat(), "article": go.article,
            "unit_price": str(go.unit_price), "pickup_label": go.pickup_label,
            "subscriptions_open": domain.can_subscribe(go.status, go.deadline, now),
            "max_quantity": domain.MAX_QUANTITY, "token": go.token}
