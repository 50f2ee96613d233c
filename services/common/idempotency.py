"""Idempotent requests: a creating or changing request carries a key (a form's one-time token,
the API's `Idempotency-Key` header, passed by the gateway as the `idempotency_key` RPC
argument); a retry with the same key gets the FIRST result back instead of doing it again,
even when the first answer was lost on the way (the gateway timed out, the page was closed).

The key and the result are written in the same transaction as the change, in the service's own
`idempotent_requests` table (services.common.messaging_models), so it holds across instances.
The key is claimed first: on PostgreSQL by one `INSERT … ON CONFLICT DO NOTHING`, on which a
concurrent twin waits until the first commits, then reads its result. The same key
with other content is refused (409, in French)."""
import functools
import hashlib
import json
import random
from datetime import datetime, timedelta, timezone

from sqlalchemy import bindparam, delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from .db import write
from .errors import DomainError, conflict, invalid

KEY_MAX = 100
# a key answers its retries this long; older ones are purged now and then, by the requests
RETENTION = timedelta(days=7)
PURGE_CHANCE = 0.01


def _codec():
    try:  # the RPC wire's own JSON: a replayed answer has the very types the first one had
        from kombu.utils.json import dumps, loads
        return dumps, loads
    except ImportError:  # pragma: no cover
        return (lambda v: json.dumps(v, default=str)), json.loads


def check_key(key) -> str | None:
    """None (no key given) or the key; anything else than 1..100 printable ASCII is refused."""
    if key is None or key == "":
        return None
    if not isinstance(key, str) or len(key) > KEY_MAX or \
            not all(33 <= ord(ch) <= 126 for ch in key):
        raise invalid("La clé d'idempotence est invalide : 1 à 100 caractères ASCII visibles.",
                      {"idempotency_key": ["1 à 100 caractères ASCII visibles."]})
    return key


def fingerprint(request) -> str:
    body = json.dumps(request, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def _table(session_or_metadata):
    return session_or_metadata.tables["idempotent_requests"]


def _stored(session, table, operation, key):
    return session.execute(select(table.c.actor, table.c.fingerprint, table.c.result_json)
                           .where(table.c.operation == operation, table.c.key == key)).first()


def _replay(row, actor, digest):
    if row.actor != actor or row.fingerprint != digest:
        raise conflict("Cette clé d'idempotence a déjà servi pour une autre demande : "
                       "utilisez une nouvelle clé.", {"idempotency_key": ["Déjà utilisée."]})
    if row.result_json is None:  # pragma: no cover (the claim and its result commit together)
        raise conflict("Cette demande est déjà en cours de traitement.")
    return _codec()[1](row.result_json)


@functools.cache
def _claim(table):
    """The claim's INSERT … ON CONFLICT DO NOTHING as text: SQLAlchemy does not cache the
    compiled form of `insert().on_conflict_do_nothing()` (issue 11: it was compiled again for
    every request)."""
    return text(f"INSERT INTO {table.name} (operation, key, actor, fingerprint, result_json, "
                f"created_at) VALUES (:operation, :key, :actor, :fingerprint, :result_json, "
                f":created_at) ON CONFLICT (operation, key) DO NOTHING RETURNING key")


@functools.cache
def _answer(table):
    """The key's result, written once the work is done: built once (issue 11)."""
    return update(table).where(table.c.operation == bindparam("op"),
                               table.c.key == bindparam("k")).values(
        result_json=bindparam("result_json"))


def run(session, metadata, key, operation: str, actor, request, fn):
    """`fn()` once per (operation, key): its result is stored with the change and returned
    again for a retry. No key: `fn()` as usual. `actor` (who asks) and `request` (what is
    asked) must match the first request's, or conflict."""
    key = check_key(key)
    if key is None:
        return fn()
    table = _table(metadata)
    actor, digest = str(actor if actor is not None else "")[:100], fingerprint(request)
    now = datetime.now(timezone.utc)
    if random.random() < PURGE_CHANCE:
        session.execute(delete(table).where(table.c.created_at < now - RETENTION))
    values = dict(operation=operation, key=key, actor=actor, fingerprint=digest,
                  result_json=None, created_at=now)
    if session.get_bind().dialect.name == "postgresql":
        # the claim in one round trip (issue 11: no SELECT first, no SAVEPOINT): a twin in
        # flight makes this INSERT wait until it commits, then it inserts nothing and the
        # twin's result is read; a twin that rolled back leaves the key to this one
        claimed = session.execute(_claim(table), values).first()
        if claimed is None:
            return _replay(_stored(session, table, operation, key), actor, digest)
    else:  # SQLite: the process's transactions are serialised, the row read is the truth
        row = _stored(session, table, operation, key)
        if row is not None:
            return _replay(row, actor, digest)
        try:
            session.execute(insert(table).values(**values))
        except IntegrityError:  # pragma: no cover
            raise conflict("Cette demande est déjà en cours de traitement.")
    result = fn()
    # with the writes the work deferred, if it did (services.common.db.defer_writes)
    write(session, _answer(table), {"op": operation, "k": key,
                                     "result_json": _codec()[0](result)})
    return result


def once(store, key, operation: str, actor, request, fn, *args):
    """`fn(session, *args)` in a transaction of `store` (anything with `transaction()` and
    `db.metadata`, as a service's Store), once per idempotency key (None: always)."""
    with store.transaction() as session:
        return run(session, store.db.metadata, key, operation, actor, request,
                   lambda: fn(session, *args))


__all__ = ["once", "run", "check_key", "fingerprint", "DomainError"]
