"""Creating, listing and (de)activating accounts."""
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from services.common.errors import conflict, forbidden, invalid, not_found
from services.common.validation import check_email

from .. import domain
from ..adapters.passwords import hash_password
from ..models import Account, AccountClient, Client
from ..presenters import account_view
from .common import client_names, load_actor


def _email_taken():
    return invalid("Un compte existe déjà avec cette adresse e-mail.",
                   {"email": ["Déjà utilisée."]})


def create_admin(session, email, password, now) -> dict:
    email = check_email(email)
    domain.check_password(password)
    if session.scalar(select(Account).where(Account.email == email)):
        raise _email_taken()
    account = Account(email=email, password_hash=hash_password(password), role=domain.ADMIN,
                      active=True, created_at=now, session_version=1)
    session.add(account)
    session.flush()
    return account_view(account)


def create_account(session, actor_id, data: dict, now, record) -> dict:
    actor, creator = load_actor(session, actor_id)
    email = check_email(data.get("email"))
    domain.check_password(data.get("password"), data.get("confirmation"))
    known = set(session.scalars(select(Client.number).where(Client.active.is_(True))))
    numbers = domain.authorize_creation(actor, data.get("role"), data.get("client_numbers"),
                                        known)
    if session.scalar(select(Account).where(Account.email == email)):
        raise _email_taken()
    account = Account(email=email, password_hash=hash_password(data["password"]),
                      role=data["role"], active=bool(data.get("active", True)), created_at=now,
                      created_by_id=actor.id, session_version=1,
                      links=[AccountClient(client_number=n) for n in numbers])
    session.add(account)
    try:  # a twin creating the same address at once (PostgreSQL): one account, one refusal
        session.flush()
    except IntegrityError:
        raise _email_taken()
    names = client_names(session, numbers)
    record(session, "account_created", {
        "account_id": account.id, "email": account.email, "role": account.role,
        "client_names": [names[n] for n in numbers], "created_by_email": creator.email})
    return account_view(account, names)


def get_account(session, account_id) -> dict:
    account = session.get(Account, account_id)
    if account is None:
        raise not_found("Compte introuvable.")
    return account_view(account, client_names(session, account.client_numbers))


def list_accounts(session, actor_id) -> list:
    actor, _ = load_actor(session, actor_id)
    names = client_names(session)
    accounts = session.scalars(select(Account).order_by(Account.email)).all()
    # an account also attached to another client is listed, read-only (`manageable` false):
    # it did not show at all, and the Collectivité did not know it existed
    return [dict(account_view(a, names),
                 manageable=domain.may_manage(actor, a.role, a.client_numbers))
            for a in accounts
            if a.id != actor.id and domain.may_see(actor, a.role, a.client_numbers)]


def set_active(session, actor_id, account_id, active: bool, waiting_for=None) -> dict:
    """`waiting_for(client_numbers, role)`: baskets' baskets waiting at that role's level; the
    last active account of its role for a client with baskets waiting is not deactivated
    (they would wait for good, out of everyone's hands)."""
    actor, _ = load_actor(session, actor_id)
    account = session.get(Account, account_id)
    if account is None or account.id == actor.id or \
            not domain.may_manage(actor, account.role, account.client_numbers):
        raise forbidden("Vous ne pouvez pas modifier ce compte.")
    if not active and account.active and waiting_for is not None:
        _check_no_basket_left_waiting(session, account, waiting_for)
    if account.active != bool(active):  # already so: the same answer, nothing moves twice
        # guarded: of two identical requests at once, one changes the account (and signs it
        # out everywhere), the other finds it changed and answers the same
        session.execute(update(Account).where(Account.id == account.id,
                                              Account.active.is_(not bool(active)))
                        .values(active=bool(active),
                                session_version=Account.session_version + 1)
                        .execution_options(synchronize_session="fetch"))
        session.refresh(account)
    return account_view(account, client_names(session, account.client_numbers))


def _check_no_basket_left_waiting(session, account, waiting_for):
    """The active accounts of the account's role for each of its clients are locked (two
    deactivations at once of a client's two Approbateurs: the second sees the first done);
    a client left with none while baskets wait at that role's level refuses it."""
    if domain.waiting_role_label(account.role) is None:
        return
    alone = []
    for number in account.client_numbers:
        others = session.scalars(
            select(Account.id).join(AccountClient, AccountClient.account_id == Account.id)
            .where(AccountClient.client_number == number, Account.role == account.role,
                   Account.active.is_(True)).order_by(Account.id).with_for_update()).all()
        if not [i for i in others if i != account.id]:
            alone.append(number)
    waiting = waiting_for(alone, account.role) if alone else []
    if waiting:
        raise conflict(domain.left_waiting_message(account.email, account.role, waiting))
