"""A title becomes unavailable (issue 10, K3): first subscribed served first, each buyer's total
recomputed to the cent, the difference refunded online (a partial refund under its own key) or
noted « à rendre » (cheque, cash), a sub-order without any copy left cancelled, a mail
(`sub_order_adjusted`) per buyer still holding copies; red until checked; the same cut twice
changes nothing; the classic order takes the adjusted quantities."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from services.common.contracts.events import load_envelope, make_envelope
from services.common.errors import DomainError
from services.grouped_orders import domain
from services.grouped_orders.use_cases import bookshop, initiator, payment_events, unavailability
from services.librisoft_bridge.domain.grouped_orders import from_grouped_order
from tests.support.fakes import Events
from tests.unit.grouped_orders.test_cheques import manual_payment
from tests.unit.grouped_orders.test_reading_list_use_cases import LIVRE
from tests.unit.grouped_orders.test_use_cases import (CLIENT, INITIATOR, NOW, URL, WESTERN, db,
                                                       pay, subscribe, tx)

assert db  # the fixture
LATER = datetime(2022, 3, 30, 7, 0, tzinfo=timezone.utc)
T0 = datetime(2022, 3, 28, 6, 0, tzinfo=timezone.utc)


def checked(name, payload):
    return load_envelope(name, make_envelope(name, payload, "grouped_orders"))[1]


# ---- the rule --------------------------------------------------------------------------------
def h(number, minute, ordered, status=domain.PAID):
    return domain.Holder(number, T0 + timedelta(minutes=minute), ordered, status)


def test_first_subscribed_served_first():
    holders = [h(3, 2, 1), h(1, 0, 2), h(2, 1, 1, domain.SUB_CANCELLED), h(4, 3, 2)]
    assert domain.allocate(3, holders) == {1: 2, 3: 1, 4: 0}
    assert domain.allocate(4, holders) == {1: 2, 3: 1, 4: 1}
    assert domain.allocate(0, holders) == {1: 0, 3: 0, 4: 0}
    assert domain.allocate(1, holders) == {1: 1, 3: 0, 4: 0}
    # the same minute: the smaller sub-order number first
    assert domain.allocate(1, [h(9, 0, 1), h(8, 0, 1)]) == {8: 1, 9: 0}


def test_the_available_quantity_is_checked():
    assert domain.check_available("2", 5, None) == 2
    assert domain.check_available(2, 5, 2) is None           # the same again: nothing
    for bad in ("-1", "2.5", "", "deux", True):
        with pytest.raises(DomainError, match="nombre entier"):
            domain.check_available(bad, 5, None)
    with pytest.raises(DomainError, match=r"La quantité disponible \(5\) doit être inférieure "
                                          r"aux exemplaires commandés \(5\)"):
        domain.check_available("5", 5, None)
    with pytest.raises(DomainError, match="souscriptions closes"):
        domain.check_can_adjust(domain.OPEN)


def test_the_money_of_one_sub_order_to_the_cent():
    before = (domain.Line(1, 2, Decimal("14.90")), domain.Line(2, 1, Decimal("6.40")))
    after = (domain.Line(1, 1, Decimal("14.90")), domain.Line(2, 1, Decimal("6.40")))
    change = domain.sub_change(before, after, domain.PAID, "online")
    assert (change.before_total, change.after_total, change.difference, change.money,
            change.cancelled) == (Decimal("36.20"), Decimal("21.30"), Decimal("14.90"),
                                  domain.ONLINE_REFUND, False)
    assert domain.sub_change(before, after, domain.PAID, "cheque").money == domain.BY_HAND
    assert domain.sub_change(before, after, domain.AWAITING_PAYMENT, "online").money == \
        domain.NO_MONEY
    gone = (domain.Line(1, 0, Decimal("14.90")), domain.Line(2, 0, Decimal("6.40")))
    assert domain.sub_change(before, gone, domain.PAID, "online").cancelled


# ---- through the use cases -------------------------------------------------------------------
def test_a_title_cut_among_four_buyers_of_a_reading_list(db):
    events = Events()
    go = tx(db, initiator.create, INITIATOR, CLIENT, [WESTERN, dict(LIVRE, optional=True)],
            {"deadline": "2022-03-29", "pickup": "address-0"}, NOW, events, URL,
            "À la librairie", "online,cheque,cash")
    token = go["subscription_url"].rsplit("/", 1)[1]
    w, li = WESTERN["ean"], LIVRE["ean"]
    at = [NOW + timedelta(minutes=m) for m in range(4)]
    leto = subscribe(db, token, "Jared", "Leto", None, at=at[0], lines={w: 2, li: 1})
    diaz = subscribe(db, token, "Cameron", "Diaz", None, at=at[1], lines={w: 1, li: 0})
    rourke = subscribe(db, token, "Mickey", "Rourke", None, at=at[2], lines={w: 2, li: 2})
    pitt = subscribe(db, token, "Brad", "Pitt", None, at=at[3], lines={w: 1, li: 0})
    pay(db, events, token, leto, "pay-leto")
    pay(db, events, token, diaz, "pay-diaz")
    tx(db, bookshop.mark_paid_manually, rourke["number"],
       manual_payment(rourke["number"], "42.60"), NOW, events, URL)
    pay(db, events, token, pitt, "pay-pitt")
    number = go["number"]
    western = go["titles"][0]["id"] if "id" in go["titles"][0] else None
    title_id = western or tx(db, unavailability.admin_view, number)["titles"][0]["title_id"]

    with pytest.raises(DomainError, match="souscriptions closes"):  # still open
        tx(db, unavailability.set_available, number, title_id, "3", NOW, events, URL)
    tx(db, bookshop.close_expired, LATER, events, URL)
    with pytest.raises(DomainError, match=r"inférieure aux exemplaires commandés \(6\)"):
        tx(db, unavailability.set_available, number, title_id, "6", LATER, events, URL)

    # what the bookshop's confirmation says first: nothing written, nothing sent
    events.clear()
    ahead = tx(db, unavailability.preview_available, number, title_id, "4")
    assert (ahead["ordered"], ahead["available"], ahead["unchanged"]) == (6, 4, False)
    assert [(c["buyer"], c["before"], c["after"], c["paid"]) for c in ahead["changes"]] == [
        ("Mickey Rourke", 2, 1, True), ("Brad Pitt", 1, 0, True)]
    assert list(events) == [] and tx(db, unavailability.admin_view, number)["lines"] == []
    with pytest.raises(DomainError, match=r"inférieure aux exemplaires commandés \(6\)"):
        tx(db, unavailability.preview_available, number, title_id, "99")
    view = tx(db, unavailability.set_available, number, title_id, "4", LATER, events, URL)
    # Leto 2 (all), Diaz 1 (all), Rourke 2 -> 1, Pitt 1 -> 0 (cancelled)
    assert [(x["buyer"], x["before"], x["after"], x["refunded"], x["to_give_back"],
             x["cancelled"], x["unchecked"]) for x in view["lines"]] == [
        ("Mickey Rourke", 2, 1, "0.00", "14.90", False, True),
        ("Brad Pitt", 1, 0, "14.90", "0.00", True, True)]
    assert view["unchecked"] and view["titles"][0]["available"] == 4
    (adjusted,) = [checked("sub_order_adjusted", p) for p in events.of("sub_order_adjusted")]
    assert (adjusted["sub_order_number"], adjusted["quantity_before"],
            adjusted["quantity_after"], str(adjusted["total_before"]),
            str(adjusted["total_after"]), str(adjusted["amount"]), adjusted["money_way"],
            adjusted["payment_method"]) == (rourke["number"], 2, 1, "42.60", "27.70", "14.90",
                                            "by_hand", "cheque")
    # Pitt: cancelled, its whole payment refunded (the cancellation's refund), no partial one
    (cancelled,) = events.of("sub_order_cancelled")
    assert cancelled["sub_order_number"] == pitt["number"]
    assert "« WESTERN COQUILLETTES » indisponible : 1 → 0" in cancelled["reason"]
    assert [(r["payment_id"], r["amount"], r.get("request_key", "")) for r in
            events.of("refund_requested")] == [("pay-pitt", "14.90", "")]

    # the same cut again (a double click): nothing more
    events.clear()
    again = tx(db, unavailability.set_available, number, title_id, 4, LATER, events, URL)
    assert again["lines"] == view["lines"] and list(events) == []
    assert tx(db, unavailability.preview_available, number, title_id, "4")["unchanged"]

    # cut further to 1: from the copies ordered at first, Leto 2 -> 1, Diaz 1 -> 0 (cancelled),
    # Rourke 1 -> 0 (still has 2 × LE LIVRE: 12.80)
    view = tx(db, unavailability.set_available, number, title_id, "1", LATER, events, URL)
    (partial,) = [checked("refund_requested", r) for r in events.of("refund_requested")
                  if r.get("request_key")]
    assert (partial["payment_id"], str(partial["amount"]), partial["request_key"]) == (
        "pay-leto", "14.90", domain.adjustment_key(title_id, 1, leto["number"]))
    by_buyer = {x["buyer"]: x for x in view["lines"]}
    assert (by_buyer["Jared Leto"]["before"], by_buyer["Jared Leto"]["after"],
            by_buyer["Jared Leto"]["refunded"]) == (2, 1, "14.90")
    assert (by_buyer["Mickey Rourke"]["before"], by_buyer["Mickey Rourke"]["after"],
            by_buyer["Mickey Rourke"]["to_give_back"]) == (2, 0, "29.80")
    assert by_buyer["Cameron Diaz"]["cancelled"]
    subs = {s["number"]: s for s in tx(db, bookshop.get, number, LATER, URL)["sub_orders"]}
    assert (subs[leto["number"]]["total"], subs[rourke["number"]]["total"]) == ("21.30", "12.80")
    assert subs[rourke["number"]]["quantity"] == 2

    # payments' partial refund comes back: the step is refunded, no other mail
    events.clear()
    tx(db, payment_events.on_payment_refunded, {
        "payment_id": "pay-leto", "reference_kind": "sub_order",
        "reference_id": str(leto["number"]), "amount": "14.90", "provider": "sandbox",
        "occurred_at": LATER.isoformat(), "refund_id": "rfn_1", "partial": True,
        "request_key": partial["request_key"]}, LATER, events, URL)
    assert list(events) == []
    view = tx(db, unavailability.admin_view, number)
    assert {x["buyer"]: x["refund_state"] for x in view["lines"]}["Jared Leto"] == "refunded"

    # « J'ai vérifié »: no longer red; the initiator sees the same lines
    checked_view = tx(db, unavailability.confirm, number, LATER)
    assert not checked_view["unchecked"] and not any(x["unchecked"]
                                                     for x in checked_view["lines"])
    assert tx(db, unavailability.initiator_view, number, INITIATOR["id"])["lines"] == \
        checked_view["lines"]
    with pytest.raises(DomainError):
        tx(db, unavailability.initiator_view, number, 999)

    # the classic order for Librisoft takes the adjusted quantities
    events.clear()
    tx(db, bookshop.validate, number, LATER, events, URL)
    validated = checked("grouped_order_validated", events.of("grouped_order_validated")[0])
    classic = from_grouped_order(validated)
    assert [(x["ean"], x["quantity"], str(x["total_ttc"])) for x in classic["lines"]] == [
        (w, 1, "14.90"), (li, 3, "19.20")]
    assert str(classic["order"]["total_ttc"]) == "34.10"
    with pytest.raises(DomainError, match="souscriptions closes"):  # sent: no more cuts
        tx(db, unavailability.set_available, number, title_id, "0", LATER, events, URL)


def test_an_invoiced_sub_order_is_not_adjusted_and_nothing_changes(db):
    from services.grouped_orders.use_cases import invoice_events
    from tests.unit.grouped_orders.test_invoiced_lock import invoice_event
    from tests.unit.grouped_orders.test_use_cases import create
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    leto = subscribe(db, token, "Jared", "Leto", 1, at=NOW)
    diaz = subscribe(db, token, "Cameron", "Diaz", 2, at=NOW + timedelta(minutes=1))
    pay(db, events, token, leto, "pay-leto")
    pay(db, events, token, diaz, "pay-diaz")
    tx(db, invoice_events.on_invoice_issued,
       invoice_event("2027-03-000000001", sub=diaz["number"]), NOW)
    tx(db, bookshop.close_expired, LATER, events, URL)
    title_id = tx(db, unavailability.admin_view, go["number"])["titles"][0]["title_id"]
    events.clear()
    with pytest.raises(DomainError) as err:
        tx(db, unavailability.set_available, go["number"], title_id, "2", LATER, events, URL)
    assert err.value.code == "conflict" and "facturée" in err.value.message
    view = tx(db, unavailability.admin_view, go["number"])
    assert view["lines"] == [] and view["titles"][0]["available"] is None
    assert tx(db, bookshop.get, go["number"], LATER, URL)["summary"]["articles"]["paid"] == 3


def test_a_sub_order_validated_by_hand_without_a_payment_is_given_back_by_hand(db):
    """« Valider » a sub-order paid otherwise (the API's `validation`: no payment recorded, the
    buyer's choice still « online »): a cut cannot refund it through the provider (there is no
    online payment; the `refund_requested` broke its contract, a 500 on the bookshop's page):
    the difference is « à rendre », as for a cheque; cancelled, nothing is asked of payments."""
    from tests.unit.grouped_orders.test_use_cases import create
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    leto = subscribe(db, token, "Jared", "Leto", 1, at=NOW)
    diaz = subscribe(db, token, "Cameron", "Diaz", 2, at=NOW + timedelta(minutes=1))
    pitt = subscribe(db, token, "Brad", "Pitt", 1, at=NOW + timedelta(minutes=2))
    pay(db, events, token, leto, "pay-leto")
    tx(db, bookshop.validate_sub_order, diaz["number"], NOW, events, URL)
    tx(db, bookshop.validate_sub_order, pitt["number"], NOW, events, URL)
    tx(db, bookshop.close_expired, LATER, events, URL)
    title_id = tx(db, unavailability.admin_view, go["number"])["titles"][0]["title_id"]
    events.clear()
    view = tx(db, unavailability.set_available, go["number"], title_id, "2", LATER, events, URL)
    assert [(x["buyer"], x["before"], x["after"], x["refunded"], x["to_give_back"],
             x["cancelled"]) for x in view["lines"]] == [
        ("Cameron Diaz", 2, 1, "0.00", "14.90", False),
        ("Brad Pitt", 1, 0, "0.00", "14.90", True)]
    assert [checked("refund_requested", r) for r in events.of("refund_requested")] == []
    (adjusted,) = [checked("sub_order_adjusted", p) for p in events.of("sub_order_adjusted")]
    assert (adjusted["sub_order_number"], adjusted["money_way"]) == (diaz["number"], "by_hand")
