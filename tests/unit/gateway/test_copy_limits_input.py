"""Bad input to the API and the pages, as the exploration sent it: the copy limits with a title
given twice (the API's `titles`, the page's `ean` fields) are a French 400 (the page: its
message), nothing sent to the service, instead of the last value silently kept; the
distribution's refusals name the API's own field."""
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
    from tests.unit.gateway import samples
    rpc.answers[("grouped_orders", "get_my_grouped_order")] = samples.grouped()
    r = client.post("/commandes-groupees/7/exemplaires", data={
        "min_copies": "", "max_copies": "", "ean": ["111", "111"], "title_min": ["2", "7"]})
    assert r.status_code == 400
    assert rpc.called("grouped_orders", "change_copy_limits") == []
    assert "Chaque titre une fois" in html.unescape(r.text)


def test_distribution_refusals_name_the_api_field_sub_order(client, rpc):
    """The service's « Choisissez un acheteur de cette commande groupée » named `sub` (the
    page's field) in the API's details, a field the API does not have: `sub_order` now."""
    from services.common.errors import invalid
    sign_in(client, "collectivite")
    for path, body in (("ticks", {"sub_order": 999, "field": "came", "value": True}),
                       ("payments", {"sub_order": 999, "method": "cash"}),
                       ("notes", {"sub_order": 999, "kind": "refund", "amount": "1,00",
                                  "comment": "x"})):
        method = {"ticks": "distribution_tick", "payments": "distribution_payment",
                  "notes": "distribution_note"}[path]
        rpc.answers[("grouped_orders", method)] = invalid(
            "Choisissez un acheteur de cette commande groupée.",
            {"sub": ["Un acheteur de la liste."]})
        r = client.post(f"/api/v1/grouped-orders/7/distribution/{path}", json=body,
                        headers={"Idempotency-Key": path * 8})
        assert r.status_code == 400 and r.json["details"] == {
            "sub_order": ["Un acheteur de la liste."]}, (path, r.json)


def test_the_limits_saved_are_said_in_french_one_copy_singular():
    from gateway.views.grouped_orders import limits_message
    assert limits_message(1, 1) == "Exemplaires : minimum 1 exemplaire, maximum 1 exemplaire."
    assert limits_message(None, 30) == "Exemplaires : pas de minimum, maximum 30 exemplaires."
