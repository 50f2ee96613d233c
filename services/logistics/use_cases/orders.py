"""What the other services' events tell logistics about an order: its customer, where it goes,
its lines, and whether it is ready (« Commande prête »). Each consumer is one call of `heard`,
in the event's transaction (the inbox takes each event once); the same news twice changes
nothing more."""
from sqlalchemy import select, text

from ..domain import orders as rules
from ..models import Order, OrderLine


def _one_at_a_time(session, kind, number):
    """Two events of one order consumed at once (grouped_order_validated and _made_available,
    from two queues) would each find no row and insert one: on PostgreSQL they take the order's
    advisory lock first, so the second finds the first's row (SQLite has one writer)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                        {"key": f"logistics:{kind}:{int(number)}"})


def _load(session, kind, number):
    return session.scalars(select(Order).where(Order.kind == kind, Order.number == int(number))
                           .with_for_update()).first()


def heard(session, kind, number, now, signal, *, customer=None, destination=None, lines=None):
    """Record what an event says of order (kind, number): its details when given, and the
    state `signal` leads to (domain.orders.next_state). Returns the row."""
    _one_at_a_time(session, kind, number)
    row = _load(session, kind, number)
    if row is None:
        row = Order(kind=kind, number=int(number), status=rules.KNOWN, customer="",
                    destination="", updated_at=now)
        session.add(row)
    if row.status != rules.HANDED_OFF:  # a batch's content is frozen once handed off
        if customer:
            row.customer = str(customer)[:300]
        if destination:
            row.destination = str(destination)
        new_lines = rules.lines_of(lines or ())
        if new_lines:
            row.lines = [OrderLine(position=i, ean=li.ean[:20], title=li.title[:500],
                                   quantity=li.quantity)
                         for i, li in enumerate(new_lines)]
    status = rules.next_state(row.status if row.id is not None else None, signal)
    if status != row.status:
        row.status = status
        if status == rules.READY:
            row.ready_at = now
    row.updated_at = now
    session.flush()
    return row


def _article_line(payload):
    article = payload["article"]
    return [{"ean": article["ean"], "title": article["title"], "quantity": payload["quantity"]}]


def grouped_order_validated(session, payload, now):
    return heard(session, "grouped_order", payload["number"], now, rules.INFO,
                 customer=payload["client_name"], destination=payload["pickup_label"],
                 lines=_article_line(payload))


def grouped_order_made_available(session, payload, now):
    return heard(session, "grouped_order", payload["number"], now, rules.SIGNAL_READY,
                 customer=payload["client_name"], destination=payload["pickup_label"],
                 lines=_article_line(payload))


def grouped_order_cancelled(session, payload, now):
    return heard(session, "grouped_order", payload["number"], now, rules.WITHDRAW)


def sub_order_placed(session, payload, now):
    buyer, grouped = payload["buyer"], payload["grouped_order"]
    lines = payload.get("lines") or [{"ean": grouped["article"]["ean"],
                                      "title": grouped["article"]["title"],
                                      "quantity": payload["quantity"]}]
    return heard(session, "sub_order", payload["sub_order_number"], now, rules.INFO,
                 customer=f"{buyer['first_name']} {buyer['last_name']}".strip(),
                 destination=grouped["pickup_label"], lines=lines)


def collectivity_order_placed(session, payload, now):
    return heard(session, "collectivity_order", payload["number"], now, rules.INFO,
                 customer=payload["client_name"],
                 destination=payload.get("delivery_label") or "", lines=payload["lines"])


def collectivity_order_status_changed(session, payload, now):
    signal = rules.COLLECTIVITY_ACTIONS.get(payload["action"], rules.INFO)
    return heard(session, "collectivity_order", payload["number"], now, signal,
                 customer=payload["client_name"],
                 destination=payload.get("delivery_label") or "")


def order_progressed(session, payload, now):
    order = payload["order"]
    signal = rules.PROGRESS_SIGNALS.get(payload["to_status"], rules.INFO)
    return heard(session, order["kind"], order["number"], now, signal,
                 customer=payload.get("customer_name") or "")
