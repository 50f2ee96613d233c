"""Accounts use cases. Each takes a SQLAlchemy session (the unit of work, committed by the
caller), the time, and a `record(session, event_type, payload)` for events; the same functions
serve RPC, events and tests."""
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from services.common.errors import forbidden, invalid, not_found, unauthorized
from services.common.guards import transition
from services.common.validation import normalise_email

from . import domain
from .models import (Account, AccountClient, AccountSession, Client, LoginAttempt,
                     LoginThrottleKey, ResetToken)
from .passwords import hash_password, verify_password


def account_view(account: Account, clients: dict | None = None) -> dict:
    return {
        "id": account.id, "email": account.email, "role": account.role,
        "role_label": domain.ROLE_LABELS[account.role], "active": account.active,
        "creatable_roles": list(domain.CREATABLE.get(account.role, ())),
        "session_version": account.session_version,
        "created_at": account.created_at.isoformat(),
        "created_by_id": account.created_by_id,
        "last_login_at": account.last_login_at.isoformat() if account.last_login_at else None,
        "clients": [{"number": n, "name": (clients or {}).get(n, n)}
                    for n in account.client_numbers],
    }


def client_view(c: Client) -> dict:
    return {
        "number": c.number, "name": c.name, "addresses": c.addresses or [], "phone": c.phone,
        "email": c.email, "gencod": c.gencod, "active": c.active,
        "discounts": {"vat_2_1": str(c.discount_2_1), "vat_5_5": str(c.discount_5_5),
                      "vat_20": str(c.discount_20), "school": str(c.discount_school)},
        "lang_law_warning": c.lang_law_warning, "revision": c.revision,
    }


def _client_names(session, numbers=None) -> dict:
    q = select(Client.number, Client.name)
    if numbers is not None:
        q = q.where(Client.number.in_(list(numbers)))
    return dict(session.execute(q).all())


def load_actor(session, actor_id) -> tuple[domain.Actor, Account]:
    account = session.get(Account, actor_id) if actor_id is not None else None
    if account is None or not account.active:
        raise forbidden("Compte inconnu ou désactivé.")
    return domain.Actor(account.id, account.role, frozenset(account.client_numbers)), account


# ---- clients replica ------------------------------------------------------------------------
def apply_client_update(session, payload: dict, now: datetime) -> bool:
    client = session.get(Client, payload["number"])
    if client is not None and not domain.newer_revision(client.revision, payload["revision"]):
        return False
    if client is None:
        client = Client(number=payload["number"])
        session.add(client)
    d = payload["discounts"]
    client.name = payload["name"]
    client.addresses = payload.get("addresses") or []
    client.phone = payload.get("phone", "")
    client.email = payload.get("email", "")
    client.gencod = payload.get("gencod", "")
    client.active = payload["active"]
    client.discount_2_1, client.discount_5_5 = d["vat_2_1"], d["vat_5_5"]
    client.discount_20, client.discount_school = d["vat_20"], d["school"]
    client.lang_law_warning = payload.get("lang_law_warning", False)
    client.revision = payload["revision"]
    client.updated_at = now
    return True


def client_for_account(session, account_id, client_number) -> dict:
    """A client of the account's own (for the services acting on its behalf)."""
    actor, _ = load_actor(session, account_id)
    client = session.get(Client, str(client_number))
    if client is None or not client.active or \
            (not actor.is_admin and client.number not in actor.client_numbers):
        raise forbidden("Ce client collectivité ne vous est pas affecté.")
    return client_view(client)


def assignable_clients(session, actor_id) -> list:
    actor, _ = load_actor(session, actor_id)
    q = select(Client).where(Client.active.is_(True)).order_by(Client.name)
    if not actor.is_admin:
        q = q.where(Client.number.in_(list(actor.client_numbers)))
    return [client_view(c) for c in session.scalars(q)]


# ---- accounts -------------------------------------------------------------------------------
def create_admin(session, email, password, now) -> dict:
    email = domain.normalize_email(email)
    domain.check_password(password)
    if session.scalar(select(Account).where(Account.email == email)):
        raise invalid("Un compte existe déjà avec cette adresse e-mail.",
                      {"email": ["Déjà utilisée."]})
    account = Account(email=email, password_hash=hash_password(password), role=domain.ADMIN,
                      active=True, created_at=now, session_version=1)
    session.add(account)
    session.flush()
    return account_view(account)


def create_account(session, actor_id, data: dict, now, record) -> dict:
    actor, creator = load_actor(session, actor_id)
    email = domain.normalize_email(data.get("email"))
    domain.check_password(data.get("password"), data.get("confirmation"))
    known = set(session.scalars(select(Client.number).where(Client.active.is_(True))))
    numbers = domain.authorize_creation(actor, data.get("role"), data.get("client_numbers"),
                                        known)
    if session.scalar(select(Account).where(Account.email == email)):
        raise invalid("Un compte existe déjà avec cette adresse e-mail.",
                      {"email": ["Déjà utilisée."]})
    account = Account(email=email, password_hash=hash_password(data["password"]),
                      role=data["role"], active=bool(data.get("active", True)), created_at=now,
                      created_by_id=actor.id, session_version=1,
                      links=[AccountClient(client_number=n) for n in numbers])
    session.add(account)
    try:  # a twin creating the same address at once (PostgreSQL): one account, one refusal
        session.flush()
    except IntegrityError:
        raise invalid("Un compte existe déjà avec cette adresse e-mail.",
                      {"email": ["Déjà utilisée."]})
    names = _client_names(session, numbers)
    record(session, "account_created", {
        "account_id": account.id, "email": account.email, "role": account.role,
        "client_names": [names[n] for n in numbers], "created_by_email": creator.email})
    return account_view(account, names)


def get_account(session, account_id) -> dict:
    account = session.get(Account, account_id)
    if account is None:
        raise not_found("Compte introuvable.")
    return account_view(account, _client_names(session, account.client_numbers))


def list_accounts(session, actor_id) -> list:
    actor, _ = load_actor(session, actor_id)
    names = _client_names(session)
    accounts = session.scalars(select(Account).order_by(Account.email)).all()
    return [account_view(a, names) for a in accounts
            if a.id != actor.id and domain.may_manage(actor, a.role, a.client_numbers)]


def set_active(session, actor_id, account_id, active: bool) -> dict:
    actor, _ = load_actor(session, actor_id)
    account = session.get(Account, account_id)
    if account is None or account.id == actor.id or \
            not domain.may_manage(actor, account.role, account.client_numbers):
        raise forbidden("Vous ne pouvez pas modifier ce compte.")
    if account.active != bool(active):  # already so: the same answer, nothing moves twice
        # guarded: of two identical requests at once, one changes the account (and signs it
        # out everywhere), the other finds it changed and answers the same
        session.execute(update(Account).where(Account.id == account.id,
                                              Account.active.is_(not bool(active)))
                        .values(active=bool(active),
                                session_version=Account.session_version + 1)
                        .execution_options(synchronize_session="fetch"))
        session.refresh(account)
    return account_view(account, _client_names(session, account.client_numbers))


# ---- sign-in and passwords ------------------------------------------------------------------
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
        return (email if isinstance(email, str) else "").strip().lower()[:domain.EMAIL_MAX]


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
    view = account_view(account, _client_names(session, account.client_numbers))
    view["session_id"] = open_session(session, account, now)
    return view


def authenticate(session, email, password, ip, now) -> dict | None:
    """Both steps in one transaction (scripts, tests). The service runs them in two, so that the
    locks are not held while the password is hashed."""
    return check_login(session, reserve_login_attempt(session, email, ip, now), email,
                       password, now)


# ---- sessions -------------------------------------------------------------------------------
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


def session_account(session, token, now) -> dict:
    """The account signed in by this session token; `unauthorized` if the session is unknown,
    ended, expired, or the account was deactivated or changed its password since."""
    row = session.get(AccountSession, domain.hash_token(token or "")) \
        if isinstance(token, str) and token else None
    account = session.get(Account, row.account_id) if row is not None else None
    if account is None or not domain.session_valid(
            row.ended_at, _aware(row.expires_at, now), row.session_version, account.active,
            account.session_version, now):
        raise unauthorized("Votre session a pris fin. Connectez-vous à nouveau.")
    return account_view(account, _client_names(session, account.client_numbers))


def end_session(session, token, now) -> bool:
    """Sign-out: this session only (the account's other sessions, other browsers, go on)."""
    row = session.get(AccountSession, domain.hash_token(token or "")) \
        if isinstance(token, str) and token else None
    if row is None or row.ended_at is not None:
        return False
    row.ended_at = now
    return True


def change_password(session, account_id, current, new, confirmation, now) -> dict:
    account = session.get(Account, account_id)
    if account is None or not account.active:
        raise forbidden("Compte inconnu ou désactivé.")
    if not verify_password(account.password_hash, current or ""):
        raise invalid("Le mot de passe actuel est incorrect.",
                      {"current": ["Mot de passe incorrect."]})
    domain.check_password(new, confirmation)
    account.password_hash = hash_password(new)
    account.session_version += 1  # ends every session, this one too: it gets a new one
    view = account_view(account)
    view["session_id"] = open_session(session, account, now)
    return view


def request_password_reset(session, email, now, record) -> None:
    """Says nothing of whether the address is known (no user enumeration)."""
    try:
        email = domain.normalize_email(email)
    except Exception:
        return
    account = session.scalar(select(Account).where(Account.email == email))
    if account is None or not account.active:
        return
    token, token_hash, expires = domain.new_reset_token(now)
    session.add(ResetToken(token_hash=token_hash, account_id=account.id, expires_at=expires))
    record(session, "password_reset_requested", {
        "account_id": account.id, "email": account.email, "token": token,
        "expires_at": expires.isoformat()})


def reset_password(session, token, new, confirmation, now) -> dict:
    row = session.get(ResetToken, domain.hash_token(token or ""))
    expires = row.expires_at if row else None
    if expires is not None and expires.tzinfo is None:
        expires = expires.replace(tzinfo=now.tzinfo)
    if row is None or row.used_at is not None or expires < now:
        raise invalid("Ce lien de réinitialisation n'est plus valable. Demandez-en un nouveau.")
    domain.check_password(new, confirmation)
    # guarded: of two uses of one link at once, one changes the password, the other is refused
    transition(session, ResetToken, row.token_hash, [None], {"used_at": now}, column="used_at",
               message="Ce lien de réinitialisation n'est plus valable. Demandez-en un nouveau.")
    account = session.get(Account, row.account_id)
    account.password_hash = hash_password(new)
    account.session_version += 1
    return account_view(account)


def clients_overview(session, actor_id) -> dict:
    """The admin's "Gestion des clients collectivité": clients, their accounts, the alerts."""
    actor, _ = load_actor(session, actor_id)
    if not actor.is_admin:
        raise forbidden()
    clients = session.scalars(select(Client).order_by(Client.name)).all()
    accounts = session.scalars(select(Account).order_by(Account.email)).all()
    names = {c.number: c.name for c in clients}
    per_client = {c.number: [] for c in clients}
    for a in accounts:
        for n in a.client_numbers:
            per_client.setdefault(n, []).append(a)
    roles = {n: [a.role for a in accs if a.active] for n, accs in per_client.items()}
    return {
        "clients": [dict(client_view(c), accounts=[account_view(a, names)
                                                   for a in per_client[c.number]])
                    for c in clients],
        "alerts": domain.client_alerts(roles),
        "inactive_accounts": [account_view(a, names) for a in accounts if not a.active],
    }
