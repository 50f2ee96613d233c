"""The initiator's copy limits with a title given twice (the API's `titles`, the page's `ean`
fields): a French 400 (the page: its message), nothing sent to the service, instead of the last
value silently kept (found by the exploration)."""
import html

from tests.unit.gateway.conftest import sign_in

TWICE = [{"ean": "111", "min_copies": 2}, {"ean": "111", "min_copies": 7}]


def test_the_api_refuses_a_title_given_twice(client, rpc):
    sign_in(client, "collectivite")
    r = client.put("/api/v1/grouped-orders/7/copy-limits", json={
        "min_copies": None, "max_copies": None, "titles": TWICE},
        headers={"Idempotency-Key": "k" * 32})
    assert r.status_code == 400, r.text
    assert "Chaque titre une fois" in r.json["details"]["titles"][0]
    assert rpc.called("grouped_orders", "change_copy_limits") == []


def test_the_page_refuses_a_title_given_twice(client, rpc):
    sign_in(client, "collectivite")
    r = client.post("/commandes-groupees/7/exemplaires", data={
        "min_copies": "", "max_copies": "", "ean": ["111", "111"], "title_min": ["2", "7"]})
    assert r.status_code == 302
    assert rpc.called("grouped_orders", "change_copy_limits") == []
    with client.session_transaction() as session:
        flashed = html.unescape(str(session.get("_flashes")))
    assert "Chaque titre une fois" in flashed
