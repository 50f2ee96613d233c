"""The register row of an order upserted in one statement (issue 11: it was an ORM select
`FOR UPDATE`, then a flush): `INSERT … ON CONFLICT (kind, number) DO UPDATE`, the same text on
PostgreSQL and SQLite (≥ 3.35: RETURNING), each fact's column set by its rule
(domain.register: SET, KEEP, IF_NO_PAYMENT, IF_NEWER, IF_NEWER_UNPAID, LATEST; `merge` is the
same rules in Python).

Concurrency: two events of one new order inserting at once on PostgreSQL, the second waits for
the first's row and then takes the DO UPDATE branch on the committed row (no lost fact, no
retry); two events of an existing row are serialised by its row lock, as with `FOR UPDATE`.

Each shape of statement (which columns, under which rules) is written and compiled once, then
kept: SQLAlchemy does not cache the compiled form of an `insert().on_conflict_do_update()`
(services/common/inbox.py CLAIM for the same reason)."""
from sqlalchemy import String, bindparam, text

from services.common.money import money
from services.common.progress import CANCELLED

from ..domain import mapping, register
from ..models import RegisterEntry

TABLE = RegisterEntry.__table__
STRINGS = frozenset(c.name for c in TABLE.c if isinstance(c.type, String))
# the values of a new row's NOT NULL columns that no fact of the event gives
DEFAULTS = {"customer_name": "", "customer_email": "", "client_name": "", "client_number": "",
            "detail_url": "", "total_ttc": money(0), "progress": mapping.REGISTERED}
RETURNED = ("payment_state", "search_key", *register.NAME_FACTS)
SEARCH_KEY = text("UPDATE register SET search_key = :search_key "
                  "WHERE kind = :kind AND number = :number")
_STATEMENTS = {}


def _value(name, rule, newer):
    new, held = f"excluded.{name}", f"register.{name}"
    if rule == register.SET:
        return new
    if rule == register.KEEP:  # a string the row holds is "" for none
        none_held = f"NULLIF({held}, '')" if name in STRINGS else held
        return f"COALESCE({none_held}, {new})"
    if rule == register.LATEST:  # the later number of the series
        return f"CASE WHEN {held} IS NULL OR {held} < {new} THEN {new} ELSE {held} END"
    condition = ("register.payment_state IS NULL" if rule == register.IF_NO_PAYMENT else newer)
    return new if condition is None else f"CASE WHEN {condition} THEN {new} ELSE {held} END"


def _statement(shape):
    """The statement of a shape ((column, rule) of each fact changed), written once."""
    stmt = _STATEMENTS.get(shape)
    if stmt is not None:
        return stmt
    rules = dict(shape)
    newer = ("(register.payment_at IS NULL OR register.payment_at <= excluded.payment_at)"
             if rules.get("payment_at") in (register.IF_NEWER, register.IF_NEWER_UNPAID)
             else None)
    if register.IF_NEWER_UNPAID in rules.values():
        unpaid = ("(register.payment_state IS NULL OR register.payment_state <> 'succeeded') "
                  f"AND register.progress <> '{CANCELLED}'")
        newer = unpaid if newer is None else f"({newer} AND {unpaid})"
    columns = ["kind", "number", "created_at", "updated_at", "search_key",
               *(c for c in DEFAULTS if c not in rules), *rules]
    sets = [f"{name} = {_value(name, rule, newer)}" for name, rule in shape]
    if all(rules.get(n) == register.SET for n in register.NAME_FACTS):
        sets.append("search_key = excluded.search_key")  # the names are the event's: exact
    sets.append("updated_at = excluded.updated_at")
    stmt = text(
        f"INSERT INTO register ({', '.join(columns)}) "
        f"VALUES ({', '.join(':' + c for c in columns)}) "
        f"ON CONFLICT (kind, number) DO UPDATE SET {', '.join(sets)} "
        f"RETURNING {', '.join(RETURNED)}"
    ).bindparams(*(bindparam(c, type_=TABLE.c[c].type) for c in columns))
    _STATEMENTS[shape] = stmt
    return stmt


def upsert(session, kind, number, changed: dict, now):
    """The register row of (kind, number), created if need be, with `changed`
    (domain.register.changes) applied: one statement (two when the row's names changed under
    a rule that keeps some of them: its search key written after). Returns the row's
    payment_state, search_key and names."""
    shape = tuple((name, rule) for name, (rule, _) in changed.items())
    params = {**DEFAULTS, **{name: value for name, (_, value) in changed.items()},
              "kind": kind, "number": int(number), "created_at": now, "updated_at": now}
    params["search_key"] = register.search_key(params)  # a new row's names are the event's
    row = session.execute(_statement(shape), params).one()
    key = register.search_key(row._mapping)
    if key != row.search_key:  # the names changed, some kept: the key follows them
        session.execute(SEARCH_KEY, {"search_key": key, "kind": kind, "number": int(number)})
    return row
