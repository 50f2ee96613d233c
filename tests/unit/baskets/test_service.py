"""The service's entrypoints called directly, without nameko's container or a broker: a real
SQLite database and outbox, fakes for accounts and librisoft_bridge over RPC. Every call
re-checks the actor; prices come from the bridge and the client's discounts; events land in
the outbox with their contract; the pickup consumer takes each event once."""
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from services.baskets.service import BasketsService
from services.common.contracts.events import load_envelope, make_envelope
from services.common.errors import DomainError, forbidden, not_found
from services.common.messaging_models import messaging_tables
from services.common.nameko_glue import StoreHandle

from .conftest import (ADMIN, APPROVER, ARTICLES, CEMETERY, CLIENTS, COLLECTIVITY, OTHER, USER,
                       WESTERN)


def store_of(db):
    """The service's own store handle (run, once, record) on the test database, without
    nameko's container."""
    return StoreHandle(SimpleNamespace(database=db,
                                       container=SimpleNamespace(service_name="baskets")))


class FakeAccounts:
    def __init__(self, *accounts):
        self.accounts = {a["id"]: dict(a) for a in accounts}

    def get_account(self, account_id):
        if account_id not in self.accounts:
            raise not_found("Compte introuvable.")
        return self.accounts[account_id]

    def get_client_for_account(self, account_id, number):
        account = self.get_account(account_id)
        if number not in {c["number"] for c in account["clients"]}:
            raise forbidden("Ce client collectivité ne vous est pas affecté.")
        return CLIENTS[number]

    def client_account_emails(self, number):
        emails = {}
        for a in self.accounts.values():
            if a["active"] and number in {c["number"] for c in a["clients"]}:
                emails.setdefault(a["role"], []).append(a["email"])
        return emails


class Reply:
    def __init__(self, fn, *args):
        self.fn, self.args = fn, args

    def result(self):
        return self.fn(*self.args)


class GetArticle:
    def __init__(self, articles):
        self.articles, self.calls = articles, []

    def __call__(self, ean):
        self.calls.append(ean)
        if ean not in self.articles:
            raise not_found(f"Article introuvable : EAN « {ean} ».")
        return self.articles[ean]

    def call_async(self, ean):
        return Reply(self, ean)


class FakeCatalogue:
    def __init__(self):
        self.get_article = GetArticle(dict(ARTICLES))


@pytest.fixture
def service(db):
    instance = BasketsService()
    instance.store = store_of(db)
    instance.accounts = FakeAccounts(USER, APPROVER, COLLECTIVITY, OTHER, ADMIN)
    instance.catalogue = FakeCatalogue()
    return instance


def outbox_rows(db, event_type):
    table = messaging_tables(db.metadata)[0]
    with db.transaction() as session:
        return [row.body for row in session.execute(
            select(table.c.body).where(table.c.event_type == event_type).order_by(table.c.id))]


def refused(code, fn, *args):
    with pytest.raises(DomainError) as exc:
        fn(*args)
    assert exc.value.code == code, exc.value.message
    return exc.value


def test_the_chain_over_rpc_ends_in_the_outbox(service, db):
    basket = service.create_basket(USER["id"], None, "CDI")
    bid = basket["id"]
    service.add_line(USER["id"], bid, CEMETERY["ean"])
    view = service.add_line(USER["id"], bid, WESTERN["ean"], 2)
    assert view["totals"]["total_ttc"] == "49.87"
    service.submit_basket(USER["id"], bid)
    assert [b["id"] for b in service.baskets_to_validate(APPROVER["id"])] == [bid]
    view = service.return_basket(APPROVER["id"], bid, "Un seul Western.")
    assert service.get_basket(USER["id"], bid)["last_return"]["comment"] == "Un seul Western."
    service.set_quantity(USER["id"], bid, WESTERN["ean"], 1)
    service.submit_basket(USER["id"], bid)
    service.submit_basket(APPROVER["id"], bid)
    order = service.transform_basket(COLLECTIVITY["id"], bid, "order", "BC-7", "Merci")
    assert (order["number"], order["totals"]["total_ttc"]) == (1, "36.31")
    (body,) = outbox_rows(db, "collectivity_order_placed")
    _, payload = load_envelope("collectivity_order_placed", body)
    assert (body["source"], payload["reference"], payload["basket_number"]) == (
        "baskets", "BC-7", bid)
    assert [d["number"] for d in service.list_my_documents(USER["id"], "order")] == [1]
    assert service.get_my_document(APPROVER["id"], "order", 1)["comment"] == "Merci"
    assert service.list_my_documents(OTHER["id"], "order") == []


def test_every_call_rechecks_the_actor(service, db):
    bid = service.create_basket(USER["id"], "16", "CDI")["id"]
    refused("forbidden", service.get_basket, 12345, bid)                  # unknown account
    service.accounts.accounts[USER["id"]]["active"] = False
    refused("forbidden", service.get_basket, USER["id"], bid)             # deactivated
    service.accounts.accounts[USER["id"]]["active"] = True
    refused("forbidden", service.list_my_baskets, ADMIN["id"])            # not the bookshop's
    refused("forbidden", service.admin_list_quotes, COLLECTIVITY["id"])   # not a client's
    refused("forbidden", service.admin_order_action, USER["id"], 1, "closed")
    refused("not_found", service.get_basket, OTHER["id"], bid)
    refused("not_found", service.add_line, OTHER["id"], bid, CEMETERY["ean"])
    refused("forbidden", service.create_basket, OTHER["id"], "16", "Chez les autres")
    refused("forbidden", service.article_price, OTHER["id"], "16", CEMETERY["ean"])
    refused("not_found", service.add_line, USER["id"], bid, "9780000000000")  # not in catalogue
    assert service.list_my_baskets(USER["id"])[0]["id"] == bid


def test_the_basket_is_repriced_from_the_bridge_while_open(service):
    bid = service.create_basket(COLLECTIVITY["id"], None, "")["id"]
    service.add_line(COLLECTIVITY["id"], bid, CEMETERY["ean"])
    service.add_line(COLLECTIVITY["id"], bid, WESTERN["ean"])
    get_article = service.catalogue.get_article
    get_article.articles[CEMETERY["ean"]] = dict(CEMETERY, price_ttc="26.00")
    del get_article.articles[WESTERN["ean"]]
    get_article.calls.clear()
    view = service.get_basket(COLLECTIVITY["id"], bid)
    assert sorted(get_article.calls) == sorted([CEMETERY["ean"], WESTERN["ean"]])
    lines = {x["ean"]: x for x in view["lines"]}
    assert lines[CEMETERY["ean"]]["total_ttc"] == "23.66"
    assert lines[WESTERN["ean"]]["in_catalogue"] is False
    assert view["client"]["name"] == "ECOLE JULES FERRY"
    price = service.article_price(COLLECTIVITY["id"], None, CEMETERY["ean"])
    assert (price["public_price_ttc"], price["price_ttc"]) == ("26.00", "23.66")
    service.transform_basket(COLLECTIVITY["id"], bid, "quote", "Q-1")
    get_article.calls.clear()
    frozen = service.get_basket(COLLECTIVITY["id"], bid)
    assert get_article.calls == [] and frozen["totals"]["total_ttc"] == "37.22"


def test_the_pickup_consumer_takes_each_event_once(service, db):
    bid = service.create_basket(COLLECTIVITY["id"], None, "")["id"]
    service.add_line(COLLECTIVITY["id"], bid, CEMETERY["ean"])
    service.transform_basket(COLLECTIVITY["id"], bid, "order", "BC-9")
    body = make_envelope("classic_order_status_changed", {
        "order_number": 12, "source_kind": "collectivity_order", "source_number": 1,
        "picked_up": True, "librisoft_number": "CC-1042", "status": "Attente fournisseur(s)"},
        "librisoft_bridge")
    assert service.on_classic_order_status_changed(body) == "processed"
    assert service.on_classic_order_status_changed(body) == "duplicate"
    view = service.admin_get_document(ADMIN["id"], "order", 1)
    assert (view["status"], view["librisoft_number"], view["list_action"]) == (
        "processing", "CC-1042", "made_available")
    view = service.admin_order_action(ADMIN["id"], 1, "made_available")
    (mail,) = outbox_rows(db, "collectivity_order_status_changed")
    assert mail["payload"]["action"] == "made_available"
    service.admin_send_message(ADMIN["id"], "order", 1, "Votre commande est complète.")
    assert len(outbox_rows(db, "collectivity_message_sent")) == 1
    tabs = service.admin_list_orders(ADMIN["id"], "processing", {})["tabs"]
    assert [t["count"] for t in tabs] == [0, 1, 0, 0]
    assert service.admin_list_quotes(ADMIN["id"])["quotes"] == []


def test_a_new_basket_with_its_first_article_is_made_whole_or_not_at_all(service):
    """« Ajouter au panier » into a new basket from the catalogue: a quantity refused (empty,
    -2, 100000) or an article unknown left an empty « Mon panier » behind each time (the basket
    made first, the line refused after): now the basket and its line are one transaction."""
    for quantity in ("", "-2", "100000", "2.5"):
        refused("invalid", service.create_basket, USER["id"], None, "", None,
                CEMETERY["ean"], quantity)
    refused("not_found", service.create_basket, USER["id"], None, "", None, "9780000000000", 1)
    assert service.list_my_baskets(USER["id"]) == []
    basket = service.create_basket(USER["id"], None, "", None, WESTERN["ean"], "3")
    assert [(x["ean"], x["quantity"]) for x in basket["lines"]] == [(WESTERN["ean"], 3)]
    assert [b["id"] for b in service.list_my_baskets(USER["id"])] == [basket["id"]]


def test_a_move_sent_again_with_its_key_after_it_was_made_gets_its_answer(service, db):
    """Five « Retourner » at once with one key: a twin that arrived once the basket had moved
    (out of the sender's hands) answered 404 instead of the move's own answer."""
    bid = service.create_basket(USER["id"], None, "CDI")["id"]
    service.add_line(USER["id"], bid, CEMETERY["ean"])
    first = service.submit_basket(USER["id"], bid, idempotency_key="send-1")
    assert service.submit_basket(USER["id"], bid, idempotency_key="send-1") == first
    back = service.return_basket(APPROVER["id"], bid, "Non", idempotency_key="back-1")
    assert service.return_basket(APPROVER["id"], bid, "Non", idempotency_key="back-1") == back
    # without its key (or with another), the same move is still refused as before
    refused("not_found", service.return_basket, APPROVER["id"], bid, "Non", "back-2")
    refused("not_found", service.get_basket, OTHER["id"], bid)
    assert len(outbox_rows(db, "basket_moved")) == 2  # one event per move
