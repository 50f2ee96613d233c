"""What the other services' events tell logistics about an order: its customer, where it goes,
its lines, and whether it is ready (« Commande prête »). Each consumer is one call of `heard`,
in the event's transaction (the inbox takes each event once); the same news twice changes
nothing more. Two events of one new order at once (two queues, two instances) both insert it:
the second's insert waits for the first's transaction and finds its row (`heard`)."""
from sqlalchemy import bindparam, delete, insert, select, text, update

from services.common import invoiced

from ..domain import orders as rules
from ..models import Order, OrderLine

ORDERS, LINES = Order.__table__, OrderLine.__table__
# issue 11: Core statements written once (it was an advisory lock, an ORM select FOR UPDATE,
# its lines loaded, a flush). A new order is inserted in one statement; if the (kind, number)
# is taken, even by a twin event's transaction still running elsewhere, the insert waits for
# it and does nothing: the order is then read FOR UPDATE and changed. SQLAlchemy does not cache
# the compiled form of an `insert().on_conflict_do_nothing()`: a text statement.
_NEW = ("kind", "number", "status", "customer", "destination", "ready_at", "updated_at")
INSERT_NEW = text(
    f"INSERT INTO orders ({', '.join(_NEW)}) VALUES ({', '.join(':' + c for c in _NEW)}) "
    "ON CONFLICT (kind, number) DO NOTHING RETURNING id"
).bindparams(*(bindparam(c, type_=ORDERS.c[c].type) for c in _NEW))
LOCK = (select(ORDERS.c.id, ORDERS.c.status, ORDERS.c.customer, ORDERS.c.destination,
               ORDERS.c.ready_at)
        .where(ORDERS.c.kind == bindparam("kind"), ORDERS.c.number == bindparam("number"))
        .with_for_update())
UPDATE = update(ORDERS).where(ORDERS.c.id == bindparam("order_id"))
DROP_LINES = delete(LINES).where(LINES.c.order_id == bindparam("order_id"))
ADD_LINES = insert(LINES)


def _lines(order_id, lines):
    return [{"order_id": order_id, "position": i, "ean": li.ean[:20], "title": li.title[:500],
             "quantity": li.quantity} for i, li in enumerate(lines)]


def heard(session, kind, number, now, signal, *, customer=None, destination=None, lines=None):
    """Record what an event says of order (kind, number): its details when given, and the
    state `signal` leads to (domain.orders.next_state). A new order: one statement, and one
    for its lines."""
    customer = str(customer)[:300] if customer else None
    destination = str(destination) if destination else None
    new_lines = rules.lines_of(lines or ())
    status = rules.next_state(None, signal)
    order_id = session.execute(INSERT_NEW, {
        "kind": kind, "number": int(number), "status": status, "customer": customer or "",
        "destination": destination or "", "updated_at": now,
        "ready_at": now if status == rules.READY else None}).scalar()
    if order_id is not None:
        if new_lines:
            session.execute(ADD_LINES, _lines(order_id, new_lines))
        return order_id
    row = session.execute(LOCK, {"kind": kind, "number": int(number)}).one()
    values = {"updated_at": now}
    if row.status != rules.HANDED_OFF:  # a batch's content is frozen once handed off
        if customer:
            values["customer"] = customer
        if destination:
            values["destination"] = destination
        if new_lines:
            session.execute(DROP_LINES, {"order_id": row.id})
            session.execute(ADD_LINES, _lines(row.id, new_lines))
    status = rules.next_state(row.status, signal)
    if status != row.status:
        values["status"] = status
        if status == rules.READY:
            values["ready_at"] = now
    session.execute(UPDATE, {"order_id": row.id, **values})  # SET: the keys of `values`
    return row.id


def _article_lines(payload):
    """One line per title of a reading list (the event's `lines`: the copies ordered of each,
    as in the classic order for Librisoft); the article and the whole quantity only for an
    event without them (a grouped order of one title, before reading lists)."""
    if payload.get("lines"):
        return [{"ean": li["ean"], "title": li["title"], "quantity": li["quantity"]}
                for li in payload["lines"]]
    article = payload["article"]
    return [{"ean": article["ean"], "title": article["title"], "quantity": payload["quantity"]}]


def grouped_order_validated(session, payload, now):
    return heard(session, "grouped_order", payload["number"], now, rules.INFO,
                 customer=payload["client_name"], destination=payload["pickup_label"],
                 lines=_article_lines(payload))


def grouped_order_made_available(session, payload, now):
    return heard(session, "grouped_order", payload["number"], now, rules.SIGNAL_READY,
                 customer=payload["client_name"], destination=payload["pickup_label"],
                 lines=_article_lines(payload))


def grouped_order_copies_changed(session, payload, now):
    """A credit note took copies off a validated grouped order: its lines here follow (not
    once handed off: a batch's content is frozen); none left: withdrawn."""
    lines = _article_lines(payload)
    if sum(int(x["quantity"]) for x in lines) == 0:
        return heard(session, "grouped_order", payload["number"], now, rules.WITHDRAW)
    return heard(session, "grouped_order", payload["number"], now, rules.INFO,
                 customer=payload["client_name"], destination=payload["pickup_label"],
                 lines=lines)


def grouped_order_cancelled(session, payload, now):
    return heard(session, "grouped_order", payload["number"], now, rules.WITHDRAW)


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
    if order["kind"] not in rules.HANDED_KINDS:  # a parent's books go with their grouped order
        return None
    signal = rules.PROGRESS_SIGNALS.get(payload["to_status"], rules.INFO)
    return heard(session, order["kind"], order["number"], now, signal,
                 customer=payload.get("customer_name") or "")


def credit_note_issued(session, payload, now):
    """invoicing's credit note on a collectivity order takes copies back (its `lines`): they
    come off the order's lines here, so the logistician is not handed books already credited
    (a grouped order's come off its sub-orders, and its next event carries its lines). Not once
    handed off: a batch's content is frozen. An order left without any copy is withdrawn."""
    order = payload["order"]
    asked = invoiced.credited_copies(payload)
    if order["kind"] != "collectivity_order" or not asked:
        return None
    row = session.execute(LOCK, {"kind": order["kind"], "number": int(order["number"])}).first()
    if row is None or row.status == rules.HANDED_OFF:
        return None
    left = 0
    for line in session.execute(select(LINES.c.id, LINES.c.ean, LINES.c.quantity)
                                .where(LINES.c.order_id == row.id)
                                .order_by(LINES.c.position)).all():
        taken = min(asked.get(line.ean, 0), line.quantity)
        asked[line.ean] = asked.get(line.ean, 0) - taken
        if taken == line.quantity:
            session.execute(delete(LINES).where(LINES.c.id == line.id))
        elif taken:
            session.execute(update(LINES).where(LINES.c.id == line.id)
                            .values(quantity=line.quantity - taken))
        left += line.quantity - taken
    values = {"updated_at": now}
    if left == 0:
        values["status"] = rules.next_state(row.status, rules.WITHDRAW)
    session.execute(UPDATE, {"order_id": row.id, **values})
    return row.id
