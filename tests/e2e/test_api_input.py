"""Input is checked once, the same way, at the door (issue 8 §3, issue 13 §5, issue 14):
e-mails by one library, whole quantities, one error body in French with one status (400) for
every bad input, a NUL character refused everywhere, and an OpenAPI document that declares the
errors the API sends. Through the real gateway and services."""
import requests
from sqlalchemy import text

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session, csrf_token

CEMETERY = "9782330150136"
BAD_EMAILS = ["a@b@c.fr", "@x.test", "x@y.fr\nbcc:z@w.fr", "x@y.fr\r\nbcc:z@w.fr", "<a@b.fr>"]
NUL = "caractère nul"


def api(suite, path):
    return suite.gateway_url + "/api/v1" + path


def is_french_error(r, status=400, code="invalid"):
    body = r.json()
    assert r.status_code == status, (r.status_code, r.text)
    assert set(body) == {"error", "message", "details"}, body
    assert body["error"] == code, body
    for english in ("Missing data", "Unknown field", "Not a valid", "Longer than",
                    "Invalid", "media type", "does not support"):
        assert english not in body["message"] and english not in str(body["details"]), body
    return body


def sub_orders(suite, number):
    db = suite.db("grouped_orders")
    try:
        with db.transaction() as session:
            return session.execute(text("SELECT email, quantity FROM sub_orders WHERE "
                                        "grouped_order_number = :n ORDER BY number"),
                                   {"n": number}).all()
    finally:
        db.dispose()


def test_bad_emails_and_fractional_quantities_are_refused_at_subscription(suite, people):
    """They were accepted at subscription and refused at payment, leaving the buyer stuck;
    2.5 was stored as 2."""
    coll = api_session(suite, people["collectivite"]["email"], PASSWORD)
    go, token = grouped.create(coll, suite, "16", CEMETERY, days=4)
    url = api(suite, f"/public/grouped-orders/{token}/subscriptions")
    base = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@lovelace.fr",
            "quantity": 1, "accepted_terms": True}
    for bad in BAD_EMAILS:
        body = is_french_error(requests.post(url, json=dict(base, email=bad)))
        assert body["details"]["email"] == ["Adresse e-mail invalide."], body
    for quantity in (2.5, "2.5", 2.0, True, "2"):
        body = is_french_error(requests.post(url, json=dict(base, quantity=quantity)))
        assert body["details"]["quantity"] == ["Nombre entier attendu."], body
    # the page's form: the same rules, in French, nothing stored
    s = requests.Session()
    page_url = f"{suite.gateway_url}/souscription/{token}"
    form = {"csrf_token": csrf_token(s, page_url), "first_name": "Ada", "last_name": "Lovelace",
            "email": "ada@lovelace.fr", "quantity": "2.5", "accepted_terms": "1"}
    r = s.post(page_url, data=form, allow_redirects=False)
    assert r.status_code == 400 and "nombre entier" in r.text, r.text[:500]
    for bad in BAD_EMAILS:
        r = s.post(page_url, data=dict(form, quantity="1", email=bad), allow_redirects=False)
        assert r.status_code == 400 and "Adresse e-mail invalide" in r.text, bad
    assert sub_orders(suite, go["number"]) == []
    # an internationalised address is an address
    # an internationalised domain is an address (kept in the ASCII form mail servers take)
    ok = requests.post(url, json=dict(base, email="Eleve@École.fr", quantity=3))
    assert ok.status_code == 201, ok.text
    assert ok.json()["email"] == "eleve@xn--cole-9oa.fr" and ok.json()["quantity"] == 3
    assert [tuple(x) for x in sub_orders(suite, go["number"])] == [("eleve@xn--cole-9oa.fr", 3)]


def test_fractional_quantities_are_refused_on_basket_lines(suite, people):
    coll = api_session(suite, people["collectivite"]["email"], PASSWORD)
    basket = coll.post(api(suite, "/baskets"), json={"name": "Quantités"}).json()["id"]
    lines = api(suite, f"/baskets/{basket}/lines")
    for quantity in (2.5, "2.5", 1.0, True):
        body = is_french_error(coll.post(lines, json={"ean": CEMETERY, "quantity": quantity}))
        assert "quantity" in body["details"]
    assert coll.post(lines, json={"ean": CEMETERY, "quantity": 2}).status_code == 201
    body = is_french_error(coll.put(f"{lines}/{CEMETERY}", json={"quantity": 7.5}))
    assert "quantity" in body["details"]
    got = coll.get(api(suite, f"/baskets/{basket}")).json()
    assert [(x["ean"], x["quantity"]) for x in got["lines"]] == [(CEMETERY, 2)]


def test_account_creation_and_password_reset_use_the_same_email_check(suite, people):
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    base = {"password": PASSWORD, "role": "utilisateur", "client_numbers": ["16"]}
    for bad in BAD_EMAILS:
        body = is_french_error(admin.post(api(suite, "/accounts"), json=dict(base, email=bad)))
        assert body["details"]["email"] == ["Adresse e-mail invalide."]
    # password reset: the same check, said on the form (400, in French), no crash, nothing sent
    s = requests.Session()
    reset = suite.gateway_url + "/mot-de-passe/oublie"
    r = s.post(reset, data={"csrf_token": csrf_token(s, reset),
                            "email": "x@y.fr\r\nbcc:z@w.fr"})
    assert r.status_code == 400, r.text[:300]
    assert "Adresse e-mail invalide." in r.text
    assert "Si un compte existe" not in r.text


def test_one_error_body_in_french_with_one_status(suite, people):
    """Marshmallow's English ("Missing data for required field.") with 422 beside the services'
    French with 400; 415's English text."""
    coll = api_session(suite, people["collectivite"]["email"], PASSWORD)
    go, token = grouped.create(coll, suite, "16", CEMETERY, days=4)
    url = api(suite, f"/public/grouped-orders/{token}/subscriptions")
    body = is_french_error(requests.post(url, json={"first_name": "Ada", "unexpected": 1}))
    assert body["details"]["last_name"] == ["Champ obligatoire."]
    assert body["details"]["unexpected"] == ["Champ inconnu."]
    assert body["message"] == "Vérifiez les informations saisies."
    base = {"last_name": "Lovelace", "email": "ada@lovelace.fr", "quantity": 1,
            "accepted_terms": True}
    # the same field, too long by a little or by a lot: the same status, in French
    for length in (101, 201, 5000):
        body = is_french_error(requests.post(url, json=dict(base, first_name="A" * length)))
        assert body["details"]["first_name"] == ["100 caractères au plus."]
    body = is_french_error(requests.post(url, data="first_name=Ada", headers={
        "Content-Type": "application/x-www-form-urlencoded"}), 415, "unsupported_media_type")
    assert "JSON" in body["message"]
    body = is_french_error(requests.post(url, data="{not json", headers={
        "Content-Type": "application/json"}))
    body = is_french_error(requests.post(url, json=[1, 2]))
    assert body["details"] == {"_schema": ["Données invalides : un objet JSON est attendu."]}
    # a refusal by the service's rule: the same body, the same status
    body = is_french_error(requests.post(url, json=dict(base, first_name="Ada", quantity=31)))
    assert "quantity" in body["details"]
    assert is_french_error(requests.get(api(suite, "/baskets")), 401, "unauthorized")
    assert is_french_error(coll.get(api(suite, "/baskets/2147483648")), 404, "not_found")


def test_a_nul_byte_is_bad_input_everywhere(suite, people):
    """Each gave a 500 (psycopg2's ValueError)."""
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    coll = api_session(suite, people["collectivite"]["email"], PASSWORD)
    go, token = grouped.create(coll, suite, "16", CEMETERY, days=4)
    probes = [
        requests.post(api(suite, "/session"), json={"email": "a\x00@b.fr", "password": "x"}),
        requests.post(api(suite, f"/public/grouped-orders/{token}/subscriptions"), json={
            "first_name": "Ada\x00", "last_name": "L", "email": "ada@lovelace.fr",
            "quantity": 1, "accepted_terms": True}),
        coll.post(api(suite, "/baskets"), json={"name": "x\x00y"}),
        admin.get(api(suite, "/admin/quotes"), params={"search": "\x00"}),
        admin.get(api(suite, "/admin/quotes") + "?search=%00"),
        coll.get(api(suite, "/articles/97823301%0050136/price")),
        requests.get(api(suite, f"/public/grouped-orders/{token}%00")),
        coll.put(api(suite, f"/grouped-orders/{go['number']}/deadline"),
                 json={"deadline": "2030-01-01", "\x00": 1}),
    ]
    for r in probes:
        body = is_french_error(r)
        assert NUL in body["message"], body
    # the same in the pages' forms, at the door (before the form's own checks)
    s = requests.Session()
    login = suite.gateway_url + "/connexion"
    r = s.post(login, data={"csrf_token": csrf_token(s, login), "email": "a\x00@b.fr",
                            "password": "x"})
    assert r.status_code == 400 and NUL in r.text
    assert sub_orders(suite, go["number"]) == []


def test_the_openapi_document_declares_the_errors_and_answers_it_sends(suite):
    doc = requests.get(api(suite, "/openapi.json")).json()
    error = doc["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"error", "message", "details"}
    assert set(error["required"]) == {"error", "message", "details"}
    assert "code" not in error["properties"] and "errors" not in error["properties"]
    assert doc["components"]["responses"]["DEFAULT_ERROR"]["content"]["application/json"][
        "schema"] == {"$ref": "#/components/schemas/Error"}
    assert "400" in doc["info"]["description"] and "details" in doc["info"]["description"]
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            assert responses["default"] == {"$ref": "#/components/responses/DEFAULT_ERROR"}
            assert "422" not in responses, (method, path)
            for status, response in responses.items():
                if status.startswith("2") and status != "204":
                    content = response["content"]
                    if "application/pdf" in content:  # an invoice's PDF: declared binary
                        assert content["application/pdf"]["schema"] == {
                            "type": "string", "format": "binary"}, (method, path)
                        continue
                    assert "schema" in content["application/json"], (method, path)


def test_the_add_to_basket_form_refuses_a_basket_number_that_is_not_one(suite, people):
    """"²" passed str.isdigit() and crashed int(): a 500 on the catalogue's add-to-basket form."""
    s = api_session(suite, people["collectivite"]["email"], PASSWORD)
    token = csrf_token(s, f"{suite.gateway_url}/catalogue/{CEMETERY}")
    for choice in ("²", "٣", "99999999999999999999", "-1"):
        r = s.post(f"{suite.gateway_url}/paniers/ajout", allow_redirects=False,
                   data={"csrf_token": token, "ean": CEMETERY, "basket_id": choice,
                         "quantity": "1"})
        assert r.status_code < 500, (choice, r.status_code)
