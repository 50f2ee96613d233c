"""Sign-in (throttled), signed-in sessions, sign-out."""
from sqlalchemy import delete, func, select

from services.common.errors import unauthorized
from services.common.validation import EMAIL_MAX, normalise_email

from .. import domain
from ..adapters.passwords import verify_password
from ..models import Account, AccountSession, LoginAttempt, LoginThrottleKey
from ..presenters import account_view
from .common import client_names


def _lock_key(session, key):
    """Take the lock of one throttling key until the transaction ends: the row is created if
    need be (INSERT ... ON CONFLICT DO NOTHING), then locked (SELECT ... FOR UPDATE on
    PostgreSQL; SQLite has one writer at a time, the INSERT already holds it)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(LoginThrottleKey).values(key=key)
                    .on_conflict_do_nothing(index_elements=["key"]))
    session.execute(select(LoginThrottleKey.key).where(LoginThrottleKey.key == key)
                    .with_for_update())


def _login_email(email) -> str:
    """The form the address was stored in (an IDN domain in ASCII), or as typed, lower-cased,
    when it is not an address at all (the attempt still counts)."""
    try:
        return normalise_email(email)
    except ValueError:
        return (email if isinstance(email, str) else "").strip().lower()[:EMAIL_MAX]


def reserve_login_attempt(session, email, ip, now) -> int:
    """Count and record one sign-in attempt, atomically, before the password is checked.

    The address's and the IP's keys are locked (always in that order), the failures of the
    window counted, and the attempt recorded *as a failure* in the same transaction: attempts
    fired at once are counted one after the other, so at most 5 per address (30 per IP) ever
    get to the password check. `check_login` turns it into a success. Throttling raises
    before anything else, the same way whether the account exists or not."""
    email = _login_email(email)
    ip = (ip or "?")[:64]
    _lock_key(session, "email:" + email)
    _lock_key(session, "ip:" + ip)
    since = now - domain.LOGIN_WINDOW
    failures = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.success.is_(False), LoginAttempt.at >= since)
    domain.check_login_allowed(
        session.scalar(failures.where(LoginAttempt.email == email)),
        session.scalar(failures.where(LoginAttempt.ip == ip)))
    attempt = LoginAttempt(email=email, ip=ip, at=now, success=False)
    session.add(attempt)
    session.flush()
    return attempt.id


def check_login(session, attempt_id, email, password, now) -> dict | None:
    """The account with a new `session_id`, or None for wrong credentials (the reserved attempt
    then stays a failure)."""
    email = _login_email(email)
    account = session.scalar(select(Account).where(Account.email == email)) if email else None
    ok = verify_password(account.password_hash if account else None, password or "")
    if not (ok and account.active):
        return None
    attempt = session.get(LoginAttempt, attempt_id)
    if attempt is not None:
        attempt.success = True
    account.last_login_at = now
    view = account_view(account, client_names(session, account.client_numbers))
    view["session_id"] = open_session(session, account, now)
    return view


def authenticate(session, email, password, ip, now) -> dict | None:
    """Both steps in one transaction (scripts, tests). The service runs them in two, so that the
    locks are not held while the password is hashed."""
    return check_login(session, reserve_login_attempt(session, email, ip, now), email,
                       password, now)


def open_session(session, account: Account, now) -> str:
    """A new signed-in session of `account`: its token (for the gateway's cookie)."""
    token, token_hash, expires = domain.new_session_token(now)
    session.add(AccountSession(token_hash=token_hash, account_id=account.id,
                               session_version=account.session_version, created_at=now,
                               expires_at=expires))
    session.execute(delete(AccountSession).where(  # housekeeping: this account's old ones
        AccountSession.account_id == account.id,
        AccountSession.expires_at < now - domain.SESSION_TTL))
    return token


def _aware(value, now):
    return value.replace(tzinfo=now.tzinfo) if value is not None and value.tzinfo is None \
        else value


def _session_row(session, token):
    return session.get(AccountSession, domain.hash_token(token or "")) \
        if isinstance(token, str) and token else None


def session_account(session, token, now) -> dict:
    """The account signed in by this session token; `unauthorized` if the session is unknown,
    ended, expired, or the account was deactivated or changed its password since."""
    row = _session_row(session, token)
    account = session.get(Account, row.account_id) if row is not None else None
    if account is None or not domain.session_valid(
            row.ended_at, _aware(row.expires_at, now), row.session_version, account.active,
            account.session_version, now):
        raise unauthorized("Votre session a pris fin. Connectez-vous à nouveau.")
    return account_view(account, client_names(session, account.client_numbers))


def end_session(session, token, now) -> bool:
    """Sign-out: this session only (the account's other sessions, other browsers, go on)."""
    row = _session_row(session, token)
    if row is None or row.ended_at is not None:
        return False
    row.ended_at = now
    return True
