"""Payouts (reference 002 §3, issue 9): a confirmed payment joins the payout of its due date in
the same transaction as its confirmation; a confirmed refund reduces the payout its payment is
in, or the next open one when that one is already paid; the bookshop's admin lists them,
exports them and marks one paid (a guarded transition, once per key)."""
import csv
import io
import secrets
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.common.clock import PARIS
from services.common.db import get_by_text_id
from services.common.errors import invalid
from services.common.guards import transition

from .. import config
from ..domain import payouts
from ..models import Payout, PayoutLine
from ..presenters import payout_view

MAX_LISTED = 500


def _open_payout(session, due_on, now) -> Payout:
    """The open payout due on `due_on`, created if none. Two first confirmations of the day at
    once: the second insert waits on the unique open due date, then joins the first's payout."""
    def find():
        return session.scalar(select(Payout).where(Payout.due_on == due_on,
                                                   Payout.status == payouts.OPEN)
                              .with_for_update())
    payout = find()
    if payout is not None:
        return payout
    payout = Payout(id="po_" + secrets.token_urlsafe(12), due_on=due_on, status=payouts.OPEN,
                    created_at=now)
    try:
        with session.begin_nested():
            session.add(payout)
            session.flush()
    except IntegrityError:
        payout = find()
        if payout is None:
            raise
    return payout


def _due_on(now, rule=None, public_holidays=None):
    rule = rule or config.payout_rule()
    calendar = config.public_holidays() if public_holidays is None else public_holidays
    return payouts.due_date(now.astimezone(PARIS).date(), rule, calendar)


def add_payment(session, payment, now, rule=None, public_holidays=None):
    """A payment just confirmed: its line (amount TTC, fee) in the payout of its due date."""
    rule = rule or config.payout_rule()
    payout = _open_payout(session, _due_on(now, rule, public_holidays), now)
    session.add(PayoutLine(payout=payout, payment_id=payment.id, kind=payouts.PAYMENT_LINE,
                           amount=payment.amount, fee=payouts.fee(payment.amount, rule),
                           reference_kind=payment.reference_kind,
                           reference_id=payment.reference_id, occurred_at=now))
    session.flush()


def add_refund(session, payment, amount, now, public_holidays=None, refund_id=""):
    """A refund confirmed: taken back from its payment's payout, or the next open one."""
    line = session.scalar(select(PayoutLine).where(PayoutLine.payment_id == payment.id,
                                                   PayoutLine.kind == payouts.PAYMENT_LINE))
    # the payout's row locked before its status is read: « marquer versé » at the same moment
    # either comes first (the refund goes to the next open payout) or waits for this one (paid
    # with the refund in it); never a refund added to a payout already paid
    status = None if line is None else session.scalar(
        select(Payout.status).where(Payout.id == line.payout_id).with_for_update())
    target = payouts.refund_target(status)
    if target is None:
        return
    payout = line.payout if target == "same" else _open_payout(
        session, max(line.payout.due_on, _due_on(now, public_holidays=public_holidays)), now)
    session.add(PayoutLine(payout=payout, payment_id=payment.id, kind=payouts.REFUND_LINE,
                           refund_id=refund_id or "", amount=amount, fee=0, reference_kind=payment.reference_kind,
                           reference_id=payment.reference_id, occurred_at=now))
    session.flush()


def list_payouts(session, actor_id=None, status=None) -> list:
    """Every payout (or those `open` / `paid`), latest due first. `actor_id` is the admin the
    gateway checked (ADMIN only, enforced by the gateway's route)."""
    query = select(Payout)
    if status not in (None, ""):
        if status not in payouts.PAYOUT_STATUSES:
            raise invalid("Statut de reversement inconnu (attendu : open ou paid).",
                          {"status": ["open ou paid."]})
        query = query.where(Payout.status == status)
    rows = session.scalars(query.order_by(Payout.due_on.desc(), Payout.created_at.desc())
                           .limit(MAX_LISTED))
    return [payout_view(p) for p in rows]


def _load(session, payout_id, lock=False) -> Payout:
    return get_by_text_id(session, Payout, payout_id, "Reversement introuvable.", lock)


def get_payout(session, payout_id) -> dict:
    return payout_view(_load(session, payout_id))


def mark_payout_paid(session, payout_id, idempotency_key, now) -> dict:
    """Open -> paid, once: the same key again answers the paid payout; another key, conflict."""
    payout = _load(session, payout_id)
    if payouts.mark_paid(payout.status, payout.paid_key, idempotency_key):
        transition(session, Payout, payout.id, [payouts.OPEN],
                   {"status": payouts.PAID, "paid_at": now, "paid_key": idempotency_key},
                   message="Ce reversement vient d'être marqué comme versé : rechargez la page.")
    return payout_view(payout)


CSV_HEADER = ["reversement", "echeance", "statut", "verse_le", "ligne", "paiement",
              "reference", "date", "montant_ttc", "frais", "rembourse", "net"]


def _amount(value) -> str:
    """An amount as a French spreadsheet reads a number: « 1,11 » (« 1.11 » was a date)."""
    return str(value).replace(".", ",") if value not in (None, "") else ""


def _paris(instant) -> str:
    """An ISO instant as the pages show it: Paris time, « 2026-12-07 19:26:17 » (the CSV gave
    UTC, an hour off the pages)."""
    if not instant:
        return ""
    when = datetime.fromisoformat(str(instant))
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(PARIS).strftime("%Y-%m-%d %H:%M:%S")


def export_payouts_csv(session) -> str:
    """Every payout line, then each payout's total line (semicolon-separated, UTF-8; amounts
    with a decimal comma, as the invoices' CSV): the totals are the sums of the lines above
    them."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for view in reversed(list_payouts(session)):
        head = [view["payout_id"], view["due_on"], view["status_label"],
                _paris(view["paid_at"])]
        for line in view["lines"]:
            refund = line["kind"] == payouts.REFUND_LINE
            writer.writerow(head + [
                "remboursement" if refund else "paiement", line["payment_id"],
                f"{line['reference_kind']}:{line['reference_id']}", _paris(line["occurred_at"]),
                "" if refund else _amount(line["amount"]), "" if refund else _amount(line["fee"]),
                _amount(line["amount"]) if refund else "", _amount(line["net"])])
        writer.writerow(head + ["total", view["transactions"], "", "", _amount(view["gross"]),
                                _amount(view["fees"]), _amount(view["refunds"]),
                                _amount(view["net"])])
    return out.getvalue()
