"""A credit note on a sub-order's paid invoice gives its amount back (reference 003 step 2):
invoicing's `invoice_issued` (kind credit_note, `to_refund`) → a partial `refund_requested`
under the credit note's own key, once (the credit note's number is this table's key, and
payments refunds once per key); payments' `payment_refunded` for that key → the buyer told by
`sub_order_refunded` (`credit_note_number`), once.

The copies the credit note takes back (its `lines`) come off the sub-order's lines and total,
once (`SubOrderCredit`, keyed by the credit note's number): they are no longer ordered from the
supplier, counted paid, handed to the logistician nor told ready to the buyer. A sub-order left
without any copy is cancelled (its payment given back already: nothing more is refunded). Its
refund is then out of the total: `credited` no longer deducts it a second time."""
from sqlalchemy import func, select

from services.common import invoiced
from services.common.money import money

from .. import domain
from ..models import CreditNoteRefund, SubOrder, SubOrderCredit
from ..presenters import (copies_changed_event, refund_requested_event,
                          sub_order_refunded_event, sub_total)

REASON_MAX = 500


def on_credit_note(session, payload, now, record, public_url=None) -> None:
    order = payload["order"]
    if payload.get("kind") != "credit_note" or order["kind"] != "sub_order":
        return
    sub = session.get(SubOrder, int(order["number"]), with_for_update=True)  # one at a time
    if sub is None or sub.refund_state is not None:  # cancelled and refunded: nothing left
        return
    # the refund first, from the total as the invoice knew it; then the copies taken back
    _refund(session, payload, sub, now, record)
    take_back_copies(session, payload, sub, now, record, public_url)


def take_back_copies(session, payload, sub, now, record, public_url) -> None:
    """The credit note's copies off the sub-order's lines (each title by its EAN, at most what
    the line holds), once; a sub-order left with none is cancelled."""
    asked = invoiced.credited_copies(payload)
    if not asked or sub.status == domain.SUB_CANCELLED or \
            session.get(SubOrderCredit, payload["number"]) is not None:
        return
    taken = {line.id: min(asked.get(line.title.ean, 0), line.quantity) for line in sub.lines}
    if sum(taken.values()) >= sub.quantity and record is not None:
        # every copy left: the sub-order is cancelled with its lines as they were (what was
        # cancelled, in its mail and on its page: not « 0 × »), its refund kept among the
        # credit notes' (`copies` 0: its total still holds it), so nothing more is refunded
        session.add(SubOrderCredit(credit_note_number=payload["number"],
                                   sub_order_number=sub.number, copies=0, amount=money(0),
                                   applied_at=now))
        session.flush()
        from .bookshop import _cancel_sub
        reason = payload.get("reason") or ""
        why = (f"Annulée par l'avoir n° {payload['number']}"
               + (f" : {reason}" if reason else ""))[:domain.SUB_REASON_MAX]
        _cancel_sub(session, sub, sub.grouped_order, why, now, record, public_url,
                    credit_note_number=payload["number"])
        _tell_copies_changed(session, sub, payload, now, record, public_url)
        return
    copies, amount = 0, money(0)
    for line in sub.lines:
        if taken[line.id] > 0:
            line.quantity -= taken[line.id]
            copies += taken[line.id]
            amount += money(line.unit_price) * taken[line.id]
    session.add(SubOrderCredit(credit_note_number=payload["number"],
                               sub_order_number=sub.number, copies=copies, amount=amount,
                               applied_at=now))
    if copies:
        sub.quantity = sum(x.quantity for x in sub.lines)
        sub.total = money(sum((money(x.unit_price) * x.quantity for x in sub.lines), money(0)))
    session.flush()
    if copies:
        _tell_copies_changed(session, sub, payload, now, record, public_url)


def _tell_copies_changed(session, sub, payload, now, record, public_url) -> None:
    """A grouped order already validated holds fewer copies: the logistician (who took its
    lines at the validation and at « Mettre à disposition ») is told what it holds now."""
    go = sub.grouped_order
    if record is None or go.status not in (domain.PROCESSING, domain.CLOSED):
        return
    session.refresh(sub)  # the cancellation's guarded move was an UPDATE of its own
    record(session, "grouped_order_copies_changed",
           copies_changed_event(go, public_url, now, payload["number"]))


def _refund(session, payload, sub, now, record) -> None:
    order = payload["order"]
    if session.get(CreditNoteRefund, payload["number"]) is not None:  # the same event again
        return
    amount = domain.credit_note_refund(payload["kind"], order["kind"], payload.get("to_refund"),
                                       sub.paid_payment_id, credited(session, sub.number),
                                       sub_total(sub))
    if amount is None:
        return
    reason = payload.get("reason") or ""
    session.add(CreditNoteRefund(
        credit_note_number=payload["number"], sub_order_number=sub.number,
        invoice_number=payload.get("invoice_number") or "", amount=amount, reason=reason,
        refund_state=domain.REQUESTED, requested_at=now))
    session.flush()
    why = (f"Avoir n° {payload['number']}" + (f" : {reason}" if reason else ""))[:REASON_MAX]
    record(session, "refund_requested", dict(
        refund_requested_event(sub.paid_payment_id, str(amount), why, sub),
        request_key=domain.credit_note_key(payload["number"])))


def on_refunded(session, payload, sub, now, record, public_url) -> bool:
    """payments gave a credit note's money back (payment_refunded, partial, its key): the row
    marked refunded and the buyer told, once. True when the event was a credit note's."""
    key = payload.get("request_key") or ""
    if not key.startswith(domain.CREDIT_KEY_PREFIX):
        return False
    row = session.get(CreditNoteRefund, key[len(domain.CREDIT_KEY_PREFIX):],
                      with_for_update=True)
    if row is None or row.sub_order_number != sub.number or row.refund_state == domain.REFUNDED:
        return True
    row.refund_state, row.refunded_at = domain.REFUNDED, now
    if record is None:
        return True
    event = sub_order_refunded_event(sub, sub.grouped_order, public_url, payload["payment_id"],
                                     money(payload["amount"]), row.reason, False, now)
    record(session, "sub_order_refunded", dict(event, credit_note_number=row.credit_note_number,
                                               invoice_number=row.invoice_number))
    return True


def cancellation_refund(session, sub):
    """What cancelling `sub` gives back of its payment: (refund: whether payments is asked,
    left: the amount, fields: what its cancellation's events add — `credited` and
    `refund_amount` — when credit notes gave some back already). A paid sub-order's total less
    its credit notes' refunds; nothing when they gave back all of it."""
    refund = domain.refund_on_cancel(sub.status, sub.paid_payment_id)
    given = credited(session, sub.number) if refund else money(0)
    left = sub_total(sub) - given
    refund = refund and left > 0
    fields = {"credited": str(given), "refund_amount": str(left if refund else money(0))} \
        if given else {}
    return refund, left, fields


def credited(session, number):
    """What credit notes gave back (or are giving back) of a sub-order's payment."""
    return credited_by_sub(session, [number]).get(number, money(0))


def credited_by_sub(session, numbers) -> dict:
    """{sub-order number: what its credit notes gave back} for those that have any, and that
    the sub-order's total still holds: a credit note whose copies came off the lines
    (`SubOrderCredit`) took its amount off the total already."""
    if not numbers:
        return {}
    applied = select(SubOrderCredit.credit_note_number).where(
        SubOrderCredit.sub_order_number.in_(list(numbers)), SubOrderCredit.copies > 0)
    rows = session.execute(select(CreditNoteRefund.sub_order_number,
                                  func.sum(CreditNoteRefund.amount))
                           .where(CreditNoteRefund.sub_order_number.in_(list(numbers)),
                                  CreditNoteRefund.credit_note_number.not_in(applied))
                           .group_by(CreditNoteRefund.sub_order_number))
    return {n: money(a) for n, a in rows}


def given_back_by_sub(session, numbers) -> dict:
    """{sub-order number: all its credit notes gave back}, whether their copies came off its
    lines or not (what the bookshop reads as « credited »)."""
    if not numbers:
        return {}
    rows = session.execute(select(CreditNoteRefund.sub_order_number,
                                  func.sum(CreditNoteRefund.amount))
                           .where(CreditNoteRefund.sub_order_number.in_(list(numbers)))
                           .group_by(CreditNoteRefund.sub_order_number))
    return {n: money(a) for n, a in rows}


def of_sub(session, number) -> list:
    return list(session.scalars(select(CreditNoteRefund).where(
        CreditNoteRefund.sub_order_number == number).order_by(CreditNoteRefund.requested_at)))
