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
def go_db(tmp_path):
    """The grouped_orders service's database (SQLite), for its use cases' real answers."""
    from services.grouped_orders.models import Base
    from tests.support.fakes import sqlite_database
    with sqlite_database("grouped_orders", Base, tmp_path / "go") as database:
        yield database


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


def test_the_school_cycle_answers_as_grouped_orders_makes_them(client, rpc, document, go_db):
    """Issue 10's routes (gateway/api/cycle.py): a reading list of two titles run through the
    real use cases on SQLite (three buyers, one paying by cheque at pickup, a title cut, the
    totals for suppliers, the progress, distribution day to its validation); each answer, as
    the service made it, passes through its route and validates against the document."""
    from sqlalchemy import update

    from services.grouped_orders import domain
    from services.grouped_orders.models import GroupedOrder
    from services.grouped_orders.use_cases import (bookshop, buyers, capacity, distribution,
                                                    initiator, suppliers, unavailability)
    from tests.support.fakes import Events
    from tests.unit.grouped_orders.test_reading_list_use_cases import LIVRE
    from tests.unit.grouped_orders.test_use_cases import (CLIENT, INITIATOR, NOW, URL,
                                                           WESTERN, pay, subscribe, tx)

    events, later = Events(), NOW.replace(day=30)
    me = {"id": INITIATOR["id"], "role": "collectivite", "email": INITIATOR["email"]}
    go = tx(go_db, initiator.create, INITIATOR, CLIENT, [WESTERN, dict(LIVRE, optional=True)],
            {"deadline": "2022-03-29", "pickup": "address-0", "min_copies": 2}, NOW, events,
            URL, "À la librairie", "online,cheque")
    token, number = go["subscription_url"].rsplit("/", 1)[1], go["number"]
    w, li = WESTERN["ean"], LIVRE["ean"]
    leto = subscribe(go_db, token, "Jared", "Leto", None, lines={w: 2, li: 1})
    diaz = subscribe(go_db, token, "Cameron", "Diaz", None, lines={w: 1, li: 0})
    petit = tx(go_db, buyers.subscribe, token, {
        "first_name": "Zoé", "last_name": "Petit", "email": "zoe@free.fr",
        "accepted_terms": True, "lines": {w: 1, li: 1}, "payment_method": "cheque"}, NOW,
        Events(), URL)
    pay(go_db, events, token, leto, "pay-leto")
    pay(go_db, events, token, diaz, "pay-diaz")
    progress = tx(go_db, capacity.public_progress, token, NOW)
    tx(go_db, bookshop.close_expired, later, events, URL)
    title_id = go["titles"][0]["id"]
    cut = tx(go_db, unavailability.set_available, number, title_id, "3", later, events, URL)
    assert [(x["buyer"], x["before"], x["after"]) for x in cut["lines"]] == [
        ("Zoé Petit", 1, 0)]
    mine = tx(go_db, unavailability.initiator_view, number, INITIATOR["id"])
    totals = tx(go_db, suppliers.order_recap, number, INITIATOR["id"], "collectivite")
    period = tx(go_db, suppliers.period_recap, "2022-03-01", "2022-03-31")
    with go_db.transaction() as s:
        s.execute(update(GroupedOrder).where(GroupedOrder.number == number)
                  .values(status=domain.CLOSED, made_available_at=later))
    ticked = tx(go_db, distribution.tick, number, leto["number"], "collected_all", True, me,
                later)
    noted = tx(go_db, distribution.add_note, number, diaz["number"], "refund", "2,50",
               "monnaie", me, later)
    paid = tx(go_db, distribution.record_pickup_payment, number, petit["number"], "cheque",
              "1234567", me, lambda *asked: {"payment_id": "pay-petit", "method": "cheque",
                                             "cheque_number": "1234567"}, later, events, URL)
    before = tx(go_db, distribution.view, number, me, "", later, URL)
    done = tx(go_db, distribution.validate, number, me, later, events, URL)
    assert [a["last_name"] for a in done["absent"]] == ["Diaz", "Petit"]

    for method, answer in (("public_progress", progress), ("my_adjustments", mine),
                           ("admin_adjustments", cut), ("admin_set_title_available", cut),
                           ("admin_confirm_adjustments", cut), ("supplier_recap", totals),
                           ("admin_supplier_recap", period), ("distribution", before),
                           ("distribution_tick", ticked), ("distribution_note", noted),
                           ("distribution_payment", paid),
                           ("validate_distribution", done)):
        rpc.answers[("grouped_orders", method)] = answer
    one = "/grouped-orders/{number}"
    r = client.get(f"/api/v1/public/grouped-orders/{token}/progress")
    paid_copies = progress["progress"]["paid"]
    assert check(document, r, "/public/grouped-orders/{token}/progress")["texts"] == {
        "minimum": f"{paid_copies} / 2 exemplaires payés : minimum atteint, la commande sera "
                   "passée."}
    sign_in(client, "collectivite")
    for path in ("/adjustments", "/supplier-totals", "/distribution"):
        check(document, client.get(f"/api/v1/grouped-orders/{number}{path}"), one + path)
    sub = {"sub_order": leto["number"]}
    for path, body, status in (
            ("/ticks", dict(sub, field="collected_all", value=True), 200),
            ("/payments", dict(sub, method="cheque", cheque_number="1234567"), 200),
            ("/notes", dict(sub, kind="refund", amount="2,50", comment="monnaie"), 201),
            ("/validation", {}, 200)):
        r = client.post(f"/api/v1/grouped-orders/{number}/distribution{path}", json=body)
        assert r.status_code == status, r.get_data(as_text=True)
        check(document, r, one + "/distribution" + path, "post")
    sign_in(client, "admin")
    admin = f"/api/v1/admin/grouped-orders/{number}"
    check(document, client.get("/api/v1/admin/supplier-totals?start=2022-03-01&end=2022-03-31"),
          "/admin/supplier-totals")
    check(document, client.post(f"{admin}/titles/{title_id}/availability", json={
        "available": 3}), "/admin/grouped-orders/{number}/titles/{title_id}/availability", "post")
    check(document, client.post(f"{admin}/adjustments/verification", json={}),
          "/admin/grouped-orders/{number}/adjustments/verification", "post")
    # the bookshop reads the adjustments of any grouped order, the initiator its own
    assert [c[1] for c in rpc.calls if c[1].endswith("adjustments")] == [
        "my_adjustments", "admin_confirm_adjustments"]
    check(document, client.get(f"/api/v1/grouped-orders/{number}/adjustments"),
          one + "/adjustments")
    assert rpc.called("grouped_orders", "admin_adjustments")
