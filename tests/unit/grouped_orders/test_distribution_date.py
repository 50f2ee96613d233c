"""The distribution date and the buyers told their books are ready (issue 10 K5): the rules
(a day not in the past, set once validated until distributed, mails on by default for a pickup
at the bookshop), then on SQLite: making available tells each buyer not cancelled once, with
what they owe; a new date tells them again, the same date saved twice tells nobody; every
event holds its contract and its mail renders."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import update

from services.common.contracts.events import CONTRACTS
from services.common.errors import DomainError
from services.grouped_orders import domain
from services.grouped_orders.models import GroupedOrder
from services.grouped_orders.use_cases import bookshop, distribution, distribution_date
from services.notifications.presenters import render
from tests.support.fakes import Events

from .test_distribution import LATER, ME, OTHER, SHOP, made_available
from .test_use_cases import URL, db, tx  # noqa: F401

NOW = datetime(2022, 4, 5, 15, 0, tzinfo=timezone.utc)


# ---- the rules ---------------------------------------------------------------------------------
def test_a_distribution_date_is_a_real_day_not_in_the_past():
    assert domain.check_distribution_date("2022-04-08", NOW) == date(2022, 4, 8)
    assert domain.check_distribution_date("08/04/2022", NOW) == date(2022, 4, 8)
    assert domain.check_distribution_date("2022-04-05", NOW) == date(2022, 4, 5)  # today
    assert domain.check_distribution_date("", NOW) is None  # removed
    for bad, words in (("2022-04-04", "dans le passé"), ("31/02/2022", "pas une date valide"),
                       ("demain", "pas une date valide"), ("2024-01-01", "moins d'un an")):
        with pytest.raises(DomainError) as exc:
            domain.check_distribution_date(bad, NOW)
        assert exc.value.code == "invalid" and words in exc.value.message
    assert domain.check_distribution_slot("  de 16 h 30   à 18 h ") == "de 16 h 30 à 18 h"
    with pytest.raises(DomainError):
        domain.check_distribution_slot("x" * 101)


def test_the_date_is_set_once_validated_until_distributed():
    domain.check_can_set_distribution_date(domain.PROCESSING, False)
    domain.check_can_set_distribution_date(domain.CLOSED, False)
    for status, distributed in ((domain.OPEN, False), (domain.AWAITING_VALIDATION, False),
                                (domain.CANCELLED, False), (domain.CLOSED, True)):
        with pytest.raises(DomainError) as exc:
            domain.check_can_set_distribution_date(status, distributed)
        assert exc.value.code == "conflict"


def test_buyer_mails_default_on_at_the_bookshop_off_in_class():
    assert domain.ready_mails_on(None, "bookshop") is True
    assert domain.ready_mails_on(None, "collectivity") is False
    assert domain.ready_mails_on(True, "collectivity") is True
    assert domain.ready_mails_on(False, "bookshop") is False
    assert not domain.ready_mail_wanted(domain.CLOSED, domain.SUB_CANCELLED, True)
    assert not domain.ready_mail_wanted(domain.PROCESSING, domain.PAID, True)
    assert domain.ready_mail_wanted(domain.CLOSED, domain.AWAITING_PAYMENT, True)
    assert domain.distribution_label(date(2026, 12, 14), "de 16 h 30 à 18 h") == (
        "le lundi 14 décembre 2026, de 16 h 30 à 18 h")
    assert domain.distribution_label(date(2027, 3, 1), "") == "le lundi 1er mars 2027"


# ---- the use cases ---------------------------------------------------------------------------
def validated(db):
    number, subs = made_available(db)  # back to « validated », to make it available here
    with db.transaction() as s:
        s.execute(update(GroupedOrder).where(GroupedOrder.number == number)
                  .values(status=domain.PROCESSING, made_available_at=None,
                          pickup_kind="bookshop"))
    return number, subs


def test_made_available_tells_each_buyer_where_when_and_what_to_bring(db):
    number, subs = validated(db)
    view = tx(db, distribution_date.set_distribution_date, number, "08/04/2022",
              "de 16 h 30 à 18 h", ME, NOW, Events(), URL)
    assert view["distribution_date"] == "2022-04-08" and view["buyer_ready_mails"]
    events = Events()
    tx(db, bookshop.make_available, number, LATER, events, URL)
    told = events.of("sub_order_made_available")
    assert sorted(p["sub_order_number"] for p in told) == sorted(subs.values())
    by_name = {p["buyer"]["first_name"]: p for p in told}
    for payload in told:
        CONTRACTS["sub_order_made_available"].schema().load(payload)
    to, subject, body = render("sub_order_made_available", by_name["Zoé"], URL)
    assert to == "petit@free.fr"
    assert subject == f"Vos livres sont prêts — commande n° {subs['Zoé']}"
    assert "le vendredi 8 avril 2022, de 16 h 30 à 18 h" in body
    assert "À payer au retrait : 14,90\xa0€" in body and "1 × « WESTERN COQUILLETTES »" in body
    assert by_name["Zoé"]["buyer_url"] in body
    assert f"Lieu de retrait :\n{by_name['Zoé']['grouped_order']['pickup_label']}" in body
    _, _, paid = render("sub_order_made_available", by_name["Oscar"], URL)
    assert "déjà payée" in paid and "À payer au retrait" not in paid
    (initiator,) = events.of("grouped_order_made_available")  # the initiator's mail says so
    CONTRACTS["grouped_order_made_available"].schema().load(initiator)
    _, _, told = render("grouped_order_made_available", initiator, URL)
    assert "Date de distribution : le vendredi 8 avril 2022, de 16 h 30 à 18 h." in told
    assert "Chaque acheteur reçoit aussi un e-mail" in told
    with pytest.raises(DomainError):  # made available twice: refused, nobody told again
        tx(db, bookshop.make_available, number, LATER, events, URL)
    assert len(events.of("sub_order_made_available")) == 3


def test_a_new_date_after_availability_tells_the_buyers_once(db):
    number, subs = validated(db)
    events = Events()
    tx(db, bookshop.make_available, number, LATER, events, URL)  # no date yet: said so
    _, _, body = render("sub_order_made_available", events.of("sub_order_made_available")[0],
                        URL)
    assert "vous sera communiquée" in body
    later = Events()
    tx(db, distribution_date.set_distribution_date, number, "2022-04-09", "", SHOP, NOW, later,
       URL)
    tx(db, distribution_date.set_distribution_date, number, "2022-04-09", "", ME, NOW, later,
       URL)  # the same date again: nobody mailed twice
    told = later.of("sub_order_made_available")
    assert len(told) == 3 and all(p["rescheduled"] for p in told)
    _, subject, body = render("sub_order_made_available", told[0], URL)
    assert subject.startswith("Nouvelle date de distribution") and "samedi 9 avril" in body
    with pytest.raises(DomainError) as exc:  # another initiator's: not found, nothing changed
        tx(db, distribution_date.set_distribution_date, number, "2022-04-10", "", OTHER, NOW,
           later, URL)
    assert exc.value.code == "not_found"
    with pytest.raises(DomainError) as exc:
        tx(db, distribution_date.set_distribution_date, number, "2022-04-01", "", ME, NOW,
           later, URL)
    assert exc.value.code == "invalid" and len(later.of("sub_order_made_available")) == 3


def test_the_bookshop_turns_the_buyer_mails_off(db):
    number, subs = validated(db)
    view = tx(db, distribution_date.set_buyer_ready_mails, number, False, NOW, URL)
    assert view["buyer_ready_mails"] is False
    events = Events()
    tx(db, bookshop.make_available, number, LATER, events, URL)
    tx(db, distribution_date.set_distribution_date, number, "2022-04-09", "", SHOP, NOW, events,
       URL)
    assert events.of("sub_order_made_available") == []
    assert len(events.of("grouped_order_made_available")) == 1  # the initiator's, as before
    on_the_day = datetime(2022, 4, 9, 15, 0, tzinfo=timezone.utc)  # validated on the day
    tx(db, distribution.validate, number, ME, on_the_day, events, URL)
    with pytest.raises(DomainError) as exc:  # distributed: the date is history
        tx(db, distribution_date.set_distribution_date, number, "2022-04-10", "", SHOP, NOW,
           events, URL)
    assert exc.value.code == "conflict"


def test_a_cancelled_grouped_order_takes_no_date_and_no_mail_switch_409(db):
    number, _subs = validated(db)
    tx(db, bookshop.cancel, number, "Fournisseur en rupture", NOW, Events(), URL)
    with db.transaction() as s:
        before = (s.get(GroupedOrder, number).buyer_ready_mails,
                  s.get(GroupedOrder, number).distribution_date)
    for change, args in ((distribution_date.set_distribution_date,
                          (number, "2022-04-09", "", SHOP, NOW, Events(), URL)),
                         (distribution_date.set_buyer_ready_mails,
                          (number, False, NOW, URL))):
        with pytest.raises(DomainError) as exc:
            tx(db, change, *args)
        assert exc.value.code == "conflict"
        assert "commande groupée annulée" in exc.value.message
    with db.transaction() as s:
        assert (s.get(GroupedOrder, number).buyer_ready_mails,
                s.get(GroupedOrder, number).distribution_date) == before  # unchanged


def test_the_distribution_is_validated_on_its_day_not_before(db):
    """Set for Saturday 9 April, « Valider la distribution » tapped on Tuesday 5 April mailed
    every parent not ticked « Venu » « la distribution a eu lieu et nous ne vous y avons pas
    vu(e) » four days before it: refused until the day (Paris time), nothing mailed; no date
    set, as before."""
    number, subs = made_available(db)
    events = Events()
    tx(db, distribution_date.set_distribution_date, number, "2022-04-09", "", ME, LATER,
       events, URL)
    page = tx(db, distribution.view, number, ME, "", LATER, URL)
    assert page["can_distribute"] and page["validation_waits_for"] == "2022-04-09"
    tx(db, distribution.tick, number, subs["Éloïse"], "came", True, ME, LATER)  # ticks: yes
    with pytest.raises(DomainError) as exc:
        tx(db, distribution.validate, number, ME, LATER, events, URL)
    assert exc.value.code == "conflict"
    assert exc.value.message.startswith("La distribution est prévue le samedi 9 avril 2022 : "
                                        "vous pourrez la valider ce jour-là")
    assert events.of("grouped_order_distributed") == []
    eve_late = datetime(2022, 4, 8, 21, 59, tzinfo=timezone.utc)  # 23:59 in Paris, the eve
    with pytest.raises(DomainError):
        tx(db, distribution.validate, number, ME, eve_late, events, URL)
    on_the_day = datetime(2022, 4, 8, 22, 0, tzinfo=timezone.utc)  # midnight in Paris
    assert tx(db, distribution.view, number, ME, "", on_the_day, URL)[
        "validation_waits_for"] is None
    tx(db, distribution.validate, number, ME, on_the_day, events, URL)
    (done,) = events.of("grouped_order_distributed")
    assert {a["sub_order_number"] for a in done["absent"]} == {subs["Oscar"], subs["Zoé"]}
    # no date set: validated at once, as before (test_distribution's journeys)
    assert domain.validation_waits_for(None, LATER) is None
    domain.check_validation_day(None, LATER)
