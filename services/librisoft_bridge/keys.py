"""API keys of the Librisoft webservice: random, shown once, stored as sha256 hex digests."""
import hashlib
import hmac
import secrets

from sqlalchemy import insert, select, update

from services.common import clock
from services.common.errors import invalid

from .models import api_keys

PREFIX = "lsb_"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(db, bookshop_code: str) -> str:
    """A new key for `bookshop_code`; only its hash is stored."""
    bookshop_code = (bookshop_code or "").strip()
    if not bookshop_code or len(bookshop_code) > 50:
        raise invalid("Code librairie obligatoire (50 caractères au plus).")
    key = PREFIX + secrets.token_urlsafe(32)
    with db.transaction() as session:
        session.execute(insert(api_keys).values(
            bookshop_code=bookshop_code, key_hash=digest(key),
            created_at=clock.utcnow(), revoked_at=None))
    return key


def authenticate(db, key) -> str | None:
    """The bookshop code of a valid, unrevoked key, else None. Hashes are compared in constant
    time, against every active key."""
    if not key:
        return None
    candidate = digest(key)
    with db.transaction() as session:
        rows = session.execute(select(api_keys.c.bookshop_code, api_keys.c.key_hash)
                               .where(api_keys.c.revoked_at.is_(None))).all()
    found = None
    for row in rows:
        if hmac.compare_digest(row.key_hash, candidate):
            found = row.bookshop_code
    return found


def list_keys(db) -> list:
    with db.transaction() as session:
        return [dict(row) for row in session.execute(
            select(api_keys.c.id, api_keys.c.bookshop_code, api_keys.c.created_at,
                   api_keys.c.revoked_at).order_by(api_keys.c.id)).mappings()]


def revoke_key(db, key_id: int) -> bool:
    with db.transaction() as session:
        result = session.execute(update(api_keys).where(
            api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=clock.utcnow()))
    return result.rowcount == 1
