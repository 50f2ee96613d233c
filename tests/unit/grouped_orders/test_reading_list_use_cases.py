"""A reading list through the use cases (issue 10): two titles, one optional; buyers' lines,
the totals to the cent per title and overall, `sub_order_placed` in the subscription's
transaction, the events' per-title lines (checked against their contracts) and the classic
order for Librisoft with one line per title."""
from datetime import date, datetime, timezone

import pytest

from services.common.contracts.events import load_envelope, make_envelope
from services.common.errors import DomainError
from services.grouped_orders.use_cases import bookshop, buyers, initiator
from services.librisoft_bridge.domain.grouped_orders import from_grouped_order
from tests.support.fakes import Events
from tests.unit.grouped_orders.test_use_cases import (CLIENT, INITIATOR, NOW, URL, WESTERN, db,
                                                       pay, subscribe, tx)

assert db  # the fixture
LIVRE = {"ean": "9782362210419", "title": "LE LIVRE QU'IL NE FAUT SURTOUT, SURTOUT, SURTOUT, "
         "PAS LIRE !", "author": "LAROCHE SOPHIE", "publisher": "MIC MAC EDITION",
         "price_ttc": "6.40", "vat_rate": "5.5"}


def checked(name, payload):
    """The payload as a consumer loads it, through its contract."""
    return load_envelope(name, make_envelope(name, payload, "grouped_orders"))[1]


def create_list(db, events, **data):
    return tx(db, initiator.create, INITIATOR, CLIENT,
              [WESTERN, dict(LIVRE, optional=True)],
              dict({"deadline": "2022-03-29", "pickup": "address-0"}, **data), NOW, events, URL,
              "À la librairie")


def test_a_two_title_reading_list_to_the_cent(db):
    events = Events()
    go = create_list(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    assert [(t["ean"], t["price_ttc"], t["required"], t["position"]) for t in go["titles"]] == [
        (WESTERN["ean"], "14.90", True, 1), (LIVRE["ean"], "6.40", False, 2)]
    assert go["article"]["ean"] == WESTERN["ean"] and go["unit_price"] == "14.90"
    (created,) = events.of("grouped_order_created")
    assert [t["title"] for t in checked("grouped_order_created", created)["titles"]] == \
        ["WESTERN COQUILLETTES", LIVRE["title"]]

    w, li = WESTERN["ean"], LIVRE["ean"]
    leto = subscribe(db, token, "Jared", "Leto", None, events=events, lines={w: 2, li: 1})
    diaz = subscribe(db, token, "Cameron", "Diaz", None, events=events,
                     lines=[{"ean": w, "quantity": 1}, {"ean": li, "quantity": 0}])
    rourke = subscribe(db, token, "Mickey", "Rourke", None, events=events, lines={w: 1, li: 2})
    assert (leto["total"], diaz["total"], rourke["total"]) == ("36.20", "14.90", "27.70")
    assert [(x["ean"], x["quantity"], x["unit_price"], x["total"]) for x in leto["lines"]] == [
        (w, 2, "14.90", "29.80"), (li, 1, "6.40", "6.40")]
    assert diaz["lines"][1]["quantity"] == 0 and diaz["quantity"] == 1
    assert leto["unit_price"] is None and leto["quantity"] == 3
    placed = [checked("sub_order_placed", p) for p in events.of("sub_order_placed")]
    assert [(p["sub_order_number"], p["quantity"], str(p["total_ttc"])) for p in placed] == [
        (leto["number"], 3, "36.20"), (diaz["number"], 1, "14.90"),
        (rourke["number"], 3, "27.70")]
    # a line of 0 copies is no line of the order
    assert [(x["ean"], x["quantity"], str(x["total_ttc"])) for x in placed[1]["lines"]] == [
        (w, 1, "14.90")]
    assert placed[0]["payment_method"] == "online"

    pay(db, events, token, leto, "pay-leto")
    pay(db, events, token, diaz, "pay-diaz")
    paid = [checked("sub_order_paid", p) for p in events.of("sub_order_paid")]
    assert [str(p["total_ttc"]) for p in paid] == ["36.20", "14.90"]
    assert [(x["title"], x["quantity"]) for x in paid[0]["lines"]] == [
        ("WESTERN COQUILLETTES", 2), (LIVRE["title"], 1)]
    tx(db, bookshop.cancel_sub_order, rourke["number"], "Doublon", NOW, events, URL)
    cancelled = checked("sub_order_cancelled", events.of("sub_order_cancelled")[0])
    assert len(cancelled["lines"]) == 2 and str(cancelled["total_ttc"]) == "27.70"

    view = tx(db, bookshop.get, go["number"], NOW, URL)
    assert view["summary"] == {
        "articles": {"cancelled": 3, "awaiting_payment": 0, "paid": 4},
        "sub_orders": {"cancelled": 1, "awaiting_payment": 0, "paid": 2},
        "total_awaiting": "0.00", "total_paid": "51.10",
        "at_pickup": {"sub_orders": 0, "articles": 0, "total": "0.00"},
        "ordered_articles": 4, "total_ordered": "51.10"}
    assert [(t["title"][:7], t["copies"], t["total_paid"], t["total_cancelled"])
            for t in view["by_title"]] == [
        ("WESTERN", {"cancelled": 1, "awaiting_payment": 0, "paid": 3}, "44.70", "14.90"),
        ("LE LIVR", {"cancelled": 2, "awaiting_payment": 0, "paid": 1}, "6.40", "12.80")]

    later = datetime(2022, 3, 30, 7, 0, tzinfo=timezone.utc)
    tx(db, bookshop.close_expired, later, events, URL)
    passed = checked("grouped_order_deadline_passed",
                     events.of("grouped_order_deadline_passed")[0])
    assert [(x["ean"], x["quantity"]) for x in passed["lines"]] == [(w, 3), (li, 1)]
    tx(db, bookshop.validate, go["number"], later, events, URL)
    validated = checked("grouped_order_validated", events.of("grouped_order_validated")[0])
    assert (validated["quantity"], str(validated["total_ttc"])) == (4, "51.10")
    assert [(x["ean"], x["quantity"], str(x["unit_price_ttc"]), str(x["total_ttc"]))
            for x in validated["lines"]] == [(w, 3, "14.90", "44.70"), (li, 1, "6.40", "6.40")]
    classic = from_grouped_order(validated)
    assert [(x["position"], x["ean"], x["quantity"], str(x["total_ttc"]))
            for x in classic["lines"]] == [(1, w, 3, "44.70"), (2, li, 1, "6.40")]
    assert str(classic["order"]["total_ttc"]) == "51.10"


def test_a_reading_list_refuses_a_required_title_at_zero_and_a_single_quantity(db):
    events = Events()
    go = create_list(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    with pytest.raises(DomainError) as exc:
        subscribe(db, token, "Jared", "Leto", None, lines={WESTERN["ean"]: 0,
                                                           LIVRE["ean"]: 2})
    assert set(exc.value.details) == {f"quantity_{WESTERN['ean']}"}
    with pytest.raises(DomainError) as exc:
        subscribe(db, token, "Jared", "Leto", 2)
    assert exc.value.message == "Indiquez la quantité de chaque titre."
    assert tx(db, bookshop.get, go["number"], NOW, URL)["sub_orders"] == []


def test_before_the_opening_day_the_link_says_when_and_refuses(db):
    events = Events()
    go = create_list(db, events, opens_on="2022-03-29")
    token = go["subscription_url"].rsplit("/", 1)[1]
    assert go["opens_on"] == "2022-03-29" and go["not_open_yet"] is True
    public = tx(db, buyers.public, token, NOW)
    assert public["subscriptions_open"] is False and public["not_open_yet"] is True
    with pytest.raises(DomainError) as exc:
        subscribe(db, token, "Jared", "Leto", None, lines={WESTERN["ean"]: 1})
    assert exc.value.code == "conflict" and "ouvriront le 29/03/2022" in exc.value.message
    opened = datetime(2022, 3, 28, 22, 0, tzinfo=timezone.utc)  # midnight in Paris
    assert tx(db, buyers.public, token, opened)["subscriptions_open"] is True
    subscribe(db, token, "Jared", "Leto", None, at=opened, lines={WESTERN["ean"]: 1})
    with pytest.raises(DomainError) as exc:
        create_list(db, events, opens_on="2022-03-30")
    assert "précéder la date limite" in exc.value.message
    assert date.fromisoformat(go["deadline"]) == date(2022, 3, 29)


def test_the_initiator_cannot_move_the_deadline_before_the_opening_day(db):
    """A deadline moved before the opening day left a link that would never open (the grouped
    order closing, empty, on a deadline before its own opening): refused in French, nothing
    changed; on the opening day itself it is taken."""
    events = Events()
    go = create_list(db, events, deadline="2022-04-20", opens_on="2022-04-10")
    with pytest.raises(DomainError) as exc:
        tx(db, initiator.change_deadline, go["number"], 7, "2022-04-05", NOW, URL)
    assert exc.value.code == "invalid"
    assert exc.value.message == ("La date limite ne peut pas précéder l'ouverture des "
                                 "souscriptions, le 10/04/2022.")
    assert "deadline" in exc.value.details
    kept = tx(db, initiator.get_for_initiator, go["number"], 7, NOW, URL)
    assert (kept["deadline"], kept["opens_on"]) == ("2022-04-20", "2022-04-10")
    moved = tx(db, initiator.change_deadline, go["number"], 7, "2022-04-10", NOW, URL)
    assert moved["deadline"] == "2022-04-10"


def test_the_creation_mail_says_how_buyers_pay_when_it_opens_and_the_copies(db):
    """The initiator's creation mail said « Chaque souscripteur y règlera son achat par
    paiement en ligne » whatever the bookshop allowed, and nothing of the opening day nor of
    the minimum and maximum the initiator had just set."""
    from services.common.contracts.events import CONTRACTS
    from services.notifications.presenters import render
    events = Events()
    tx(db, initiator.create, INITIATOR, CLIENT, [WESTERN, dict(LIVRE, optional=True)],
       {"deadline": "2022-04-20", "opens_on": "2022-04-01", "pickup": "address-0",
        "min_copies": "10", "max_copies": "40"}, NOW, events, URL, "À la librairie",
       "online,cheque,pickup")
    (created,) = events.of("grouped_order_created")
    loaded = CONTRACTS["grouped_order_created"].schema().load(created)
    body = render("grouped_order_created", loaded, URL)[2]
    assert ("Chaque souscripteur y règle son achat par paiement en ligne, ou par chèque à la "
            "librairie, ou au retrait des livres le jour de la distribution, sans nécessité "
            "de créer de compte.") in body
    assert "Les souscriptions ouvriront le 01/04/2022" in body
    assert "Minimum : 10 exemplaires payés à la date limite" in body
    assert "Maximum : 40 exemplaires ; une fois atteint" in body
    assert "(titres sélectionnés, adresse de mise à disposition)" in body
    events = Events()
    tx(db, initiator.create, INITIATOR, CLIENT, [WESTERN, dict(LIVRE, optional=True)],
       {"deadline": "2022-04-20", "pickup": "address-0",
        "titles": [{"ean": LIVRE["ean"], "min_copies": "3"}]}, NOW, events, URL,
       "À la librairie", "online")
    body = render("grouped_order_created", CONTRACTS["grouped_order_created"].schema().load(
        events.of("grouped_order_created")[0]), URL)[2]
    assert "(facultatif) — minimum du titre : 3 exemplaires payés" in body  # it was left out
    assert "un titre facultatif est retiré, ses acheteurs remboursés de la différence" in body
    events = Events()
    create_list(db, events)  # online only, open at once, no limit: as before
    body = render("grouped_order_created", events.of("grouped_order_created")[0], URL)[2]
    assert "par paiement en ligne, sans nécessité de créer de compte." in body
    assert "ouvriront" not in body and "Minimum" not in body and "Maximum" not in body
