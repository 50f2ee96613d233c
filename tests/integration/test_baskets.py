"""Collectivity baskets over RPC between real service processes (the real RabbitMQ and
PostgreSQL): the approval chain with a return, the reference's prices from the real accounts and
librisoft_bridge, the order and the quote request in the baskets outbox, relayed; Librisoft's
pickup consumed; the bookshop's actions."""
import uuid

import pytest
import requests
from sqlalchemy import select

from services.common.contracts.events import load_envelope
from services.common.errors import DomainError
from services.common.messaging_models import messaging_tables
from services.librisoft_bridge.demo import demo_articles, demo_clients
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.integration.conftest import service_db
from tests.support.suite import wait_until

PASSWORD = "password-baskets-2026"
CEMETERY = "9782330150136"
WESTERN = "9791097284657"


@pytest.fixture(scope="module")
def people(suite, api_key):
    """The demo clients and articles pushed through the bridge's webservice, then four accounts
    made by the admin over RPC: the chain of ECOLE JULES FERRY (16) and a collectivity of
    COLLEGE VICTOR PROUVE (21)."""
    for kind, rows in (("clients", demo_clients()), ("articles", demo_articles(20))):
        r = requests.post(f"{suite.bridge_url}/librisoft/v1/{kind}", json={kind: rows},
                          headers={"X-Api-Key": api_key}, timeout=60)
        assert r.status_code == 200, r.text
    suffix = uuid.uuid4().hex[:8]
    with suite.rpc() as rpc:
        admin = rpc.accounts.authenticate(ADMIN_EMAIL, ADMIN_PASSWORD, "baskets")
        wait_until(lambda: {"16", "21"} <= {c["number"] for c in
                                            rpc.accounts.assignable_clients(admin["id"])},
                   message="demo clients in accounts")
        made = {"admin": admin}
        for key, role, number in (("utilisateur", "utilisateur", "16"),
                                  ("approbateur", "approbateur", "16"),
                                  ("collectivite", "collectivite", "16"),
                                  ("other", "collectivite", "21")):
            made[key] = rpc.accounts.create_account(admin["id"], {
                "email": f"{key}-{suffix}@baskets.test", "password": PASSWORD,
                "confirmation": PASSWORD, "role": role, "client_numbers": [number]})
    return made


baskets_db = service_db("baskets")


def relayed(db, event_type, number):
    """The outbox rows of `event_type` for document `number`, once all are published."""
    table = messaging_tables(db.metadata)[0]
    with db.transaction() as session:
        rows = session.execute(select(table.c.body, table.c.published_at)
                               .where(table.c.event_type == event_type)
                               .order_by(table.c.id)).all()
    rows = [r for r in rows if r.body["payload"]["number"] == number]
    return [r.body for r in rows] if rows and all(r.published_at for r in rows) else None


def refused(code, fn, *args):
    with pytest.raises(DomainError) as exc:
        fn(*args)
    assert exc.value.code == code, exc.value.message


def test_the_chain_to_an_order_and_librisoft_pickup(suite, people, baskets_db, publish):
    user, approver, collectivity, other, admin = (
        people[k]["id"] for k in ("utilisateur", "approbateur", "collectivite", "other",
                                  "admin"))
    with suite.rpc() as rpc:
        b = rpc.baskets
        basket = b.create_basket(user, None, "Sélection CDI")
        bid = basket["id"]
        view = b.add_line(user, bid, CEMETERY)
        (line,) = view["lines"]
        assert (line["public_price_ttc"], line["public_price_ht"], line["discount_percent"],
                line["discount_amount"], line["total_ttc"]) == (
            "25.00", "23.70", "9.00", "2.25", "22.75")
        b.add_line(user, bid, WESTERN, 2)
        assert b.submit_basket(user, bid)["state"] == "at_approver"
        assert bid in [x["id"] for x in b.baskets_to_validate(approver)]
        refused("not_found", b.get_basket, other, bid)
        b.return_basket(approver, bid, "Un seul exemplaire du Western, merci.")
        mine = b.get_basket(user, bid)
        assert mine["last_return"]["comment"] == "Un seul exemplaire du Western, merci."
        b.set_quantity(user, bid, WESTERN, 1)
        b.submit_basket(user, bid)
        assert b.submit_basket(approver, bid)["state"] == "at_collectivity"
        view = b.get_basket(collectivity, bid)
        assert view["actions"] == ["rename", "unlock", "return", "transform"]
        assert view["totals"]["total_ttc"] == "36.31"
        refused("not_found", b.transform_basket, other, bid, "order", "BC-1", "")
        order = b.transform_basket(collectivity, bid, "order", "BC-2021-42", "Pour le CDI")
        number = order["number"]
        assert (order["status_label"], order["totals"]["total_ttc"]) == (
            "En attente de traitement", "36.31")
        assert number in [d["number"] for d in b.list_my_documents(user, "order")]
        assert number not in [d["number"] for d in b.list_my_documents(other, "order")]

    (body,) = wait_until(lambda: relayed(baskets_db, "collectivity_order_placed", number),
                         message="collectivity_order_placed relayed")
    _, payload = load_envelope("collectivity_order_placed", body)
    assert (body["source"], payload["reference"], payload["basket_number"],
            payload["client_number"], len(payload["lines"])) == (
        "baskets", "BC-2021-42", bid, "16", 2)
    # 36.31 TTC at 5.5 %: the base is 36.31 / 1.055 = 34.417… → 34.42, VAT 1.89 (34.42 × 5.5 %
    # = 1.893 → 1.89: BR-CO-17); the lines' own HT (21.56 + 12.85 = 34.41, VAT 1.90) did not
    # hold it (34.41 × 5.5 % = 1.89 ≠ 1.90): docs/invoicing.md § Amounts
    assert str(payload["totals"]["subtotal_ht"]) == "34.42"
    assert str(payload["totals"]["vat_total"]) == "1.89"

    publish("classic_order_status_changed", {
        "order_number": 900000 + number, "source_kind": "collectivity_order",
        "source_number": number, "picked_up": True, "librisoft_number": "CC-1042",
        "status": "Préparation commande"})
    with suite.rpc() as rpc:
        view = wait_until(lambda: (lambda d: d if d["status"] == "processing" else None)(
            rpc.baskets.admin_get_document(admin, "order", number)),
            message="the order picked up")
        assert (view["librisoft_number"], view["list_action"]) == ("CC-1042", "shipped")
        view = rpc.baskets.admin_order_action(admin, number, "shipped")
        assert view["shipped_at"]
        refused("invalid", rpc.baskets.admin_order_action, admin, number, "cancelled", "")
        refused("forbidden", rpc.baskets.admin_order_action, collectivity, number, "closed")
        tabs = rpc.baskets.admin_list_orders(admin, "processing", {"number": "CC-1042"})
        assert [o["number"] for o in tabs["orders"]] == [number]
    (mail,) = wait_until(lambda: relayed(baskets_db, "collectivity_order_status_changed",
                                         number), message="the shipping mail's event")
    assert mail["payload"]["action"] == "shipped"


def test_a_collectivite_quote_request_and_the_bookshop_archive(suite, people, baskets_db):
    collectivity, admin = people["collectivite"]["id"], people["admin"]["id"]
    reference = f"DEVIS-{uuid.uuid4().hex[:6]}"
    with suite.rpc() as rpc:
        b = rpc.baskets
        bid = b.create_basket(collectivity, "16", "Devis")["id"]
        b.add_line(collectivity, bid, CEMETERY, 3)
        price = b.article_price(collectivity, "16", CEMETERY)
        assert (price["public_price_ttc"], price["price_ttc"]) == ("25.00", "22.75")
        quote = b.transform_basket(collectivity, bid, "quote", reference, "")
        found = b.admin_list_quotes(admin, False, reference)["quotes"]
        assert [q["number"] for q in found] == [quote["number"]]
        assert found[0]["status_label"] == "Devis en attente de traitement"
        # the collectivity's name, as typed (accents, case): every word found (PostgreSQL)
        by_name = b.admin_list_quotes(admin, False, f"École jules FERRY {reference.lower()}")
        assert [q["number"] for q in by_name["quotes"]] == [quote["number"]]
        assert quote["number"] in [q["number"] for q in b.admin_list_quotes(
            admin, False, "ecole ferry", 1, 200)["quotes"]]
        assert b.admin_archive_quote(admin, quote["number"])["archived"] is True
        assert b.admin_list_quotes(admin, True, reference)["quotes"][0]["archived"] is True
        menus = b.basket_menus(collectivity)
        assert [m["label"] for m in menus] == ["Mon panier", "Paniers à valider",
                                               "Paniers validés"]
    (body,) = wait_until(lambda: relayed(baskets_db, "quote_requested", quote["number"]),
                         message="quote_requested relayed")
    assert body["payload"]["totals"]["total_ttc"] == "68.25"
