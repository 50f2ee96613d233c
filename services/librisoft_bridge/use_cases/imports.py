"""Imports of Librisoft's feeds, callable from the webservice, RPC, the import worker and tests
alike: each takes the session of its transaction and the feed's rows, and returns the import
report (a plain dict).

Imports are idempotent upserts: only new or changed rows are written. On PostgreSQL, outside an
event loop, an article feed is COPYed into a temporary table and merged by two statements
(counted, then upserted); elsewhere the stored rows of each batch are loaded by key and compared
in Python."""
import io

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from services.common import clock

from .. import presenters
from ..adapters.feeds import numbered
from ..domain.articles import ARTICLE_COLUMNS, clean_article, unchanged
from ..domain.clients import CLIENT_COLUMNS, clean_client, next_client_state
from ..models import articles, clients

BATCH = 1000
DIALECT_INSERTS = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}


def import_articles(session, rows, now=None) -> dict:
    """Upsert articles by EAN. `rows`: FeedRows, or plain objects (numbered from 1)."""
    rows = numbered(rows)
    report = {"received": len(rows), "created": 0, "updated": 0, "unchanged": 0, "rejected": []}
    accepted = _accept(rows, clean_article, "ean", report["rejected"])
    now = now or clock.utcnow()
    if accepted and _can_copy(session):
        _merge_articles_by_copy(session, accepted, now, report)
        return report
    for batch in _chunks(accepted):
        stored = {row["ean"]: row for row in session.execute(
            select(*(articles.c[name] for name in ARTICLE_COLUMNS))
            .where(articles.c.ean.in_([values["ean"] for values in batch]))).mappings()}
        changed = []
        for values in batch:
            current = stored.get(values["ean"])
            if unchanged(current, values):
                report["unchanged"] += 1
                continue
            report["created" if current is None else "updated"] += 1
            changed.append({**values, "created_at": now, "updated_at": now})
        if changed:
            _upsert(session, articles, "ean", changed, keep=("created_at",))
    return report


def _can_copy(session) -> bool:
    """COPY needs PostgreSQL and a blocking driver: under eventlet psycopg2 runs with a green
    wait callback, which COPY refuses (large feeds are imported in a child process, where
    there is none; small ones take the batched path)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    import psycopg2.extensions
    return psycopg2.extensions.get_wait_callback() is None


def _copy_value(value) -> str:
    """One field of COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return (str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def _merge_articles_by_copy(session, accepted, now, report):
    """PostgreSQL: COPY the feed into a temporary table, count what is new, changed and
    unchanged, then write only the new and changed rows (one INSERT .. ON CONFLICT)."""
    names = list(ARTICLE_COLUMNS)
    buffer = io.StringIO()
    for values in accepted:
        buffer.write("\t".join(_copy_value(values[n]) for n in names))
        buffer.write("\n")
    buffer.seek(0)
    cursor = session.connection().connection.dbapi_connection.cursor()
    try:
        cursor.execute("CREATE TEMPORARY TABLE feed_articles (LIKE articles INCLUDING DEFAULTS) "
                       "ON COMMIT DROP")
        cursor.execute("ALTER TABLE feed_articles ALTER COLUMN created_at DROP NOT NULL, "
                       "ALTER COLUMN updated_at DROP NOT NULL")
        cursor.copy_expert(f"COPY feed_articles ({', '.join(names)}) FROM STDIN", buffer)
        same = " AND ".join(f"a.{n} IS NOT DISTINCT FROM f.{n}" for n in names if n != "ean")
        cursor.execute(
            "SELECT count(*) FILTER (WHERE a.ean IS NULL), "
            f"count(*) FILTER (WHERE a.ean IS NOT NULL AND {same}) "
            "FROM feed_articles f LEFT JOIN articles a ON a.ean = f.ean")
        created, unchanged = cursor.fetchone()
        updates = ", ".join(f"{n} = excluded.{n}" for n in names if n != "ean")
        cursor.execute(
            f"INSERT INTO articles ({', '.join(names)}, created_at, updated_at) "
            f"SELECT {', '.join('f.' + n for n in names)}, %(now)s, %(now)s "
            "FROM feed_articles f LEFT JOIN articles a ON a.ean = f.ean "
            f"WHERE a.ean IS NULL OR NOT ({same}) "
            f"ON CONFLICT (ean) DO UPDATE SET {updates}, updated_at = excluded.updated_at",
            {"now": now})
    finally:
        cursor.close()
    report["created"] += created
    report["unchanged"] += unchanged
    report["updated"] += len(accepted) - created - unchanged


def import_clients(session, rows, record_event, now=None) -> dict:
    """Upsert collectivity clients by number; `record_event(session, payload)` stores the
    collectivity_client_updated event of each client whose state changed, in the same
    transaction."""
    rows = numbered(rows)
    report = {"received": len(rows), "created": 0, "updated": 0, "unchanged": 0,
              "deactivated": 0, "skipped": 0, "rejected": []}
    accepted = _accept(rows, clean_client, "number", report["rejected"])
    now = now or clock.utcnow()
    for batch in _chunks(accepted):
        stored = {row["number"]: dict(row) for row in session.execute(
            select(clients).where(clients.c.number.in_([c["number"] for c in batch]))
            .with_for_update()).mappings()}
        for incoming in batch:
            outcome, state = next_client_state(stored.get(incoming["number"]), incoming)
            report[outcome] += 1
            if state is None:
                continue
            values = {name: state[name] for name in CLIENT_COLUMNS}
            if outcome == "created":
                session.execute(insert(clients).values(
                    number=state["number"], created_at=now, updated_at=now, **values))
            else:
                session.execute(update(clients).where(clients.c.number == state["number"])
                                .values(updated_at=now, **values))
            record_event(session, presenters.client_snapshot(state))
    return report


def _accept(rows, clean, key, rejected) -> list:
    """The cleaned values of the good rows, one per key (the last one of the feed wins); bad
    rows and the rows a later one replaces are appended to `rejected`, in line order."""
    accepted = {}
    for row in rows:
        values, errors = ({}, {"_row": [row.error]}) if row.error else clean(row.data)
        if errors:
            rejected.append({"line": row.line, "key": _raw_key(row.data, key), "errors": errors})
            continue
        replaced = accepted.pop(values[key], None)
        if replaced is not None:
            rejected.append({"line": replaced[0], "key": values[key], "errors": {
                key: [f"en double dans le flux : remplacé par la ligne {row.line}."]}})
        accepted[values[key]] = (row.line, values)
    rejected.sort(key=lambda item: item["line"])
    return [values for _, values in accepted.values()]


def _raw_key(data, key):
    value = data.get(key) if isinstance(data, dict) else None
    return None if value is None else str(value)[:50]


def _chunks(items):
    for start in range(0, len(items), BATCH):
        yield items[start:start + BATCH]


def _upsert(session, table, key, rows, keep=()):
    """INSERT .. ON CONFLICT (key) DO UPDATE, every column but the key and `keep`. RETURNING
    makes SQLAlchemy send many rows per statement ("insertmanyvalues"), which it does not do
    for an ON CONFLICT clause without it."""
    statement = DIALECT_INSERTS[session.get_bind().dialect.name](table)
    statement = statement.on_conflict_do_update(index_elements=[key], set_={
        column.name: statement.excluded[column.name] for column in table.columns
        if column.name != key and column.name not in keep}).returning(table.c[key])
    session.execute(statement, rows)
