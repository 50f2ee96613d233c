"""Distribution day (issue 10 K5, reference 004 steps 5 and 6), for the initiator (its own
grouped order) and the bookshop (any): the page's list, each tick saved at once, a payment at
pickup (also after the validation, for an absent buyer who comes afterwards), a note of a
refund or an extra payment, « Valider la distribution ».

Every action locks the grouped order's row first (`load.locked`): the ticks, the payments and
the validation run one after the other; a tick arriving after the validation is refused."""
from sqlalchemy import select

from services.common.errors import invalid
from services.common.guards import transition

from .. import domain
from ..models import Distribution, DistributionMark, DistributionNote, SubOrder
from ..distribution_presenters import distributed_event, distribution_view
from ..presenters import sub_total
from .bookshop import pay_by_hand
from . import credit_refunds
from .load import get_grouped_order, locked


def _check_access(go, account):
    """The bookshop: any grouped order; an initiator: its own (another's is not found)."""
    if account["role"] != "admin":
        domain.check_owner(go.initiator_id, account["id"])


def _distributed(session, number) -> Distribution | None:
    return session.get(Distribution, number)


def _marks(session, number) -> dict:
    return {m.sub_order_number: m for m in session.scalars(
        select(DistributionMark).where(DistributionMark.grouped_order_number == number))}


def _notes(session, number) -> list:
    return list(session.scalars(select(DistributionNote).where(
        DistributionNote.grouped_order_number == number).order_by(DistributionNote.id)))


def view(session, number, account, query, now, public_url) -> dict:
    go = get_grouped_order(session, number)
    _check_access(go, account)
    return distribution_view(go, _marks(session, number), _notes(session, number),
                             _distributed(session, number), query, now, public_url)


def _locked_sub(session, number, sub_number, account, paying=False):
    """The grouped order (locked, the caller's to distribute) and its sub-order `sub_number`;
    `paying`: a payment at pickup, still taken after the validation."""
    go = locked(session, number)
    _check_access(go, account)
    sub = session.get(SubOrder, sub_number)
    if sub is None or sub.grouped_order_number != go.number:  # the grouped order is theirs
        raise invalid("Choisissez un acheteur de cette commande groupée.",
                      {"sub": ["Un acheteur de la liste."]})
    session.refresh(sub, with_for_update=True)
    if paying:
        domain.check_can_record_pickup_payment(go.status)
    else:
        domain.check_can_distribute(go.status, _distributed(session, number) is not None)
    return go, sub


def tick(session, number, sub_number, field, value, account, now) -> dict:
    """« venu » / « a tout retiré » ticked or un-ticked: the same tick twice is one change
    (`changed` false the second time, not an error)."""
    go, sub = _locked_sub(session, number, sub_number, account)
    domain.check_tick(field, sub.status)
    mark, changes = _mark(session, go, sub, field, value, account, now)
    return {"sub_order_number": sub.number, "came": mark.came,
            "collected_all": mark.collected_all, "changed": bool(changes)}


def _mark(session, go, sub, field, value, account, now):
    """The sub-order's distribution mark after `field` set to `value` (created the first
    time): the mark and what changed."""
    mark = session.get(DistributionMark, sub.number)
    if mark is None:
        mark = DistributionMark(sub_order_number=sub.number, grouped_order_number=go.number,
                                came=False, collected_all=False, marked_by=account["email"],
                                marked_at=now)
        session.add(mark)
        session.flush()
    changes = domain.tick_values(mark.came, mark.collected_all, field, value)
    if changes:  # the guarded move from the value it was decided on
        transition(session, DistributionMark, sub.number, [getattr(mark, field)],
                   dict(changes, marked_by=account["email"], marked_at=now), column=field,
                   message=domain.SUB_ALREADY_DONE)
    return mark, changes


def pickup_payment_request(session, number, sub_number, method, account) -> dict:
    """Before payments records a cheque or cash handed over at pickup: the sub-order awaits
    its payment; what payments is asked to record (the sub-order's own amount)."""
    go, sub = _locked_sub(session, number, sub_number, account, paying=True)
    domain.check_pickup_payment(sub.status)
    if not domain.is_offline(method):
        raise invalid("Moyen de paiement inconnu : choisissez chèque ou espèces.",
                      {"method": ["Chèque ou espèces."]})
    return {"reference_kind": "sub_order", "reference_id": str(sub.number),
            "amount": str(sub_total(sub))}


def record_pickup_payment(session, number, sub_number, method, cheque_number, account,
                          record_payment, now, record, public_url) -> dict:
    """« a payé » at pickup: as the bookshop's « Valider » of a cheque (bookshop.
    record_manual_payment), in one transaction holding the rows' locks: the check, payments'
    `record_manual_payment` (one payment per sub-order), then the sub-order paid by it."""
    asked = pickup_payment_request(session, number, sub_number, method, account)
    payment = record_payment(asked["reference_kind"], asked["reference_id"], asked["amount"],
                             method, cheque_number, account["email"])
    go, sub = _locked_sub(session, number, sub_number, account, paying=True)
    if not (sub.status == domain.PAID and sub.paid_payment_id == payment["payment_id"]):
        domain.check_pickup_payment(sub.status)
        pay_by_hand(session, sub, go, payment["payment_id"], payment["method"],
                    payment.get("cheque_number") or None, now, record, public_url)
    if _distributed(session, number) is None:  # paid at the table: they came (else the
        # validation counted them absent and mailed them that their books wait for them)
        _mark(session, go, sub, domain.CAME, True, account, now)
    return {"sub_order_number": sub.number, "status": sub.status,
            "paid_by": domain.paid_by_label(sub.payment_method, sub.cheque_number)}


def add_note(session, number, sub_number, kind, amount, comment, account, now) -> dict:
    """A refund or an extra payment noted at pickup (what was handed over, and why)."""
    go, sub = _locked_sub(session, number, sub_number, account)
    if sub.status == domain.SUB_CANCELLED:  # not on the list: nothing handed over at pickup
        raise invalid("Cette commande est annulée : choisissez un acheteur de la liste.",
                      {"sub": ["Un acheteur de la liste."]})
    noted = session.execute(select(DistributionNote.kind, DistributionNote.amount).where(
        DistributionNote.sub_order_number == sub.number)).all()
    kind, amount, comment = domain.check_note(
        kind, amount, comment, domain.refundable(sub.status, sub.total, noted,
                                                 credit_refunds.credited(session, sub.number)))
    note = DistributionNote(sub_order_number=sub.number, grouped_order_number=go.number,
                            kind=kind, amount=amount, comment=comment,
                            noted_by=account["email"], noted_at=now)
    session.add(note)
    session.flush()
    return {"id": note.id, "sub_order_number": sub.number, "kind": kind,
            "amount": str(amount), "comment": comment}


def validate(session, number, account, now, record, public_url) -> dict:
    """« Valider la distribution »: once (the grouped order's lock, then the distribution's
    row: a second validation, even at the same moment, is refused), who did not come, and
    `grouped_order_distributed` (the closing mails)."""
    go = locked(session, number)
    _check_access(go, account)
    domain.check_can_distribute(go.status, _distributed(session, number) is not None)
    domain.check_validation_day(go.distribution_date, now)
    marks = _marks(session, number)
    subs = list(go.subs)
    came = {n for n, m in marks.items() if m.came}
    absent = domain.absent_numbers([(s.number, s.status) for s in subs], came)
    done = Distribution(grouped_order_number=go.number, validated_by=account["email"],
                        validated_at=now, absent=absent)
    session.add(done)
    session.flush()
    notes = _notes(session, number)
    record(session, "grouped_order_distributed",
           distributed_event(go, marks, notes, done, public_url))
    return distribution_view(go, marks, notes, done, "", now, public_url)
