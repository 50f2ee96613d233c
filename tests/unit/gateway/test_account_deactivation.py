"""Deactivating the last Approbateur (or Collectivité) of a client while baskets wait at its
level: accounts refuses it (a conflict naming the baskets); the page shows its message, nothing
deactivated; otherwise the account is deactivated as before."""
import html

from services.common.errors import conflict
from tests.unit.gateway.conftest import sign_in

APPROVER = {"id": 3, "email": "chef@ecole.fr", "role": "approbateur", "active": False,
            "clients": [{"number": "16", "name": "ECOLE JULES FERRY"}]}


def deactivate(client):
    return client.post("/comptes/3/activation", data={"active": "0"}, follow_redirects=True)


def test_a_refusal_is_a_message_on_the_accounts_page(client, rpc):
    rpc.answers[("accounts", "list_accounts")] = []
    rpc.answers[("accounts", "set_account_active")] = conflict(
        "Le compte chef@ecole.fr n'est pas désactivé : c'est le seul compte approbateur actif "
        "de son client, et 1 panier(s) attendent sa validation : « CDI rentrée » (ECOLE JULES "
        "FERRY).")
    sign_in(client, "collectivite")
    page = html.unescape(deactivate(client).text)
    assert "Le compte chef@ecole.fr n'est pas désactivé" in page and "« CDI rentrée »" in page
    assert "est désactivé." not in page


def test_otherwise_it_is_deactivated(client, rpc):
    rpc.answers[("accounts", "list_accounts")] = []
    rpc.answers[("accounts", "set_account_active")] = APPROVER
    sign_in(client, "collectivite")
    assert "Le compte chef@ecole.fr est désactivé" in html.unescape(deactivate(client).text)
