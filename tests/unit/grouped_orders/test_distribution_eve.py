"""The eve of distribution day: each buyer not cancelled gets ONE reminder mail the day before
(from 8 h, Paris time), if the grouped order's buyer mails are on: once per date even with two
instances (a guarded claim), none for a date already past, and a date moved later waits for
its own eve."""
from datetime import date, datetime, timezone

from sqlalchemy import select, update

from services.common.contracts.events import load_envelope, make_envelope
from services.grouped_orders import domain
from services.grouped_orders.models import SubOrder
from services.grouped_orders.use_cases import distribution_date, distribution_eve
from tests.support.fakes import Events

from .test_distribution import LATER, SHOP, made_available
from .test_use_cases import URL, db, tx  # noqa: F401

D = date(2022, 4, 8)                   # a Friday
EVE_8H = datetime(2022, 4, 7, 6, 0, tzinfo=timezone.utc)   # 8 h in Paris (summer time)
P, C, CL = domain.PROCESSING, domain.CLOSED, domain.SUB_CANCELLED


def utc(day, hour, minute=0):
    return datetime(2022, 4, day, hour, minute, tzinfo=timezone.utc)


# ---- the rule --------------------------------------------------------------------------------
def test_due_on_the_eve_from_8h_paris_until_the_day_itself():
    def due(now, **kw):
        args = dict(go_status=C, distributed=False, day=D, mails_on=True,
                    sub_status=domain.PAID, reminded_for=None)
        args.update(kw)
        return domain.eve_reminder_due(now=now, **args)
    assert domain.eve_reminder_starts_at(D) == EVE_8H
    assert not due(utc(7, 5, 59))                       # 7 h 59 in Paris: not yet
    assert due(EVE_8H) and due(utc(7, 21, 59))          # the eve, until Paris midnight
    assert not due(utc(7, 22, 0))                       # the day itself: too late
    assert not due(utc(9, 8))                           # a date past: never
    assert due(EVE_8H, go_status=P)                     # validated, not made available yet
    assert not due(EVE_8H, go_status=domain.CANCELLED)
    assert not due(EVE_8H, distributed=True)
    assert not due(EVE_8H, mails_on=False)              # the grouped order's switch
    assert not due(EVE_8H, sub_status=CL)
    assert not due(EVE_8H, reminded_for=D)              # once per date
    assert due(EVE_8H, reminded_for=date(2022, 4, 6))   # reminded of an earlier date
    assert not due(EVE_8H, day=None)


# ---- the use case ----------------------------------------------------------------------------
def a_date_set(db, day=D, mails=True):
    number, subs = made_available(db)  # Éloïse, Oscar paid; Zoé pays by cheque
    tx(db, distribution_date.set_buyer_ready_mails, number, mails, LATER, URL)
    tx(db, distribution_date.set_distribution_date, number, day.isoformat(), "de 16 h 30 à 18 h",
       SHOP, LATER, Events(), URL)
    return number, subs


def remind(db, now):
    events = Events()
    done = tx(db, distribution_eve.remind_eve, now, events, URL)
    return done, events.of("sub_order_distribution_reminded")


def test_each_buyer_once_on_the_eve_with_what_to_bring(db):
    number, subs = a_date_set(db)
    with db.transaction() as s:  # cancelled before the grouped order was made available
        s.execute(update(SubOrder).where(SubOrder.number == subs["Éloïse"]).values(status=CL))
    assert remind(db, utc(6, 10)) == ([], [])           # two days before: nothing
    done, events = remind(db, EVE_8H)
    assert sorted(done) == sorted([subs["Oscar"], subs["Zoé"]])  # not the cancelled one
    loaded = {e["sub_order_number"]: load_envelope(
        "sub_order_distribution_reminded",
        make_envelope("sub_order_distribution_reminded", e, "grouped_orders"))[1]
        for e in events}
    zoe, oscar = loaded[subs["Zoé"]], loaded[subs["Oscar"]]
    assert (zoe["distribution_date"], zoe["distribution_slot"]) == ("2022-04-08",
                                                                    "de 16 h 30 à 18 h")
    assert zoe["distribution_label"] == "le vendredi 8 avril 2022, de 16 h 30 à 18 h"
    assert str(zoe["amount_due"]) == "14.90" and oscar["amount_due"] is None
    assert zoe["buyer_url"].endswith(f"/commande/{zoe['buyer_url'].rsplit('/', 1)[1]}")
    assert [(x["title"], x["quantity"]) for x in zoe["lines"]] == [("WESTERN COQUILLETTES", 1)]
    # the timer again, or a second instance: nothing more
    assert remind(db, utc(7, 6, 1)) == ([], [])
    assert remind(db, utc(7, 20)) == ([], [])


def test_two_instances_claim_each_buyer_once(db):
    number, subs = a_date_set(db)
    with db.transaction() as s:
        assert distribution_eve.claim(s, subs["Oscar"], None, D)
        assert not distribution_eve.claim(s, subs["Oscar"], None, D)  # the other instance
    done, _ = remind(db, EVE_8H)
    assert subs["Oscar"] not in done and subs["Zoé"] in done


def test_a_date_moved_later_waits_for_its_own_eve_and_a_past_one_never_mails(db):
    number, subs = a_date_set(db)
    later = date(2022, 4, 12)
    tx(db, distribution_date.set_distribution_date, number, later.isoformat(), "", SHOP,
       utc(6, 9), Events(), URL)
    assert remind(db, EVE_8H) == ([], [])                # the old eve: nothing
    assert remind(db, utc(10, 9)) == ([], [])            # two days before the new date
    done, events = remind(db, utc(11, 6))                # the new eve
    assert len(done) == 3 and {e["distribution_date"] for e in events} == {"2022-04-12"}
    assert remind(db, utc(13, 8)) == ([], [])            # past: never
    with db.transaction() as s:
        reminded = s.scalars(select(SubOrder.eve_reminded_for))
        assert set(reminded) == {later}  # the date each was reminded of


def test_no_reminder_when_the_buyer_mails_are_off(db):
    a_date_set(db, mails=False)
    assert remind(db, EVE_8H) == ([], [])
