from tests.unit.gateway.conftest import sign_in


def test_the_account_page_renders(client):
    sign_in(client, "collectivite")
    r = client.get("/compte")
    assert r.status_code == 200 and "Mon compte" in r.text
