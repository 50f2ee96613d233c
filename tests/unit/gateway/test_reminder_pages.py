"""Issue 10, K1: the initiator moves the opening day from their page while subscriptions have
not opened yet (a bad day: the page again, 400, in French); the bookshop turns the buyers'
reminders off or on (Flask's test client, the services answered by a fake RPC pool)."""
import html

from services.common.errors import DomainError
from tests.unit.gateway import samples
from tests.unit.gateway.conftest import sign_in

NOT_OPEN = dict(opens_on="2026-12-10", not_open_yet=True, subscriptions_open=False)


def test_the_form_shows_only_before_the_opening(client, rpc):
    sign_in(client, "collectivite")
    rpc.answers[("grouped_orders", "get_my_grouped_order")] = dict(samples.grouped(), **NOT_OPEN)
    page = html.unescape(client.get("/commandes-groupees/7").text)
    assert "Changer la date d'ouverture" in page
    assert 'name="opens_on" value="2026-12-10" max="2026-12-20"' in page
    rpc.answers[("grouped_orders", "get_my_grouped_order")] = dict(
        samples.grouped(), opens_on="2026-12-01", not_open_yet=False)
    assert "Changer la date d'ouverture" not in client.get("/commandes-groupees/7").text


def test_a_new_opening_day_is_saved(client, rpc):
    sign_in(client, "collectivite")
    rpc.answers[("grouped_orders", "change_opening")] = dict(
        samples.grouped(), **dict(NOT_OPEN, opens_on="2026-12-12"))
    r = client.post("/commandes-groupees/7/ouverture",
                    data={"opens_on": "2026-12-12", "idempotency_key": "k" * 32})
    assert r.status_code == 302 and r.headers["Location"].endswith("/commandes-groupees/7")
    (args,) = rpc.called("grouped_orders", "change_opening")
    assert args[1:3] == (7, "2026-12-12")
    rpc.answers[("grouped_orders", "get_my_grouped_order")] = dict(samples.grouped(), **NOT_OPEN)
    assert "Les souscriptions ouvriront le 12/12/2026." in html.unescape(
        client.get("/commandes-groupees/7").text)


def test_a_day_after_the_deadline_is_a_french_400(client, rpc):
    sign_in(client, "collectivite")
    rpc.answers[("grouped_orders", "get_my_grouped_order")] = dict(samples.grouped(), **NOT_OPEN)
    rpc.answers[("grouped_orders", "change_opening")] = DomainError(
        "La date d'ouverture doit précéder la date limite.", code="invalid")
    r = client.post("/commandes-groupees/7/ouverture", data={"opens_on": "2026-12-30"})
    assert r.status_code == 400
    assert "La date d'ouverture doit précéder la date limite." in html.unescape(r.text)
    rpc.answers[("grouped_orders", "change_opening")] = DomainError(
        "Les souscriptions sont déjà ouvertes : la date d'ouverture ne peut plus être changée.",
        code="conflict")
    r = client.post("/commandes-groupees/7/ouverture", data={"opens_on": "2026-12-12"})
    assert r.status_code == 409 and "déjà ouvertes" in html.unescape(r.text)


def test_the_bookshop_turns_buyers_reminders_off(client, rpc):
    sign_in(client, "admin")
    rpc.answers[("grouped_orders", "admin_get")] = samples.grouped()
    page = html.unescape(client.get("/admin/commandes-groupees/7").text)
    assert "Rappeler aux acheteurs de payer avant la date limite" in page
    rpc.answers[("grouped_orders", "admin_set_buyer_reminders")] = samples.grouped()
    r = client.post("/admin/commandes-groupees/7/rappels", data={"idempotency_key": "r" * 32})
    assert r.status_code == 302
    assert rpc.called("grouped_orders", "admin_set_buyer_reminders")[0][1:3] == (7, False)
    rpc.answers[("grouped_orders", "admin_get")] = dict(samples.grouped(), buyer_reminders=False)
    page = html.unescape(client.get("/admin/commandes-groupees/7").text)
    assert "ne recevront pas de rappel" in page
    assert "Pas de rappel aux acheteurs qui n'ont pas payé." in page
