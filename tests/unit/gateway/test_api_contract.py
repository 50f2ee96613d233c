"""The gateway's door, without the services: what it refuses before any RPC is made, the one
error body, and what the OpenAPI document declares (issues 8 §3, 13 §6, 14)."""
import html

import pytest

from gateway.api import base, baskets, schemas
from gateway.app import create_app

SUBSCRIBE = "/api/v1/public/grouped-orders/tok/subscriptions"
GOOD = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@lovelace.fr",
        "quantity": 2, "accepted_terms": True}


@pytest.fixture(scope="module")
def client():
    app = create_app({"TESTING": True})
    return app.test_client()


def error(r, status=400, code="invalid"):
    assert r.status_code == status, r.get_data(as_text=True)
    body = r.get_json()
    assert set(body) == {"error", "message", "details"} and body["error"] == code, body
    return body


@pytest.mark.parametrize("send", [
    lambda c: c.post("/api/v1/session", json={"email": "a\x00@b.fr", "password": "x"}),
    lambda c: c.post(SUBSCRIBE, json=dict(GOOD, first_name="A\x00")),
    lambda c: c.post("/api/v1/baskets", json={"name": "x", "\x00": "y"}),
    lambda c: c.get("/api/v1/admin/quotes?search=%00"),
    lambda c: c.get("/api/v1/public/grouped-orders/a%00b"),
    lambda c: c.post("/connexion", data={"email": "a\x00", "password": "x"}),
])
def test_nul_bytes_are_refused_at_the_door(client, send):
    r = send(client)
    assert r.status_code == 400
    if r.is_json:
        assert "caractère nul" in error(r)["message"]
    else:
        assert "caractère nul" in r.get_data(as_text=True)


@pytest.mark.parametrize("send, said", [
    (lambda c: c.post(SUBSCRIBE, json=dict(GOOD, first_name="\ud800")), "Unicode incomplet"),
    (lambda c: c.post("/api/v1/session", json={"email": "a@b.fr", "password": "\ud800"}),
     "Unicode incomplet"),
    (lambda c: c.post(SUBSCRIBE, json=dict(GOOD, first_name="René\u202e")),
     "inverse le sens de l'écriture"),
    (lambda c: c.post("/connexion", data={"email": "a@b.fr\u2066", "password": "x"}),
     "inverse le sens de l'écriture"),
])
def test_other_characters_refused_at_the_door_say_what_they_are(client, send, said):
    """A lone surrogate was called « caractère nul »; a bidirectional override (« René\u202e »,
    read backwards in the bookshop's lists, CSV and mails) was kept."""
    r = send(client)
    assert r.status_code == 400
    text = error(r)["message"] if r.is_json else r.get_data(as_text=True)
    assert said in html.unescape(text) and "caractère nul" not in text


@pytest.mark.parametrize("path", ["/api/v1/session", SUBSCRIBE, "/connexion",
                                  "/souscription/" + "T" * 32])
@pytest.mark.parametrize("depth", [40, 400, 5000])
def test_a_body_nested_too_deep_is_a_400_not_a_500(client, path, depth):
    """`[[[[…]]]]` 400 levels deep (801 bytes) gave a 500 on every route (RecursionError)."""
    r = client.post(path, data="[" * depth + "]" * depth, content_type="application/json")
    assert r.status_code == 400
    text = error(r)["message"] if r.is_json else r.get_data(as_text=True)
    assert "imbriqué trop profondément" in html.unescape(text)


@pytest.mark.parametrize("path", ["/api/v1/session", SUBSCRIBE])
def test_an_integer_of_thousands_of_digits_is_a_400_not_a_500(client, path):
    """Python refuses to read an integer of more than 4,300 digits (ValueError, not a JSON
    error): the API answered 500 on every route, anonymous ones included (an outside tester)."""
    body = '{"email": "a@b.fr", "password": ' + "9" * 5000 + ', "quantity": 1}'
    r = client.post(path, data=body, content_type="application/json")
    assert r.status_code == 400 and "nombre beaucoup trop long" in error(r)["message"]
    r = client.post(path, data='{"quantity": 1', content_type="application/json")
    assert r.status_code == 400  # plain bad JSON: still the API's own 400


def test_schema_refusals_are_400_in_french_with_field_details(client):
    body = error(client.post(SUBSCRIBE, json={"first_name": "A" * 201, "quantity": 2.5,
                                              "email": "a@b@c.fr", "extra": 1}))
    assert body["message"] == "Vérifiez les informations saisies."
    assert body["details"] == {"first_name": ["100 caractères au plus."],
                               "last_name": ["Champ obligatoire."],
                               "email": ["Adresse e-mail invalide."],
                               "quantity": ["Nombre entier attendu."],
                               "accepted_terms": ["Champ obligatoire."],
                               "extra": ["Champ inconnu."]}
    assert error(client.post(SUBSCRIBE, data="x", content_type="text/plain"), 415,
                 "unsupported_media_type")["message"].startswith("Format non pris en charge")
    assert error(client.post(SUBSCRIBE, data="{x", content_type="application/json"))[
        "details"] == {"json": ["Corps JSON illisible."]}


def test_a_number_beyond_any_row_is_not_found(client):
    error(client.get("/api/v1/baskets/2147483648"), 404, "not_found")


@pytest.mark.parametrize("value,ok", [(3, True), (2.5, False), (2.0, False), ("3", False),
                                      (True, False)])
def test_quantities_are_strict_integers(value, ok):
    problems = baskets.LineIn().validate({"ean": "1", "quantity": value})
    assert (problems == {}) is ok, problems


def test_out_schemas_pass_undeclared_keys_through():
    dumped = schemas.BasketSummary().dump({"id": 1, "name": "n", "new_key": [1]})
    assert dumped == {"id": 1, "name": "n", "new_key": [1]}


def test_the_openapi_document_declares_the_real_error_body(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert base.GatewayApi.ERROR_SCHEMA is base.Error
    props = doc["components"]["schemas"]["Error"]["properties"]
    assert set(props) == {"error", "message", "details"}
    undeclared = []
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            if method == "parameters":
                continue
            assert op["responses"]["default"] == {"$ref": "#/components/responses/DEFAULT_ERROR"}
            for status, response in op["responses"].items():
                content = response.get("content", {})
                if "application/pdf" in content:  # a PDF (an invoice's): declared binary
                    assert content == {"application/pdf": {"schema": {
                        "type": "string", "format": "binary"}}}, path
                    assert response["description"], path
                elif status.startswith("2") and status != "204" and "schema" not in \
                        content.get("application/json", {}):
                    undeclared.append(f"{method.upper()} {path}")
    assert undeclared == []
    pdfs = sorted(p for p, methods in doc["paths"].items() if "application/pdf" in
                  methods.get("get", {}).get("responses", {}).get("200", {}).get("content", {}))
    assert pdfs == ["/api/v1/admin/invoices/{number}/pdf", "/api/v1/invoices/{number}/pdf"]
