"""What grouped_orders answers and publishes for distribution day (issue 10 K5): the phone
page's view (buyers by name, their ticks, notes and what they still owe, the recap) and
`grouped_order_distributed`'s payload. The rest of its views and events: presenters.py."""
from services.common.money import money_str

from . import domain
from .presenters import (buyer, distribution_date_view, event_lines, iso, pay_url, ref,
                         sub_total)


def _name_key(sub):
    return (domain.search_key(sub.last_name), domain.search_key(sub.first_name), sub.number)


def note_view(note, sub) -> dict:
    return {"id": note.id, "sub_order_number": note.sub_order_number,
            "buyer_name": f"{sub.first_name} {sub.last_name}" if sub else "",
            "kind": note.kind, "kind_label": domain.NOTE_LABELS[note.kind],
            "amount": money_str(note.amount), "comment": note.comment,
            "noted_by": note.noted_by, "noted_at": iso(note.noted_at)}


def distribution_buyer(sub, mark, notes) -> dict:
    return {"number": sub.number, "first_name": sub.first_name, "last_name": sub.last_name,
            "email": sub.email, "pupil": sub.pupil or "", "quantity": sub.quantity,
            "total": str(sub_total(sub)),
            "lines": [{"title": x.title.title, "quantity": x.quantity}
                      for x in sub.lines if x.quantity > 0],
            "status": sub.status, "status_label": domain.SUB_LABELS[sub.status],
            "awaiting_payment": sub.status == domain.AWAITING_PAYMENT,
            # « à payer : X € » (issue 10 K5): what the buyer hands over at pickup
            "due": str(sub_total(sub)) if sub.status == domain.AWAITING_PAYMENT else None,
            "payment_method": sub.payment_method or domain.ONLINE,
            "paid_by": domain.paid_by_label(sub.payment_method, sub.cheque_number)
            if sub.status == domain.PAID else "",
            "came": bool(mark and mark.came), "collected_all": bool(mark and mark.collected_all),
            "marked_by": mark.marked_by if mark else "", "marked_at": iso(mark.marked_at)
            if mark else None,
            "search": domain.search_key(f"{sub.first_name} {sub.last_name} {sub.pupil or ''}"),
            "notes": [note_view(n, sub) for n in notes]}


def distribution_view(go, marks, notes, done, query, now, public_url) -> dict:
    """The distribution page: the buyers (not cancelled) by name, those matching `query` (name,
    accents and case ignored), the recap, who is absent (so far, or as validated)."""
    subs = sorted((s for s in go.subs if s.status != domain.SUB_CANCELLED), key=_name_key)
    by_number = {s.number: s for s in go.subs}
    notes_of = {}
    for n in notes:
        notes_of.setdefault(n.sub_order_number, []).append(n)
    query = (query or "").strip()[:100]
    buyers = [distribution_buyer(s, marks.get(s.number), notes_of.get(s.number, []))
              for s in subs if domain.matches(query, s.first_name, s.last_name, s.pupil)]
    recap = _recap(go, marks, notes)
    absent = done.absent if done else domain.absent_numbers(
        [(s.number, s.status) for s in subs], {n for n, m in marks.items() if m.came})
    waits = domain.validation_waits_for(go.distribution_date, now)  # the day, still to come
    return {"number": go.number, "client_name": go.client_name, "status": go.status,
            "status_label": domain.STATUS_LABELS[go.status], "pickup_label": go.pickup_label,
            "initiator_email": go.initiator_email,
            "made_available_at": iso(go.made_available_at),
            **distribution_date_view(go),
            "can_set_date": go.status in (domain.PROCESSING, domain.CLOSED) and done is None,
            "can_distribute": go.status == domain.CLOSED and done is None,
            "validation_waits_for": str(waits or "") or None,
            "distributed": done is not None,
            "can_record_payments": go.status == domain.CLOSED,  # also after the validation
            "validated_at": iso(done.validated_at) if done else None,
            "validated_by": done.validated_by if done else "",
            "query": query, "count": len(subs), "buyers": buyers,
            "recap": dict(recap, refunds=money_str(recap["refunds"]),
                          extra_payments=money_str(recap["extra_payments"]),
                          came_owing_total=money_str(recap["came_owing_total"]),
                          absent_owing_total=money_str(recap["absent_owing_total"]),
                          came_owing=[_owing(by_number[n]) for n in recap["came_owing"]],
                          absent_owing=[_owing(by_number[n]) for n in recap["absent_owing"]]),
            "absent": [{"number": n, "first_name": by_number[n].first_name,
                        "last_name": by_number[n].last_name, "email": by_number[n].email}
                       for n in absent if n in by_number],
            "notes": [note_view(n, by_number.get(n.sub_order_number)) for n in notes]}


def _recap(go, marks, notes) -> dict:
    """domain.distribution_recap, with what each sub-order still awaiting its payment owes."""
    return domain.distribution_recap(
        [(s.number, s.status) for s in go.subs],
        {n: (m.came, m.collected_all) for n, m in marks.items()},
        [(n.kind, n.amount) for n in notes],
        {s.number: sub_total(s) for s in go.subs if s.status == domain.AWAITING_PAYMENT})


def _owing(sub) -> dict:
    """A buyer who still owes at the end of distribution day: who, and how much."""
    return {"number": sub.number, "first_name": sub.first_name, "last_name": sub.last_name,
            "total": str(sub_total(sub))}


def distributed_event(go, marks, notes, done, public_url) -> dict:
    """GroupedOrderDistributedV1: the recap for the initiator's mail, the absent buyers (each
    told their books wait at the pickup place)."""
    by_number = {s.number: s for s in go.subs}
    recap = _recap(go, marks, notes)

    def told(n):
        sub = by_number[n]
        return {"sub_order_number": n, "buyer": buyer(sub), "quantity": sub.quantity,
                "total_ttc": str(sub_total(sub)), "lines": event_lines(sub)}
    return dict(ref(go, public_url), distributed_at=done.validated_at.isoformat(),
                validated_by=done.validated_by, expected=recap["expected"],
                came=recap["came"], collected_all=recap["collected_all"],
                refunds=money_str(recap["refunds"]),
                extra_payments=money_str(recap["extra_payments"]),
                absent=[told(n) for n in done.absent],
                came_owing=[told(n) for n in recap["came_owing"]],
                absent_owing=[told(n) for n in recap["absent_owing"]],
                not_collected=money_str(recap["came_owing_total"] +
                                        recap["absent_owing_total"]),
                notes=[{"sub_order_number": n.sub_order_number,
                        "buyer_name": note_view(n, by_number.get(n.sub_order_number))[
                            "buyer_name"],
                        "kind": n.kind, "kind_label": domain.NOTE_LABELS[n.kind],
                        "amount": money_str(n.amount), "comment": n.comment} for n in notes])


def eve_reminded_event(sub, go, public_url, now) -> dict:
    """SubOrderDistributionRemindedV1: the day before distribution, one buyer reminded of the
    date, the place, their titles and what to bring (or nothing: paid)."""
    due = domain.amount_due_at_pickup(sub.status, sub_total(sub))
    return {"sub_order_number": sub.number, "grouped_order": ref(go, public_url),
            "buyer": buyer(sub), "quantity": sub.quantity, "total_ttc": str(sub_total(sub)),
            "lines": event_lines(sub), "payment_method": sub.payment_method or domain.ONLINE,
            "amount_due": money_str(due) if due is not None else None,
            "buyer_url": pay_url(go, sub, public_url), **distribution_date_view(go),
            "reminded_at": now.isoformat()}
