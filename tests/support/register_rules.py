"""The order desk's register upsert (one statement: services/order_desk/use_cases/register_row)
held to its rules in plain Python (`domain.register.merge`): sequences of what events change,
applied in every order, on SQLite (unit tier) and PostgreSQL (integration tier)."""
import itertools
import random
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import select

from services.order_desk.domain import register
from services.order_desk.domain.register import changes, payment_facts, placed
from services.order_desk.models import RegisterEntry
from services.order_desk.use_cases import register_row

T0 = datetime(2021, 1, 18, 10, 0, tzinfo=timezone.utc)
PLACED = ("placed_at", "placed_day")
COLUMNS = ("customer_name", "customer_email", "client_name", "client_number", "search_key",
           "total_ttc", "placed_at", "placed_day", "payment_state", "payment_label",
           "payment_method", "cheque_number", "payment_at", "invoice_number", "batch_number",
           "grouped_order_number", "detail_url", "credited_invoice")

# what the events of one sub-order may change, as their use cases ask it (use_cases/register.py)
CHANGES = {
    "placed": changes({"customer_name": "Élodie MOËNNE", "customer_email": "elodie@free.fr",
                       "client_name": "COLLÈGE", "client_number": "21",
                       "grouped_order_number": 62, "total_ttc": Decimal("29.80"),
                       "payment_method": "online", **placed(T0)},
                      keep=(*PLACED, "payment_method"),
                      awaiting={"payment_state": "pending",
                                "payment_label": register.PAYMENT_LABELS["pending"]}),
    "placed_pickup_later": changes(
        {"customer_name": "Ada Lovelace", "customer_email": "ada@free.fr",
         "client_name": "ÉCOLE", "client_number": "", "total_ttc": Decimal("14.90"),
         "payment_method": "pickup", **placed(T0 + timedelta(days=1))},
        keep=(*PLACED, "payment_method"),
        awaiting={"payment_state": "pending", "payment_label": register.AT_PICKUP_LABEL}),
    "processing": changes(payment=payment_facts("processing", T0 + timedelta(minutes=1),
                                                "online")),
    "succeeded_cheque": changes(payment=payment_facts(
        "succeeded", T0 + timedelta(minutes=5), "cheque", "0001234")),
    "refused_older": changes(payment=payment_facts("refused", T0 - timedelta(minutes=5))),
    "error_undated": changes(payment=payment_facts("error", None)),
    "adjusted": changes({"total_ttc": Decimal("12.00"), "customer_email": "autre@free.fr"}),
    "invoiced": changes({"customer_name": "Facturé", "customer_email": ""},
                        keep=("customer_name", "customer_email"),
                        latest={"invoice_number": "2021-01-000000001"}),
    # credited entirely, then invoiced again: the later numbers win, in whatever order they come
    "credited": changes(latest={"credited_invoice": "2021-01-000000001"}),
    "invoiced_again": changes(latest={"invoice_number": "2021-02-000000003"}),
    "handed_off": changes({"batch_number": 3}, keep=("batch_number",)),
    "nothing": changes({}),
}


def _normal(value):
    if isinstance(value, datetime):
        return register.parse_instant(value)
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.01"))
    return value


def stored(db, number):
    with db.transaction() as s:
        entry = s.execute(select(RegisterEntry).where(
            RegisterEntry.kind == "sub_order", RegisterEntry.number == number)).scalar_one()
        return {c: _normal(getattr(entry, c)) for c in COLUMNS}


NEW_ROW = {"total_ttc": Decimal("0.00"), "customer_name": "", "customer_email": "",
           "client_name": "", "client_number": "", "detail_url": ""}


def expected(names):
    """The row the rules give (domain.register.merge), from a new row's defaults."""
    row = NEW_ROW
    for name in names:
        row = register.merge(row, CHANGES[name])
    return {c: _normal(row.get(c)) for c in COLUMNS}


def sequences(count, length=4, seed=11):
    """`count` sequences of `length` changes (some twice: an event delivered again)."""
    rng = random.Random(seed)
    names = sorted(CHANGES)
    firsts = list(itertools.permutations(["placed", "processing", "succeeded_cheque"]))
    out = [list(p) for p in firsts]
    while len(out) < count:
        out.append([rng.choice(names) for _ in range(length)])
    return out


def play(db, number, names, now=T0):
    """Each change in its own transaction, as each event is; returns the stored row."""
    for i, name in enumerate(names):
        with db.transaction() as s:
            register_row.upsert(s, "sub_order", number, CHANGES[name],
                                now + timedelta(seconds=i))
    return stored(db, number)
