"""Reminders before the deadline (issue 10, K1): who is due and from when (calendar days,
Paris midnight, summer and winter time), once each however often the timer runs, the events
as their contracts carry them; and the initiator moving the opening day."""
from datetime import date, datetime, timedelta, timezone

import pytest

from services.common.contracts.events import load_envelope, make_envelope
from services.common.errors import DomainError
from services.grouped_orders import domain
from services.grouped_orders.use_cases import buyers, initiator, opening, reminders
from tests.support.fakes import Events
from tests.unit.grouped_orders.test_use_cases import (CLIENT, INITIATOR, URL, WESTERN, db, pay,
                                                       tx)

assert db  # the fixture
UTC = timezone.utc
CREATED = datetime(2022, 3, 20, 9, 0, tzinfo=UTC)
DEADLINE = date(2022, 3, 31)
# summer time began on 27 March 2022: Paris midnight of the 28th is 22:00 UTC on the 27th
REMINDER_DAY_STARTS = datetime(2022, 3, 27, 22, 0, tzinfo=UTC)


def checked(name, payload):
    return load_envelope(name, make_envelope(name, payload, "grouped_orders"))[1]


def create(db, at=CREATED, deadline=DEADLINE, opens_on=None):
    data = {"deadline": deadline.isoformat(), "pickup": "address-0"}
    if opens_on:
        data["opens_on"] = opens_on.isoformat()
    return tx(db, initiator.create, INITIATOR, CLIENT, WESTERN, data, at, Events(), URL,
              "À la librairie", "online,cheque")


def subscribe(db, token, first, qty, at, method="online"):
    return tx(db, buyers.subscribe, token, {
        "first_name": first, "last_name": "Test", "email": f"{first.lower()}@free.fr",
        "quantity": qty, "accepted_terms": True, "payment_method": method}, at, Events(), URL)


def token_of(go):
    return go["subscription_url"].rsplit("/", 1)[1]


# -- the day -----------------------------------------------------------------------------------
def test_the_reminder_day_starts_at_paris_midnight_in_summer_and_in_winter():
    assert domain.reminder_day(DEADLINE, 3) == date(2022, 3, 28)
    assert domain.reminder_starts_at(DEADLINE, 3) == REMINDER_DAY_STARTS
    assert domain.reminder_starts_at(date(2022, 1, 10), 3) == datetime(2022, 1, 6, 23, 0,
                                                                       tzinfo=UTC)
    open_ = domain.OPEN
    before = REMINDER_DAY_STARTS - timedelta(seconds=1)
    assert not domain.in_reminder_window(open_, DEADLINE, None, before, 3)
    assert domain.in_reminder_window(open_, DEADLINE, None, REMINDER_DAY_STARTS, 3)
    # until subscriptions close, at Paris midnight after the deadline day
    last = datetime(2022, 3, 31, 21, 59, tzinfo=UTC)
    assert domain.in_reminder_window(open_, DEADLINE, None, last, 3)
    assert not domain.in_reminder_window(open_, DEADLINE, None, last + timedelta(minutes=1), 3)
    # 0: off; not open yet or closed: none
    assert not domain.in_reminder_window(open_, DEADLINE, None, REMINDER_DAY_STARTS, 0)
    assert not domain.in_reminder_window(open_, DEADLINE, date(2022, 3, 30),
                                         REMINDER_DAY_STARTS, 3)
    assert not domain.in_reminder_window(domain.AWAITING_VALIDATION, DEADLINE, None,
                                         REMINDER_DAY_STARTS, 3)


def test_created_or_subscribed_on_the_reminder_day_is_not_reminded():
    now = REMINDER_DAY_STARTS + timedelta(hours=10)
    assert domain.initiator_reminder_due(domain.OPEN, DEADLINE, None, CREATED, None, now, 3)
    assert not domain.initiator_reminder_due(domain.OPEN, DEADLINE, None, REMINDER_DAY_STARTS,
                                             None, now, 3)
    assert not domain.initiator_reminder_due(domain.OPEN, DEADLINE, None, CREATED, now, now, 3)
    due = dict(go_status=domain.OPEN, deadline=DEADLINE, opens_on=None, buyer_reminders=True,
               sub_status=domain.AWAITING_PAYMENT, reminded_at=None, now=now, days=3)
    assert domain.buyer_reminder_due(subscribed_at=REMINDER_DAY_STARTS - timedelta(minutes=1),
                                     **due)
    assert not domain.buyer_reminder_due(subscribed_at=REMINDER_DAY_STARTS, **due)
    assert not domain.buyer_reminder_due(**dict(due, sub_status=domain.PAID),
                                         subscribed_at=CREATED)
    assert not domain.buyer_reminder_due(**dict(due, buyer_reminders=False),
                                         subscribed_at=CREATED)
    # SQLite gives instants back without their zone: UTC
    assert domain.initiator_reminder_due(domain.OPEN, DEADLINE, None,
                                         CREATED.replace(tzinfo=None), None, now, 3)


def test_the_setting_is_whole_days_and_a_bad_one_falls_back():
    assert [domain.reminder_days(v) for v in ("3", " 5 ", "0", "-1", "x", None, "61")] == \
        [3, 5, 0, 3, 3, 3, 3]


# -- the timer ---------------------------------------------------------------------------------
def a_grouped_order_with_buyers(db):
    go = create(db)
    token = token_of(go)
    day = datetime(2022, 3, 21, 10, 0, tzinfo=UTC)
    ana = subscribe(db, token, "Ana", 2, day)
    pay(db, Events(), token, ana, "pay-ana", at=day)
    ben = subscribe(db, token, "Ben", 1, day)                     # online, never paid
    chloe = subscribe(db, token, "Chloe", 3, day, method="cheque")  # cheque not received
    late = subscribe(db, token, "Dan", 1, REMINDER_DAY_STARTS + timedelta(hours=1))
    return go, {"ana": ana, "ben": ben, "chloe": chloe, "late": late}


def test_the_initiator_and_each_unpaid_buyer_are_reminded_once(db):
    go, subs = a_grouped_order_with_buyers(db)
    now = REMINDER_DAY_STARTS + timedelta(hours=10)
    events = Events()
    before = tx(db, reminders.send_reminders, REMINDER_DAY_STARTS - timedelta(minutes=1),
                events, URL, 3, 3)
    assert before == {"initiators": [], "buyers": []} and not events
    done = tx(db, reminders.send_reminders, now, events, URL, 3, 3)
    assert done == {"initiators": [go["number"]],
                    "buyers": [subs["ben"]["number"], subs["chloe"]["number"]]}
    # the timer again, and again the next day: nothing more
    assert tx(db, reminders.send_reminders, now, events, URL, 3, 3) == \
        {"initiators": [], "buyers": []}
    assert tx(db, reminders.send_reminders, now + timedelta(days=1), events, URL, 3, 3) == \
        {"initiators": [], "buyers": []}

    (initiator_mail,) = [checked("grouped_order_deadline_approached", p)
                         for p in events.of("grouped_order_deadline_approached")]
    assert initiator_mail["initiator_email"] == INITIATOR["email"]
    assert initiator_mail["days_left"] == 4  # the 28th, 29th, 30th and 31st
    assert (initiator_mail["paid_quantity"], str(initiator_mail["paid_total"])) == (2, "29.80")
    assert (initiator_mail["awaiting_quantity"], str(initiator_mail["awaiting_total"])) == \
        (5, "74.50")
    assert initiator_mail["paid_sub_orders"] == 1
    (title,) = initiator_mail["by_title"]
    assert (title["copies_paid"], title["copies_awaiting"], str(title["total_awaiting"])) == \
        (2, 5, "74.50")
    assert [(b["first_name"], b["payment_method"], str(b["total_ttc"]))
            for b in initiator_mail["unpaid_buyers"]] == [
        ("Ben", "online", "14.90"), ("Chloe", "cheque", "44.70"), ("Dan", "online", "14.90")]

    ben, chloe = [checked("sub_order_payment_reminded", p)
                  for p in events.of("sub_order_payment_reminded")]
    assert ben["buyer"]["email"] == "ben@free.fr" and ben["payment_method"] == "online"
    assert ben["pay_url"] == (f"{URL}/souscription/{token_of(go)}/commande/"
                              f"{subs['ben']['buyer_token']}")
    assert (chloe["payment_method"], str(chloe["total_ttc"]), chloe["quantity"]) == \
        ("cheque", "44.70", 3)


def test_buyers_reminders_off_by_the_bookshop_or_by_the_setting(db):
    go, _ = a_grouped_order_with_buyers(db)
    now = REMINDER_DAY_STARTS + timedelta(hours=10)
    events = Events()
    view = tx(db, reminders.set_buyer_reminders, go["number"], False, now, URL)
    assert view["number"] == go["number"]
    assert tx(db, reminders.send_reminders, now, events, URL, 3, 3) == \
        {"initiators": [go["number"]], "buyers": []}
    assert events.of("grouped_order_deadline_approached")[0]["reminds_buyers"] is False
    tx(db, reminders.set_buyer_reminders, go["number"], True, now, URL)
    assert tx(db, reminders.send_reminders, now, events, URL, 3, 0) == \
        {"initiators": [], "buyers": []}
    assert len(tx(db, reminders.send_reminders, now, events, URL, 0, 3)["buyers"]) == 2


def test_a_closed_grouped_order_gets_no_reminder(db):
    from services.grouped_orders.use_cases import bookshop
    go, _ = a_grouped_order_with_buyers(db)
    now = REMINDER_DAY_STARTS + timedelta(hours=10)
    tx(db, bookshop.close_now, go["number"], now, Events(), URL)
    assert tx(db, reminders.send_reminders, now, Events(), URL, 3, 3) == \
        {"initiators": [], "buyers": []}


# -- the opening day ---------------------------------------------------------------------------
def test_the_initiator_moves_the_opening_day_before_it_comes(db):
    go = create(db, opens_on=date(2022, 3, 25))
    now = CREATED + timedelta(days=1)
    view = tx(db, opening.change_opening, go["number"], INITIATOR["id"], "2022-03-26", now, URL)
    assert (view["opens_on"], view["not_open_yet"]) == ("2022-03-26", True)
    for bad, words in (("2022-03-01", "passé"), ("2022-04-01", "précéder la date limite"),
                       ("31/12", "pas une date valide")):
        with pytest.raises(DomainError) as exc:
            tx(db, opening.change_opening, go["number"], INITIATOR["id"], bad, now, URL)
        assert exc.value.code == "invalid" and words in exc.value.message
    # another's grouped order: not found
    with pytest.raises(DomainError) as exc:
        tx(db, opening.change_opening, go["number"], 999, "2022-03-27", now, URL)
    assert exc.value.code == "not_found"
    # empty: open at once
    assert tx(db, opening.change_opening, go["number"], INITIATOR["id"], "", now, URL)[
        "not_open_yet"] is False


def test_once_open_the_opening_day_no_longer_moves(db):
    go = create(db, opens_on=date(2022, 3, 25))
    opened = datetime(2022, 3, 25, 8, 0, tzinfo=UTC)
    with pytest.raises(DomainError) as exc:
        tx(db, opening.change_opening, go["number"], INITIATOR["id"], "2022-03-27", opened, URL)
    assert exc.value.code == "conflict" and "déjà ouvertes" in exc.value.message
    plain = create(db)  # open from its creation
    with pytest.raises(DomainError):
        tx(db, opening.change_opening, plain["number"], INITIATOR["id"], "2022-03-27",
           CREATED, URL)
