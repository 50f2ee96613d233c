"""What the accounts use cases share: the acting account, the clients' names."""
from sqlalchemy import select

from services.common.errors import forbidden

from .. import domain
from ..models import Account, Client


def client_names(session, numbers=None) -> dict:
    q = select(Client.number, Client.name)
    if numbers is not None:
        q = q.where(Client.number.in_(list(numbers)))
    return dict(session.execute(q).all())


def load_actor(session, actor_id) -> tuple[domain.Actor, Account]:
    account = session.get(Account, actor_id) if actor_id is not None else None
    if account is None or not account.active:
        raise forbidden("Compte inconnu ou désactivé.")
    return domain.Actor(account.id, account.role, frozenset(account.client_numbers)), account
