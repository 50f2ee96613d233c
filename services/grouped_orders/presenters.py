"""What grouped_orders answers and publishes: the views its RPCs return and the payloads of
its events (services.common.contracts), plain dicts, money as strings."""
from services.common.money import money_str

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


def sub_total(sub):
    return domain.line_total(sub.unit_price, sub.quantity)


def as_rule(sub) -> domain.Sub:
    return domain.Sub(sub.number, sub.quantity, sub.unit_price, sub.status)


def sub_view(sub) -> dict:
    attempts = sub.attempts
    last = attempts[-1] if attempts else None
    return {"number": sub.number, "first_name": sub.first_name, "last_name": sub.last_name,
            "email": sub.email, "quantity": sub.quantity, "unit_price": str(sub.unit_price),
            "total": str(sub_total(sub)), "status": sub.status,
            "status_label": domain.SUB_LABELS[sub.status], "created_at": iso(sub.created_at),
            "paid_at": iso(sub.paid_at), "paid_manually": sub.paid_manually,
            "payment_method": sub.payment_method or domain.ONLINE,
            "payment_method_label": domain.PAYMENT_METHOD_LABELS[
                sub.payment_method or domain.ONLINE],
            "cheque_number": sub.cheque_number or "",
            "paid_by": domain.paid_by_label(sub.payment_method, sub.cheque_number)
            if sub.status == domain.PAID else "",
            "cancelled_at": iso(sub.cancelled_at), "cancel_reason": sub.cancel_reason,
            "refund_state": sub.refund_state,
            "refund_label": domain.REFUND_LABELS.get(sub.refund_state, ""),
            "refunded_at": iso(sub.refunded_at),
            "last_payment_state": sub.last_payment_state,
            "payment_attempts": len(attempts),
            "automatic_refunds": [auto_refund_view(a) for a in attempts if a.refund_state],
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


def summary_view(rules) -> dict:
    """`rules`: the sub-orders as the rules see them (domain.Sub)."""
    s = domain.summarize(rules)
    return {"articles": s.articles, "sub_orders": s.sub_orders,
            "total_awaiting": str(s.totals[domain.AWAITING_PAYMENT]),
            "total_paid": str(s.totals[domain.PAID])}


def grouped_order_view(go, now, public_url, with_subs=True, rules=None) -> dict:
    """`rules`: the sub-orders as the rules see them (domain.Sub, `load.sub_rules`), when the
    caller has them without their rows: the summary and the blockers come from them and the
    view has no `sub_orders` (a validation's answer: GET the grouped order for its lines)."""
    if rules is None:
        subs = list(go.subs)
        rules = [as_rule(x) for x in subs]
    else:
        subs, with_subs = (), False
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
        **payment_methods_view(go),
        "created_at": iso(go.created_at), "validated_at": iso(go.validated_at),
        "made_available_at": iso(go.made_available_at), "cancelled_at": iso(go.cancelled_at),
        "cancel_reason": go.cancel_reason, "classic_order_number": go.classic_order_number,
        "librisoft_number": go.librisoft_number, "librisoft_status": go.librisoft_status,
        "librisoft_cancel_told_at": iso(go.librisoft_cancel_told_at),
        "librisoft_cancel_done_at": iso(go.librisoft_cancel_done_at),
        "summary": summary_view(rules),
        "validation_blockers": domain.validation_blockers(go.status, go.deadline, now, rules),
        "pending_payments": any(x.status == domain.AWAITING_PAYMENT for x in rules),
        **urls(go, public_url),
    }
    if with_subs:
        view["sub_orders"] = [sub_view(x) for x in subs]
    return view


def payment_methods_view(go) -> dict:
    """How buyers may pay (online always; cheque and/or cash when the bookshop allows it)."""
    methods = domain.methods_of(go.payment_methods)
    return {"payment_methods": list(methods),
            "payment_method_choices": [{"value": m, "label": domain.PAYMENT_METHOD_CHOICES[m]}
                                       for m in methods]}


def public_view(go, now) -> dict:
    """What the public subscription page shows: nothing of the other buyers."""
    return {"number": go.number, "status": go.status,
            "status_label": domain.STATUS_LABELS[go.status], "client_name": go.client_name,
            "deadline": go.deadline.isoformat(), "article": go.article,
            "unit_price": str(go.unit_price), "pickup_label": go.pickup_label,
            "subscriptions_open": domain.can_subscribe(go.status, go.deadline, now),
            "max_quantity": domain.MAX_QUANTITY, "token": go.token,
            **payment_methods_view(go)}


# ---- RPC answers besides the views ------------------------------------------------------------
def subscribed_view(sub) -> dict:
    """The new sub-order, with the token that lets its buyer come back to it."""
    return dict(sub_view(sub), buyer_token=sub.buyer_token)


def buyer_status_view(sub, go, now) -> dict:
    return dict(sub_view(sub), grouped_order=public_view(go, now),
                can_pay=domain.can_pay(sub.status, go.status, go.deadline, now))


def payment_request(attempt, sub, go) -> dict:
    """What the service asks payments for, and how it finds the attempt again."""
    return {"attempt_id": attempt.id, "idempotency_key": attempt.idempotency_key,
            "reference_kind": "sub_order", "reference_id": str(sub.number),
            "amount": str(sub_total(sub)),
            "description": f"Commande groupée n° {go.number} — {go.article['title']} × "
                           f"{sub.quantity}",
            "customer_email": sub.email}


def tabs_view(tab, counts_by_status, grouped_orders, now, public_url) -> dict:
    return {"tab": tab, "counts": domain.tab_counts(counts_by_status),
            "grouped_orders": [grouped_order_view(go, now, public_url, with_subs=False)
                               for go in grouped_orders]}


# ---- events (their contracts: services.common.contracts.events) -------------------------------
def created_event(go, public_url) -> dict:
    return dict(ref(go, public_url), comment=go.comment)


def deadline_passed_event(go, public_url, closed_early_at=None) -> dict:
    """`closed_early_at`: when the bookshop closed the subscriptions before the deadline."""
    s = domain.summarize([as_rule(x) for x in go.subs])
    event = dict(ref(go, public_url), paid_quantity=s.articles[domain.PAID],
                 paid_total=str(s.totals[domain.PAID]),
                 awaiting_payment=s.sub_orders[domain.AWAITING_PAYMENT])
    if closed_early_at is not None:
        event.update(closed_early=True, closed_at=closed_early_at.isoformat())
    return event


def validated_event(go, public_url, now, rules=None) -> dict:
    """`rules`: the sub-orders as domain.Sub, if the caller has them (else `go.subs`)."""
    if rules is None:
        rules = [as_rule(x) for x in go.subs]
    quantity = domain.summarize(rules).articles[domain.PAID]
    return dict(ref(go, public_url), billing_label=go.billing_label, quantity=quantity,
                unit_price_ttc=str(go.unit_price),
                total_ttc=str(domain.line_total(go.unit_price, quantity)),
                validated_at=now.isoformat(), comment=go.comment)


def made_available_event(go, public_url, now) -> dict:
    quantity = domain.summarize([as_rule(x) for x in go.subs]).articles[domain.PAID]
    return dict(ref(go, public_url), made_available_at=now.isoformat(), quantity=quantity)


def cancelled_event(go, public_url, reason) -> dict:
    return dict(ref(go, public_url), reason=reason,
                validated_at=go.validated_at.isoformat() if go.validated_at else None)


def sub_order_paid_event(sub, go, public_url, now, manual=False) -> dict:
    return {"sub_order_number": sub.number, "grouped_order": ref(go, public_url),
            "buyer": buyer(sub), "quantity": sub.quantity, "unit_price_ttc": str(sub.unit_price),
            "total_ttc": str(sub_total(sub)),
            "subscribed_at": sub.created_at.isoformat(), "paid_at": now.isoformat(),
            "manual": manual, "payment_method": sub.payment_method or domain.ONLINE,
            "cheque_number": sub.cheque_number or ""}


def sub_order_cancelled_event(sub, go, public_url, reason, refund) -> dict:
    return {"sub_order_number": sub.number, "grouped_order": ref(go, public_url),
            "buyer": buyer(sub), "quantity": sub.quantity, "total_ttc": str(sub_total(sub)),
            "reason": reason, "refund_expected": refund,
            "payment_method": sub.payment_method or domain.ONLINE}


def refund_requested_event(payment_id, amount, reason, sub) -> dict:
    return {"payment_id": payment_id, "amount": amount, "reason": reason,
            "reference_kind": "sub_order", "reference_id": str(sub.number)}


def sub_order_refunded_event(sub, go, public_url, payment_id, amount, reason, automatic,
                             refunded_at) -> dict:
    return {"sub_order_number": sub.number, "grouped_order": ref(go, public_url),
            "buyer": buyer(sub), "amount": money_str(amount), "reason": reason,
            "automatic": automatic, "payment_id": payment_id,
            "refunded_at": refunded_at.isoformat(),
            # a cheque or cash is handed back by the bookshop (not an automatic refund)
            "payment_method": domain.ONLINE if automatic else
            (sub.payment_method or domain.ONLINE)}


# ---- order_document (services.common.contracts.documents) -------------------------------------
def _money_fields(line) -> dict:
    return {"ean": line.ean, "title": line.title, "publisher": line.publisher,
            "quantity": line.quantity, "vat_rate": line.vat_rate,
            "unit_price_ttc": money_str(line.unit_price_ttc),
            "unit_price_ht": money_str(line.unit_price_ht), "total_ht": money_str(line.total_ht),
            "vat_amount": money_str(line.vat_amount), "total_ttc": money_str(line.total_ttc)}


def _totals(lines) -> dict:
    t = domain.document_totals(lines)
    return {"total_ht": money_str(t["total_ht"]), "total_ttc": money_str(t["total_ttc"]),
            "vat": [{"rate": v["rate"], "base_ht": money_str(v["base_ht"]),
                     "amount": money_str(v["amount"])} for v in t["vat"]]}


def _address_lines(label, name) -> list:
    lines = [x for x in (label or "").split("\n") if x.strip()]
    return lines[1:] if lines and lines[0] == name else lines


def sub_order_document(sub, go) -> dict:
    lines = domain.order_lines(go.article, [as_rule(sub)], paid_only=False)
    return {"kind": "sub_order", "number": sub.number,
            "title": domain.sub_order_title(sub.number, go.number),
            "placed_at": iso(sub.created_at), "status": domain.SUB_LABELS[sub.status],
            "customer": {"name": f"{sub.first_name} {sub.last_name}".strip(), "email": sub.email,
                         "address_lines": [], "client_number": None, "siret": None,
                         "chorus_service_code": None, "public_buyer": False},
            "reference": f"Commande groupée n°{go.number} — {go.client_name}",
            "lines": [_money_fields(x) for x in lines], "totals": _totals(lines),
            "payment": domain.sub_order_payment(sub.status, sub.paid_manually,
                                                sub.last_payment_state, sub.payment_method,
                                                sub.cheque_number)}


def grouped_order_document(go, rules, manual_numbers) -> dict:
    """`rules`: its sub-orders (domain.Sub); `manual_numbers`: the paid ones settled by hand."""
    lines = domain.order_lines(go.article, rules, paid_only=True)
    return {"kind": "grouped_order", "number": go.number,
            "title": domain.grouped_order_title(go.number), "placed_at": iso(go.created_at),
            "status": domain.STATUS_LABELS[go.status],
            "customer": {"name": go.client_name,
                         "email": go.contact_email or go.initiator_email,
                         "address_lines": _address_lines(go.billing_label, go.client_name),
                         "client_number": go.client_number, "siret": None,
                         "chorus_service_code": None, "public_buyer": False},
            "reference": "",
            "lines": [_money_fields(x) for x in lines], "totals": _totals(lines),
            "payment": domain.grouped_order_payment(go.status, rules, manual_numbers)}
