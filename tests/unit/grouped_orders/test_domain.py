from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from services.common.errors import DomainError
from services.grouped_orders import domain
from services.grouped_orders.domain import AWAITING_PAYMENT, PAID, SUB_CANCELLED, Sub

UTC = timezone.utc


def test_reference_grouped_order_62_to_the_cent():
    """WESTERN COQUILLETTES 14.90: Leto 2 paid, Diaz 1 cancelled, Rourke 3 paid."""
    price = Decimal("14.90")
    subs = [Sub.single(147, 2, price, PAID), Sub.single(148, 1, price, SUB_CANCELLED), Sub.single(149, 3, price, PAID)]
    assert [s.total for s in subs] == [Decimal("29.80"), Decimal("14.90"), Decimal("44.70")]
    s = domain.summarize(subs)
    assert s.articles == {SUB_CANCELLED: 1, AWAITING_PAYMENT: 0, PAID: 5}
    assert s.sub_orders == {SUB_CANCELLED: 1, AWAITING_PAYMENT: 0, PAID: 2}
    assert s.totals == {AWAITING_PAYMENT: Decimal("0.00"), PAID: Decimal("74.50")}


def test_reference_grouped_order_65_to_the_cent():
    """LE LIVRE QU'IL NE FAUT SURTOUT... 6.40: Grandville 1, Benhattia 1, Guidoni 2."""
    price = Decimal("6.40")
    paid = [Sub.single(153, 1, price, PAID), Sub.single(154, 1, price, PAID), Sub.single(155, 2, price, PAID)]
    s = domain.summarize(paid)
    assert (s.articles[PAID], s.sub_orders[PAID], s.totals[PAID]) == (4, 3, Decimal("25.60"))
    # the admin's view of the same order while Guidoni's payment was pending
    pending = paid[:2] + [Sub.single(155, 2, price, AWAITING_PAYMENT)]
    s = domain.summarize(pending)
    assert s.totals == {AWAITING_PAYMENT: Decimal("12.80"), PAID: Decimal("12.80")}
    assert s.articles[AWAITING_PAYMENT] == 2 and s.sub_orders[PAID] == 2


def test_subscriptions_close_at_the_end_of_the_deadline_day_paris_time():
    deadline = date(2022, 4, 6)
    assert domain.closes_at(deadline) == datetime(2022, 4, 6, 22, 0, tzinfo=UTC)
    assert domain.can_subscribe(domain.OPEN, deadline, datetime(2022, 4, 6, 21, 59, tzinfo=UTC))
    assert not domain.can_subscribe(domain.OPEN, deadline,
                                    datetime(2022, 4, 6, 22, 0, tzinfo=UTC))
    assert not domain.can_subscribe(domain.CANCELLED, deadline,
                                    datetime(2022, 4, 1, tzinfo=UTC))
    with pytest.raises(DomainError) as exc:
        domain.check_subscription_open(domain.PROCESSING, deadline,
                                       datetime(2022, 4, 1, tzinfo=UTC))
    assert "closes" in exc.value.message


def test_days_left_and_the_warning_of_the_last_two_days():
    deadline = date(2022, 4, 6)
    now = datetime(2022, 4, 5, 7, 44, tzinfo=UTC)  # the reference's n°65, the eve of its deadline
    # issue 8 §5: "Il reste 1 jour" beside "Vous pourrez valider … dans 2 jours". Today and the
    # deadline day are left, and validation comes in 2 days: the two counts agree.
    assert domain.days_left(deadline, now) == 2
    assert domain.validation_blockers(domain.OPEN, deadline, now, [])[0] == \
        "Vous pourrez valider cette commande groupée dans 2 jours."
    last_day = datetime(2022, 4, 6, 8, tzinfo=UTC)
    assert domain.days_left(deadline, last_day) == 1
    assert domain.validation_blockers(domain.OPEN, deadline, last_day, [])[0].startswith(
        "Vous pourrez valider cette commande groupée demain")
    assert domain.days_left(deadline, datetime(2022, 4, 6, 22, tzinfo=UTC)) == 0
    assert domain.deadline_approaching(domain.OPEN, deadline, now)
    assert not domain.deadline_approaching(domain.OPEN, deadline,
                                           datetime(2022, 4, 2, tzinfo=UTC))
    assert not domain.deadline_approaching(domain.CANCELLED, deadline, now)


def test_an_order_not_open_yet_counts_its_days_from_its_opening_day():
    """Opening on 4 April, closing on the 6th: 3 days of subscription, whether it is asked on
    1 April or on the 4th (the days before it opens were counted)."""
    deadline, opens_on = date(2022, 4, 6), date(2022, 4, 4)
    assert domain.days_left(deadline, datetime(2022, 4, 1, 9, tzinfo=UTC), opens_on) == 3
    assert domain.days_left(deadline, datetime(2022, 4, 4, 9, tzinfo=UTC), opens_on) == 3
    assert domain.days_left(deadline, datetime(2022, 4, 5, 9, tzinfo=UTC), opens_on) == 2
    assert domain.days_left(deadline, datetime(2022, 4, 1, 9, tzinfo=UTC)) == 6


def test_a_deadline_is_today_or_later_and_within_a_year():
    now = datetime(2026, 12, 1, 10, tzinfo=UTC)
    assert domain.check_deadline("2026-12-01", now) == date(2026, 12, 1)
    assert domain.check_deadline("01/12/2026", now) == date(2026, 12, 1)  # as typed
    for bad in ("2026-11-30", "2028-01-01", "30/11/2026", "", None):
        with pytest.raises(DomainError):
            domain.check_deadline(bad, now)


def test_buyer_form_rules():
    assert domain.check_buyer(" Jared ", "Leto", "Jared.Leto@Free.fr", "2", True) == \
        ("Jared", "Leto", "jared.leto@free.fr", 2)
    with pytest.raises(DomainError) as exc:
        domain.check_buyer("", "x" * 101, "nope", 0, False)
    assert set(exc.value.details) == {"first_name", "last_name", "email", "quantity",
                                      "accepted_terms"}
    with pytest.raises(DomainError):
        domain.check_buyer("A", "B", "a@b.fr", domain.MAX_QUANTITY + 1, True)


def test_validation_waits_for_the_deadline_and_every_payment():
    deadline = date(2022, 4, 6)
    subs = [Sub.single(153, 1, Decimal("6.40"), PAID), Sub.single(155, 2, Decimal("6.40"), AWAITING_PAYMENT)]
    before = datetime(2022, 4, 5, 8, tzinfo=UTC)  # n°65's detail page: "dans 2 jours"
    reasons = domain.validation_blockers(domain.OPEN, deadline, before, subs)
    assert reasons[0] == "Vous pourrez valider cette commande groupée dans 2 jours."
    assert "n° 155" in reasons[1]
    after = datetime(2022, 4, 7, tzinfo=UTC)
    assert len(domain.validation_blockers(domain.AWAITING_VALIDATION, deadline, after,
                                          subs)) == 1
    subs[1].status = SUB_CANCELLED
    assert domain.validation_blockers(domain.AWAITING_VALIDATION, deadline, after, subs) == []
    domain.check_can_validate(domain.AWAITING_VALIDATION, deadline, after, subs)
    with pytest.raises(DomainError):
        domain.check_can_validate(domain.PROCESSING, deadline, after, subs)
    assert domain.validation_blockers(domain.AWAITING_VALIDATION, deadline, after,
                                      [Sub.single(1, 1, Decimal("1"), SUB_CANCELLED)]) == \
        ["Aucune sous-commande n'est payée."]


@pytest.mark.parametrize("current,wanted,ok", [
    (domain.OPEN, domain.AWAITING_VALIDATION, True),
    (domain.AWAITING_VALIDATION, domain.PROCESSING, True),
    (domain.PROCESSING, domain.CLOSED, True),
    (domain.OPEN, domain.CANCELLED, True),
    (domain.PROCESSING, domain.CANCELLED, True),
    (domain.CLOSED, domain.CANCELLED, False),
    (domain.CANCELLED, domain.PROCESSING, False),
    (domain.OPEN, domain.CLOSED, False),
    (domain.CLOSED, domain.PROCESSING, False),
])
def test_state_machine(current, wanted, ok):
    if ok:
        domain.check_transition(current, wanted)
    else:
        with pytest.raises(DomainError):
            domain.check_transition(current, wanted)


def test_reset_goes_back_one_step_only_from_closed():
    assert domain.previous_status(domain.CLOSED) == domain.PROCESSING
    for status in (domain.OPEN, domain.PROCESSING, domain.CANCELLED):
        with pytest.raises(DomainError):
            domain.previous_status(status)


def test_sub_order_actions_by_the_bookshop():
    domain.check_sub_order_action(AWAITING_PAYMENT, domain.AWAITING_VALIDATION, "validate")
    domain.check_sub_order_action(PAID, domain.OPEN, "cancel")
    for sub, group, action in ((PAID, domain.OPEN, "validate"),
                               (SUB_CANCELLED, domain.OPEN, "cancel"),
                               (AWAITING_PAYMENT, domain.PROCESSING, "validate"),
                               (PAID, domain.CANCELLED, "cancel")):
        with pytest.raises(DomainError):
            domain.check_sub_order_action(sub, group, action)


def test_a_late_payment_counts_unless_the_order_was_cancelled():
    assert domain.payment_outcome(AWAITING_PAYMENT, domain.AWAITING_VALIDATION) == "paid"
    assert domain.payment_outcome(SUB_CANCELLED, domain.OPEN) == "refund"
    assert domain.payment_outcome(AWAITING_PAYMENT, domain.CANCELLED) == "refund"
    assert domain.payment_outcome(PAID, domain.OPEN) == "refund"


def test_what_a_confirmed_payment_does_to_its_sub_order():
    """Issue 12: the refund decision of payment_succeeded is the domain's (issue 8 §2)."""
    owed = Decimal("29.80")
    pays = domain.settle_payment(AWAITING_PAYMENT, domain.AWAITING_VALIDATION, "29.80", owed,
                                 "p1", None, refund_asked=False)
    assert pays.pays and not pays.refunds
    again = domain.settle_payment(PAID, domain.OPEN, "29.80", owed, "p1", "p1", False)
    assert again.action == domain.PaymentDecision.COUNTED
    for sub, group, amount, reason in (
            (SUB_CANCELLED, domain.OPEN, "29.80", domain.AFTER_CANCELLATION),
            (AWAITING_PAYMENT, domain.CANCELLED, "29.80", domain.AFTER_CANCELLATION),
            (PAID, domain.OPEN, "29.80", domain.PAID_TWICE),
            (AWAITING_PAYMENT, domain.OPEN, "14.90", domain.WRONG_AMOUNT)):
        decision = domain.settle_payment(sub, group, amount, owed, "p2", "p1", False)
        assert decision.refunds and decision.reason == reason
        assert domain.settle_payment(sub, group, amount, owed, "p2", "p1", True).action == \
            domain.PaymentDecision.ALREADY_ASKED


def test_what_a_confirmed_refund_does():
    own = domain.settle_refund("p1", "p1", None, "", "Titre épuisé", None, None, SUB_CANCELLED,
                               domain.CANCELLED, late=False)
    assert (own.action, own.reason) == (domain.RefundDecision.OWN, "Titre épuisé")
    assert domain.settle_refund("p1", "p1", None, "", "", None, None, SUB_CANCELLED, domain.OPEN,
                                False).reason == "Commande annulée"
    assert domain.settle_refund("p1", "p1", "refunded", "", "", None, None, SUB_CANCELLED,
                                domain.OPEN, False).action == domain.RefundDecision.DONE
    late = domain.settle_refund("p2", None, None, "", "", None, None, AWAITING_PAYMENT,
                                domain.OPEN, late=True)
    assert (late.action, late.reason) == (domain.RefundDecision.AUTOMATIC, domain.AFTER_FAILURE)
    asked = domain.settle_refund("p2", "p1", None, "", "", "requested", domain.PAID_TWICE, PAID,
                                 domain.OPEN, False)
    assert asked.reason == domain.PAID_TWICE
    assert domain.settle_refund("p2", "p1", None, "", "", "refunded", domain.PAID_TWICE, PAID,
                                domain.OPEN, False).action == domain.RefundDecision.DONE
    assert domain.refund_on_cancel(PAID, "p1") and not domain.refund_on_cancel(PAID, None)
    assert domain.failure_shown(AWAITING_PAYMENT) and not domain.failure_shown(PAID)


def test_the_initiators_form_is_checked_in_order():
    now = datetime(2022, 3, 28, 8, tzinfo=UTC)
    choices = domain.pickup_choices({"name": "COLLEGE", "addresses": [{"line1": "2 rue"}]},
                                    "À la librairie")
    assert list(choices) == ["bookshop", "address-0"]
    assert domain.billing_label({"name": "COLLEGE", "addresses": [{"line1": "2 rue",
                                                                    "city": "NANCY"}]}) == \
        "COLLEGE\n2 rue\nNANCY"
    assert domain.billing_label({"name": "COLLEGE"}) == "COLLEGE"
    new = domain.check_new_grouped_order("2022-03-29", "address-0", " Merci ", "14.9", choices,
                                         now)
    assert (new.pickup_kind, new.pickup_label, new.comment, new.unit_price) == (
        "collectivity", "COLLEGE\n2 rue", "Merci", Decimal("14.90"))
    for deadline, pickup, comment, price, field in (
            ("2022-03-01", "nowhere", "x" * 1001, "0", "deadline"),
            ("2022-03-29", "nowhere", "x" * 1001, "0", "pickup"),
            ("2022-03-29", "bookshop", "x" * 1001, "0", "comment")):
        with pytest.raises(DomainError) as exc:
            domain.check_new_grouped_order(deadline, pickup, comment, price, choices, now)
        assert field in exc.value.details
    with pytest.raises(DomainError) as exc:
        domain.check_new_grouped_order("2022-03-29", "bookshop", "", "0.00", choices, now)
    assert "pas de prix public" in exc.value.message


def test_the_bookshop_pickup_place_reads_as_before():
    from services.common import config
    assert domain.bookshop_pickup_label(config.bookshop()) == (
        "À la librairie\nLibrairie des Collectivités\n12 rue Saint-Dizier\n54000 NANCY")


def test_paying_needs_an_open_grouped_order_and_a_sub_order_awaiting_payment():
    deadline, now = date(2022, 4, 6), datetime(2022, 4, 1, tzinfo=UTC)
    assert domain.can_pay(AWAITING_PAYMENT, domain.OPEN, deadline, now)
    assert not domain.can_pay(PAID, domain.OPEN, deadline, now)
    domain.check_can_pay(AWAITING_PAYMENT, domain.OPEN, deadline, now)
    with pytest.raises(DomainError) as exc:
        domain.check_can_pay(PAID, domain.OPEN, deadline, now)
    assert exc.value.code == "invalid"
    with pytest.raises(DomainError) as exc:
        domain.check_can_pay(PAID, domain.AWAITING_VALIDATION, deadline, now)
    assert exc.value.code == "conflict"
    assert domain.tab_or_default("nope") == "validation"
    assert domain.tab_counts({domain.OPEN: 2, domain.AWAITING_VALIDATION: 1}) == {
        "validation": 3, "traitement": 0, "cloturees": 0, "annulees": 0}


def test_a_day_is_taken_as_a_date_field_sends_it_or_as_a_person_types_it():
    """The API said « Date invalide (JJ/MM/AAAA) » and took only AAAA-MM-JJ."""
    now = datetime(2022, 3, 28, 8, 0, tzinfo=UTC)
    assert domain.check_deadline("2022-04-06", now) == date(2022, 4, 6)
    assert domain.check_deadline(" 06/04/2022 ", now) == date(2022, 4, 6)
    for bad in ("2022-13-01", "31/02/2022", "demain", "06/04"):
        with pytest.raises(DomainError) as exc:
            domain.check_deadline(bad, now)
        assert exc.value.details["deadline"] == [
            "Date invalide (AAAA-MM-JJ ou JJ/MM/AAAA)."], bad


def test_a_cancellation_reason_too_long_is_refused_not_stored_cut():
    assert domain.check_cancel_reason(" Épuisé ") == "Épuisé"
    with pytest.raises(DomainError) as exc:
        domain.check_cancel_reason("x" * (domain.REASON_MAX + 1))
    assert exc.value.code == "invalid" and "trop long" in exc.value.message
