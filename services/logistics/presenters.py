"""What the logistics RPCs return (plain dicts for the wire) and the payload of
`orders_handed_off`."""
from datetime import timezone

from .domain import files
from .domain import orders as rules


def _iso(value):
    """ISO 8601 in UTC (SQLite gives the stored time back without its zone)."""
    if value is None:
        return None
    return (value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value).isoformat()


def order(row) -> dict:
    domain_order = to_domain(row)
    return {"kind": row.kind, "number": row.number, "key": rules.format_key(row.kind, row.number),
            "name": rules.order_name(row.kind, row.number),
            "kind_label": rules.KIND_LABELS.get(row.kind, row.kind),
            "status": row.status, "status_label": rules.STATE_LABELS[row.status],
            "customer": row.customer, "destination": row.destination,
            "ready_at": _iso(row.ready_at), "batch_number": row.batch_number,
            "candidate": domain_order.is_candidate,
            "lines": [{"ean": li.ean, "title": li.title, "quantity": li.quantity}
                      for li in row.lines],
            "quantity": sum(li.quantity for li in row.lines)}


def to_domain(row) -> rules.Order:
    return rules.Order(kind=row.kind, number=row.number, status=row.status,
                       customer=row.customer or "", destination=row.destination or "",
                       lines=tuple(rules.Line(li.ean, li.title, li.quantity) for li in row.lines),
                       batch_number=row.batch_number)


DELIVERY_LABELS = {"none": "Pas d'envoi (aucune adresse du logisticien configurée)",
                   "pending": "En attente d'envoi", "retrying": "Refusé, nouvel essai prévu",
                   "acknowledged": "Reçu par le logisticien"}


def delivery(row) -> dict:
    if row is None:
        return {"state": "none", "state_label": DELIVERY_LABELS["none"]}
    state = ("acknowledged" if row.acknowledged_at else "retrying" if row.last_error
             else "pending")
    return {"state": state, "state_label": DELIVERY_LABELS[state], "url": row.url,
            "attempts": row.attempts, "first_sent_at": _iso(row.first_sent_at),
            "sent_at": _iso(row.sent_at),
            "acknowledged_at": _iso(row.acknowledged_at), "last_status": row.last_status,
            "last_error": row.last_error,
            "next_attempt_at": None if row.acknowledged_at else _iso(row.next_attempt_at)}


def batch(row) -> dict:
    orders = {}
    for r in row.rows:
        orders.setdefault((r.kind, r.number), {
            "kind": r.kind, "number": r.number, "name": r.reference, "customer": r.customer,
            "destination": r.destination, "lines": []})["lines"].append(
            {"ean": r.ean, "title": r.title, "quantity": r.quantity})
    return {"number": row.number, "created_at": _iso(row.created_at),
            "created_by": row.created_by, "order_count": row.order_count,
            "line_count": row.line_count, "quantity_total": row.quantity_total,
            "orders": list(orders.values()),
            "files": {"csv": files.filename(row.number, "csv"),
                      "json": files.filename(row.number, "json")},
            "delivery": delivery(row.delivery)}


def handed_off_event(row) -> dict:
    return {"batch_number": row.number,
            "orders": [{"kind": o.kind, "number": o.number} for o in row.orders],
            "created_at": _iso(row.created_at), "created_by": row.created_by}
