"""A minimum per title (issue 10): the rule at the deadline (domain.title_minimums: a required
title under its minimum fails the grouped order, an optional one is dropped, then the overall
minimum on what remains; ties reached), and the use cases on SQLite (the drop through the K3
machinery: partial refunds, one mail each; the failure as the overall minimum's). On the real
broker: tests/e2e/test_title_minimums.py."""
from datetime import datetime, timedelta, timezone

import pytest

from services.common.contracts.events import CONTRACTS
from services.common.errors import DomainError
from services.grouped_orders import domain
from services.grouped_orders.use_cases import bookshop, capacity, initiator, unavailability
from tests.support.fakes import Events
from tests.unit.grouped_orders.test_reading_list_use_cases import LIVRE
from tests.unit.grouped_orders.test_use_cases import (CLIENT, INITIATOR, NOW, URL, WESTERN, db,  # noqa: F401
                                                      pay, subscribe, tx)

AFTER_DEADLINE = datetime(2022, 3, 30, 7, 0, tzinfo=timezone.utc)
W, L = WESTERN["ean"], LIVRE["ean"]


def t(key, minimum, paid, required=True):
    return domain.TitleCount(key, f"Titre {key}", required, minimum, paid)


# ---- the rule --------------------------------------------------------------------------------
def test_a_required_title_under_its_minimum_fails_the_grouped_order():
    out = domain.deadline_outcome(None, [t(1, 5, 4), t(2, None, 9, required=False)])
    assert out.fails and out.per_title and out.dropped == ()
    assert out.reason == ("Minimum non atteint à la clôture des souscriptions pour « Titre 1 » (titre "
                          "obligatoire) : 4 exemplaires payés sur les 5 nécessaires.")
    # even when an optional title is under its own too: the whole order fails, nothing dropped
    assert domain.deadline_outcome(None, [t(1, 2, 0, required=False), t(2, 3, 1)]).fails


def test_an_optional_title_under_its_minimum_is_dropped_and_ties_are_reached():
    out = domain.deadline_outcome(None, [t(1, 5, 5), t(2, 3, 2, required=False),
                                         t(3, 2, 2, required=False), t(4, None, 0, False)])
    assert (out.fails, out.dropped) == (False, (2,))
    assert domain.deadline_outcome(None, [t(1, None, 0)]) == domain.DeadlineOutcome(False)


def test_the_overall_minimum_is_checked_on_what_remains():
    titles = [t(1, None, 6), t(2, 4, 3, required=False)]
    assert domain.deadline_outcome(9, titles).fails  # 6 kept < 9, although 9 were paid
    assert domain.deadline_outcome(9, titles).reason == (
        "Minimum non atteint à la clôture des souscriptions : 6 exemplaires payés sur les 9 nécessaires. "
        "(sans les titres facultatifs sous leur minimum)")
    assert not domain.deadline_outcome(9, titles).per_title
    ok = domain.deadline_outcome(6, titles)  # a tie: reached
    assert (ok.fails, ok.dropped) == (False, (2,))
    assert domain.deadline_outcome(10, [t(1, None, 9)]).reason == \
        domain.minimum_failure_reason(10, 9)


def test_every_title_dropped_fails_the_grouped_order():
    out = domain.deadline_outcome(None, [t(1, 2, 1, False), t(2, 2, 0, False)])
    assert out.fails and out.per_title and "il ne reste rien à commander" in out.reason


def test_a_title_minimum_is_a_whole_number_or_empty_and_the_progress_says_it():
    assert domain.check_title_minimums([W, L], {W: " 5 ", L: ""}) == {W: 5, L: None}
    assert domain.check_title_minimums([W], {}) == {W: None}
    for bad in ("0", "2.5", "-1", "deux", "100001", True):
        with pytest.raises(DomainError) as exc:
            domain.check_title_minimums([W, L], {L: bad})
        assert exc.value.code == "invalid" and list(exc.value.details) == [f"min_copies_{L}"]
    with pytest.raises(DomainError) as exc:
        domain.check_title_minimums([W], {"123": "4"})
    assert "Titre inconnu" in exc.value.details["titles"][0]
    with pytest.raises(DomainError) as exc:  # a minimum without its title's EAN
        domain.check_title_minimums([W], {"": "4"})
    assert exc.value.details["titles"] == ["Indiquez l'EAN du titre de chaque minimum."]
    p = domain.title_progress(W, "WESTERN", True, 5, 3)
    assert (p["label"], p["minimum_reached"]) == ("WESTERN : 3 / 5 exemplaires payés", False)
    assert domain.title_progress(W, "W", False, 1, 1)["label"] == "W : 1 / 1 exemplaire payé"


# ---- the use cases ---------------------------------------------------------------------------
def reading_list(db, events, w_min=None, l_min=None, overall=None):
    titles = [{"ean": W, "min_copies": w_min}, {"ean": L, "optional": True, "min_copies": l_min}]
    go = tx(db, initiator.create, INITIATOR, CLIENT, [WESTERN, dict(LIVRE, optional=True)],
            {"deadline": "2022-03-29", "pickup": "address-0", "titles": titles,
             "min_copies": overall}, NOW, events, URL, "À la librairie")
    return go, go["subscription_url"].rsplit("/", 1)[1]


def test_an_optional_title_under_its_minimum_is_cut_at_the_deadline_once(db):
    events = Events()
    go, token = reading_list(db, events, l_min="3")
    assert [x["min_copies"] for x in go["titles"]] == [None, 3]
    at = [NOW + timedelta(minutes=m) for m in range(3)]
    ana = subscribe(db, token, "Ana", "Lys", None, at=at[0], lines={W: 1, L: 2})
    pay(db, events, token, ana, "pay-ana")
    bob = subscribe(db, token, "Bob", "Pré", None, at=at[1], lines={W: 1, L: 0})
    pay(db, events, token, bob, "pay-bob")
    cid = subscribe(db, token, "Cid", "Roi", None, at=at[2], lines={W: 1, L: 1})  # unpaid
    progress = tx(db, capacity.public_progress, token, NOW)["progress"]
    assert [p["label"] for p in progress["titles"]] == [
        "LE LIVRE QU'IL NE FAUT SURTOUT, SURTOUT, SURTOUT, PAS LIRE ! : 2 / 3 exemplaires payés"]
    assert tx(db, bookshop.close_expired, AFTER_DEADLINE, events, URL) == [go["number"]]
    assert tx(db, bookshop.close_expired, AFTER_DEADLINE, events, URL) == []
    view = tx(db, bookshop.get, go["number"], AFTER_DEADLINE, URL)
    assert view["status"] == "awaiting_validation"  # the order goes on, without the title
    lines = {s["number"]: {x["ean"]: x["quantity"] for x in s["lines"]}
             for s in view["sub_orders"]}
    assert lines[ana["number"]] == {W: 1, L: 0} and lines[cid["number"]] == {W: 1, L: 0}
    (refund,) = events.of("refund_requested")  # Ana's 2 × 6.40, under its own key
    assert (refund["payment_id"], refund["amount"]) == ("pay-ana", "12.80")
    assert refund["request_key"].startswith("adjust-") and "minimum de 3" in refund["reason"]
    adjusted = events.of("sub_order_adjusted")
    assert sorted(a["buyer"]["email"] for a in adjusted) == ["ana@free.fr", "cid@free.fr"]
    for a in adjusted:
        assert (a["cause"], a["title_minimum"], a["title_paid"]) == ("minimum_not_reached", 3, 2)
        assert CONTRACTS["sub_order_adjusted"].schema().validate(a) == {}
    (passed,) = events.of("grouped_order_deadline_passed")  # the initiator told of the drop
    assert passed["dropped_titles"] == [{"ean": L, "title": LIVRE["title"], "min_copies": 3}]
    assert CONTRACTS["grouped_order_deadline_passed"].schema().validate(passed) == {}
    assert events.of("grouped_order_failed") == []
    # the cut shows red on the bookshop's page until checked, as a bookshop's cut
    cuts = tx(db, unavailability.admin_view, go["number"])
    assert [x["available"] for x in cuts["titles"]] == [None, 0]
    assert sorted((x["sub_order_number"], x["before"], x["after"], x["unchecked"])
                  for x in cuts["lines"]) == [(ana["number"], 2, 0, True),
                                              (cid["number"], 1, 0, True)]
    tx(db, bookshop.cancel_sub_order, cid["number"], "Jamais payé", AFTER_DEADLINE, events, URL)
    done = tx(db, bookshop.validate, go["number"], AFTER_DEADLINE, events, URL)
    assert done["by_title"][1]["copies"]["paid"] == 0  # nothing of the title for Librisoft
    assert bob


def test_a_required_title_under_its_minimum_fails_all_and_refunds_in_full(db):
    events = Events()
    go, token = reading_list(db, events, w_min="3", l_min="1")
    ana = subscribe(db, token, "Ana", "Lys", None, lines={W: 2, L: 1})
    pay(db, events, token, ana, "pay-ana")
    tx(db, bookshop.close_expired, AFTER_DEADLINE, events, URL)
    view = tx(db, bookshop.get, go["number"], AFTER_DEADLINE, URL)
    assert view["status"] == "cancelled" and "WESTERN COQUILLETTES" in view["cancel_reason"]
    (refund,) = events.of("refund_requested")
    assert refund["amount"] == "36.20"  # in full, once: 2 × 14.90 + 6.40
    failed = events.of("grouped_order_failed")
    assert len(failed) == 2 and all(f["per_title"] and f["min_copies"] is None for f in failed)
    for payload in failed:
        assert CONTRACTS["grouped_order_failed"].schema().validate(payload) == {}
    assert events.of("sub_order_adjusted") == []


def test_the_initiator_changes_each_title_minimum_while_open(db):
    events = Events()
    go, token = reading_list(db, events)
    n = go["number"]
    with pytest.raises(DomainError) as exc:
        tx(db, capacity.change_copy_limits, n, INITIATOR["id"], "", "", NOW, URL, {L: "0"})
    assert exc.value.code == "invalid" and f"min_copies_{L}" in exc.value.details
    assert [x["min_copies"] for x in tx(db, bookshop.get, n, NOW, URL)["titles"]] == \
        [None, None]  # nothing changed
    view = tx(db, capacity.change_copy_limits, n, INITIATOR["id"], "", "", NOW, URL,
              {W: "2", L: "4"})
    assert [x["min_copies"] for x in view["titles"]] == [2, 4]
    assert [p["label"].rsplit(" : ", 1)[1] for p in view["progress"]["titles"]] == \
        ["0 / 2 exemplaires payés", "0 / 4 exemplaires payés"]
    # None: the titles' minimums unchanged (the overall form alone)
    view = tx(db, capacity.change_copy_limits, n, INITIATOR["id"], "5", "", NOW, URL)
    assert [x["min_copies"] for x in view["titles"]] == [2, 4] and view["min_copies"] == 5


def test_an_extended_deadline_lets_a_title_minimum_be_met_without_refunding_or_paying_twice(db):
    events = Events()
    go, token = reading_list(db, events, l_min="2")
    ana = subscribe(db, token, "Ana", "Lys", None, lines={W: 1, L: 1})
    pay(db, events, token, ana, "pay-ana")
    tx(db, initiator.change_deadline, go["number"], INITIATOR["id"], "2022-04-05", NOW, URL)
    assert tx(db, bookshop.close_expired, AFTER_DEADLINE, events, URL) == []  # still open
    bob = subscribe(db, token, "Bob", "Pré", None, at=AFTER_DEADLINE, lines={W: 1, L: 1})
    pay(db, events, token, bob, "pay-bob", at=AFTER_DEADLINE)
    later = datetime(2022, 4, 6, 7, 0, tzinfo=timezone.utc)
    assert tx(db, bookshop.close_expired, later, events, URL) == [go["number"]]
    view = tx(db, bookshop.get, go["number"], later, URL)
    assert view["status"] == "awaiting_validation"
    assert view["progress"]["titles"][0]["minimum_reached"]
    assert events.of("refund_requested") == [] and events.of("sub_order_adjusted") == []
    assert [p["sub_order_number"] for p in events.of("sub_order_paid")] == \
        [ana["number"], bob["number"]]  # each paid once


def test_a_title_minimum_above_the_cap_is_refused_as_it_could_never_be_reached(db):
    """The initiator set « Minimum de WESTERN : 5 » and a maximum of 3 copies: accepted, the
    grouped order was bound to fail at its deadline (found by the exploration)."""
    with pytest.raises(DomainError) as exc:
        domain.check_title_minimums([W, L], {W: "5"}, maximum=3)
    assert exc.value.code == "invalid" and list(exc.value.details) == [f"min_copies_{W}"]
    assert "supérieur au maximum" in exc.value.details[f"min_copies_{W}"][0]
    assert domain.check_title_minimums([W], {W: "3"}, maximum=3) == {W: 3}  # a tie is fine
    events = Events()
    with pytest.raises(DomainError):
        tx(db, initiator.create, INITIATOR, CLIENT, [WESTERN], {
            "deadline": "2022-03-29", "pickup": "address-0", "max_copies": 3,
            "titles": [{"ean": W, "min_copies": 5}]}, NOW, events, URL, "À la librairie")
    go, token = reading_list(db, events, w_min="5")
    n = go["number"]
    with pytest.raises(DomainError) as exc:  # the titles' minimums sent with it
        tx(db, capacity.change_copy_limits, n, INITIATOR["id"], "", "3", NOW, URL, {W: "5"})
    assert f"min_copies_{W}" in exc.value.details
    with pytest.raises(DomainError) as exc:  # or kept as they are (the overall form alone)
        tx(db, capacity.change_copy_limits, n, INITIATOR["id"], "", "3", NOW, URL)
    assert f"min_copies_{W}" in exc.value.details
    view = tx(db, bookshop.get, n, NOW, URL)
    assert view["max_copies"] is None and [x["min_copies"] for x in view["titles"]] == [5, None]


def test_a_title_label_says_when_its_copies_are_to_be_paid_at_pickup(db):
    """A parent paying at pickup made the public page say « WESTERN : 1 / 2 exemplaires payés »
    with nothing paid, beside the overall « payés ou à payer au retrait » (found by the
    exploration): a title's label says it too when some of its copies are to be paid at
    pickup."""
    assert domain.title_progress(W, "W", True, 2, 1, at_pickup=1)["label"] == \
        "W : 1 / 2 exemplaires payés ou à payer au retrait"
    assert domain.title_progress(W, "W", True, 2, 1)["label"] == "W : 1 / 2 exemplaires payés"
    from services.grouped_orders.use_cases import buyers
    events = Events()
    go = tx(db, initiator.create, INITIATOR, CLIENT, [WESTERN, dict(LIVRE, optional=True)],
            {"deadline": "2022-03-29", "pickup": "address-0",
             "titles": [{"ean": W, "min_copies": 2}, {"ean": L, "optional": True,
                                                      "min_copies": 3}]},
            NOW, events, URL, "À la librairie", "online,pickup")
    token = go["subscription_url"].rsplit("/", 1)[1]
    tx(db, buyers.subscribe_and_begin_payment, token, {
        "first_name": "Zoé", "last_name": "Roux", "email": "zoe@free.fr", "accepted_terms": True,
        "payment_method": "pickup", "lines": [{"ean": W, "quantity": 1},
                                              {"ean": L, "quantity": 0}]}, NOW, events, URL)
    public = tx(db, capacity.public_progress, token, NOW)["progress"]["titles"]
    page = tx(db, bookshop.get, go["number"], NOW, URL)["progress"]["titles"]
    for titles in (public, page):
        assert [t["label"].split(" : ", 1)[1] for t in titles] == [
            "1 / 2 exemplaires payés ou à payer au retrait", "0 / 3 exemplaires payés"]


def test_a_required_title_failing_says_when_its_copies_were_to_be_paid_at_pickup():
    """The failure mail said « 1 exemplaire payé sur les 2 nécessaires » of a copy to be paid
    at pickup (found by the exploration)."""
    out = domain.deadline_outcome(None, [domain.TitleCount(1, "W", True, 2, 1, at_pickup=1)])
    assert out.fails and "1 exemplaire payé ou à payer au retrait sur les 2" in out.reason
    out = domain.deadline_outcome(None, [t(1, 2, 1)])
    assert "1 exemplaire payé sur les 2 nécessaires" in out.reason


def test_a_closed_grouped_order_is_reopened_with_a_later_deadline_until_validated(db):
    """Parents forgot: the initiator gives a new deadline once the first has passed, while the
    bookshop has not validated the order (the reference's « modifier la date butoir »); the
    link takes orders again, the timer closes it again at the new deadline, once."""
    events = Events()
    go, token = reading_list(db, events)
    n = go["number"]
    tx(db, bookshop.close_expired, AFTER_DEADLINE, events, URL)
    with pytest.raises(DomainError):  # closed: the link refuses
        subscribe(db, token, "Bob", "Pré", None, at=AFTER_DEADLINE, lines={W: 1, L: 0})
    with pytest.raises(DomainError) as exc:  # not another's
        tx(db, initiator.change_deadline, n, 99, "2022-04-05", AFTER_DEADLINE, URL)
    assert exc.value.code == "not_found"
    with pytest.raises(DomainError) as exc:  # a new deadline in the past: refused
        tx(db, initiator.change_deadline, n, INITIATOR["id"], "2022-03-29", AFTER_DEADLINE, URL)
    assert tx(db, bookshop.get, n, AFTER_DEADLINE, URL)["status"] == "awaiting_validation"
    view = tx(db, initiator.change_deadline, n, INITIATOR["id"], "2022-04-05", AFTER_DEADLINE,
              URL, events)
    assert (view["status"], view["deadline"]) == ("open", "2022-04-05")
    (told,) = events.of("grouped_order_reopened")  # the bookshop is told
    assert (told["deadline"], told["closed_early"]) == ("2022-04-05", False)
    assert CONTRACTS["grouped_order_reopened"].schema().validate(told) == {}
    tx(db, initiator.change_deadline, n, INITIATOR["id"], "2022-04-06", AFTER_DEADLINE, URL,
       events)  # moved while open: not a reopening
    assert len(events.of("grouped_order_reopened")) == 1
    bob = subscribe(db, token, "Bob", "Pré", None, at=AFTER_DEADLINE, lines={W: 1, L: 0})
    pay(db, events, token, bob, "pay-bob", at=AFTER_DEADLINE)
    later = datetime(2022, 4, 7, 7, 0, tzinfo=timezone.utc)  # past the new deadline (6th)
    assert tx(db, bookshop.close_expired, later, events, URL) == [n]
    assert tx(db, bookshop.close_expired, later, events, URL) == []
    assert len(events.of("grouped_order_deadline_passed")) == 2  # once per deadline passed
    assert bob["number"] in [s["number"] for s in tx(db, bookshop.get, n, later, URL)[
        "sub_orders"]]
    tx(db, bookshop.validate, n, later, events, URL)
    with pytest.raises(DomainError) as exc:  # validated: for good
        tx(db, initiator.change_deadline, n, INITIATOR["id"], "2022-04-20", later, URL)
    assert exc.value.code == "conflict"  # the situation, not the date typed (a 409)


def test_a_grouped_order_whose_titles_were_cut_after_its_close_is_not_reopened(db):
    """An optional title dropped at the deadline (its buyers told and refunded): reopening would
    take orders of a title that is no longer ordered."""
    events = Events()
    go, token = reading_list(db, events, l_min="3")
    ana = subscribe(db, token, "Ana", "Lys", None, lines={W: 1, L: 1})
    pay(db, events, token, ana, "pay-ana")
    tx(db, bookshop.close_expired, AFTER_DEADLINE, events, URL)
    with pytest.raises(DomainError) as exc:
        tx(db, initiator.change_deadline, go["number"], INITIATOR["id"], "2022-04-05",
           AFTER_DEADLINE, URL)
    assert exc.value.code == "conflict" and "ne peut plus être rouverte" in exc.value.message
    assert tx(db, bookshop.get, go["number"], AFTER_DEADLINE, URL)["status"] == \
        "awaiting_validation"
