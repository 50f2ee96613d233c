"""The bookshop's side of grouped orders (reference 000, "Le libraire"): the tabs, validating or
cancelling sub-orders by hand, validating the grouped order for Librisoft, cancelling it,
making it available, closing the subscriptions now; and the deadline timer."""
from sqlalchemy import func, select, update

from services.common import invoiced
from services.common.errors import conflict, invalid
from services.common.guards import transition
from services.common.money import money, money_str

from .. import domain
from ..models import Distribution, GroupedOrder, SubOrder
from ..presenters import (cancelled_event, deadline_passed_event, grouped_order_view,
                          made_available_event, refund_requested_event, sub_order_cancelled_event,
                          sub_order_email_corrected_event, sub_order_paid_event, sub_total,
                          tabs_view, validated_event)
from . import capacity, credit_refunds
from .invoice_events import live_invoice, live_invoice_of_any_sub
from .load import get_grouped_order, locked, locked_sub, sub_rules


def list_tab(session, tab, now, public_url) -> dict:
    tab = domain.tab_or_default(tab)
    counts = dict(session.execute(select(GroupedOrder.status, func.count())
                                  .group_by(GroupedOrder.status)).all())
    q = select(GroupedOrder).where(GroupedOrder.status.in_(domain.TABS[tab])) \
        .order_by(GroupedOrder.closes_at, GroupedOrder.number)
    return tabs_view(tab, counts, session.scalars(q), now, public_url)


def get(session, number, now, public_url) -> dict:
    """The bookshop's view; each sub-order says what its credit notes gave back (`credited`)
    and the part of it its total still holds (`credited_in_total`: a credit note whose copies
    came off its lines took its amount off the total already): the cancellation's
    confirmation refunds the total less that part."""
    view = grouped_order_view(get_grouped_order(session, number), now, public_url)
    numbers = [s["number"] for s in view.get("sub_orders") or ()]
    in_total = credit_refunds.credited_by_sub(session, numbers)
    given = credit_refunds.given_back_by_sub(session, numbers)
    for s in view.get("sub_orders") or ():
        s["credited"] = money_str(given.get(s["number"], money(0)))
        s["credited_in_total"] = money_str(in_total.get(s["number"], money(0)))
    # distributed for good (« Valider la distribution »): no « Réinitialiser le statut » (it
    # was offered, then refused with a 409)
    view["distributed"] = session.get(Distribution, number) is not None
    return view


def _move_sub(session, sub, values):
    """The guarded move of a sub-order from the status it was decided on."""
    transition(session, SubOrder, sub.number, [sub.status], values,
               message=domain.SUB_ALREADY_DONE)


def _move(session, go, values):
    """The guarded move of a grouped order from the status it was decided on."""
    transition(session, GroupedOrder, go.number, [go.status], values,
               message=domain.ALREADY_DONE)


def validate_sub_order(session, sub_number, now, record, public_url) -> dict:
    """A payment that did not go through automatically (a cheque handed over, say)."""
    sub, go = locked_sub(session, sub_number)
    domain.check_sub_order_action(sub.status, go.status, "validate")
    _move_sub(session, sub, {"status": domain.PAID, "paid_at": now, "paid_manually": True})
    record(session, "sub_order_paid",
           sub_order_paid_event(sub, go, public_url, now, manual=True))
    return grouped_order_view(go, now, public_url)


def record_manual_payment(session, sub_number, method, cheque_number, by, record_payment, now,
                          record, public_url) -> dict:
    """« Valider » a sub-order's cheque or cash (issue 9), in ONE transaction holding the
    grouped order's and the sub-order's row locks: the check, then payments'
    `record_manual_payment` (`record_payment`, the nested RPC: it checks the number and keeps
    one payment per reference), then the sub-order paid by it. A second click waits for the
    first, then is refused here (409) before payments is even asked; with the same idempotency
    key it gets the first answer."""
    asked = manual_payment_request(session, sub_number, method)
    payment = record_payment(asked["reference_kind"], asked["reference_id"], asked["amount"],
                             method, cheque_number, by)
    return mark_paid_manually(session, sub_number, payment, now, record, public_url)


def manual_payment_request(session, sub_number, method) -> dict:
    """Before payments records a cheque or cash (issue 9): the sub-order must await its
    payment in a grouped order that still accepts changes; what payments is asked to record
    (the amount is the sub-order's own)."""
    sub, go = locked_sub(session, sub_number)
    domain.check_sub_order_action(sub.status, go.status, "validate")
    if not domain.is_offline(method):
        raise invalid("Moyen de paiement inconnu : choisissez chèque ou espèces.",
                      {"method": ["Chèque ou espèces."]})
    return {"reference_kind": "sub_order", "reference_id": str(sub.number),
            "amount": str(sub_total(sub)), "grouped_order": go.number}


def mark_paid_manually(session, sub_number, payment: dict, now, record, public_url) -> dict:
    """The cheque or cash payments recorded (`payment`, its view) pays the sub-order, once: if
    its `payment_succeeded` got here first, the sub-order is already paid by it."""
    sub, go = locked_sub(session, sub_number)
    if not (sub.status == domain.PAID and sub.paid_payment_id == payment["payment_id"]):
        domain.check_sub_order_action(sub.status, go.status, "validate")
        pay_by_hand(session, sub, go, payment["payment_id"], payment["method"],
                     payment.get("cheque_number") or None, now, record, public_url)
    return grouped_order_view(go, now, public_url)


def pay_by_hand(session, sub, go, payment_id, method, cheque_number, now, record, public_url):
    _move_sub(session, sub, {"status": domain.PAID, "paid_at": now, "paid_manually": True,
                             "paid_payment_id": payment_id, "payment_method": method,
                             "cheque_number": cheque_number, "last_payment_state": "succeeded"})
    record(session, "sub_order_paid",
           sub_order_paid_event(sub, go, public_url, now, manual=True))


def set_payment_methods(session, number, cheque, cash, pickup, now, public_url) -> dict:
    """The bookshop allows (or not) cheques and cash at the bookshop, and paying at pickup
    (issue 10 K5), for a grouped order, while buyers may still subscribe; online payment is
    always offered."""
    go = locked(session, number)
    methods = domain.allowed_methods_from_form(cheque, cash, pickup)
    if go.status != domain.OPEN:
        raise conflict("Les moyens de paiement ne se changent que tant que la commande groupée "
                       "est ouverte.")
    go.payment_methods = methods
    session.flush()
    return grouped_order_view(go, now, public_url)


def cancel_sub_order(session, sub_number, reason, now, record, public_url) -> dict:
    sub, go = locked_sub(session, sub_number)
    domain.check_sub_order_action(sub.status, go.status, "cancel")
    invoiced.check_not_invoiced(live_invoice(session, "sub_order", sub.number),
                                       "Cette sous-commande")
    _cancel_sub(session, sub, go, domain.sub_cancel_reason(reason), now, record, public_url)
    return grouped_order_view(go, now, public_url)


def correct_buyer_email(session, sub_number, email, now, record, public_url) -> dict:
    """The bookshop corrects a buyer's mistyped e-mail (the parent called: no confirmation,
    no payment link came): the sub-order's address is changed under its row lock, once (the
    same address again: a 409), and `sub_order_email_corrected` tells the buyer at the new
    address, with their order's page, and the order desk."""
    sub, go = locked_sub(session, sub_number)
    previous = sub.email
    email = domain.check_corrected_email(previous, email, sub.status, sub.refund_state)
    transition(session, SubOrder, sub.number, [sub.status], {"email": email},
               message=domain.SUB_ALREADY_DONE)
    session.refresh(sub)
    record(session, "sub_order_email_corrected",
           sub_order_email_corrected_event(sub, go, previous, now, public_url))
    return grouped_order_view(go, now, public_url)


def _cancel_sub(session, sub, go, reason, now, record, public_url, credit_note_number=None):
    """`credit_note_number`: cancelled by a credit note that took every copy (its own mails
    told the buyer: this cancellation mails no one)."""
    # what credit notes gave back already is not refunded twice: the rest, or nothing
    refund, left, credit = credit_refunds.cancellation_refund(session, sub)
    if credit_note_number:
        credit = dict(credit, credit_note_number=credit_note_number)
    _move_sub(session, sub, dict({"status": domain.SUB_CANCELLED, "cancelled_at": now,
                                  "cancel_reason": reason},
                                 **({"refund_state": "requested"} if refund else {})))
    if refund:
        record(session, "refund_requested", refund_requested_event(
            sub.paid_payment_id, str(left), reason, sub))
    record(session, "sub_order_cancelled",
           dict(sub_order_cancelled_event(sub, go, public_url, reason, refund), **credit))


def validate(session, number, now, record, public_url) -> dict:
    """Answers the grouped order with its summary, without its `sub_orders` (issue 11: a
    grouped order of 10,000 is validated in a fraction of a second; its lines are a GET away).
    The sub-orders are read as the rules need them (`sub_rules`), not as ORM rows."""
    go = locked(session, number)
    rules = sub_rules(session, number)
    domain.check_can_validate(go.status, go.deadline, now, rules)
    domain.check_transition(go.status, domain.PROCESSING)
    _move(session, go, {"status": domain.PROCESSING, "validated_at": now})
    record(session, "grouped_order_validated", validated_event(go, public_url, now, rules))
    return grouped_order_view(go, now, public_url, rules=rules)


def cancel(session, number, reason, now, record, public_url, by_initiator=False) -> dict:
    go = locked(session, number)
    reason = domain.check_cancel_reason(reason)
    domain.check_transition(go.status, domain.CANCELLED)
    invoiced.check_not_invoiced(
        live_invoice(session, "grouped_order", go.number)
        or live_invoice_of_any_sub(session, [sub.number for sub in go.subs]),
        "Cette commande groupée (ou l'une de ses sous-commandes)")
    for sub in go.subs:
        if domain.cancelled_with_the_order(sub.status):
            _cancel_sub(session, sub, go, reason[:domain.SUB_REASON_MAX], now, record,
                        public_url)
    _move(session, go, {"status": domain.CANCELLED, "cancelled_at": now,
                        "cancel_reason": reason[:domain.REASON_MAX]})
    record(session, "grouped_order_cancelled",
           cancelled_event(go, public_url, reason, by_initiator))
    return grouped_order_view(go, now, public_url)


def make_available(session, number, now, record, public_url) -> dict:
    go = locked(session, number)
    domain.check_transition(go.status, domain.CLOSED)
    _move(session, go, {"status": domain.CLOSED, "made_available_at": now})
    record(session, "grouped_order_made_available", made_available_event(go, public_url, now))
    from .distribution_date import tell_buyers  # each buyer: their books are ready (K5)
    tell_buyers(session, go, now, record, public_url)
    return grouped_order_view(go, now, public_url)


def reset_status(session, number, now, public_url) -> dict:
    go = locked(session, number)
    if session.get(Distribution, number) is not None:  # issue 10 K5: distributed for good
        raise conflict(domain.DISTRIBUTION_ALREADY_DONE)
    _move(session, go, {"status": domain.previous_status(go.status), "made_available_at": None})
    return grouped_order_view(go, now, public_url)


def close_expired(session, now, record, public_url) -> list:
    """The deadline timer. The conditional UPDATE is the claim: with several instances running,
    each grouped order changes status (and gets its mail) exactly once."""
    numbers = session.scalars(
        update(GroupedOrder)
        .where(GroupedOrder.status == domain.OPEN, GroupedOrder.closes_at <= now)
        .values(status=domain.AWAITING_VALIDATION)
        .returning(GroupedOrder.number)).all()
    for number in numbers:
        if capacity.fail_below_minimum(session, number, now, record, public_url):
            continue  # its own mails (grouped_order_failed), not « la date limite est passée »
        go = session.get(GroupedOrder, number)
        session.refresh(go)
        record(session, "grouped_order_deadline_passed", deadline_passed_event(go, public_url))
    return list(numbers)


def close_now(session, number, now, record, public_url) -> dict:
    """« Clore les souscriptions maintenant »: the bookshop closes an open grouped order before
    its deadline (the deadline timer's effect, today). The conditional UPDATE is the claim: of
    two clicks, one closes it and sends the initiator's mail, the other is refused."""
    go = get_grouped_order(session, number)
    claimed = session.execute(
        update(GroupedOrder)
        .where(GroupedOrder.number == number, GroupedOrder.status == domain.OPEN)
        .values(status=domain.AWAITING_VALIDATION, closes_at=now)).rowcount
    session.refresh(go)
    if not claimed:
        domain.check_can_close_now(go.status)
    if capacity.fail_below_minimum(session, number, now, record, public_url):
        session.refresh(go)  # cancelled by the minimums: the answer says so
        return grouped_order_view(go, now, public_url)
    record(session, "grouped_order_deadline_passed",
           deadline_passed_event(go, public_url, closed_early_at=now))
    return grouped_order_view(go, now, public_url)
