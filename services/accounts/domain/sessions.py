"""Signed-in sessions and password-reset links: random tokens of 256 bits, of which only the
SHA-256 is stored; a session lasts 12 hours (the gateway's cookie as long) and ends at sign-out,
at deactivation or at a password change (session_version); a reset link lasts one hour."""
import hashlib
import secrets
from datetime import datetime, timedelta

RESET_TOKEN_TTL = timedelta(hours=1)
SESSION_TTL = timedelta(hours=12)   # the gateway's cookie lives as long
# reset links mailed to one account within a link's lifetime (an hour): more requests send
# nothing (the same neutral answer), so nobody can fill an inbox by « Mot de passe oublié »
MAX_RESET_LINKS = 3


def may_send_reset_link(links_alive: int) -> bool:
    """Whether another reset link may be mailed, given the account's links not expired yet."""
    return links_alive < MAX_RESET_LINKS


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_reset_token(now: datetime):
    """(token for the mail, its hash to store, expiry). The token has 256 bits of entropy."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token), now + RESET_TOKEN_TTL


def new_session_token(now: datetime):
    """(token for the session cookie, its hash to store, expiry)."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token), now + SESSION_TTL


def session_valid(ended_at, expires_at, session_version, account_active,
                  account_session_version, now) -> bool:
    return (ended_at is None and expires_at > now and account_active
            and session_version == account_session_version)
