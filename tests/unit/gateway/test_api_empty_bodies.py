"""An API action that takes nothing takes nothing: no body or `{}` goes through, unreadable JSON
or any field is a French 400 and nothing is done (a write without the JSON content type is a
415, as every write: the API's CSRF defence) (an outside tester started a payment with the
body `garbage` and with `{"x": 1}`)."""
import pytest

PAY = "/api/v1/public/grouped-orders/tok/subscriptions/buyer/payments"


@pytest.mark.parametrize("body,status", [("", 201), ("{}", 201), ("garbage", 400),
                                         ('{"x": 1}', 400), ("[]", 400), ('"pay"', 400)])
def test_starting_a_payment_takes_no_body(client, rpc, body, status):
    rpc.answers[("grouped_orders", "start_payment")] = {
        "payment_id": "pay_1", "state": "processing", "state_label": "Paiement en cours",
        "redirect_url": "http://127.0.0.1:8102/sandbox/checkout/chk_1"}
    r = client.post(PAY, data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == status, r.get_data(as_text=True)
    called = rpc.called("grouped_orders", "start_payment")
    if status == 400:
        assert called == [] and r.json["error"] == "invalid"
        assert r.json["message"]  # in French, as every refusal
    else:
        assert len(called) == 1 and r.json["redirect_url"].endswith("chk_1")


def test_a_write_without_json_is_still_a_415(client, rpc):
    r = client.post(PAY)
    assert r.status_code == 415 and rpc.called("grouped_orders", "start_payment") == []


SUBSCRIBE = "/api/v1/public/grouped-orders/tok/subscriptions"
GOOD = {"first_name": "Léa", "last_name": "Martin", "email": "lea@example.fr",
        "quantity": 1, "accepted_terms": True}


@pytest.mark.parametrize("changes,field,words", [
    ({"accepted_terms": "true"}, "accepted_terms", "true ou false"),
    ({"accepted_terms": 1}, "accepted_terms", "true ou false"),
    ({"lines": [{"ean": "9791097284657", "quantity": 2}]}, "quantity", "pas les deux"),
    ({"quantity": None, "lines": [{"ean": "9791097284657", "quantity": 1}] * 25}, "lines",
     "20 éléments au plus")])
def test_a_subscription_says_what_is_wrong_and_is_not_made(client, rpc, changes, field, words):
    """Terms « accepted » by the string "true"; `quantity` and `lines` both given (`lines`
    silently won); 25 lines refused with « 20 caractères au plus »."""
    r = client.post(SUBSCRIBE, json=dict(GOOD, **changes))
    assert r.status_code == 400, r.get_data(as_text=True)
    assert any(words in m for m in r.json["details"][field]), r.json
    assert rpc.called("grouped_orders", "subscribe") == []


def test_query_strings_still_take_their_booleans_as_text(client, rpc):
    from tests.unit.gateway.conftest import sign_in
    rpc.answers[("baskets", "list_my_baskets")] = []
    sign_in(client, "utilisateur")
    assert client.get("/api/v1/baskets?include_transformed=true").status_code == 200
    assert rpc.called("baskets", "list_my_baskets")[-1][-1] is True


def test_every_write_of_the_api_declares_its_body(client):
    """A write without a body schema took any body and acted (« garbage » validated a
    distribution): each POST, PUT and PATCH says what it takes (`NoBody` for nothing)."""
    spec = client.get("/api/v1/openapi.json").json
    bare = [(method, path) for path, ops in spec["paths"].items() for method, op in ops.items()
            if method in ("post", "put", "patch") and "requestBody" not in op]
    assert bare == []
