"""« Mettre les commandes à disposition du logisticien », then « Exécuter » (reference 003,
step 3): a numbered batch takes the chosen orders (or every ready one), once each.

Once, however often it is asked: the orders are locked (`SELECT … FOR UPDATE`) and moved
ready -> handed_off by a guarded transition, and `batch_orders` has a unique (kind, number):
two « Exécuter » at the same moment give one batch; the other finds the orders handed off and
is refused (409, in French), having changed nothing. Numbers come from a locked counter: no
gap, no duplicate."""
from sqlalchemy import select, tuple_

from services.common.errors import not_found
from services.common.guards import transition

from .. import presenters
from ..domain import batches as rules
from ..domain import files
from ..domain import orders as order_rules
from ..models import Batch, BatchOrder, BatchRow, Counter, Delivery, Order

COUNTER = "batch"


def next_number(session) -> int:
    counter = session.scalars(select(Counter).where(Counter.name == COUNTER)
                              .with_for_update()).first()
    if counter is None:  # the first batch (a concurrent first one: IntegrityError, run again)
        counter = Counter(name=COUNTER, value=0)
        session.add(counter)
    counter.value += 1
    session.flush()
    return counter.value


def _locked(session, keys, take_all):
    query = select(Order).order_by(Order.ready_at, Order.id).with_for_update()
    if take_all:
        query = query.where(Order.status == order_rules.READY,
                            Order.kind.in_(order_rules.HANDED_KINDS))
    else:
        query = query.where(tuple_(Order.kind, Order.number).in_(keys))
    return {(row.kind, row.number): row for row in session.scalars(query)}


def hand_off(session, order_keys, take_all, actor, now, record, delivery_url=None) -> dict:
    """The batch of the chosen orders (`order_keys`: "kind:number" strings) or of every
    candidate (`take_all`), with its file; its delivery to `delivery_url` queued in the same
    transaction; `orders_handed_off` recorded. Refused as a whole (nothing changed) when one
    order is already handed off, not ready, or unknown."""
    keys = [] if take_all else [order_rules.parse_key(k) for k in (order_keys or ())][
        :order_rules.MAX_SELECTION + 1]
    if not take_all and not keys:
        rules.choose({}, [], False)  # raises: nothing chosen
    rows = _locked(session, keys, take_all) if (take_all or keys) else {}
    chosen = rules.choose({k: presenters.to_domain(r) for k, r in rows.items()}, keys, take_all)
    number = next_number(session)
    for order in chosen:
        transition(session, Order, rows[order.key].id, order_rules.READY,
                   {"status": order_rules.HANDED_OFF, "batch_number": number, "updated_at": now})
    file_rows = rules.rows(number, chosen)
    created_at = now.isoformat()
    document = files.to_document(number, created_at, actor or "", file_rows)
    summary = rules.summary(chosen)
    batch = Batch(number=number, created_at=now, created_by=(actor or "")[:254],
                  order_count=summary["orders"], line_count=summary["lines"],
                  quantity_total=summary["quantity"],
                  json_file=files.to_json(document).decode("utf-8"))
    session.add(batch)
    session.flush()
    session.add_all(BatchOrder(batch_number=number, position=i, kind=o.kind, number=o.number)
                    for i, o in enumerate(chosen))
    session.add_all(BatchRow(batch_number=number, position=i, kind=r.kind, number=r.number,
                             reference=r.reference, customer=r.customer[:300],
                             destination=r.destination, ean=r.ean, title=r.title[:500],
                             quantity=r.quantity)
                    for i, r in enumerate(file_rows))
    if delivery_url:
        session.add(Delivery(batch_number=number, url=delivery_url, created_at=now, attempts=0,
                             next_attempt_at=now))
    session.flush()
    session.refresh(batch)
    record(session, "orders_handed_off", presenters.handed_off_event(batch))
    return presenters.batch(batch)


def list_candidates(session) -> dict:
    """The ready orders (oldest first): `candidates` (lines known) and `waiting` (ready, lines
    not yet heard of)."""
    rows = session.scalars(select(Order).where(Order.status == order_rules.READY,
                                               Order.kind.in_(order_rules.HANDED_KINDS))
                           .order_by(Order.ready_at, Order.id)).all()
    views = [presenters.order(r) for r in rows]
    return {"candidates": [v for v in views if v["candidate"]],
            "waiting": [v for v in views if not v["candidate"]]}


def list_batches(session, limit=50) -> list:
    rows = session.scalars(select(Batch).order_by(Batch.number.desc())
                           .limit(max(1, min(int(limit), 500)))).all()
    return [presenters.batch(r) for r in rows]


def _batch(session, number):
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise not_found("Lot introuvable.") from None
    batch = session.get(Batch, number) if 0 < number < 2**31 else None
    if batch is None:
        raise not_found(f"Lot n° {number} introuvable.")
    return batch


def get_batch(session, number) -> dict:
    return presenters.batch(_batch(session, number))


def batch_file(session, number, fmt) -> dict:
    """The batch file: `{filename, content_type, content}` (text; the CSV starts with its
    byte order mark)."""
    batch = _batch(session, number)
    if fmt == "json":
        return {"filename": files.filename(batch.number, "json"),
                "content_type": "application/json; charset=utf-8", "content": batch.json_file}
    if fmt == "csv":
        rows = [rules.BatchRow(batch.number, r.kind, r.number, r.reference, r.customer,
                               r.destination, r.ean, r.title, r.quantity) for r in batch.rows]
        return {"filename": files.filename(batch.number, "csv"),
                "content_type": "text/csv; charset=utf-8",
                "content": files.to_csv(rows).decode("utf-8")}
    raise not_found("Format de fichier inconnu : csv ou json.")


def order_batches(session, keys) -> list:
    """Which batch took each of these orders ("kind:number"), for the order desk."""
    parsed = [order_rules.parse_key(k) for k in (keys or ())][:500]
    if not parsed:
        return []
    rows = session.scalars(select(BatchOrder).where(
        tuple_(BatchOrder.kind, BatchOrder.number).in_(parsed))).all()
    return [{"kind": r.kind, "number": r.number, "batch_number": r.batch_number} for r in rows]
