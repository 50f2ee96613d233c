"""The replica of the collectivity clients (event `collectivity_client_updated`) and what an
account sees of them."""
from datetime import datetime

from sqlalchemy import select

from services.common.errors import forbidden, not_found

from .. import domain
from ..models import Account, AccountClient, Client
from ..presenters import account_view, client_view
from .common import load_actor


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
    client.blocked = payload.get("blocked", False)
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


def get_client(session, client_number) -> dict:
    """A collectivity client (active or not) for the services that print it (baskets'
    documents: its SIRET and Chorus Pro service code); not_found when unknown."""
    client = session.get(Client, str(client_number or "")[:40])
    if client is None:
        raise not_found("Client collectivité introuvable.")
    return client_view(client)


def client_account_emails(session, client_number) -> dict:
    """The addresses of a client's active accounts, by role (for baskets: who is told that a
    basket waits for them)."""
    q = (select(Account.role, Account.email)
         .join(AccountClient, AccountClient.account_id == Account.id)
         .where(AccountClient.client_number == str(client_number or "")[:40],
                Account.active.is_(True))
         .order_by(Account.email))
    emails = {}
    for role, email in session.execute(q):
        emails.setdefault(role, []).append(email)
    return emails


def admin_get_client(session, actor_id, client_number) -> dict:
    """The bookshop's page of one client: the client and its accounts."""
    actor, _ = load_actor(session, actor_id)
    if not actor.is_admin:
        raise forbidden()
    client = get_client(session, client_number)
    names = {client["number"]: client["name"]}
    accounts = session.scalars(select(Account).order_by(Account.email)).all()
    return dict(client, accounts=[account_view(a, names) for a in accounts
                                  if client["number"] in a.client_numbers])


def set_client_billing(session, actor_id, client_number, siret, chorus_service_code,
                       now) -> dict:
    """The bookshop sets a client's SIRET and Chorus Pro service code (admin only; checked,
    nothing changed when refused). Librisoft's updates leave them as they are."""
    actor, _ = load_actor(session, actor_id)
    if not actor.is_admin:
        raise forbidden()
    siret, code = domain.check_client_billing(siret, chorus_service_code)
    client = session.get(Client, str(client_number or "")[:40], with_for_update=True)
    if client is None:
        raise not_found("Client collectivité introuvable.")
    client.siret, client.chorus_service_code = siret, code
    client.updated_at = now
    return admin_get_client(session, actor_id, client.number)
