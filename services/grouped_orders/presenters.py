"""What grouped_orders answers and publishes: the views its RPCs return and the payloads of
its events (services.common.contracts), plain dicts, money as strings."""
from services.common.money import money, money_str

from . import domain


def iso(value):
    return value.isoformat() if value is not None else None


def urls(go, public_url):
    base = public_url.rstrip("/")
    return {"subscription_url": f"{base}/souscription/{go.token}",
            "detail_url": f"{base}/commandes-groupees/{go.number}"}


def title_ref(t) -> dict:
    """A title as events carry it (contracts' TitleRef)."""
    return {"ean": t.ean, "title": t.title, "author": t.author, "publisher": t.publisher,
            "price_ttc": str(t.price_ttc), "vat_rate": t.vat_rate, "required": t.required,
            "position": t.position, "min_copies": t.min_copies}


def title_view(t) -> dict:
    return dict(title_ref(t), id=t.id, collection=(t.article or {}).get("collection"))


def ref(go, public_url) -> dict:
    """The GroupedOrderRef part of every event: `article` is the first title (as before
    reading lists), `titles` every title."""
    return {"number": go.number, "client_number": go.client_number,
            "client_name": go.client_name, "initiator_email": go.initiator_email,
            "contact_email": go.contact_email or go.initiator_email,
            "article": {k: go.article.get(k) for k in
                        ("ean", "title", "author", "publisher", "price_ttc", "vat_rate")},
            "titles": [title_ref(t) for t in go.titles],
            "deadline": go.deadline.isoformat(), "pickup_label": go.pickup_label,
            **urls(go, public_url)}


def buyer(sub) -> dict:
    return {"first_name": sub.first_name, "last_name": sub.last_name, "email": sub.email}


def sub_total(sub):
    """What the buyer owes: the sum of the sub-order's lines (stored when it was made)."""
    return money(sub.total)


def rule_lines(sub) -> tuple:
    """The sub-order's lines as the rules see them (domain.Line, keyed by title row id)."""
    return tuple(domain.Line(x.title_id, x.quantity, x.unit_price) for x in sub.lines)


def as_rule(sub) -> domain.Sub:
    return domain.Sub(sub.number, sub.status, rule_lines(sub), sub.payment_method or domain.ONLINE)


def line_view(line) -> dict:
    """A sub-order's line: the title, its quantity, unit price × quantity = total."""
    t = line.title
    return {"ean": t.ean, "title": t.title, "author": t.author, "publisher": t.publisher,
            "position": t.position, "required": t.required, "vat_rate": t.vat_rate,
            "quantity": line.quantity, "unit_price": str(line.unit_price),
            "total": str(domain.line_total(line.unit_price, line.quantity))}


def event_lines(sub) -> list:
    """A sub-order's lines of at least one copy, as events carry them (SubOrderLine)."""
    return [{"ean": x.title.ean, "title": x.title.title, "publisher": x.title.publisher,
             "quantity": x.quantity, "unit_price_ttc": str(x.unit_price),
             "vat_rate": x.title.vat_rate,
             "total_ttc": str(domain.line_total(x.unit_price, x.quantity))}
            for x in sub.lines if x.quantity > 0]


def sub_view(sub) -> dict:
    attempts = sub.attempts
    last = attempts[-1] if attempts else None
    lines = sub.lines
    return {"number": sub.number, "first_name": sub.first_name, "last_name": sub.last_name,
            "email": sub.email, "pupil": getattr(sub, "pupil", "") or "",
            "quantity": sub.quantity,
            # one title: its unit price (as before reading lists); several: see `lines`
            "unit_price": str(lines[0].unit_price) if len(lines) == 1 else None,
            "lines": [line_view(x) for x in lines],
            "total": str(sub_total(sub)), "status": sub.status,
            "status_label": domain.SUB_LABELS[sub.status], "created_at": iso(sub.created_at),
            "paid_at": iso(sub.paid_at), "paid_manually": sub.paid_manually,
            "payment_method": sub.payment_method or domain.ONLINE,
            "payment_method_label": domain.PAYMENT_METHOD_LABELS[
                sub.payment_method or domain.ONLINE],
            "cheque_number": sub.cheque_number or "",
            "paid_by": domain.paid_by_label(sub.payment_method, sub.cheque_number)
            if sub.status == domain.PAID else "",
            # issue 10 K5: to be paid on distribution day (cheque or cash), not paid
            "at_pickup": domain.at_pickup(sub.status, sub.payment_method),
            "cancelled_at": iso(sub.cancelled_at), "cancel_reason": sub.cancel_reason,
            "refund_state": sub.refund_state,
            "refund_label": domain.REFUND_LABELS.get(sub.refund_state, ""),
            "refunded_at": iso(sub.refunded_at),
            "last_payment_state": sub.last_payment_state,
            "payment_attempts": len(attempts),
            "automatic_refunds": [auto_refund_view(a) for a in attempts if a.refund_state],
            "last_payment_id": last.payment_id if last else None,
            # the buyer opened the provider's page and no outcome is known yet: the bookshop
            # recording a cheque or cash meanwhile is warned (that payment would be refunded)
            "online_payment_open": bool(last is not None and last.payment_id
                                        and last.state in ("pending", "processing"))}


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
    """`rules`: the sub-orders as the rules see them (domain.Sub): every title together."""
    s = domain.summarize(rules)
    return {"articles": s.articles, "sub_orders": s.sub_orders,
            "total_awaiting": str(s.totals[domain.AWAITING_PAYMENT]),
            "total_paid": str(s.totals[domain.PAID]),
            # « à encaisser au retrait » (issue 10 K5): part of the awaiting ones, never paid
            "at_pickup": dict(s.at_pickup, total=money_str(s.at_pickup["total"])),
            "ordered_articles": s.ordered_articles,
            "total_ordered": money_str(s.ordered_total)}


def by_title_view(rules, titles) -> list:
    """The same figures per title, in the list's order: copies and totals TTC by status."""
    s = domain.summarize(rules, [t.id for t in titles])
    per_title = []
    for t in titles:
        f = s.titles[t.id]
        per_title.append({"ean": t.ean, "title": t.title, "position": t.position,
                          "required": t.required, "unit_price": str(t.price_ttc),
                          "copies": f.copies,
                          "total_cancelled": str(f.totals[domain.SUB_CANCELLED]),
                          "total_awaiting": str(f.totals[domain.AWAITING_PAYMENT]),
                          "total_paid": str(f.totals[domain.PAID]),
                          "copies_at_pickup": f.pickup_copies,
                          "total_at_pickup": money_str(f.pickup_total)})
    return per_title


def distribution_date_view(go) -> dict:
    """The distribution date and slot (issue 10 K5), in words too (« le lundi 14 décembre
    2026, de 16 h 30 à 18 h »)."""
    return {"distribution_date": iso(go.distribution_date),
            "distribution_slot": go.distribution_slot or "",
            "distribution_label": domain.distribution_label(go.distribution_date,
                                                            go.distribution_slot or "")}


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
        "days_left": domain.days_left(go.deadline, now, go.opens_on)
        if go.status == domain.OPEN else 0,
        "subscriptions_open": domain.can_subscribe(go.status, go.deadline, now, go.opens_on),
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
        "titles": [title_view(t) for t in go.titles],
        "opens_on": iso(go.opens_on),
        "not_open_yet": domain.not_open_yet(go.opens_on, now),
        "buyer_reminders": go.buyer_reminders is not False,
        "reminded_at": iso(go.reminded_at),
        **distribution_date_view(go),
        "buyer_ready_mails": domain.ready_mails_on(go.buyer_ready_mails, go.pickup_kind),
        "summary": summary_view(rules),
        **limits_view(go, rules),
        "by_title": by_title_view(rules, go.titles),
        "validation_blockers": domain.validation_blockers(go.status, go.deadline, now, rules),
        "pending_payments": any(x.status == domain.AWAITING_PAYMENT and not x.at_pickup
                                for x in rules),
        **urls(go, public_url),
    }
    if with_subs:
        view["sub_orders"] = [sub_view(x) for x in subs]
    return view


def limits_view(go, rules) -> dict:
    """The minimum and the cap (issue 10) and the progress toward them (domain.progress)."""
    paid = sum(x.quantity for x in rules if x.status == domain.PAID)
    awaiting = sum(x.quantity for x in rules if x.status == domain.AWAITING_PAYMENT)
    at_pickup = sum(x.quantity for x in rules if x.at_pickup)
    counted_of, pickup_of = {}, {}  # per title: paid copies and those to be paid at pickup
    for x in rules:                  # (both count; the label says the latter)
        if x.status == domain.PAID or x.at_pickup:
            for line in x.lines:
                counted_of[line.key] = counted_of.get(line.key, 0) + line.quantity
                if x.at_pickup:
                    pickup_of[line.key] = pickup_of.get(line.key, 0) + line.quantity
    titles = [domain.title_progress(t.ean, t.title, t.required, t.min_copies,
                                    counted_of.get(t.id, 0), pickup_of.get(t.id, 0))
              for t in go.titles if t.min_copies is not None]
    return {"min_copies": go.min_copies, "max_copies": go.max_copies,
            "progress": dict(domain.progress(
                go.min_copies, go.max_copies, paid, awaiting, at_pickup=at_pickup,
                smallest=domain.smallest_order(t.required for t in go.titles)), titles=titles),
            "if_closed_now": closing_outcome(go, counted_of, pickup_of, at_pickup)}


def closing_outcome(go, counted_of, pickup_of, at_pickup) -> dict | None:
    """What closing the subscriptions now would do with the minimums (the deadline's rule,
    domain.deadline_outcome, on the copies that count today): the bookshop's « Clore les
    souscriptions maintenant » says it before it is confirmed. None: no minimum."""
    if go.min_copies is None and all(t.min_copies is None for t in go.titles):
        return None
    counts = [domain.TitleCount(t.id, t.title, t.required, t.min_copies,
                                counted_of.get(t.id, 0), pickup_of.get(t.id, 0))
              for t in go.titles]
    outcome = domain.deadline_outcome(go.min_copies, counts, at_pickup)
    return {"fails": outcome.fails, "reason": outcome.reason,
            "dropped": [c.title for c in counts if c.key in outcome.dropped]}


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
            "titles": [title_view(t) for t in go.titles],
            "unit_price": str(go.unit_price), "pickup_label": go.pickup_label,
            "opens_on": iso(go.opens_on),
            "not_open_yet": domain.not_open_yet(go.opens_on, now),
            "subscriptions_open": domain.can_subscribe(go.status, go.deadline, now, go.opens_on),
            "max_quantity": domain.MAX_QUANTITY, "token": go.token,
            "buyers_told_when_ready": domain.ready_mails_on(go.buyer_ready_mails,
                                                             go.pickup_kind),
            **distribution_date_view(go), **payment_methods_view(go)}


# ---- RPC answers besides the views ------------------------------------------------------------
def subscribed_view(sub) -> dict:
    """The new sub-order, with the token that lets its buyer come back to it."""
    return dict(sub_view(sub), buyer_token=sub.buyer_token)


def buyer_status_view(sub, go, now, steps=(), credits=(), handed=(), credited=None) -> dict:
    """`steps`: the sub-order's title cuts (SubOrderAdjustment), `credits` its credit notes'
    refunds (CreditNoteRefund), `handed` its refunds noted at pickup (DistributionNote), for
    its refunds; `credited`: what of the credit notes' refunds its total still holds
    (credit_refunds.credited; by default all of them)."""
    return dict(sub_view(sub), grouped_order=public_view(go, now),
                can_pay=domain.can_pay(sub.status, go.status, go.deadline, now),
                **refunds_view(sub, go, steps, credits, handed, credited))


def refunds_view(sub, go, steps, credits=(), handed=(), credited=None) -> dict:
    """What was given back to the buyer, how much, when (domain.buyer_refunds): the
    cancellation's refund, the payments refunded automatically, a title cut's difference (not
    the cut that cancelled the sub-order: its refund is the cancellation's), a credit note's."""
    titles = {t.id: t.title for t in go.titles}
    done = "refunded"
    if credited is None:  # not refunded twice
        credited = sum((money(c.amount) for c in credits), money(0))
    items = [domain.BuyerRefund(domain.CANCELLATION, sub.refund_state, sub_total(sub) - credited,
                                sub.refunded_at if sub.refund_state == done else sub.cancelled_at,
                                sub.cancel_reason or "",
                                method=sub.payment_method or domain.ONLINE)] \
        if sub.refund_state else []
    items += [domain.BuyerRefund(domain.AUTOMATIC, a.refund_state, money(a.refund_amount or 0),
                                 a.refunded_at, a.refund_reason or "")
              for a in sub.attempts if a.refund_state]
    items += [domain.BuyerRefund(domain.TITLE_CUT, s.refund_state, money(s.amount),
                                 s.refunded_at if s.refund_state == done else s.created_at,
                                 title=titles.get(s.title_id, ""), before=s.quantity_before,
                                 after=s.quantity_after)
              for s in steps if s.money_way == domain.ONLINE_REFUND and s.refund_state
              and not (sub.status == domain.SUB_CANCELLED and sub.cancelled_at == s.created_at)]
    items += [domain.BuyerRefund(domain.CREDIT_NOTE, c.refund_state, money(c.amount),
                                 c.refunded_at if c.refund_state == done else c.requested_at,
                                 c.reason or "", method=sub.payment_method or domain.ONLINE,
                                 number=c.credit_note_number)
              for c in credits]
    items += [domain.BuyerRefund(domain.AT_PICKUP, done, money(n.amount), n.noted_at,
                                 n.comment or "") for n in handed]
    found = domain.buyer_refunds(items)
    return {"refunds": [dict(r, amount=money_str(r["amount"]), at=iso(r["at"]))
                        for r in found["refunds"]],
            "refunded_total": money_str(found["refunded_total"]),
            "refunding_total": money_str(found["refunding_total"])}


def payment_request(attempt, sub, go) -> dict:
    """What the service asks payments for, and how it finds the attempt again."""
    return {"attempt_id": attempt.id, "idempotency_key": attempt.idempotency_key,
            "reference_kind": "sub_order", "reference_id": str(sub.number),
            "amount": str(sub_total(sub)), "description": payment_description(sub, go),
            "customer_email": sub.email}


def payment_description(sub, go) -> str:
    taken = [x for x in sub.lines if x.quantity > 0]
    if len(taken) == 1:
        return f"Commande groupée n° {go.number} — {taken[0].title.title} × {taken[0].quantity}"
    return (f"Commande groupée n° {go.number} — {len(taken)} titres, "
            f"{sub.quantity} exemplaires")


def tabs_view(tab, counts_by_status, grouped_orders, now, public_url) -> dict:
    return {"tab": tab, "counts": domain.tab_counts(counts_by_status),
            "grouped_orders": [grouped_order_view(go, now, public_url, with_subs=False)
                               for go in grouped_orders]}


# ---- events (their contracts: services.common.contracts.events) -------------------------------
def created_event(go, public_url) -> dict:
    """With what the initiator's mail says of it: the opening day, the copies' minimum and
    maximum, how buyers may pay."""
    return dict(ref(go, public_url), comment=go.comment,
                opens_on=go.opens_on.isoformat() if go.opens_on else "",
                min_copies=go.min_copies, max_copies=go.max_copies,
                payment_methods=list(domain.methods_of(go.payment_methods)))


def paid_lines(go, s, ordered=False) -> list:
    """The paid copies of each title (at least one), from a summary keyed by title row id.
    `ordered`: with the copies to be paid at pickup (issue 10 K5, ordered all the same): what
    the classic order for Librisoft has one line for (SubOrderLine)."""
    lines = []
    for t in go.titles:
        f = s.titles.get(t.id)
        copies = (f.ordered_copies if ordered else f.copies[domain.PAID]) if f else 0
        if copies:
            lines.append({"ean": t.ean, "title": t.title, "publisher": t.publisher,
                          "quantity": copies, "unit_price_ttc": str(t.price_ttc),
                          "vat_rate": t.vat_rate,
                          "total_ttc": money_str(f.ordered_total if ordered else
                                                 f.totals[domain.PAID])})
    return lines


def dropped_titles(go, s) -> list:
    """The optional titles under their own minimum at the deadline (issue 10): cut to 0 by
    then (use_cases.capacity), so their paid copies are below it."""
    return [{"ean": t.ean, "title": t.title, "min_copies": t.min_copies} for t in go.titles
            if not t.required and t.min_copies is not None
            and (s.titles[t.id].copies[domain.PAID] if t.id in s.titles else 0) < t.min_copies]


def deadline_passed_event(go, public_url, closed_early_at=None) -> dict:
    """`closed_early_at`: when the bookshop closed the subscriptions before the deadline."""
    s = domain.summarize([as_rule(x) for x in go.subs], [t.id for t in go.titles])
    event = dict(ref(go, public_url), paid_quantity=s.articles[domain.PAID],
                 paid_total=str(s.totals[domain.PAID]),
                 awaiting_payment=s.sub_orders[domain.AWAITING_PAYMENT],
                 at_pickup_sub_orders=s.at_pickup["sub_orders"],
                 at_pickup_quantity=s.at_pickup["articles"],
                 at_pickup_total=money_str(s.at_pickup["total"]),
                 lines=paid_lines(go, s), dropped_titles=dropped_titles(go, s))
    if closed_early_at is not None:
        event.update(closed_early=True, closed_at=closed_early_at.isoformat())
    return event


def validated_event(go, public_url, now, rules=None) -> dict:
    """`rules`: the sub-orders as domain.Sub, if the caller has them (else `go.subs`)."""
    if rules is None:
        rules = [as_rule(x) for x in go.subs]
    s = domain.summarize(rules, [t.id for t in go.titles])
    # `unit_price_ttc`: the first title's (as before reading lists); `lines`: one per title,
    # the copies paid and those to be paid at pickup (ordered all the same, issue 10 K5)
    return dict(ref(go, public_url), billing_label=go.billing_label,
                quantity=s.ordered_articles, unit_price_ttc=str(go.unit_price),
                total_ttc=money_str(s.ordered_total), lines=paid_lines(go, s, ordered=True),
                validated_at=now.isoformat(), comment=go.comment)


def made_available_event(go, public_url, now) -> dict:
    s = domain.summarize([as_rule(x) for x in go.subs], [t.id for t in go.titles])
    return dict(ref(go, public_url), made_available_at=now.isoformat(),
                quantity=s.ordered_articles, lines=paid_lines(go, s, ordered=True),
                distribution_label=domain.distribution_label(go.distribution_date,
                                                             go.distribution_slot or ""),
                buyers_told=domain.ready_mails_on(go.buyer_ready_mails, go.pickup_kind))


def copies_changed_event(go, public_url, now, credit_note_number="") -> dict:
    """GroupedOrderCopiesChangedV1: what a validated grouped order holds now."""
    s = domain.summarize([as_rule(x) for x in go.subs], [t.id for t in go.titles])
    return dict(ref(go, public_url), quantity=s.ordered_articles,
                lines=paid_lines(go, s, ordered=True), changed_at=now.isoformat(),
                credit_note_number=credit_note_number)


def sub_order_ready_event(sub, go, public_url, now, rescheduled=False) -> dict:
    """SubOrderMadeAvailableV1: one buyer told their books are ready (or, `rescheduled`, of the
    distribution's new date): their link, the place, the date, their titles, what to bring."""
    due = domain.amount_due_at_pickup(sub.status, sub_total(sub))
    return {"sub_order_number": sub.number, "grouped_order": ref(go, public_url),
            "buyer": buyer(sub), "quantity": sub.quantity, "total_ttc": str(sub_total(sub)),
            "lines": event_lines(sub), "payment_method": sub.payment_method or domain.ONLINE,
            "amount_due": money_str(due) if due is not None else None,
            "buyer_url": pay_url(go, sub, public_url),
            **distribution_date_view(go), "rescheduled": bool(rescheduled),
            "made_available_at": iso(go.made_available_at), "told_at": now.isoformat()}


def reopened_event(go, public_url, closed_early, now) -> dict:
    return dict(ref(go, public_url), closed_early=closed_early, reopened_at=now.isoformat())


def cancelled_event(go, public_url, reason, by_initiator=False) -> dict:
    return dict(ref(go, public_url), reason=reason, by_initiator=by_initiator,
                validated_at=go.validated_at.isoformat() if go.validated_at else None)


def sub_order_placed_event(sub, go, public_url) -> dict:
    """A buyer subscribed (SubOrderPlacedV1): the order desk's new order, with its lines."""
    return {"sub_order_number": sub.number, "grouped_order": ref(go, public_url),
            "buyer": buyer(sub), "quantity": sub.quantity, "total_ttc": str(sub_total(sub)),
            "subscribed_at": sub.created_at.isoformat(), "lines": event_lines(sub),
            "payment_method": sub.payment_method or domain.ONLINE,
            "buyer_url": pay_url(go, sub, public_url),
            "buyers_told_when_ready": domain.ready_mails_on(go.buyer_ready_mails,
                                                             go.pickup_kind)}


def sub_order_paid_event(sub, go, public_url, now, manual=False) -> dict:
    # `unit_price_ttc`: the first line's (as before reading lists); `lines`: every title taken
    return {"sub_order_number": sub.number, "grouped_order": ref(go, public_url),
            "buyer": buyer(sub), "quantity": sub.quantity,
            "unit_price_ttc": str(sub.lines[0].unit_price), "lines": event_lines(sub),
            "total_ttc": str(sub_total(sub)),
            "subscribed_at": sub.created_at.isoformat(), "paid_at": now.isoformat(),
            "manual": manual, "payment_method": sub.payment_method or domain.ONLINE,
            "cheque_number": sub.cheque_number or "",
            "buyer_url": pay_url(go, sub, public_url)}


def sub_order_cancelled_event(sub, go, public_url, reason, refund) -> dict:
    return {"sub_order_number": sub.number, "grouped_order": ref(go, public_url),
            "buyer": buyer(sub), "quantity": sub.quantity, "total_ttc": str(sub_total(sub)),
            "lines": event_lines(sub), "reason": reason, "refund_expected": refund,
            "payment_method": sub.payment_method or domain.ONLINE,
            "by_buyer": reason == domain.BUYER_CANCEL_REASON}


def refund_requested_event(payment_id, amount, reason, sub) -> dict:
    return {"payment_id": payment_id, "amount": amount, "reason": reason,
            "reference_kind": "sub_order", "reference_id": str(sub.number)}


def sub_order_refunded_event(sub, go, public_url, payment_id, amount, reason, automatic,
                             refunded_at) -> dict:
    return {"sub_order_number": sub.number, "grouped_order": ref(go, public_url),
            "buyer": buyer(sub), "amount": money_str(amount), "reason": reason,
            "automatic": automatic, "payment_id": payment_id, "lines": event_lines(sub),
            "refunded_at": refunded_at.isoformat(),
            # a cheque or cash is handed back by the bookshop (not an automatic refund)
            "payment_method": domain.ONLINE if automatic else
            (sub.payment_method or domain.ONLINE)}


# ---- reminders before the deadline (issue 10, K1) -------------------------------------------
def pay_url(go, sub, public_url) -> str:
    """The buyer's own page: their order, its state, « Payer » again (online)."""
    return f"{public_url.rstrip('/')}/souscription/{go.token}/commande/{sub.buyer_token}"


def deadline_approached_event(go, subs, now, public_url, reminds_buyers=True) -> dict:
    """The initiator's reminder: the figures so far, per title, and who has not paid."""
    s = domain.summarize([as_rule(x) for x in subs], [t.id for t in go.titles])
    by_title = [{"ean": t.ean, "title": t.title,
                 "copies_paid": s.titles[t.id].copies[domain.PAID],
                 "copies_awaiting": s.titles[t.id].copies[domain.AWAITING_PAYMENT],
                 "total_paid": str(s.titles[t.id].totals[domain.PAID]),
                 "total_awaiting": str(s.titles[t.id].totals[domain.AWAITING_PAYMENT])}
                for t in go.titles]
    unpaid = [dict(buyer(x), sub_order_number=x.number, quantity=x.quantity,
                   total_ttc=str(sub_total(x)), payment_method=x.payment_method or domain.ONLINE)
              for x in subs if x.status == domain.AWAITING_PAYMENT]
    return dict(ref(go, public_url), days_left=domain.days_left(go.deadline, now),
                reminded_at=now.isoformat(), paid_quantity=s.articles[domain.PAID],
                awaiting_quantity=s.articles[domain.AWAITING_PAYMENT],
                paid_total=str(s.totals[domain.PAID]),
                awaiting_total=str(s.totals[domain.AWAITING_PAYMENT]),
                paid_sub_orders=s.sub_orders[domain.PAID], by_title=by_title,
                unpaid_buyers=unpaid, reminds_buyers=reminds_buyers)


def sub_order_email_corrected_event(sub, go, previous_email, now, public_url) -> dict:
    """A buyer's e-mail corrected by the bookshop: their order as it stands, at the new one."""
    return {"sub_order_number": sub.number, "grouped_order": ref(go, public_url),
            "buyer": buyer(sub), "previous_email": previous_email, "quantity": sub.quantity,
            "total_ttc": str(sub_total(sub)), "lines": event_lines(sub), "status": sub.status,
            "status_label": domain.SUB_LABELS[sub.status],
            "payment_method": sub.payment_method or domain.ONLINE,
            "page_url": pay_url(go, sub, public_url), "corrected_at": now.isoformat()}


def payment_reminded_event(sub, go, now, public_url) -> dict:
    """A buyer's reminder: what they ordered, how much, and how to pay it."""
    return {"sub_order_number": sub.number, "grouped_order": ref(go, public_url),
            "buyer": buyer(sub), "quantity": sub.quantity, "total_ttc": str(sub_total(sub)),
            "lines": event_lines(sub), "subscribed_at": sub.created_at.isoformat(),
            "payment_method": sub.payment_method or domain.ONLINE,
            "pay_url": pay_url(go, sub, public_url),
            "days_left": domain.days_left(go.deadline, now), "reminded_at": now.isoformat()}
def grouped_order_failed_event(go, public_url, reason, paid, sub=None, refund=False) -> dict:
    """The minimum was not reached at the deadline (issue 10): one event per mail, to the
    initiator (`sub` None) or to a sub-order's buyer (`to_email` says whom)."""
    event = dict(ref(go, public_url), reason=reason, min_copies=go.min_copies,
                 paid_copies=paid, audience="buyer" if sub is not None else "initiator",
                 to_email=sub.email if sub is not None else go.initiator_email)
    if sub is not None:
        event.update(sub_order_number=sub.number, buyer=buyer(sub),
                     total_ttc=str(sub_total(sub)), refund_expected=refund,
                     lines=event_lines(sub),
                     payment_method=sub.payment_method or domain.ONLINE)
    return event
# -- totals to send to suppliers (issue 10 K2) ----------------------------------------------------
def figures_view(f) -> dict:
    """Copies and amounts (TTC, HT, VAT) paid, awaiting payment, and apart to be paid at pickup
    (« À encaisser au retrait »: not among the awaiting ones); money as strings."""
    return {"copies_paid": f.copies_paid, "copies_awaiting": f.copies_awaiting,
            "ttc_paid": money_str(f.ttc_paid), "ht_paid": money_str(f.ht_paid),
            "vat_paid": money_str(f.vat_paid), "ttc_awaiting": money_str(f.ttc_awaiting),
            "ht_awaiting": money_str(f.ht_awaiting), "vat_awaiting": money_str(f.vat_awaiting),
            # issue 10 K5: to be paid at pickup (ordered, not paid), apart from the awaiting
            "copies_at_pickup": f.copies_pickup, "ttc_at_pickup": money_str(f.ttc_pickup),
            "ht_at_pickup": money_str(f.ht_pickup), "vat_at_pickup": money_str(f.vat_pickup)}


def rates_view(by_rate) -> list:
    return [dict(figures_view(f), vat_rate=rate) for rate, f in by_rate.items()]


def supplier_recap_view(recap, orders) -> dict:
    """domain.SupplierRecap as the pages, CSV and PDF read it; `orders`: the GroupedOrder rows
    it covers (each with its own totals)."""
    empty = domain.Figures()
    return {
        "publishers": [{"name": p.name, "totals": figures_view(p.figures),
                        "by_rate": rates_view(p.by_rate),
                        "titles": [{"ean": t.ean, "title": t.title, "vat_rate": t.vat_rate,
                                    "orders": t.orders, **figures_view(t.figures)}
                                   for t in p.titles]} for p in recap.publishers],
        "totals": figures_view(recap.figures), "by_rate": rates_view(recap.by_rate),
        "grouped_orders": [{"number": go.number, "client_name": go.client_name,
                            "deadline": go.deadline.isoformat(), "status": go.status,
                            "status_label": domain.STATUS_LABELS[go.status],
                            "title": go.article.get("title", "") if go.article else "",
                            "titles": len(go.titles),
                            **figures_view(recap.orders.get(go.number, empty))}
                           for go in orders]}
