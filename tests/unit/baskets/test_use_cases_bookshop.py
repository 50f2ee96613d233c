"""The bookshop's "Gestion des devis collectivité" and "Gestion des commandes collectivité" on a
real (SQLite) database: search, archive, filters and tabs, the actions on an order and the
events that mail the client, messages."""
from datetime import datetime, timedelta, timezone

import pytest

from services.baskets.use_cases import baskets, bookshop, placing
from services.common.contracts.events import make_envelope
from services.common.errors import DomainError

from .conftest import (ADMIN, CEMETERY, COLLECTIVITY, FERRY, NOW, OTHER, PROUVE, URL, WESTERN,
                       tx)


def place(db, events, kind, reference, account=COLLECTIVITY, client=FERRY, lines=((CEMETERY,
                                                                                  1),), at=NOW):
    basket = tx(db, baskets.create, account, client, "Mon Panier", at)
    for article, quantity in lines:
        tx(db, baskets.add_line, account, basket["id"], article, quantity, at, client)
    return tx(db, placing.transform, account, basket["id"], kind, reference, "", client, {}, at,
              events, URL)


def test_quotes_current_archived_and_searched(db, events):
    for reference in ("123456", "BC-CDI-2021", "bc-cdi-2022"):
        place(db, events, "quote", reference)
    page = tx(db, bookshop.list_quotes)
    assert page["counts"] == {"current": 3, "archived": 0}
    assert [q["number"] for q in page["quotes"]] == [3, 2, 1]
    row = page["quotes"][-1]
    assert {k: row[k] for k in ("basket_creator_email", "basket_id", "basket_name",
                                "article_count", "subtotal_ht", "total_ttc",
                                "status_label")} == {
        "basket_creator_email": COLLECTIVITY["email"], "basket_id": 1,
        "basket_name": "Mon Panier", "article_count": 1, "subtotal_ht": "21.56",
        "total_ttc": "22.75", "status_label": "Devis en attente de traitement"}
    assert row["actions"] == ["message", "archive"]
    assert [q["reference"] for q in tx(db, bookshop.list_quotes, search="cdi")["quotes"]] == [
        "bc-cdi-2022", "BC-CDI-2021"]
    # a number finds its quote, and the references that contain it
    assert [q["number"] for q in tx(db, bookshop.list_quotes, search="3")["quotes"]] == [3, 1]
    assert [q["number"] for q in tx(db, bookshop.list_quotes, search="2021")["quotes"]] == [2]
    assert tx(db, bookshop.list_quotes, search="%")["quotes"] == []
    view = tx(db, bookshop.archive_quote, ADMIN, 2, NOW, URL)
    assert view["archived"] is True and view["actions"] == ["message"]
    with pytest.raises(DomainError) as exc:
        tx(db, bookshop.archive_quote, ADMIN, 2, NOW, URL)
    assert exc.value.code == "conflict"
    archived = tx(db, bookshop.list_quotes, archived=True)
    assert archived["counts"] == {"current": 2, "archived": 1}
    assert [q["number"] for q in archived["quotes"]] == [2]
    with pytest.raises(DomainError) as exc:
        tx(db, bookshop.archive_quote, ADMIN, 42, NOW, URL)
    assert exc.value.code == "not_found"


def test_quotes_are_found_by_their_collectivitys_name_accents_and_case_ignored(db, events):
    """« Gestion des devis collectivité »: the bookshop types the school's name as it comes
    (« college prouve », « Collège Victor-Prouvé », « PROUVE »): each word is found in the name,
    its client number, reference, contact or e-mails, accents and case ignored."""
    prouve = dict(PROUVE, name="COLLÈGE VICTOR-PROUVÉ")
    place(db, events, "quote", "BC-1")                                      # 1: Jules Ferry
    place(db, events, "quote", "CDI-2021", account=OTHER, client=prouve)  # 2: Victor-Prouvé

    def found(search):
        return [q["number"] for q in tx(db, bookshop.list_quotes, search=search)["quotes"]]

    for search in ("college prouve", "Collège Victor-Prouvé", "PROUVE", "prouvé  collège",
                   "victor-prouve", "achats@college-victor-prouve.test"):
        assert found(search) == [2], search
    assert found("école jules ferry") == found("ECOLE") == found("Ferry") == [1]
    assert found("prouve ferry") == []          # every word must be found
    assert found("cdi 2021") == [2]             # the reference, word by word
    assert found("2") == [2]                    # a number finds its quote
    assert found("%") == found("_") == []
    assert tx(db, bookshop.list_quotes, search="Prouvé")["search"] == "Prouvé"  # as typed
    # the orders' filter « Collectivité » reads the same way
    place(db, events, "order", "BC-9", account=OTHER, client=prouve)
    place(db, events, "order", "BC-10")
    orders = tx(db, bookshop.list_orders, "pending", {"client": "collège PROUVE"})
    assert [o["number"] for o in orders["orders"]] == [1]
    assert orders["filters"]["client"] == "collège PROUVE"


def test_the_migration_computes_the_search_key_of_the_documents_already_there(tmp_path):
    from alembic import command
    from sqlalchemy import create_engine, text

    from services.common.migrations import alembic_config
    url = f"sqlite:///{tmp_path / 'baskets.db'}"
    command.upgrade(alembic_config("baskets", url), "f8b2d1e3c4a5")
    engine = create_engine(url)
    columns = {"kind": "quote", "number": 1, "status": "pending", "client_number": "21",
               "client_name": "COLLÈGE VICTOR PROUVÉ", "basket_id": 1, "basket_name": "CDI",
               "basket_creator_id": 1, "basket_creator_email": "cdi@vp.test",
               "placed_by_id": 1, "placed_by_email": "gestion@vp.test", "reference": "BC-7",
               "comment": "", "contact_name": "Anne Dupré", "contact_email": "anne@vp.test",
               "contact_phone": "", "delivery_label": "", "billing_label": "",
               "delivery_client_number": "21", "billing_client_number": "21",
               "delivery_mode": "pickup", "payment_mode": "En compte", "line_count": 0,
               "article_count": 0, "discount_total": 0, "subtotal_ht": 0, "vat_total": 0,
               "subtotal_ttc": 0, "total_ttc": 0, "placed_at": "2021-06-17 13:06:32",
               "cancel_reason": ""}
    with engine.begin() as c:
        c.execute(text(f"INSERT INTO documents ({', '.join(columns)}) "
                       f"VALUES ({', '.join(':' + k for k in columns)})"), columns)
    command.upgrade(alembic_config("baskets", url), "head")
    with engine.connect() as c:
        key = c.execute(text("SELECT search_key FROM documents")).scalar_one()
    engine.dispose()
    assert key == ("college victor prouve 21 bc-7 anne dupre anne@vp.test cdi@vp.test "
                   "gestion@vp.test")


def test_orders_filters_and_tabs(db, events):
    july = datetime(2021, 6, 30, 22, 30, tzinfo=timezone.utc)    # 1 July, 00:30 in Paris
    place(db, events, "order", "A", lines=((CEMETERY, 1),), at=NOW)
    place(db, events, "order", "B", lines=((WESTERN, 3),), at=july)
    place(db, events, "order", "C", account=OTHER, client=PROUVE, lines=((WESTERN, 1),))
    tx(db, placing.on_classic_order_status_changed, {
        "order_number": 9, "source_kind": "collectivity_order", "source_number": 2,
        "picked_up": True, "librisoft_number": "CC-1042", "status": "Préparation commande"},
       NOW)
    page = tx(db, bookshop.list_orders)
    assert [(t["key"], t["label"], t["count"]) for t in page["tabs"]] == [
        ("pending", "En attente de traitement", 2), ("processing", "En cours de traitement", 1),
        ("closed", "Clôturée", 0), ("cancelled", "Annulée", 0)]
    assert [o["number"] for o in page["orders"]] == [3, 1]
    row = page["orders"][1]
    assert (row["client_name"], row["placed_by_email"], row["contact_phone"], row["total_ttc"],
            row["article_count"], row["payment_mode"]) == (
        "ECOLE JULES FERRY", COLLECTIVITY["email"], "03 83 30 12 16", "22.75", 1, "En compte")
    processing = tx(db, bookshop.list_orders, "processing")["orders"]
    assert [(o["number"], o["librisoft_status"], o["list_action"]) for o in processing] == [
        (2, "Préparation commande", "shipped")]

    def numbers(tab="pending", **filters):
        return [o["number"] for o in tx(db, bookshop.list_orders, tab, filters)["orders"]]

    assert numbers(eans=[CEMETERY["ean"]]) == [1]
    assert numbers(eans=WESTERN["ean"]) == [3]
    assert numbers(client_delivered="21") == [3] and numbers(client_invoiced="16") == [1]
    assert numbers("processing", number="cc-1042") == [2]
    assert numbers("processing", number="2") == [2] and numbers(number="2") == []
    assert numbers("processing", date_from="2021-07-01", date_to="2021-07-01") == [2]
    assert numbers("processing", date_to="2021-06-30") == []
    assert numbers(delivery_mode="livraison") == [3, 1]
    counts = tx(db, bookshop.list_orders, "pending", {"client_delivered": "16"})["tabs"]
    assert [t["count"] for t in counts] == [1, 1, 0, 0]
    with pytest.raises(DomainError):
        tx(db, bookshop.list_orders, "pending", {"date_from": "hier"})
    for edge in ({"date_to": "9999-12-31"}, {"date_from": "0001-01-01"}):  # were a 500
        with pytest.raises(DomainError) as exc:
            tx(db, bookshop.list_orders, "pending", edge)
        assert exc.value.code == "invalid" and set(exc.value.details) == set(edge)
    assert tx(db, bookshop.list_orders, "nonsense")["tab"] == "pending"


def test_the_bookshop_moves_an_order_and_mails_the_client(db, events):
    place(db, events, "order", "BC-42")
    later = NOW + timedelta(days=2)

    def act(action, reason=""):
        return tx(db, bookshop.order_action, ADMIN, 1, action, reason, later, events, URL)

    view = act("made_available")
    assert (view["status"], view["made_available_at"]) == ("pending", later.isoformat())
    assert view["actions"] == ["shipped", "closed", "cancelled", "reset", "message"]
    with pytest.raises(DomainError) as exc:
        act("made_available")
    assert exc.value.code == "conflict"
    act("shipped")
    view = act("closed")
    assert (view["status"], view["status_label"]) == ("closed", "Clôturée")
    view = act("reset")
    assert (view["status"], view["made_available_at"], view["shipped_at"]) == ("pending",
                                                                               None, None)
    with pytest.raises(DomainError) as exc:
        act("cancelled")
    assert exc.value.code == "invalid" and "reason" in exc.value.details
    view = act("cancelled", "Titre épuisé chez l'éditeur")
    assert (view["status"], view["cancel_reason"]) == ("cancelled",
                                                       "Titre épuisé chez l'éditeur")
    assert "reset" not in view["actions"]  # a cancelled order stays cancelled
    with pytest.raises(DomainError) as exc:
        act("reset")
    assert exc.value.code == "conflict" and "définitive" in exc.value.message
    changes = events.of("collectivity_order_status_changed")
    # the reset is published too (the desk and the logistician follow it); it mails no one
    assert [c["action"] for c in changes] == ["made_available", "shipped", "closed", "reset",
                                              "cancelled"]
    assert changes[3]["picked_up"] is False
    from services.notifications import domain as mails
    assert [mails.wanted("collectivity_order_status_changed", c) for c in changes] == [
        True, True, True, False, True]
    for payload in changes:
        make_envelope("collectivity_order_status_changed", payload, "baskets")
    assert changes[-1] | {"at": None, "picked_up": False} == {
        "number": 1, "client_name": "ECOLE JULES FERRY",
        "to_emails": [COLLECTIVITY["email"], "ce.0540016@example.org"],
        "action": "cancelled", "status_label": "Annulée",
        "reason": "Titre épuisé chez l'éditeur", "total_ttc": "22.75", "reference": "BC-42",
        "delivery_label": "ECOLE JULES FERRY\nDirection\n12 rue de Vic\n54000 NANCY",
        "at": None, "detail_url": f"{URL}/mes-commandes-collectivite/1", "picked_up": False,
        "delivery_mode": "livraison"}
    detail = tx(db, bookshop.get_document, "order", 1, URL)
    assert [(h["action"], h["from_status"], h["to_status"]) for h in detail["history"]] == [
        ("placed", "", "pending"), ("made_available", "pending", "pending"),
        ("shipped", "pending", "pending"), ("closed", "pending", "closed"),
        ("reset", "closed", "pending"), ("cancelled", "pending", "cancelled")]
    assert detail["history"][-1]["actor_email"] == ADMIN["email"]
    with pytest.raises(DomainError) as exc:
        act("refund")
    assert exc.value.code == "invalid"


def test_reset_after_a_pickup_goes_back_to_processing(db, events):
    place(db, events, "order", "BC-43")
    tx(db, placing.on_classic_order_status_changed, {
        "order_number": 9, "source_kind": "collectivity_order", "source_number": 1,
        "picked_up": True, "librisoft_number": "", "status": ""}, NOW)
    tx(db, bookshop.order_action, ADMIN, 1, "closed", "", NOW, events, URL)
    view = tx(db, bookshop.order_action, ADMIN, 1, "reset", "", NOW, events, URL)
    assert view["status"] == "processing"


def test_a_message_to_the_client(db, events):
    place(db, events, "quote", "123456")
    view = tx(db, bookshop.send_message, ADMIN, "quote", 1, " Le titre est épuisé. ", NOW,
              events, URL)
    assert view["messages"] == [{"at": NOW.isoformat(), "from_email": ADMIN["email"],
                                 "message": "Le titre est épuisé."}]
    (payload,) = events.of("collectivity_message_sent")
    assert make_envelope("collectivity_message_sent", payload, "baskets")["payload"] == {
        "number": 1, "kind": "quote", "to_emails": [COLLECTIVITY["email"],
                                                    "ce.0540016@example.org"],
        "client_name": "ECOLE JULES FERRY", "message": "Le titre est épuisé.",
        "reference": "123456", "detail_url": f"{URL}/mes-devis-collectivite/1"}
    with pytest.raises(DomainError):
        tx(db, bookshop.send_message, ADMIN, "quote", 1, "", NOW, events, URL)
    with pytest.raises(DomainError) as exc:
        tx(db, bookshop.send_message, ADMIN, "order", 1, "Bonjour", NOW, events, URL)
    assert exc.value.code == "not_found"
    # the client sees the bookshop's messages on its document
    mine = tx(db, placing.get_mine, COLLECTIVITY, "quote", 1, URL)
    assert mine["messages"][0]["message"] == "Le titre est épuisé."


def test_whoever_made_the_basket_is_told_what_becomes_of_the_order(db, events):
    """The librarian who made the basket got « Commande … enregistrée » but never heard that
    it was cancelled: the bookshop's later mails go to them too."""
    from .conftest import APPROVER, USER
    basket = tx(db, baskets.create, USER, FERRY, "CDI", NOW)
    tx(db, baskets.add_line, USER, basket["id"], CEMETERY, 1, NOW, FERRY)
    tx(db, baskets.submit, USER, basket["id"], NOW)
    tx(db, baskets.submit, APPROVER, basket["id"], NOW)
    tx(db, placing.transform, COLLECTIVITY, basket["id"], "order", "BC-9", "", FERRY, {}, NOW,
       events, URL)
    tx(db, bookshop.order_action, ADMIN, 1, "cancelled", "Titre épuisé", NOW, events, URL)
    (cancelled,) = events.of("collectivity_order_status_changed")
    assert cancelled["to_emails"] == [COLLECTIVITY["email"], "ce.0540016@example.org",
                                      USER["email"]]


def test_an_order_made_available_or_shipped_says_so_not_en_attente(db, events):
    place(db, events, "order", "BC-44")
    assert tx(db, bookshop.get_document, "order", 1, URL)["status_label"] == \
        "En attente de traitement"
    tx(db, bookshop.order_action, ADMIN, 1, "made_available", "", NOW, events, URL)
    # delivered to its address: ready to be delivered, not waiting at the bookshop (it said
    # « À disposition à la librairie » and mailed so); its mail says where it goes
    assert tx(db, bookshop.get_document, "order", 1, URL)["status_label"] == \
        "Prête à être livrée"
    from services.notifications import presenters as mail_presenters
    (ready,) = events.of("collectivity_order_status_changed")
    _, subject, body = mail_presenters.render("collectivity_order_status_changed",
                                              dict(ready, to_email="a@b.fr"), URL)
    assert subject.endswith("Prête à être livrée") and "va vous être livrée" in body
    assert "à votre disposition à la librairie" not in body
    tx(db, bookshop.order_action, ADMIN, 1, "shipped", "", NOW, events, URL)
    assert tx(db, bookshop.get_document, "order", 1, URL)["status_label"] == "Expédiée"
    tx(db, bookshop.order_action, ADMIN, 1, "closed", "", NOW, events, URL)
    assert tx(db, bookshop.get_document, "order", 1, URL)["status_label"] == "Clôturée"
