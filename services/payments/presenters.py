"""What the payments RPCs answer and what its events carry (dicts for the wire; money as
strings in answers, as Decimal in event payloads, which the contracts turn into strings)."""
from datetime import timezone

from services.common.money import money_str

from . import domain
from .models import Payment, Payout, PayoutLine, Refund


def _iso(value):
    return (value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value).isoformat()


def refund_view(r: Refund) -> dict:
    return {"refund_id": r.id, "amount": money_str(r.amount), "state": r.state,
            "reason": r.reason, "late": bool(r.late), "created_at": _iso(r.created_at)}


def payment_view(p: Payment) -> dict:
    return {"payment_id": p.id, "reference_kind": p.reference_kind,
            "reference_id": p.reference_id, "amount": money_str(p.amount),
            "state": p.state, "state_label": domain.state_label(p.state), "provider": p.provider,
            "method": p.method or domain.ONLINE,
            "method_label": domain.METHOD_LABELS[p.method or domain.ONLINE],
            "cheque_number": p.cheque_number or "", "recorded_by": p.recorded_by or "",
            "created_at": _iso(p.created_at), "updated_at": _iso(p.updated_at),
            "refunds": [refund_view(r) for r in p.refunds]}


def start_view(p: Payment) -> dict:
    return {"payment_id": p.id, "state": p.state, "state_label": domain.state_label(p.state),
            "redirect_url": p.redirect_url}


def payment_event(p: Payment, occurred_at, amount=None) -> dict:
    """`payment_succeeded`'s payload (and the common part of the others)."""
    return {"payment_id": p.id, "reference_kind": p.reference_kind,
            "reference_id": p.reference_id, "amount": p.amount if amount is None else amount,
            "provider": p.provider, "occurred_at": occurred_at.isoformat()}


def payment_succeeded_event(p: Payment, occurred_at) -> dict:
    """`payment_succeeded`: how it was paid too (a cheque's number; grouped_orders marks a
    manual one « payée par la librairie »)."""
    return dict(payment_event(p, occurred_at), method=p.method or domain.ONLINE,
                cheque_number=p.cheque_number or "")


def payment_state_changed_event(p: Payment, occurred_at, previous=None) -> dict:
    """`payment_state_changed`: the state the payment just entered, with reference 003's
    label (domain.states), and the one it left (`previous_state`, None at its creation), for
    the order desk."""
    return {"payment_id": p.id, "reference_kind": p.reference_kind,
            "reference_id": p.reference_id, "state": p.state,
            "label": domain.state_label(p.state), "amount": p.amount,
            "method": p.method or domain.ONLINE, "cheque_number": p.cheque_number or "",
            "occurred_at": occurred_at.isoformat(), "previous_state": previous}


def payment_failed_event(p: Payment, occurred_at) -> dict:
    return dict(payment_event(p, occurred_at), state=p.state,
                reason=domain.FAILURE_REASONS[p.state], customer_email=p.customer_email,
                description=p.description, return_url=p.return_url)


def payment_refunded_event(p: Payment, refund: Refund, now) -> dict:
    return dict(payment_event(p, now, refund.amount), refund_id=refund.id, reason=refund.reason,
                late=refund.late, request_key=refund.request_key or "",
                partial=bool(refund.request_key))


def payout_line_view(line: PayoutLine) -> dict:
    refund = line.kind == domain.payouts.REFUND_LINE
    net = -line.amount if refund else line.amount - line.fee
    return {"kind": line.kind, "payment_id": line.payment_id,
            "reference_kind": line.reference_kind, "reference_id": line.reference_id,
            "amount": money_str(line.amount), "fee": money_str(line.fee), "net": money_str(net),
            "occurred_at": _iso(line.occurred_at)}


def payout_view(p: Payout) -> dict:
    """A payout with its lines and its figures, recomputed from the lines (gross - fees -
    refunds = net)."""
    t = domain.payouts.totals((line.kind, line.amount, line.fee) for line in p.lines)
    return {"payout_id": p.id, "due_on": p.due_on.isoformat(), "status": p.status,
            "status_label": domain.payouts.PAYOUT_LABELS[p.status],
            "paid_at": _iso(p.paid_at) if p.paid_at else None,
            "transactions": t.transactions, "gross": money_str(t.gross),
            "fees": money_str(t.fees), "refunds": money_str(t.refunds), "net": money_str(t.net),
            "lines": [payout_line_view(line) for line in p.lines]}
