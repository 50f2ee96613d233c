"""The minimum to go ahead and the capacity cap (issue 10): the rules (domain.capacity) and the
use cases on SQLite (the concurrent cap on PostgreSQL: tests/integration/
test_capacity_postgres.py; the whole suite: tests/e2e/test_capacity.py)."""
from datetime import date, datetime, timedelta, timezone

import pytest

from services.common.contracts.events import CONTRACTS
from services.common.errors import DomainError
from services.grouped_orders import domain
from services.grouped_orders.use_cases import bookshop, buyers, capacity, initiator
from tests.support.fakes import Events
from tests.unit.grouped_orders.test_use_cases import (CLIENT, INITIATOR, NOW, URL, WESTERN, db,  # noqa: F401
                                                      pay, subscribe, tx)

AFTER_DEADLINE = datetime(2022, 3, 30, 7, 0, tzinfo=timezone.utc)


# ---- the rules ---------------------------------------------------------------------------------
def test_limits_are_optional_whole_numbers_and_the_cap_not_below_the_minimum_nor_the_held():
    assert domain.check_copy_limits("", None) == (None, None)
    assert domain.check_copy_limits("10", 30) == (10, 30)
    for low, high, held, key in (("0", "", 0, "min_copies"), ("2.5", "", 0, "min_copies"),
                                 ("", "-3", 0, "max_copies"), ("10", "9", 0, "max_copies"),
                                 ("", "5", 6, "max_copies"), ("abc", "", 0, "min_copies")):
        with pytest.raises(DomainError) as exc:
            domain.check_copy_limits(low, high, held)
        assert exc.value.code == "invalid" and key in exc.value.details
    with pytest.raises(DomainError) as exc:
        domain.check_copy_limits("", "5", 6)
    assert "6 exemplaires sont déjà souscrits" in exc.value.details["max_copies"][0]
    assert domain.check_copy_limits(None, 6, 6).maximum == 6  # exactly what is held: complete


def test_the_cap_refuses_what_goes_beyond_and_says_how_many_are_left():
    domain.check_room(None, 500, 30)
    domain.check_room(10, 7, 3)
    with pytest.raises(DomainError) as exc:
        domain.check_room(10, 7, 4)
    assert exc.value.code == "conflict"
    assert exc.value.message == ("Il ne reste que 3 exemplaires dans cette commande groupée : "
                                 "vous en demandez 4.")
    with pytest.raises(DomainError) as exc:
        domain.check_room(10, 9, 2)
    assert exc.value.message == ("Il ne reste qu'un exemplaire dans cette commande groupée : "
                                 "vous en demandez 2.")  # not « que 1 exemplaire »
    with pytest.raises(DomainError) as exc:
        domain.check_room(10, 10, 1)
    assert "complète" in exc.value.message
    assert domain.is_full(10, 10) and not domain.is_full(10, 9) and not domain.is_full(None, 9)


def test_the_minimum_counts_paid_copies_and_the_progress_says_so():
    assert domain.minimum_reached(None, 0) and domain.minimum_reached(10, 10)
    assert not domain.minimum_reached(10, 9)
    p = domain.progress(10, 12, paid=7, awaiting=3)
    assert (p["label"], p["percent"], p["left"], p["full"], p["minimum_reached"]) == \
        ("7 / 10 exemplaires", 70, 2, False, False)
    assert domain.progress(10, 10, paid=7, awaiting=3)["full"]
    assert domain.progress(None, None, 1, 0)["label"] == "1 exemplaire payé"
    assert domain.progress(4, None, 9, 0)["percent"] == 100
    assert domain.minimum_failure_reason(10, 7) == (
        "Minimum non atteint à la clôture des souscriptions : 7 exemplaires payés sur les 10 nécessaires.")


# ---- the use cases -----------------------------------------------------------------------------
def create(db, events, **limits):
    return tx(db, initiator.create, INITIATOR, CLIENT, WESTERN,
              dict({"deadline": "2022-03-29", "pickup": "address-0"}, **limits), NOW, events,
              URL, "À la librairie")


def token_of(go):
    return go["subscription_url"].rsplit("/", 1)[1]


def test_the_cap_counts_awaiting_and_paid_copies_and_a_cancelled_sub_order_gives_them_back(db):
    events = Events()
    go = create(db, events, max_copies="5")
    token = token_of(go)
    first = subscribe(db, token, "Ana", "Lys", 3)
    pay(db, events, token, first, "pay-ana")
    second = subscribe(db, token, "Bob", "Pré", 2)  # awaiting payment: holds its 2 copies
    public = tx(db, buyers.public, token, NOW)
    assert public["full"] and not public["subscriptions_open"]
    assert public["progress"]["left"] == 0
    with pytest.raises(DomainError) as exc:
        subscribe(db, token, "Cid", "Roi", 1)
    assert exc.value.code == "conflict" and "complète" in exc.value.message
    tx(db, bookshop.cancel_sub_order, second["number"], "", NOW, events, URL)
    assert tx(db, capacity.public_progress, token, NOW)["progress"]["left"] == 2
    with pytest.raises(DomainError) as exc:
        subscribe(db, token, "Cid", "Roi", 3)
    assert "Il ne reste que 2 exemplaires" in exc.value.message
    subscribe(db, token, "Cid", "Roi", 2)
    assert tx(db, capacity.public_progress, token, NOW)["subscriptions_open"] is False


def test_the_initiator_changes_the_limits_while_open_never_below_what_is_held(db):
    events = Events()
    go = create(db, events)
    token = token_of(go)
    subscribe(db, token, "Ana", "Lys", 3)
    with pytest.raises(DomainError) as exc:
        tx(db, capacity.change_copy_limits, go["number"], INITIATOR["id"], "", "2", NOW, URL)
    assert exc.value.code == "invalid"
    assert tx(db, bookshop.get, go["number"], NOW, URL)["max_copies"] is None  # nothing changed
    view = tx(db, capacity.change_copy_limits, go["number"], INITIATOR["id"], "2", "3", NOW, URL)
    assert (view["min_copies"], view["max_copies"], view["progress"]["full"]) == (2, 3, True)
    with pytest.raises(DomainError) as exc:  # another's grouped order does not exist
        tx(db, capacity.change_copy_limits, go["number"], 99, "", "", NOW, URL)
    assert exc.value.code == "not_found"
    tx(db, bookshop.close_now, go["number"], NOW, events, URL)
    with pytest.raises(DomainError) as exc:
        tx(db, capacity.change_copy_limits, go["number"], INITIATOR["id"], "", "", NOW, URL)
    assert exc.value.code == "conflict"


def test_below_the_minimum_at_the_deadline_it_fails_once_refunds_the_paid_and_mails_all(db):
    events = Events()
    go = create(db, events, min_copies="4")
    token = token_of(go)
    ana = subscribe(db, token, "Ana", "Lys", 2)
    pay(db, events, token, ana, "pay-ana")
    subscribe(db, token, "Bob", "Pré", 1)  # never paid
    assert tx(db, bookshop.close_expired, AFTER_DEADLINE, events, URL) == [go["number"]]
    assert tx(db, bookshop.close_expired, AFTER_DEADLINE, events, URL) == []
    assert tx(db, capacity.fail_below_minimum, go["number"], AFTER_DEADLINE, events, URL) is False
    view = tx(db, bookshop.get, go["number"], AFTER_DEADLINE, URL)
    assert view["status"] == "cancelled"
    assert view["cancel_reason"] == ("Minimum non atteint à la clôture des souscriptions : "
                                     "2 exemplaires payés sur les 4 nécessaires.")
    assert {s["status"] for s in view["sub_orders"]} == {"cancelled"}
    (refund,) = events.of("refund_requested")  # the paid one only, once
    assert (refund["payment_id"], refund["amount"]) == ("pay-ana", "29.80")
    failed = events.of("grouped_order_failed")
    assert sorted((f["audience"], f["to_email"], f.get("refund_expected", False)) for f in failed) == [
        ("buyer", "ana@free.fr", True), ("buyer", "bob@free.fr", False),
        ("initiator", INITIATOR["email"], False)]
    for payload in failed:
        assert CONTRACTS["grouped_order_failed"].schema().validate(payload) == {}
    assert all(p["minimum_failed"] for p in events.of("sub_order_cancelled"))
    (cancelled,) = events.of("grouped_order_cancelled")
    assert cancelled["minimum_failed"] and cancelled["validated_at"] is None
    assert events.of("grouped_order_deadline_passed") == []  # its own mail, not this one
    assert events.of("grouped_order_validated") == []        # nothing for Librisoft
    with pytest.raises(DomainError):
        tx(db, bookshop.validate, go["number"], AFTER_DEADLINE, events, URL)


def test_an_extended_deadline_lets_the_minimum_be_met_without_paying_or_refunding_twice(db):
    events = Events()
    go = create(db, events, min_copies="3")
    token = token_of(go)
    ana = subscribe(db, token, "Ana", "Lys", 2)
    pay(db, events, token, ana, "pay-ana")
    tx(db, initiator.change_deadline, go["number"], INITIATOR["id"], "2022-04-05", NOW, URL)
    assert tx(db, bookshop.close_expired, AFTER_DEADLINE, events, URL) == []  # still open
    bob = subscribe(db, token, "Bob", "Pré", 1, at=AFTER_DEADLINE)
    pay(db, events, token, bob, "pay-bob", at=AFTER_DEADLINE)
    later = datetime(2022, 4, 6, 7, 0, tzinfo=timezone.utc)
    assert tx(db, bookshop.close_expired, later, events, URL) == [go["number"]]
    view = tx(db, bookshop.get, go["number"], later, URL)
    assert view["status"] == "awaiting_validation" and view["progress"]["minimum_reached"]
    assert events.of("refund_requested") == [] and events.of("grouped_order_failed") == []
    assert [p["sub_order_number"] for p in events.of("sub_order_paid")] == \
        [ana["number"], bob["number"]]  # each paid once
    assert len(events.of("grouped_order_deadline_passed")) == 1
    tx(db, bookshop.validate, go["number"], later, events, URL)


def test_the_bookshop_closing_early_below_the_minimum_fails_it_too(db):
    events = Events()
    go = create(db, events, min_copies="2")
    token = token_of(go)
    pay(db, events, token, subscribe(db, token, "Ana", "Lys", 1), "pay-ana")
    view = tx(db, bookshop.close_now, go["number"], NOW, events, URL)
    assert view["status"] == "cancelled" and len(events.of("grouped_order_failed")) == 2
    assert events.of("grouped_order_deadline_passed") == []


def test_a_grouped_order_without_limits_behaves_as_before(db):
    events = Events()
    go = create(db, events)
    token = token_of(go)
    pay(db, events, token, subscribe(db, token, "Ana", "Lys", 1), "pay-ana")
    assert tx(db, bookshop.close_expired, AFTER_DEADLINE, events, URL) == [go["number"]]
    assert tx(db, bookshop.get, go["number"], AFTER_DEADLINE, URL)["status"] == \
        "awaiting_validation"
    assert tx(db, buyers.public, token, NOW)["progress"]["minimum"] is None


def test_limits_are_checked_when_creating(db):
    with pytest.raises(DomainError) as exc:
        create(db, Events(), min_copies="10", max_copies="5")
    assert exc.value.details == {"max_copies": ["Le maximum (5) est inférieur au minimum (10)."]}
    go = create(db, Events(), min_copies=" 10 ", max_copies="")
    assert (go["min_copies"], go["max_copies"]) == (10, None)
    assert date.fromisoformat(go["deadline"]) == date(2022, 3, 29)


def test_closing_now_says_beforehand_what_the_minimum_will_do_and_answers_what_it_did(db):
    """« Clore les souscriptions maintenant » below the minimum cancelled the grouped order and
    refunded everyone while its page said only « Les souscriptions sont closes »: the view now
    gives what closing today would do (the deadline's rule on today's paid copies), and the
    close's answer is the cancelled grouped order."""
    events = Events()
    go = create(db, events, min_copies="4")
    token = token_of(go)
    ana = subscribe(db, token, "Ana", "Lys", 2)
    pay(db, events, token, ana, "pay-ana")
    subscribe(db, token, "Bob", "Pré", 1)  # awaiting payment: does not count
    ahead = tx(db, bookshop.get, go["number"], NOW, URL)["if_closed_now"]
    assert ahead == {"fails": True, "dropped": [], "reason": (
        "Minimum non atteint à la clôture des souscriptions : 2 exemplaires payés sur les 4 "
        "nécessaires.")}
    view = tx(db, bookshop.close_now, go["number"], NOW, events, URL)
    assert (view["status"], view["cancel_reason"]) == ("cancelled", ahead["reason"])
    assert tx(db, bookshop.get, create(db, events)["number"], NOW, URL)["if_closed_now"] is None


def test_a_reading_list_is_full_when_no_order_fits_under_the_cap():
    """1 copy left under the cap, 2 required titles: nobody could order (« 1 exemplaire au
    plus ») while the page said « Il reste 1 exemplaire disponible » and offered the form."""
    from gateway.progress_words import progress_text
    assert domain.smallest_order([True, True, False]) == 2
    assert domain.smallest_order([False, False]) == 1 and domain.smallest_order([]) == 1
    assert domain.is_full(12, 11, smallest=2) and not domain.is_full(12, 10, smallest=2)
    p = domain.progress(None, 12, paid=11, awaiting=0, smallest=2)
    assert (p["left"], p["full"]) == (1, True)
    assert progress_text(p)["cap"] == ("Complet : il ne reste qu'un exemplaire, moins qu'une "
                                       "commande (un exemplaire de chaque titre obligatoire).")


def test_once_closed_the_progress_says_what_the_minimums_gave_not_what_is_missing():
    """After the close (or the distribution) the pages still said « il en faut encore 2 :
    sinon le titre est retiré » of a title already taken out, « la commande sera passée » of
    one distributed, and « Il reste 10 exemplaires disponibles » beside « souscriptions
    closes »."""
    from gateway.progress_words import progress_text
    p = dict(domain.progress(5, 20, paid=10, awaiting=0), titles=[
        domain.title_progress("1", "FRANÇAIS CM2", False, 2, 0),
        domain.title_progress("2", "CEMETERY ROAD", True, 3, 5)])
    texts = progress_text(p, "closed")
    assert texts["minimum"] == "10 / 5 exemplaires payés : minimum atteint."
    assert [t["text"] for t in texts["titles"]] == [
        "« FRANÇAIS CM2 » : minimum de 2 non atteint, titre retiré de la commande.",
        "CEMETERY ROAD : 5 / 3 exemplaires payés : minimum du titre atteint."]
    assert "cap" not in texts
    failed = progress_text(domain.progress(5, None, paid=0, awaiting=0), "cancelled")
    assert failed["minimum"] == "Minimum de 5 exemplaires payés non atteint."
    assert "il en faut encore" in progress_text(p, "open")["minimum"] + progress_text(
        p, "open")["titles"][0]["text"]



def test_the_bookshop_knows_when_an_online_payment_is_open(db):
    """The sub-order's view says whether the buyer's online payment is open (the provider's
    page opened, no outcome yet): the manual payment page warns the clerk."""
    from services.grouped_orders.use_cases import payment_events
    events = Events()
    go = create(db, events)
    token = token_of(go)
    ana = subscribe(db, token, "Ana", "Lys", 2)

    def is_open():
        view = tx(db, bookshop.get, go["number"], NOW, URL)
        return [s["online_payment_open"] for s in view["sub_orders"]]
    assert is_open() == [False]  # subscribed, the payment page not reached
    attempt = tx(db, buyers.begin_payment_attempt, token, ana["buyer_token"], NOW)
    tx(db, buyers.attach_payment, attempt["attempt_id"],
       {"payment_id": "pay-ana", "redirect_url": "http://sandbox", "state": "processing"})
    assert is_open() == [True]
    tx(db, payment_events.on_payment_failed, {
        "payment_id": "pay-ana", "reference_kind": "sub_order",
        "reference_id": attempt["reference_id"], "amount": attempt["amount"],
        "provider": "sandbox", "occurred_at": NOW.isoformat(), "state": "cancelled"})
    assert is_open() == [False]


def test_one_address_places_five_orders_on_a_grouped_order_in_ten_minutes(db):
    """80 subscriptions in 0.6 s with someone else's address mailed them 80 times « votre
    chèque à apporter » and filled the bookshop's desk: five per address per grouped order in
    ten minutes (a family's children, a retry), then a French 429; another address, or the
    same one ten minutes later, orders again."""
    events = Events()
    go = create(db, events)
    token = token_of(go)

    def order(email, at=NOW):
        return tx(db, buyers.subscribe, token, {
            "first_name": "Spam", "last_name": "Victime", "email": email, "quantity": "1",
            "accepted_terms": True}, at, events, URL)
    for i in range(5):
        order("victim@target.test" if i % 2 else "Victim@Target.test")
    with pytest.raises(DomainError) as exc:
        order("victim@target.test")
    assert exc.value.code == "throttled" and "Réessayez dans 10 minutes" in exc.value.message
    assert len(events.of("sub_order_placed")) == 5  # nothing placed, nothing mailed
    order("autre@target.test")
    later = NOW + domain.SUBSCRIPTION_WINDOW + timedelta(seconds=1)
    order("victim@target.test", at=later)
