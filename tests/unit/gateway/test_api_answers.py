"""API answers against /api/v1/openapi.json in the unit tier (issue 12): what the services
really dump, passed through the gateway's routes (a fake RPC pool), validates against the schema
the document declares for that route and status. The articles and clients are dumped by the
librisoft_bridge and the accounts service themselves (an in-memory database, their presenters),
so a field added on one side and not in the shared wire schema fails here, without the suite;
tests/e2e/test_api_fuzz.py does the same for every route through the real services."""
from datetime import datetime, timezone
from decimal import Decimal

import jsonschema_rs
import pytest

from services.accounts.models import Account, AccountClient, Client
from services.accounts.presenters import account_view, client_view
from services.librisoft_bridge.demo import demo_articles
from services.librisoft_bridge.schemas import ArticleOut, SearchResultOut
from services.librisoft_bridge.use_cases import imports, queries
from tests.unit.librisoft_bridge.conftest import db, run  # noqa: F401  (the bridge's fixture)

from . import samples
from .conftest import sign_in


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").get_json()


def json_schema(document, node):
    """An OpenAPI 3.0 schema as JSON Schema: $refs inlined, `nullable` as a null type."""
    if isinstance(node, list):
        return [json_schema(document, item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return json_schema(document, document["components"]["schemas"][name])
    out = {key: json_schema(document, value) for key, value in node.items()
           if key != "nullable"}
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def check(document, response, path, method="get"):
    """The answer's JSON validates against what the document declares for its status."""
    declared = document["paths"]["/api/v1" + path][method]["responses"][
        str(response.status_code)]["content"]["application/json"]["schema"]
    body = response.get_json()
    validator = jsonschema_rs.Draft7Validator(json_schema(document, declared),
                                              validate_formats=True)
    errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message}"
              for e in validator.iter_errors(body)]
    assert errors == [], errors
    return body


def test_articles_as_the_bridge_dumps_them(client, rpc, document, db):  # noqa: F811
    run(db, imports.import_articles, demo_articles(12))
    page = SearchResultOut().dump(run(db, queries.search_articles, "", 1, 12))
    sheet = ArticleOut().dump(run(db, queries.get_article, page["items"][0]["ean"]))
    rpc.answers[("librisoft_bridge", "search_articles")] = page
    rpc.answers[("librisoft_bridge", "get_article")] = sheet
    sign_in(client, "utilisateur")
    r = client.get("/api/v1/articles?q=&per_page=12")
    assert r.status_code == 200
    assert check(document, r, "/articles") == page  # dumped again, unchanged
    r = client.get(f"/api/v1/articles/{sheet['ean']}")
    assert check(document, r, "/articles/{ean}") == sheet
    assert set(sheet) >= {"price_ht", "updated_at", "weight_g"}


def test_clients_and_accounts_as_the_accounts_service_presents_them(client, rpc, document):
    school = Client(number="16", name="ECOLE JULES FERRY", revision=2, active=True,
                    addresses=[{"label": "École", "line1": "1 rue", "line2": "",
                                "postal_code": "54000", "city": "NANCY"}],
                    phone="", email="", gencod="", lang_law_warning=True,
                    discount_2_1=Decimal("0.00"), discount_5_5=Decimal("9.00"),
                    discount_20=Decimal("5.00"), discount_school=Decimal("15.00"))
    buyer = Account(id=2, email="achats@ecole.fr", role="collectivite", active=False,
                    session_version=1, created_by_id=1, last_login_at=None,
                    created_at=datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc))
    buyer.links = [AccountClient(client_number="16")]
    accounts = [account_view(buyer, {"16": school.name})]
    rpc.answers[("accounts", "clients_overview")] = {
        "clients": [dict(client_view(school), accounts=accounts)],
        "alerts": ["ECOLE JULES FERRY : aucun compte actif."],
        "inactive_accounts": accounts}
    sign_in(client, "admin")
    body = check(document, client.get("/api/v1/clients"), "/clients")
    assert body["clients"][0]["discounts"] == {"vat_2_1": "0.00", "vat_5_5": "9.00",
                                               "vat_20": "5.00", "school": "15.00"}
    rpc.answers[("accounts", "list_accounts")] = accounts
    check(document, client.get("/api/v1/accounts"), "/accounts")


def test_grouped_orders_answers(client, rpc, document):
    paid = samples.sub("paid", number=3, paid_at="2026-12-06T11:00:00+00:00")
    one = samples.grouped("awaiting_validation", subs=[samples.sub(), paid])
    rpc.answers[("grouped_orders", "admin_get")] = one
    rpc.answers[("grouped_orders", "public_grouped_order")] = samples.PUBLIC
    rpc.answers[("grouped_orders", "buyer_status")] = samples.sub()
    sign_in(client, "admin")
    check(document, client.get("/api/v1/admin/grouped-orders/7"),
          "/admin/grouped-orders/{number}")
    check(document, client.get("/api/v1/public/grouped-orders/" + "T" * 32),
          "/public/grouped-orders/{token}")
    check(document, client.get(f"/api/v1/public/grouped-orders/{'T' * 32}/subscriptions/"
                               f"{'B' * 32}"),
          "/public/grouped-orders/{token}/subscriptions/{buyer_token}")


def test_a_wrong_answer_is_caught(client, rpc, document):
    """The check itself can fail: null where the document says text."""
    rpc.answers[("grouped_orders", "public_grouped_order")] = dict(samples.PUBLIC,
                                                                   unit_price=None)
    r = client.get("/api/v1/public/grouped-orders/" + "T" * 32)
    with pytest.raises(AssertionError, match="unit_price"):
        check(document, r, "/public/grouped-orders/{token}")
