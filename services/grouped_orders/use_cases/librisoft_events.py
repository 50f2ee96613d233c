"""What the Librisoft bridge tells grouped_orders: the classic order a validated grouped order
became, its status in Librisoft, and when Librisoft was told of (and took) a cancellation."""
from datetime import datetime, timezone

from services.common.clock import utcnow

from .. import domain
from ..models import GroupedOrder


def _moment(iso_text):
    try:
        moment = datetime.fromisoformat(iso_text)
    except (TypeError, ValueError):
        return utcnow()
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def on_classic_order_status_changed(session, payload):
    if payload["source_kind"] != "grouped_order":
        return
    go = session.get(GroupedOrder, payload["source_number"])
    if go is None:
        return
    go.classic_order_number = payload["order_number"]
    go.librisoft_number = payload.get("librisoft_number") or go.librisoft_number
    go.librisoft_status = domain.librisoft_status(payload.get("status"), payload["picked_up"],
                                                  go.librisoft_status)
    if payload.get("cancelled") and go.librisoft_cancel_told_at is None:
        go.librisoft_cancel_told_at = _moment(payload.get("cancelled_at"))
    if payload.get("cancellation_acknowledged") and go.librisoft_cancel_done_at is None:
        go.librisoft_cancel_done_at = _moment(payload.get("cancellation_acknowledged_at"))
