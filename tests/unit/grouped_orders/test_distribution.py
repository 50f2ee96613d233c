"""Distribution day (issue 10 K5, reference 004 steps 5 and 6): the rules of a tick, the search,
a note, the recap; then the use cases on SQLite: ticks saved once, a cheque paid at pickup
through payments' answer, the validation once with who did not come, its event checked
against its contract and its mails rendered."""
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import update

from services.common.contracts.events import CONTRACTS
from services.common.errors import DomainError
from services.grouped_orders import domain
from services.grouped_orders.models import GroupedOrder, SubOrder
from services.grouped_orders.use_cases import bookshop, buyers, distribution, initiator
from tests.support.fakes import Events

from .test_use_cases import CLIENT, INITIATOR, NOW, URL, WESTERN, db, pay, tx  # noqa: F401

LATER = datetime(2022, 4, 5, 15, 0, tzinfo=timezone.utc)
ME = {"id": INITIATOR["id"], "role": "collectivite", "email": INITIATOR["email"]}
SHOP = {"id": 1, "role": "admin", "email": "libraire@librairie.test"}
OTHER = {"id": 99, "role": "collectivite", "email": "autre@college.test"}


# ---- the domain ------------------------------------------------------------------------------
def test_the_search_ignores_accents_case_and_order():
    assert domain.search_key("  Éloïse   DURAND ") == "eloise durand"
    assert domain.matches("eloise", "Éloïse", "Durand")
    assert domain.matches("DURAND élo", "Éloïse", "Durand")
    assert domain.matches("", "Éloïse", "Durand")
    # the pupil the parent named: the search sent by the page (?q=) finds it too
    assert domain.matches("hugo cp", "Emma", "Blanc", "Hugo Blanc, CP")
    assert not domain.matches("hugo", "Emma", "Blanc")
    assert not domain.matches("martin", "Éloïse", "Durand")


def test_a_tick_changes_only_what_changes_and_all_collected_means_came():
    assert domain.tick_values(False, False, "came", True) == {"came": True}
    assert domain.tick_values(True, False, "came", True) == {}  # the same tick twice
    assert domain.tick_values(False, False, "collected_all", True) == {
        "came": True, "collected_all": True}
    assert domain.tick_values(True, True, "came", False) == {"came": False,
                                                             "collected_all": False}
    assert domain.tick_values(True, True, "collected_all", False) == {"collected_all": False}
    with pytest.raises(DomainError) as exc:
        domain.check_tick("paid", domain.PAID)
    assert exc.value.code == "invalid"
    with pytest.raises(DomainError) as exc:
        domain.check_tick("came", domain.SUB_CANCELLED)
    assert exc.value.code == "conflict"


def test_distribution_runs_once_made_available_until_validated():
    domain.check_can_distribute(domain.CLOSED, False)
    for status in (domain.OPEN, domain.PROCESSING, domain.CANCELLED):
        with pytest.raises(DomainError) as exc:
            domain.check_can_distribute(status, False)
        assert "mise à disposition" in exc.value.message
    with pytest.raises(DomainError) as exc:
        domain.check_can_distribute(domain.CLOSED, True)
    assert exc.value.message == domain.DISTRIBUTION_ALREADY_DONE


@pytest.mark.parametrize("amount", ["", "0", "-3", "abc", "12,505", "10000,01", "NaN", "1e3",
                                    "€", "€12", "12 €€"])
def test_a_note_needs_a_positive_amount_to_the_cent(amount):
    with pytest.raises(DomainError) as exc:
        domain.check_note("refund", amount, "monnaie rendue")
    assert exc.value.code == "invalid" and "amount" in exc.value.details


def test_a_note_is_a_refund_or_an_extra_payment_with_a_reason():
    assert domain.check_note("extra", " 12,5 ", " livre en plus ") == (
        "extra", Decimal("12.50"), "livre en plus")
    # as a person types it, with the euro sign (it was refused)
    assert domain.check_note("extra", "12,50 €", "x")[1] == Decimal("12.50")
    assert domain.check_note("extra", "3\u00a0€", "x")[1] == Decimal("3.00")
    with pytest.raises(DomainError) as exc:
        domain.check_note("gift", "2", "x")
    assert "kind" in exc.value.details
    with pytest.raises(DomainError) as exc:
        domain.check_note("refund", "2", "   ")
    assert "comment" in exc.value.details


def test_a_refund_at_pickup_never_exceeds_what_the_buyer_paid():
    paid = domain.refundable(domain.PAID, Decimal("44.70"), [])
    assert paid == Decimal("44.70")
    assert domain.check_note("refund", "44,70", "livre abîmé", paid)[1] == Decimal("44.70")
    with pytest.raises(DomainError) as exc:  # 10 000 € on a 44,70 € order: refused
        domain.check_note("refund", "10000", "erreur", paid)
    assert "44,70 €" in exc.value.message and exc.value.details["amount"]
    after = domain.refundable(domain.PAID, Decimal("44.70"),
                              [("refund", Decimal("40.00")), ("extra", Decimal("5.00"))])
    assert after == Decimal("9.70")  # 44,70 + 5 noted extra - 40 already handed back
    assert domain.refundable(domain.AWAITING_PAYMENT, Decimal("14.90"), []) == 0  # paid nothing
    assert domain.check_note("extra", "100", "livre en plus", Decimal("0"))[1] == 100


def test_the_recap_and_the_absent():
    subs = [(1, domain.PAID), (2, domain.PAID), (3, domain.SUB_CANCELLED), (4, domain.PAID)]
    marks = {1: (True, True), 2: (True, False)}
    notes = [("refund", Decimal("2.10")), ("extra", Decimal("5.00")), ("refund", Decimal("1"))]
    assert domain.absent_numbers(subs, {1, 2}) == [4]
    recap = domain.distribution_recap(subs, marks, notes)
    assert recap == {"expected": 3, "came": 2, "collected_all": 1, "absent": 1,
                     "refunds": Decimal("3.10"), "extra_payments": Decimal("5.00"),
                     "came_owing": [], "came_owing_total": Decimal("0.00"),
                     "absent_owing": [], "absent_owing_total": Decimal("0.00")}


def test_a_pickup_payment_is_only_for_a_sub_order_awaiting_it():
    domain.check_pickup_payment(domain.AWAITING_PAYMENT)
    for status in (domain.PAID, domain.SUB_CANCELLED):
        with pytest.raises(DomainError):
            domain.check_pickup_payment(status)


# ---- the use cases ---------------------------------------------------------------------------
def made_available(db):
    """A grouped order with three buyers: Éloïse and Oscar paid online; Zoé chose a cheque
    (set before the grouped order is made available: today's validation waits for every
    payment, distribution day takes the cheques still due)."""
    events = Events()
    go = tx(db, initiator.create, INITIATOR, CLIENT, WESTERN,
            {"deadline": date(2022, 3, 29).isoformat(), "pickup": "address-0"}, NOW, events,
            URL, "À la librairie", "online,cheque")
    token = go["subscription_url"].rsplit("/", 1)[1]
    subs = {}
    for first, last, method in (("Éloïse", "Durand", "online"), ("Oscar", "Martin", "online"),
                                ("Zoé", "Petit", "cheque")):
        begun = tx(db, buyers.subscribe_and_begin_payment, token, {
            "first_name": first, "last_name": last, "email": f"{last.lower()}@free.fr",
            "quantity": 1, "accepted_terms": True, "payment_method": method}, NOW, Events(),
            URL)
        subs[first] = begun["sub"]
    for i, first in enumerate(("Éloïse", "Oscar")):
        pay(db, events, token, subs[first], f"pay_{i}")
    with db.transaction() as s:
        s.execute(update(GroupedOrder).where(GroupedOrder.number == go["number"])
                  .values(status=domain.CLOSED, made_available_at=NOW))
    return go["number"], {k: v["number"] for k, v in subs.items()}


def test_the_page_lists_the_buyers_by_name_and_searches_without_accents(db):
    number, subs = made_available(db)
    page = tx(db, distribution.view, number, ME, "", LATER, URL)
    assert [b["last_name"] for b in page["buyers"]] == ["Durand", "Martin", "Petit"]
    assert page["can_distribute"] and not page["distributed"]
    zoe = page["buyers"][2]
    assert (zoe["awaiting_payment"], zoe["total"], zoe["lines"]) == (
        True, "14.90", [{"title": "WESTERN COQUILLETTES", "quantity": 1}])
    found = tx(db, distribution.view, number, SHOP, "ELOISE", LATER, URL)
    assert [b["first_name"] for b in found["buyers"]] == ["Éloïse"] and found["count"] == 3
    with pytest.raises(DomainError) as exc:  # another initiator: not even said to exist
        tx(db, distribution.view, number, OTHER, "", LATER, URL)
    assert exc.value.code == "not_found"


def test_the_same_tick_twice_is_one_change(db):
    number, subs = made_available(db)
    first = tx(db, distribution.tick, number, subs["Oscar"], "came", True, ME, LATER)
    again = tx(db, distribution.tick, number, subs["Oscar"], "came", True, ME, LATER)
    assert (first["came"], first["changed"]) == (True, True)
    assert (again["came"], again["changed"]) == (True, False)
    both = tx(db, distribution.tick, number, subs["Éloïse"], "collected_all", True, SHOP, LATER)
    assert (both["came"], both["collected_all"]) == (True, True)
    page = tx(db, distribution.view, number, ME, "", LATER, URL)
    assert page["recap"]["came"] == 2 and page["recap"]["absent"] == 1
    assert [a["last_name"] for a in page["absent"]] == ["Petit"]
    with pytest.raises(DomainError) as exc:  # a sub-order of another grouped order
        tx(db, distribution.tick, number, 999, "came", True, ME, LATER)
    assert exc.value.code == "invalid"
    with pytest.raises(DomainError) as exc:  # another initiator's: not found, first
        tx(db, distribution.tick, number, 999, "came", True, OTHER, LATER)
    assert exc.value.code == "not_found"


def test_a_cheque_at_pickup_goes_through_payments_and_pays_the_sub_order(db):
    number, subs = made_available(db)
    asked = []

    def record_payment(kind, ref, amount, method, cheque_number, by):
        asked.append((kind, ref, amount, method, cheque_number, by))
        return {"payment_id": "pay_m1", "method": method, "cheque_number": "1234567"}
    events = Events()
    done = tx(db, distribution.record_pickup_payment, number, subs["Zoé"], "cheque", "1234567",
              ME, record_payment, LATER, events, URL)
    assert done["paid_by"] == "chèque n° 1234567" and done["status"] == "paid"
    assert asked == [("sub_order", str(subs["Zoé"]), "14.90", "cheque", "1234567",
                      INITIATOR["email"])]
    assert [p["sub_order_number"] for p in events.of("sub_order_paid")] == [subs["Zoé"]]
    with pytest.raises(DomainError) as exc:  # paid already: payments is not asked again
        tx(db, distribution.record_pickup_payment, number, subs["Zoé"], "cheque", "1234567",
           ME, record_payment, LATER, events, URL)
    assert exc.value.code == "conflict" and len(asked) == 1


def test_validation_once_lists_the_absent_and_mails(db):
    from services.notifications.presenters import render
    number, subs = made_available(db)
    tx(db, distribution.tick, number, subs["Oscar"], "collected_all", True, ME, LATER)
    tx(db, distribution.add_note, number, subs["Oscar"], "refund", "2,50", "monnaie", ME, LATER)
    events = Events()
    view = tx(db, distribution.validate, number, ME, LATER, events, URL)
    assert view["distributed"] and not view["can_distribute"]
    assert [a["first_name"] for a in view["absent"]] == ["Éloïse", "Zoé"]
    (payload,) = events.of("grouped_order_distributed")
    CONTRACTS["grouped_order_distributed"].schema().load(payload)  # the contract holds
    assert (payload["came"], payload["refunds"], len(payload["absent"])) == (1, "2.50", 2)
    to, subject, body = render("grouped_order_distributed", payload, URL)
    assert to == INITIATOR["email"] and "distribution validée" in subject
    assert "Absents : 2" in body and "Remboursement de 2,50" in body and "Zoé Petit" in body
    to, subject, body = render("grouped_order_distributed_absent",
                               dict(payload, **payload["absent"][0]), URL)
    assert to == "durand@free.fr" and "Vos livres vous attendent" in subject
    with pytest.raises(DomainError) as exc:  # twice: refused, no second event
        tx(db, distribution.validate, number, SHOP, LATER, events, URL)
    assert exc.value.message == domain.DISTRIBUTION_ALREADY_DONE
    with pytest.raises(DomainError):  # and nothing more is ticked
        tx(db, distribution.tick, number, subs["Zoé"], "came", True, ME, LATER)
    with pytest.raises(DomainError):  # nor is the status reset
        tx(db, bookshop.reset_status, number, LATER, URL)
    assert len(events.of("grouped_order_distributed")) == 1


def test_a_buyer_who_pays_at_pickup_came(db):
    """« A payé » at the table: the buyer was there. Without « Venu » ticked too, the
    validation listed them among the absent and mailed them « Vos livres vous attendent »
    minutes after they paid. After the validation (an absent buyer paying afterwards) the
    ticks are closed: the payment alone is recorded."""
    number, subs = made_available(db)

    def record_payment(kind, ref, amount, method, cheque_number, by):
        return {"payment_id": "pay_m1", "method": method, "cheque_number": ""}
    tx(db, distribution.record_pickup_payment, number, subs["Zoé"], "cash", "", ME,
       record_payment, LATER, Events(), URL)
    page = tx(db, distribution.view, number, ME, "", LATER, URL)
    zoe = next(b for b in page["buyers"] if b["first_name"] == "Zoé")
    assert zoe["came"] and not zoe["collected_all"]
    view = tx(db, distribution.validate, number, ME, LATER, Events(), URL)
    assert [a["first_name"] for a in view["absent"]] == ["Éloïse", "Oscar"]


def test_a_buyer_s_own_page_knows_the_distribution_is_over(db):
    """After « Valider la distribution », an absent parent paying at pickup still read « venez
    les retirer le jeudi 10 décembre … », a day past: their page now knows it is over."""
    number, subs = made_available(db)
    with db.transaction() as s:
        go = s.get(GroupedOrder, number)
        token = go.token
        tokens = {x.number: x.buyer_token for x in go.subs}
    zoe = tokens[subs["Zoé"]]
    assert tx(db, buyers.buyer_status, token, zoe, LATER)["grouped_order"]["distributed"] is \
        False
    tx(db, distribution.validate, number, ME, LATER, Events(), URL)
    assert tx(db, buyers.buyer_status, token, zoe, LATER)["grouped_order"]["distributed"] is True


def test_money_handed_back_at_pickup_is_on_the_parents_page(db):
    """« Remboursements » on the parent's page left out what was handed back on distribution
    day: « Total remboursé : 29,80 € » of 44,70 € given back."""
    number, subs = made_available(db)
    tx(db, distribution.add_note, number, subs["Oscar"], "refund", "4.90",
       "Exemplaire abîmé", ME, LATER)
    with db.transaction() as s:
        sub = s.get(SubOrder, subs["Oscar"])
        token, buyer_token = sub.grouped_order.token, sub.buyer_token
    view = tx(db, buyers.buyer_status, token, buyer_token, LATER)
    (handed,) = view["refunds"]
    assert (handed["kind"], handed["state"], handed["amount"], handed["by_hand"]) == (
        "at_pickup", "refunded", "4.90", False)
    assert handed["text"] == "Rendu au retrait des livres (Exemplaire abîmé)"
    assert view["refunded_total"] == "4.90"



def test_what_credit_notes_gave_back_is_not_handed_back_again_at_pickup():
    from decimal import Decimal
    assert domain.refundable(domain.PAID, "29.80", [], Decimal("10.00")) == Decimal("19.80")
    assert domain.refundable(domain.PAID, "29.80", [], Decimal("29.80")) == Decimal("0.00")
    with pytest.raises(DomainError):
        domain.check_note("refund", "0,01", "espèces",
                          domain.refundable(domain.PAID, "29.80", [], Decimal("29.80")))


def test_no_note_on_a_cancelled_order_not_on_the_list(db):
    """A note on a cancelled sub-order said « ne peut pas dépasser 0,00 € »."""
    from services.grouped_orders.models import SubOrder
    number, subs = made_available(db)
    with db.transaction() as s:
        s.execute(update(SubOrder).where(SubOrder.number == subs["Zoé"])
                  .values(status=domain.SUB_CANCELLED))
    with pytest.raises(DomainError) as exc:
        tx(db, distribution.add_note, number, subs["Zoé"], "extra", "2,00", "x", ME, LATER)
    assert exc.value.code == "invalid" and "annulée" in exc.value.message
    assert exc.value.details == {"sub": ["Un acheteur de la liste."]}
