"""Paying at pickup (issue 10 K5, reference 004): the fourth payment method « à payer au
retrait ». The rules (allowed per grouped order, committed but never paid, the minimum, the
validation, no reminder, the distribution's recap), then the use cases on SQLite: a buyer
subscribes with it (no online payment, the confirmation mail), the grouped order is validated
with that sub-order unpaid (the classic order's lines count it, « payés » does not), paid in
cash on distribution day through payments' answer, and the recap lists who still owes."""
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import update

from services.common.contracts.events import CONTRACTS
from services.common.errors import DomainError
from services.grouped_orders import domain
from services.grouped_orders.models import GroupedOrder
from services.grouped_orders.use_cases import bookshop, buyers, capacity, distribution, \
    initiator, reminders
from services.grouped_orders.sheet import sheet
from tests.support.fakes import Events

from .test_use_cases import CLIENT, INITIATOR, NOW, URL, WESTERN, db, pay, tx  # noqa: F401

LATER = datetime(2022, 4, 5, 15, 0, tzinfo=timezone.utc)
ME = {"id": INITIATOR["id"], "role": "collectivite", "email": INITIATOR["email"]}
P = domain.PICKUP


# ---- the rules -------------------------------------------------------------------------------
def test_the_bookshop_allows_paying_at_pickup_per_grouped_order():
    assert domain.methods_of("pickup,online") == ("online", "pickup")
    assert domain.methods_of("online,cheque,cash,pickup") == ("online", "cheque", "cash",
                                                              "pickup")
    assert domain.allowed_methods_from_form(False, False, True) == "online,pickup"
    assert domain.allowed_methods_from_form(True, False) == "online,cheque"  # as before
    assert domain.default_payment_methods("online,pickup") == "online,pickup"
    assert domain.check_buyer_method("pickup", "online,pickup") == "pickup"
    with pytest.raises(DomainError) as exc:  # not allowed for this one: a French 400
        domain.check_buyer_method("pickup", "online,cheque")
    assert exc.value.code == "invalid" and "pas proposé" in exc.value.message
    with pytest.raises(DomainError):
        domain.check_buyer_method("bitcoin", "online,pickup")
    # what the bookshop records is a cheque or cash, never « pickup » itself
    assert not domain.is_offline(P) and not domain.starts_online_payment(P)
    assert domain.at_pickup(domain.AWAITING_PAYMENT, P)
    assert not domain.at_pickup(domain.PAID, P)
    assert not domain.at_pickup(domain.AWAITING_PAYMENT, domain.CHEQUE)


def _subs():
    key = 1
    return [domain.Sub(1, domain.PAID, (domain.Line(key, 2, Decimal("14.90")),)),
            domain.Sub(2, domain.AWAITING_PAYMENT, (domain.Line(key, 1, Decimal("14.90")),), P),
            domain.Sub(3, domain.SUB_CANCELLED, (domain.Line(key, 1, Decimal("14.90")),), P)]


def test_a_sub_order_to_pay_at_pickup_is_ordered_but_never_counted_as_paid():
    s = domain.summarize(_subs(), [1])
    assert (s.articles[domain.PAID], s.totals[domain.PAID]) == (2, Decimal("29.80"))
    assert s.at_pickup == {"sub_orders": 1, "articles": 1, "total": Decimal("14.90")}
    assert (s.ordered_articles, s.ordered_total) == (3, Decimal("44.70"))
    f = s.titles[1]
    assert (f.copies[domain.PAID], f.pickup_copies, f.ordered_copies) == (2, 1, 3)
    assert f.ordered_total == Decimal("44.70")


def test_the_validation_waits_for_cheques_not_for_payments_at_pickup():
    closed = datetime(2022, 4, 1, tzinfo=timezone.utc)
    deadline = date(2022, 3, 29)
    assert domain.validation_blockers(domain.OPEN, deadline, closed, _subs()) == []
    only_pickup = _subs()[1:]  # nobody paid: the pickup buyer's commitment is enough
    assert domain.validation_blockers(domain.OPEN, deadline, closed, only_pickup) == []
    cheque = domain.Sub(4, domain.AWAITING_PAYMENT, (), domain.CHEQUE)
    (reason,) = domain.validation_blockers(domain.OPEN, deadline, closed, _subs() + [cheque])
    assert "n° 4" in reason and "n° 2" not in reason


def test_the_minimum_counts_the_copies_to_pay_at_pickup_the_public_label_too():
    p = domain.progress(5, None, 2, 3, at_pickup=3)
    assert (p["minimum_reached"], p["label"], p["percent"]) == (True, "5 / 5 exemplaires", 100)
    assert p["paid"] == 2 and p["at_pickup"] == 3
    assert not domain.progress(5, None, 2, 3)["minimum_reached"]  # as before
    assert domain.minimum_failure_reason(10, 4, 1) == (
        "Minimum non atteint à la clôture des souscriptions : 4 exemplaires payés ou à payer au retrait sur "
        "les 10 nécessaires.")


def test_a_buyer_paying_at_pickup_is_never_reminded_to_pay():
    args = (domain.OPEN, date(2022, 3, 31), None, True, domain.AWAITING_PAYMENT,
            datetime(2022, 3, 20, tzinfo=timezone.utc), None,
            datetime(2022, 3, 29, 8, tzinfo=timezone.utc), 3)
    assert domain.buyer_reminder_due(*args, domain.CHEQUE)
    assert not domain.buyer_reminder_due(*args, P)


def test_the_recap_lists_who_came_without_paying_and_who_did_not_come():
    subs = [(1, domain.PAID), (2, domain.AWAITING_PAYMENT), (3, domain.AWAITING_PAYMENT),
            (4, domain.SUB_CANCELLED)]
    owing = {2: Decimal("14.90"), 3: Decimal("29.80")}
    recap = domain.distribution_recap(subs, {1: (True, True), 2: (True, False)}, [], owing)
    assert (recap["came_owing"], recap["came_owing_total"]) == ([2], Decimal("14.90"))
    assert (recap["absent_owing"], recap["absent_owing_total"]) == ([3], Decimal("29.80"))


# ---- the use cases ---------------------------------------------------------------------------
def a_grouped_order(db, events):
    """Online, cheque and pickup allowed; Alice pays online (2 copies), Paul (1) and Pia (2)
    pay at pickup."""
    go = tx(db, initiator.create, INITIATOR, CLIENT, WESTERN,
            {"deadline": date(2022, 3, 29).isoformat(), "pickup": "address-0"}, NOW, events,
            URL, "À la librairie", "online,cheque,pickup")
    token = go["subscription_url"].rsplit("/", 1)[1]
    subs = {}
    for first, qty, method in (("Alice", 2, "online"), ("Paul", 1, P), ("Pia", 2, P)):
        subs[first] = tx(db, buyers.subscribe_and_begin_payment, token, {
            "first_name": first, "last_name": "Roux", "email": f"{first.lower()}@free.fr",
            "quantity": qty, "accepted_terms": True, "payment_method": method}, NOW, events,
            URL)
    pay(db, events, token, subs["Alice"]["sub"], "pay_alice")
    return go, token, {k: v["sub"]["number"] for k, v in subs.items()}, subs


def test_subscribing_to_pay_at_pickup_starts_no_payment_and_says_how_much_when_where(db):
    from services.notifications.domain import mails
    from services.notifications.presenters import render
    events = Events()
    go, token, numbers, subs = a_grouped_order(db, events)
    paul = subs["Paul"]
    assert paul["attempt"] is None and paul["sub"]["payment_method"] == P
    assert paul["sub"]["at_pickup"] and paul["sub"]["status"] == domain.AWAITING_PAYMENT
    placed = [p for p in events.of("sub_order_placed") if p["sub_order_number"] == numbers["Paul"]]
    CONTRACTS["sub_order_placed"].schema().load(placed[0])  # the contract takes « pickup »
    assert mails.wanted("sub_order_placed", placed[0])
    to, subject, body = render("sub_order_placed", placed[0], URL)
    assert to == "paul@free.fr" and "à payer au retrait" in subject
    assert "vos livres sont réservés" in body and "14,90" in body
    assert "ANNEXE" in body and "jour de la distribution" in body
    # the reminder timer passes them by (they pay on distribution day)
    with db.transaction() as s:
        s.execute(update(GroupedOrder).values(deadline=date(2022, 4, 1),
                                              closes_at=datetime(2022, 3, 31, 22, 0,
                                                                 tzinfo=timezone.utc)))
    reminded = tx(db, reminders.remind_buyers, datetime(2022, 3, 30, 8, tzinfo=timezone.utc),
                  Events(), URL, 3)
    assert reminded == []
    # the progress toward a minimum counts them with the paid ones
    with db.transaction() as s:
        go_row = s.get(GroupedOrder, go["number"])
        go_row.min_copies = 5
        assert capacity.progress_of(s, go_row)["label"] == "5 / 5 exemplaires"


def test_validated_with_them_unpaid_paid_at_pickup_and_the_recap(db):
    from services.notifications.presenters import render
    events = Events()
    go, token, numbers, subs = a_grouped_order(db, events)
    number = go["number"]
    view = tx(db, bookshop.validate, number, LATER, events, URL)  # the pickup ones unpaid
    assert view["status"] == domain.PROCESSING
    (validated,) = events.of("grouped_order_validated")
    # the classic order: every copy ordered (2 paid + 3 at pickup); « payés »: 2
    assert [(x["quantity"], x["total_ttc"]) for x in validated["lines"]] == [(5, "74.50")]
    assert (validated["quantity"], validated["total_ttc"]) == (5, "74.50")
    page = tx(db, bookshop.get, number, LATER, URL)
    assert (page["summary"]["articles"]["paid"], page["summary"]["total_paid"]) == (2, "29.80")
    assert page["summary"]["at_pickup"] == {"sub_orders": 2, "articles": 3, "total": "44.70"}
    assert not page["pending_payments"] and page["progress"]["paid"] == 2
    pdf = sheet(page)  # the sign-in sheet: a column of the amount due at pickup
    assert "À payer au retrait" in [c.title for c in pdf.columns]
    by_name = {row[2]: row for row in pdf.rows}
    assert by_name["Paul"][-2] == "14,90\u00a0€" and by_name["Alice"][-2] == ""
    assert any("À encaisser au retrait : 2 sous-commande(s), 3 article(s), 44,70" in line
               for line in pdf.summary)

    with db.transaction() as s:
        s.execute(update(GroupedOrder).where(GroupedOrder.number == number)
                  .values(status=domain.CLOSED, made_available_at=LATER))
    d = tx(db, distribution.view, number, ME, "", LATER, URL)
    due = {b["first_name"]: b["due"] for b in d["buyers"]}
    assert due == {"Alice": None, "Paul": "14.90", "Pia": "29.80"}

    asked = []

    def record_payment(kind, ref, amount, method, cheque_number, by):
        asked.append((ref, amount, method))
        if len(asked) > 1:  # payments keeps one payment per sub-order: the second is a 409
            raise DomainError("conflict", "Le paiement de cette commande est déjà enregistré.")
        return {"payment_id": "pay_m1", "method": method, "cheque_number": ""}
    done = tx(db, distribution.record_pickup_payment, number, numbers["Paul"], "cash", "", ME,
              record_payment, LATER, events, URL)
    assert (done["status"], done["paid_by"]) == ("paid", "espèces")
    assert asked == [(str(numbers["Paul"]), "14.90", "cash")]
    with pytest.raises(DomainError) as exc:  # the second tap: refused before payments
        tx(db, distribution.record_pickup_payment, number, numbers["Paul"], "cash", "", ME,
           record_payment, LATER, events, URL)
    assert exc.value.code == "conflict" and len(asked) == 1
    with pytest.raises(DomainError) as exc:  # « pickup » is not what was handed over
        tx(db, distribution.record_pickup_payment, number, numbers["Pia"], "pickup", "", ME,
           record_payment, LATER, events, URL)
    assert exc.value.code == "invalid"
    (paid,) = [p for p in events.of("sub_order_paid") if p["sub_order_number"] == numbers["Paul"]]
    assert paid["payment_method"] == "cash" and paid["manual"]

    tx(db, distribution.tick, number, numbers["Paul"], "collected_all", True, ME, LATER)
    tx(db, distribution.tick, number, numbers["Alice"], "came", True, ME, LATER)
    d = tx(db, distribution.view, number, ME, "", LATER, URL)
    assert d["recap"]["came_owing"] == []
    assert [(o["first_name"], o["total"]) for o in d["recap"]["absent_owing"]] == [
        ("Pia", "29.80")]
    view = tx(db, distribution.validate, number, ME, LATER, events, URL)
    (payload,) = events.of("grouped_order_distributed")
    CONTRACTS["grouped_order_distributed"].schema().load(payload)
    assert [a["buyer"]["first_name"] for a in payload["absent_owing"]] == ["Pia"]
    assert payload["not_collected"] == "29.80"
    _, _, body = render("grouped_order_distributed", payload, URL)
    assert "ABSENTS QUI DEVAIENT PAYER AU RETRAIT" in body and "29,80" in body
    # Pia's own mail says she still has to pay, how much and how (found by the exploration:
    # « Vos livres vous attendent … 29,80 € » alone, as to a buyer who had paid)
    from services.notifications.use_cases.mails import absent_mail_payload
    _, _, body = render("grouped_order_distributed_absent",
                        absent_mail_payload(payload, payload["absent"][0]), URL)
    assert "À payer au retrait : 29,80\u00a0€, par chèque" in body
    page = tx(db, bookshop.get, number, LATER, URL)  # Pia still owes: not paid
    assert page["summary"]["at_pickup"] == {"sub_orders": 1, "articles": 2, "total": "29.80"}
    assert page["summary"]["total_paid"] == "44.70"

    # Pia, absent, comes to the pickup place afterwards as her mail says: the bookshop records
    # her cash (found by the exploration: a 409, the money could never be recorded); the ticks
    # and the notes stay closed
    d = tx(db, distribution.view, number, ME, "", LATER, URL)
    assert not d["can_distribute"] and d["can_record_payments"]
    asked.clear()
    done = tx(db, distribution.record_pickup_payment, number, numbers["Pia"], "cash", "", ME,
              record_payment, LATER, events, URL)
    assert done["status"] == "paid" and asked == [(str(numbers["Pia"]), "29.80", "cash")]
    with pytest.raises(DomainError) as exc:
        tx(db, distribution.tick, number, numbers["Pia"], "came", True, ME, LATER)
    assert exc.value.code == "conflict"
    page = tx(db, bookshop.get, number, LATER, URL)
    assert page["summary"]["at_pickup"]["sub_orders"] == 0
    assert page["summary"]["total_paid"] == "74.50"


def test_below_the_minimum_they_are_cancelled_with_nothing_to_pay(db):
    from services.notifications.presenters import render
    events = Events()
    go, token, numbers, subs = a_grouped_order(db, events)
    with db.transaction() as s:
        s.execute(update(GroupedOrder).values(min_copies=6))
    tx(db, bookshop.close_expired, LATER, events, URL)
    failed = [p for p in events.of("grouped_order_failed") if p["audience"] == "buyer"]
    paul = next(p for p in failed if p["sub_order_number"] == numbers["Paul"])
    CONTRACTS["grouped_order_failed"].schema().load(paul)
    assert not paul["refund_expected"] and paul["paid_copies"] == 5  # 2 paid + 3 at pickup
    assert "ou à payer au retrait" in paul["reason"]
    _, _, body = render("grouped_order_failed", paul, URL)
    assert "rien à payer" in body and "débité" not in body
    refunds = events.of("refund_requested")  # Alice only: nothing to refund at pickup
    assert [r["reference_id"] for r in refunds] == [str(numbers["Alice"])]


def test_a_title_cut_reduces_what_they_pay_at_pickup_no_refund(db):
    from services.grouped_orders.use_cases import unavailability
    from services.notifications.presenters import render
    events = Events()
    go, token, numbers, subs = a_grouped_order(db, events)
    number = go["number"]
    title_id = tx(db, unavailability.admin_view, number)["titles"][0]["title_id"]
    tx(db, bookshop.close_expired, LATER, events, URL)
    # 4 copies for 5 ordered: Alice 2, Paul 1, Pia 2 → 1 (first subscribed, first served)
    tx(db, unavailability.set_available, number, title_id, "4", LATER, events, URL)
    (pia,) = [p for p in events.of("sub_order_adjusted")
              if p["sub_order_number"] == numbers["Pia"]]
    CONTRACTS["sub_order_adjusted"].schema().load(pia)
    assert (pia["money_way"], pia["total_after"], pia["payment_method"]) == ("none", "14.90", P)
    assert not events.of("refund_requested")  # Alice kept hers; nothing was paid by Pia
    _, _, body = render("sub_order_adjusted", pia, URL)
    assert "le montant à payer le jour de la distribution est désormais de 14,90" in body
    page = tx(db, bookshop.get, number, LATER, URL)
    assert page["summary"]["at_pickup"] == {"sub_orders": 2, "articles": 2, "total": "29.80"}


def test_the_pages_count_them_toward_the_minimum_in_words():
    from gateway.progress_words import progress_text
    p = domain.progress(10, None, 4, 3, at_pickup=3)
    assert progress_text(p)["minimum"] == (
        "7 / 10 exemplaires payés ou à payer au retrait : il en faut encore 3 pour que la "
        "commande soit passée.")
    assert progress_text(domain.progress(10, None, 4, 3))["minimum"].startswith(
        "4 / 10 exemplaires payés : il en faut encore 6")


def test_the_closing_mail_counts_the_buyers_paying_at_pickup_apart(db):
    """The initiator's « souscriptions closes » mail said « Sous-commandes en attente de
    paiement : 2 (la librairie les validera ou les annulera) » of Paul and Pia, who pay on
    distribution day and whose copies are ordered."""
    from services.notifications.presenters import render
    events = Events()
    go, _token, _numbers, _subs = a_grouped_order(db, events)
    tx(db, bookshop.close_now, go["number"], NOW, events, URL)
    (closed,) = events.of("grouped_order_deadline_passed")
    CONTRACTS["grouped_order_deadline_passed"].schema().load(closed)
    assert (closed["awaiting_payment"], closed["at_pickup_sub_orders"],
            closed["at_pickup_quantity"], closed["at_pickup_total"]) == (2, 2, 3, "44.70")
    body = render("grouped_order_deadline_passed", closed, URL)[2]
    assert "Articles payés : 2 — Total TTC payé : 29,80" in body
    assert "À payer au retrait : 3 exemplaires (2 sous-commandes, 44,70\xa0€)" in body
    assert "la librairie les validera ou les annulera" not in body
