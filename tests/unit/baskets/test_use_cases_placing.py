"""From a basket to an order or a quote request: the details checked, the lines frozen, the
event recorded with the contract's fields; "Mes devis / Mes commandes collectivité"; Librisoft's
pickup."""
from datetime import timedelta

import pytest

from services.baskets.use_cases import baskets, placing
from services.common.contracts.events import load_envelope, make_envelope
from services.common.errors import DomainError

from .conftest import (APPROVER, CEMETERY, COLLECTIVITY, FERRY, NOW, OTHER, PROUVE, URL, USER,
                       USER2, WESTERN, tx)


def chain_to_collectivity(db, lines=((CEMETERY, 1), (WESTERN, 2))):
    basket = tx(db, baskets.create, USER, FERRY, "Mon Panier", NOW)
    for article, quantity in lines:
        tx(db, baskets.add_line, USER, basket["id"], article, quantity, NOW, FERRY)
    tx(db, baskets.submit, USER, basket["id"], NOW)
    tx(db, baskets.submit, APPROVER, basket["id"], NOW)
    return basket["id"]


def transform(db, events, bid, kind="order", reference="123456", comment="", account=None,
              client=FERRY, articles=None, **kwargs):
    return tx(db, placing.transform, account or COLLECTIVITY, bid, kind, reference, comment,
              client, articles or {}, NOW, events, URL, **kwargs)


def test_a_basket_validated_up_the_chain_becomes_an_order(db, events):
    bid = chain_to_collectivity(db)
    order = transform(db, events, bid, comment="Livraison au CDI, merci.",
                      reference="  BC 2021-42 ")
    assert (order["kind"], order["number"], order["status"], order["status_label"]) == (
        "order", 1, "pending", "En attente de traitement")
    assert (order["reference"], order["comment"]) == ("BC 2021-42", "Livraison au CDI, merci.")
    assert order["totals"] == {"discount_total": "4.93", "subtotal_ht": "47.27",
                               "vat_total": "2.60", "subtotal_ttc": "49.87",
                               "total_ttc": "49.87"}
    assert [(x["ean"], x["quantity"], x["total_ttc"]) for x in order["lines"]] == [
        (CEMETERY["ean"], 1, "22.75"), (WESTERN["ean"], 2, "27.12")]
    assert (order["basket_creator_email"], order["placed_by_email"]) == (USER["email"],
                                                                         COLLECTIVITY["email"])
    assert order["delivery_label"] == "ECOLE JULES FERRY\nDirection\n12 rue de Vic\n54000 NANCY"
    assert (order["payment_mode"], order["delivery_mode"]) == ("En compte", "livraison")
    assert order["detail_url"] == f"{URL}/mes-commandes-collectivite/1"

    (payload,) = events.of("collectivity_order_placed")
    body = make_envelope("collectivity_order_placed", payload, "baskets")  # the contract
    _, loaded = load_envelope("collectivity_order_placed", body)
    assert body["payload"]["lines"][0] == {
        "ean": "9782330150136", "title": "CEMETERY ROAD", "quantity": 1, "vat_rate": "5.5",
        "public_price_ttc": "25.00", "unit_price_ttc": "22.75", "discount_percent": "9.00",
        "discount_amount": "2.25", "total_ttc": "22.75", "total_ht": "21.56",
        "vat_amount": "1.19"}
    assert {k: body["payload"][k] for k in (
        "number", "client_number", "client_name", "basket_number", "basket_name",
        "basket_creator_email", "placed_by_email", "reference", "contact_email",
        "contact_phone")} == {
        "number": 1, "client_number": "16", "client_name": "ECOLE JULES FERRY",
        "basket_number": bid, "basket_name": "Mon Panier",
        "basket_creator_email": USER["email"], "placed_by_email": COLLECTIVITY["email"],
        "reference": "BC 2021-42", "contact_email": "ce.0540016@example.org",
        "contact_phone": "03 83 30 12 16"}
    assert body["payload"]["totals"]["total_ttc"] == "49.87"
    assert str(loaded["totals"]["subtotal_ht"]) == "47.27"
    assert events.of("quote_requested") == []

    basket = tx(db, baskets.get, USER, bid, NOW)
    assert (basket["state"], basket["document"]) == ("transformed", {"kind": "order",
                                                                     "number": 1})
    assert basket["state_label"] == "Transformé en commande n° 1"
    assert basket["history"][-1]["action"] == "transform"
    assert [b["id"] for b in tx(db, baskets.validated, COLLECTIVITY)] == [bid]
    with pytest.raises(DomainError) as exc:
        transform(db, events, bid)                    # once only
    assert exc.value.code == "conflict"


def test_a_collectivite_turns_its_own_basket_into_a_quote_request(db, events):
    basket = tx(db, baskets.create, COLLECTIVITY, FERRY, "Devis CDI", NOW)
    tx(db, baskets.add_line, COLLECTIVITY, basket["id"], CEMETERY, 1, NOW, FERRY)
    first = transform(db, events, basket["id"], "quote", "123456")
    basket2 = tx(db, baskets.create, COLLECTIVITY, FERRY, "Second", NOW)
    tx(db, baskets.add_line, COLLECTIVITY, basket2["id"], WESTERN, 1, NOW, FERRY)
    second = transform(db, events, basket2["id"], "quote", "123457")
    assert (first["number"], second["number"]) == (1, 2)      # numbered per kind
    assert (first["kind_label"], first["status_label"]) == ("Demande de devis",
                                                            "Devis en attente de traitement")
    payloads = events.of("quote_requested")
    assert [p["number"] for p in payloads] == [1, 2]
    body = make_envelope("quote_requested", payloads[0], "baskets")
    assert body["payload"]["basket_creator_email"] == body["payload"]["placed_by_email"] == \
        COLLECTIVITY["email"]
    assert body["payload"]["detail_url"] == f"{URL}/mes-devis-collectivite/1"


def test_prices_follow_the_catalogue_until_the_basket_is_transformed(db, events):
    basket = tx(db, baskets.create, COLLECTIVITY, FERRY, "Mon panier", NOW)
    for article in (CEMETERY, WESTERN):
        tx(db, baskets.add_line, COLLECTIVITY, basket["id"], article, 1, NOW, FERRY)
    dearer = {CEMETERY["ean"]: dict(CEMETERY, price_ttc="26.00"), WESTERN["ean"]: None}
    view = tx(db, baskets.get, COLLECTIVITY, basket["id"], NOW, FERRY, dearer)
    lines = {x["ean"]: x for x in view["lines"]}
    assert lines[CEMETERY["ean"]]["total_ttc"] == "23.66"           # 26.00 - 2.34
    assert lines[WESTERN["ean"]]["in_catalogue"] is False           # kept at its last price
    assert lines[WESTERN["ean"]]["total_ttc"] == "13.56"
    smaller = dict(FERRY, discounts=dict(FERRY["discounts"], vat_5_5="5.00"))
    view = tx(db, baskets.get, COLLECTIVITY, basket["id"], NOW, smaller, {})
    assert {x["ean"]: x for x in view["lines"]}[CEMETERY["ean"]]["discount_amount"] == "1.30"
    transform(db, events, basket["id"], client=smaller)
    frozen = tx(db, baskets.get, COLLECTIVITY, basket["id"], NOW, FERRY,
                {CEMETERY["ean"]: dict(CEMETERY, price_ttc="99.00")})
    assert frozen["lines"][0]["total_ttc"] == "24.70"             # 26.00 - 5 %, frozen
    assert frozen["state"] == "transformed" and frozen["actions"] == []


def test_the_transformation_checks_the_reference_the_details_and_who_asks(db, events):
    bid = chain_to_collectivity(db)
    for reference in ("", "R" * 51):
        with pytest.raises(DomainError) as exc:
            transform(db, events, bid, reference=reference)
        assert "reference" in exc.value.details
    with pytest.raises(DomainError) as exc:
        transform(db, events, bid, kind="invoice")
    assert exc.value.code == "invalid"
    no_address = dict(FERRY, addresses=[{"label": "", "line1": "", "postal_code": "",
                                         "city": ""}])
    with pytest.raises(DomainError) as exc:
        transform(db, events, bid, client=no_address)
    assert "delivery_address" in exc.value.details
    with pytest.raises(DomainError) as exc:
        transform(db, events, bid, account=APPROVER)
    assert exc.value.code == "forbidden"
    with pytest.raises(DomainError) as exc:
        transform(db, events, bid, account=OTHER, client=PROUVE)
    assert exc.value.code == "not_found"
    assert events == []
    # nothing was made of the attempts: the basket is still at the collectivity
    assert tx(db, baskets.get, COLLECTIVITY, bid, NOW)["state"] == "at_collectivity"


def test_a_second_delivery_address_can_be_chosen(db, events):
    basket = tx(db, baskets.create, OTHER, PROUVE, "CDI", NOW)
    tx(db, baskets.add_line, OTHER, basket["id"], CEMETERY, 1, NOW, PROUVE)
    order = transform(db, events, basket["id"], account=OTHER, client=PROUVE,
                      address_index=1)
    assert order["delivery_label"].splitlines()[1:3] == ["Intendance", "2 rue des Jonquilles"]
    assert order["billing_label"].splitlines()[1] == "CDI"
    # the order's PDF (its order_document) says where it goes, beside the billing address
    from services.baskets.use_cases import documents
    from services.common.contracts.documents import OrderDocument
    doc = tx(db, documents.order_document, "collectivity_order", order["number"], None)
    assert doc["delivery_lines"][1:3] == ["Intendance", "2 rue des Jonquilles"]
    assert OrderDocument().load(OrderDocument().dump(doc))["delivery_lines"] == \
        doc["delivery_lines"]
    basket = tx(db, baskets.create, OTHER, PROUVE, "CDI 2", NOW)
    tx(db, baskets.add_line, OTHER, basket["id"], CEMETERY, 1, NOW, PROUVE)
    with pytest.raises(DomainError) as exc:
        transform(db, events, basket["id"], account=OTHER, client=PROUVE, address_index=5)
    assert "delivery_address" in exc.value.details


def test_an_order_fetched_at_the_bookshop_needs_no_delivery_address(db, events):
    """« Retrait à la librairie » (reference 001's « Mettre à disposition » orders): no
    address asked, none printed but the mode; an unknown mode is a French 400."""
    basket = tx(db, baskets.create, OTHER, PROUVE, "CDI", NOW)
    tx(db, baskets.add_line, OTHER, basket["id"], CEMETERY, 1, NOW, PROUVE)
    order = transform(db, events, basket["id"], account=OTHER, client=dict(PROUVE,
                      addresses=[]), address_index=9, delivery_mode="retrait")
    assert (order["delivery_mode"], order["delivery_label"]) == (
        "retrait", "Retrait à la librairie")
    from services.baskets.use_cases import documents
    doc = tx(db, documents.order_document, "collectivity_order", order["number"], None)
    assert doc["delivery_lines"] == ["Retrait à la librairie"]
    (placed,) = events.of("collectivity_order_placed")
    assert placed["delivery_label"] == "Retrait à la librairie"  # Librisoft's pickup label
    basket = tx(db, baskets.create, OTHER, PROUVE, "CDI 2", NOW)
    tx(db, baskets.add_line, OTHER, basket["id"], CEMETERY, 1, NOW, PROUVE)
    with pytest.raises(DomainError) as exc:
        transform(db, events, basket["id"], account=OTHER, client=PROUVE,
                  delivery_mode="drone")
    assert exc.value.code == "invalid" and "delivery_mode" in exc.value.details


def test_the_accounts_of_the_client_see_its_documents_and_no_one_else(db, events):
    order = transform(db, events, chain_to_collectivity(db))
    for account in (USER, USER2, APPROVER, COLLECTIVITY):
        assert [d["number"] for d in tx(db, placing.list_mine, account, "order")] == [1]
        assert tx(db, placing.list_mine, account, "quote") == []
        assert tx(db, placing.get_mine, account, "order", 1, URL)["reference"] == "123456"
    assert tx(db, placing.list_mine, OTHER, "order") == []
    for number in (1, "1", "x", 99):
        with pytest.raises(DomainError) as exc:
            tx(db, placing.get_mine, OTHER, "order", number, URL)
        assert exc.value.code == "not_found"
    with pytest.raises(DomainError) as exc:
        tx(db, placing.get_mine, USER, "quote", 1, URL)
    assert exc.value.code == "not_found"
    assert order["status"] == "pending"


def pickup(source_kind, number, picked_up=True, librisoft_number="", status="", order=637):
    return {"order_number": order, "source_kind": source_kind, "source_number": number,
            "picked_up": picked_up, "librisoft_number": librisoft_number, "status": status}


def test_librisoft_pickup_moves_quotes_and_orders(db, events):
    order = transform(db, events, chain_to_collectivity(db))
    basket = tx(db, baskets.create, COLLECTIVITY, FERRY, "Devis", NOW)
    tx(db, baskets.add_line, COLLECTIVITY, basket["id"], CEMETERY, 1, NOW, FERRY)
    quote = transform(db, events, basket["id"], "quote")
    at = NOW + timedelta(hours=1)
    tx(db, placing.on_classic_order_status_changed, pickup("quote", quote["number"]), at)
    view = tx(db, placing.get_mine, USER, "quote", quote["number"], URL)
    assert (view["status"], view["status_label"]) == ("picked_up",
                                                      "Devis récupéré par le libraire")
    tx(db, placing.on_classic_order_status_changed,
       pickup("collectivity_order", order["number"]), at, at.isoformat())
    view = tx(db, placing.get_mine, USER, "order", order["number"], URL)
    assert (view["status"], view["picked_up_at"], view["classic_order_number"]) == (
        "processing", at.isoformat(), 637)
    later = at + timedelta(minutes=3)
    tx(db, placing.on_classic_order_status_changed,
       pickup("collectivity_order", order["number"], librisoft_number="CC-1042",
              status="Attente fournisseur(s)"), later, later.isoformat())
    # an older status, delivered late, does not overwrite the newer one
    tx(db, placing.on_classic_order_status_changed,
       pickup("collectivity_order", order["number"], librisoft_number="CC-1042",
              status="Reçue"), later, (at + timedelta(minutes=1)).isoformat())
    view = tx(db, placing.get_mine, USER, "order", order["number"], URL)
    assert (view["status"], view["librisoft_number"], view["librisoft_status"]) == (
        "processing", "CC-1042", "Attente fournisseur(s)")
    assert [h["action"] for h in view["history"]] == ["placed", "picked_up"]
    # other kinds and unknown numbers are someone else's
    tx(db, placing.on_classic_order_status_changed, pickup("grouped_order", order["number"]),
       later)
    tx(db, placing.on_classic_order_status_changed, pickup("collectivity_order", 999), later)
    assert tx(db, placing.get_mine, USER, "order", 1, URL)["history"] == view["history"]


def test_the_bookshop_sees_that_librisoft_was_told_of_a_cancellation_then_applied_it(db,
                                                                                     events):
    order = transform(db, events, chain_to_collectivity(db))
    at = NOW + timedelta(hours=1)
    tx(db, placing.on_classic_order_status_changed,
       pickup("collectivity_order", order["number"]), at, at.isoformat())
    told = at + timedelta(hours=1)
    cancelled = dict(pickup("collectivity_order", order["number"]), cancelled=True,
                     cancelled_at=told.isoformat())
    tx(db, placing.on_classic_order_status_changed, cancelled, told, told.isoformat())
    tx(db, placing.on_classic_order_status_changed, cancelled, told, told.isoformat())  # again
    view = tx(db, placing.get_mine, USER, "order", order["number"], URL)
    assert (view["librisoft_cancel_told_at"], view["librisoft_cancel_done_at"]) == (
        told.isoformat(), None)
    done = told + timedelta(minutes=5)
    tx(db, placing.on_classic_order_status_changed,
       dict(cancelled, cancellation_acknowledged=True,
            cancellation_acknowledged_at=done.isoformat()), done, done.isoformat())
    view = tx(db, placing.get_mine, USER, "order", order["number"], URL)
    assert view["librisoft_cancel_done_at"] == done.isoformat()
    assert [h["action_label"] for h in view["history"]][-2:] == [
        "Annulation transmise à LIBRISOFT", "Annulation prise en compte par LIBRISOFT"]


def test_a_price_changed_since_the_page_was_shown_is_not_ordered_silently(db, events):
    """The collectivity confirmed the total its page showed (49,87 €); CEMETERY ROAD's price
    went up in the meantime: the order is refused (conflict, the new total in French), nothing
    placed; confirmed again at the new total, it is placed. Without a shown total (older API
    clients), the lines are re-priced as before."""
    bid = chain_to_collectivity(db)
    dearer = {CEMETERY["ean"]: dict(CEMETERY, price_ttc="30.00"), WESTERN["ean"]: WESTERN}
    with pytest.raises(DomainError) as exc:
        transform(db, events, bid, articles=dearer, expected_total="49,87")
    assert exc.value.code == "conflict"
    assert "54,42" in exc.value.message and "49,87" in exc.value.message
    assert events.of("collectivity_order_placed") == []
    assert tx(db, baskets.get, COLLECTIVITY, bid, NOW)["document"] is None
    with pytest.raises(DomainError) as exc:
        transform(db, events, bid, articles=dearer, expected_total="beaucoup")
    assert exc.value.code == "invalid"
    order = transform(db, events, bid, articles=dearer, expected_total="54.42")
    assert order["totals"]["total_ttc"] == "54.42"
    assert len(events.of("collectivity_order_placed")) == 1


def test_the_baskets_waiting_at_a_roles_level(db, events):
    """What the gateway asks before the last account of a role is deactivated."""
    bid = chain_to_collectivity(db)
    waiting = tx(db, baskets.waiting_for, [FERRY["number"]], "collectivite")
    assert [(b["id"], b["name"]) for b in waiting] == [(bid, "Mon Panier")]
    assert tx(db, baskets.waiting_for, [FERRY["number"]], "approbateur") == []
    assert tx(db, baskets.waiting_for, [FERRY["number"]], "utilisateur") == []
    assert tx(db, baskets.waiting_for, [PROUVE["number"]], "collectivite") == []
    transform(db, events, bid)
    assert tx(db, baskets.waiting_for, [FERRY["number"]], "collectivite") == []


def test_a_quote_or_an_order_becomes_a_new_basket_at_todays_prices(db, events):
    """« Commander ce devis » / « Commander à nouveau »: after a quote of 5 titles, ordering
    meant rebuilding the basket by hand. A new draft of one's own with its lines (an article
    gone from the catalogue left out and named), at today's prices, along the usual chain."""
    from .conftest import ARTICLES
    quote = transform(db, events, chain_to_collectivity(db), kind="quote")
    doc = tx(db, placing.get_mine, USER, "quote", quote["number"], URL)
    articles = {e: a for e, a in ARTICLES.items() if e != CEMETERY["ean"]}
    articles[CEMETERY["ean"]] = None  # gone from the catalogue since
    made = tx(db, baskets.from_document, USER, FERRY, doc, articles, NOW)
    assert made["name"] == f"Reprise de la demande de devis n° {quote['number']}"
    assert (made["state"], made["owner_email"]) == ("draft", USER["email"])
    assert [(x["ean"], x["quantity"]) for x in made["lines"]] == [(WESTERN["ean"], 2)]
    assert made["skipped"] == [{"ean": CEMETERY["ean"], "title": "CEMETERY ROAD"}]
    assert [b["id"] for b in tx(db, baskets.list_mine, USER)] == [made["id"]]


def test_a_blocked_client_asks_for_a_quote_but_never_orders(db, events):
    """« Client bloqué » in Librisoft: the order is refused (409, in French, the basket left
    as it was, nothing published); the same basket becomes a quote request."""
    basket = tx(db, baskets.create, COLLECTIVITY, FERRY, "CDI", NOW)
    tx(db, baskets.add_line, COLLECTIVITY, basket["id"], CEMETERY, 1, NOW, FERRY)
    blocked = dict(FERRY, blocked=True)
    with pytest.raises(DomainError) as exc:
        transform(db, events, basket["id"], client=blocked)
    assert exc.value.code == "conflict" and "bloqué à la librairie" in exc.value.message
    assert events.of("collectivity_order_placed") == []
    quote = transform(db, events, basket["id"], "quote", client=blocked)
    assert quote["kind"] == "quote" and len(events.of("quote_requested")) == 1
