"""Deactivating the last Approbateur (or Collectivité) of a client while baskets wait at its
level left them out of everyone's hands: the Utilisateur could not take them back, the
Collectivité did not see them. It is refused, saying which baskets and what to do; with another
active account of that role, or no basket waiting, it goes ahead."""
import html

from tests.unit.gateway.conftest import sign_in

APPROVER = {"id": 3, "email": "chef@ecole.fr", "role": "approbateur", "active": True,
            "clients": [{"number": "16", "name": "ECOLE JULES FERRY"}]}
WAITING = [{"id": 1, "name": "CDI rentrée", "client_number": "16",
            "client_name": "ECOLE JULES FERRY"}]


def deactivate(client):
    return client.post("/comptes/3/activation", data={"active": "0"}, follow_redirects=True)


def test_the_last_approver_with_baskets_waiting_is_not_deactivated(client, rpc):
    rpc.answers[("accounts", "list_accounts")] = [APPROVER]
    rpc.answers[("accounts", "client_account_emails")] = {"approbateur": ["chef@ecole.fr"],
                                                          "collectivite": ["achats@ecole.fr"]}
    rpc.answers[("baskets", "baskets_waiting_for")] = WAITING
    sign_in(client, "collectivite")
    page = html.unescape(deactivate(client).text)
    assert "Le compte chef@ecole.fr n'est pas désactivé" in page
    assert "« CDI rentrée » (ECOLE JULES FERRY)" in page and "autre compte approbateur" in page
    assert rpc.called("accounts", "set_account_active") == []
    assert rpc.called("baskets", "baskets_waiting_for") == [(["16"], "approbateur")]


def test_with_another_approver_or_nothing_waiting_it_goes_ahead(client, rpc):
    rpc.answers[("accounts", "list_accounts")] = [APPROVER]
    rpc.answers[("accounts", "set_account_active")] = dict(APPROVER, active=False)
    rpc.answers[("baskets", "baskets_waiting_for")] = WAITING
    rpc.answers[("accounts", "client_account_emails")] = {
        "approbateur": ["chef@ecole.fr", "adjoint@ecole.fr"]}
    sign_in(client, "collectivite")
    assert "Le compte chef@ecole.fr est désactivé" in html.unescape(deactivate(client).text)
    rpc.answers[("accounts", "client_account_emails")] = {"approbateur": ["chef@ecole.fr"]}
    rpc.answers[("baskets", "baskets_waiting_for")] = []
    assert "Le compte chef@ecole.fr est désactivé" in html.unescape(deactivate(client).text)
    assert len(rpc.called("accounts", "set_account_active")) == 2
