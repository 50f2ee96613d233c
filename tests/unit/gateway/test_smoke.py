from tests.unit.gateway.conftest import sign_in


def test_the_account_page_renders(client):
    sign_in(client, "collectivite")
    r = client.get("/compte")
    assert r.status_code == 200 and "Mon compte" in r.text


def test_the_health_page_names_each_figure_on_a_phone(client, rpc):
    """On a phone the table's rows are stacked: each figure says what it is (the page read
    « OK OK 0 0 » under each service)."""
    from gateway.rpc_client import SERVICE_NAMES
    rpc.broker_reachable = lambda: True
    for name in SERVICE_NAMES:
        rpc.answers[(name, "health")] = {"status": "ok", "database": "ok",
                                         "outbox_pending": 0, "dead_letters": 0}
    page = client.get("/health").text
    for label in ("État", "Base de données", "Événements à publier", "Messages en échec"):
        assert page.count(f'data-label="{label}"') == len(SERVICE_NAMES), label
