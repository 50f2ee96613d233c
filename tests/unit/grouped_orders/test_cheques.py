"""Cheque and cash payments in grouped orders (issue 9, reference 003 step 1): what the grouped
order allows, the buyer's choice, the bookshop's record, and the validation rule counting them
(on SQLite, the clock in hand; payments' answers as payload dicts of their contracts)."""
from datetime import date, datetime, timezone

import pytest

from services.common.contracts.events import make_envelope
from services.common.errors import DomainError
from services.grouped_orders import domain, sheet
from services.grouped_orders.use_cases import bookshop, buyers, initiator, payment_events
from tests.support.fakes import Events

from .test_use_cases import CLIENT, INITIATOR, NOW, URL, WESTERN, db, subscribe, tx  # noqa: F401

LATER = datetime(2022, 3, 30, 7, 0, tzinfo=timezone.utc)


def create(db, events, methods="online,cheque,cash"):
    return tx(db, initiator.create, INITIATOR, CLIENT, WESTERN,
              {"deadline": date(2022, 3, 29).isoformat(), "pickup": "address-0"}, NOW, events,
              URL, "À la librairie", methods)


def token_of(go):
    return go["subscription_url"].rsplit("/", 1)[1]


def by(db, token, first, method, qty=1):
    return tx(db, buyers.subscribe_and_begin_payment, token, {
        "first_name": first, "last_name": "Martin", "email": f"{first.lower()}@free.fr",
        "quantity": qty, "accepted_terms": True, "payment_method": method}, NOW, Events(), URL)


def manual_payment(sub_number, amount, method="cheque", number="1234567", pid="pay_m1"):
    """What payments.record_manual_payment answers (its payment view, the parts used)."""
    return {"payment_id": pid, "reference_kind": "sub_order", "reference_id": str(sub_number),
            "amount": amount, "state": "succeeded", "method": method,
            "cheque_number": number if method == "cheque" else ""}


# ---- the domain ------------------------------------------------------------------------------
def test_online_is_always_offered_and_the_rest_as_allowed():
    assert domain.methods_of("") == ("online",)
    assert domain.methods_of("cash,online,cheque,carte") == ("online", "cheque", "cash")
    assert domain.allowed_methods_from_form(True, False) == "online,cheque"
    assert domain.allowed_methods_from_form(False, False) == "online"
    assert domain.default_payment_methods("online, cheque") == "online,cheque"
    with pytest.raises(DomainError):
        domain.default_payment_methods("online,paypal")


def test_the_buyer_chooses_among_the_allowed_methods():
    assert domain.check_buyer_method(None, "online,cheque") == "online"
    assert domain.check_buyer_method("cheque", "online,cheque") == "cheque"
    with pytest.raises(DomainError) as exc:
        domain.check_buyer_method("cash", "online,cheque")
    assert exc.value.code == "invalid" and "payer par chèque" in \
        exc.value.details["payment_method"][0]


def test_a_manual_payment_not_owed_is_given_back_by_hand():
    decision = domain.settle_payment(domain.SUB_CANCELLED, domain.OPEN, "14.90", "14.90",
                                     "pay_m1", None, False, manual=True)
    assert decision.action == domain.PaymentDecision.BY_HAND and not decision.refunds
    assert domain.refund_on_cancel(domain.PAID, "pay_m1")  # payments records it handed back
    assert not domain.refund_on_cancel(domain.PAID, None)  # validated by hand before issue 9


# ---- the buyer's choice --------------------------------------------------------------------
def test_a_cheque_buyer_starts_no_online_payment_and_awaits_payment(db):
    events = Events()
    go = create(db, events)
    begun = by(db, token_of(go), "Louise", "cheque")
    assert begun["attempt"] is None
    sub = begun["sub"]
    assert (sub["status_label"], sub["payment_method"], sub["payment_attempts"]) == (
        "En attente de paiement", "cheque", 0)
    online = by(db, token_of(go), "Oscar", "online")
    assert online["attempt"]["amount"] == "14.90"
    public = tx(db, buyers.public, token_of(go), NOW)
    assert [c["label"] for c in public["payment_method_choices"]] == [
        "Payer en ligne (carte bancaire)", "Payer par chèque à la librairie",
        "Payer en espèces à la librairie"]


def test_a_method_the_grouped_order_does_not_allow_is_refused(db):
    events = Events()
    go = create(db, events, methods="online")
    with pytest.raises(DomainError) as exc:
        by(db, token_of(go), "Louise", "cheque")
    assert exc.value.code == "invalid"
    assert tx(db, bookshop.get, go["number"], NOW, URL)["sub_orders"] == []


def test_the_bookshop_sets_the_methods_while_open(db):
    events = Events()
    go = create(db, events, methods="online")
    view = tx(db, bookshop.set_payment_methods, go["number"], True, False, False, NOW, URL)
    assert view["payment_methods"] == ["online", "cheque"]
    tx(db, bookshop.close_now, go["number"], NOW, events, URL)
    with pytest.raises(DomainError) as exc:
        tx(db, bookshop.set_payment_methods, go["number"], True, True, False, NOW, URL)
    assert exc.value.code == "conflict"


# ---- the bookshop records the cheque ---------------------------------------------------------
def test_a_recorded_cheque_pays_the_sub_order_and_the_grouped_order_can_be_validated(db):
    events = Events()
    go = create(db, events)
    louise = by(db, token_of(go), "Louise", "cheque", qty=2)["sub"]
    view = tx(db, bookshop.get, go["number"], LATER, URL)
    assert any("n° " + str(louise["number"]) in r for r in view["validation_blockers"])
    asked = tx(db, bookshop.manual_payment_request, louise["number"], "cheque")
    assert (asked["reference_id"], asked["amount"]) == (str(louise["number"]), "29.80")
    view = tx(db, bookshop.mark_paid_manually, louise["number"],
              manual_payment(louise["number"], "29.80"), LATER, events, URL)
    (sub,) = view["sub_orders"]
    assert (sub["status"], sub["paid_manually"], sub["cheque_number"], sub["paid_by"]) == (
        "paid", True, "1234567", "chèque n° 1234567")
    (paid,) = events.of("sub_order_paid")
    assert (paid["manual"], paid["payment_method"], paid["cheque_number"]) == (
        True, "cheque", "1234567")
    make_envelope("sub_order_paid", paid, "grouped_orders")  # the contract holds
    # payments' own payment_succeeded arrives afterwards: already counted, nothing more
    tx(db, payment_events.on_payment_succeeded, dict(
        manual_payment(louise["number"], "29.80"), provider="manual",
        occurred_at=LATER.isoformat()), LATER, events, URL)
    assert len(events.of("sub_order_paid")) == 1 and not events.of("refund_requested")
    # the rule « every sub-order paid or cancelled » counts it: the grouped order validates
    tx(db, bookshop.close_now, go["number"], LATER, events, URL)
    assert tx(db, bookshop.get, go["number"], LATER, URL)["validation_blockers"] == []
    assert tx(db, bookshop.validate, go["number"], LATER, events, URL)["status"] == "processing"
    assert events.of("grouped_order_validated")[0]["quantity"] == 2


def test_a_cheque_awaited_blocks_the_validation(db):
    events = Events()
    go = create(db, events)
    paid = by(db, token_of(go), "Oscar", "cash")["sub"]
    tx(db, bookshop.mark_paid_manually, paid["number"],
       manual_payment(paid["number"], "14.90", "cash", pid="pay_cash"), NOW, events, URL)
    waiting = by(db, token_of(go), "Louise", "cheque")["sub"]
    tx(db, bookshop.close_now, go["number"], NOW, events, URL)
    with pytest.raises(DomainError) as exc:
        tx(db, bookshop.validate, go["number"], NOW, events, URL)
    assert exc.value.code == "conflict" and str(waiting["number"]) in exc.value.message


def test_the_event_first_then_the_bookshops_answer_pays_once(db):
    """payments' payment_succeeded may be consumed before grouped_orders' own step after the
    RPC: either way one sub_order_paid."""
    events = Events()
    go = create(db, events)
    sub = by(db, token_of(go), "Louise", "cheque")["sub"]
    payment = manual_payment(sub["number"], "14.90")
    tx(db, payment_events.on_payment_succeeded, dict(payment, provider="manual",
                                                     occurred_at=NOW.isoformat()),
       NOW, events, URL)
    view = tx(db, bookshop.mark_paid_manually, sub["number"], payment, NOW, events, URL)
    assert view["sub_orders"][0]["cheque_number"] == "1234567"
    assert len(events.of("sub_order_paid")) == 1
    # a second validation (another payment) is refused
    with pytest.raises(DomainError) as exc:
        tx(db, bookshop.mark_paid_manually, sub["number"], dict(payment, payment_id="pay_m2"),
           NOW, events, URL)
    assert exc.value.code == "conflict"
    with pytest.raises(DomainError):
        tx(db, bookshop.manual_payment_request, sub["number"], "cheque")


def test_cancelling_a_cheque_sub_order_gives_the_cheque_back(db):
    """payments records the cheque handed back (refunded at once, no provider) and says so:
    the buyer is told the bookshop gives it back, not a card refund."""
    events = Events()
    go = create(db, events)
    sub = by(db, token_of(go), "Louise", "cheque")["sub"]
    tx(db, bookshop.mark_paid_manually, sub["number"], manual_payment(sub["number"], "14.90"),
       NOW, events, URL)
    tx(db, bookshop.cancel_sub_order, sub["number"], "Chèque rendu", NOW, events, URL)
    (asked,) = events.of("refund_requested")
    assert (asked["payment_id"], asked["amount"]) == ("pay_m1", "14.90")
    (cancelled,) = events.of("sub_order_cancelled")
    assert (cancelled["refund_expected"], cancelled["payment_method"]) == (True, "cheque")
    tx(db, payment_events.on_payment_refunded, {
        "payment_id": "pay_m1", "reference_kind": "sub_order",
        "reference_id": str(sub["number"]), "amount": "14.90", "provider": "manual",
        "occurred_at": NOW.isoformat(), "refund_id": "rfn_1", "reason": "Chèque rendu",
        "late": False}, NOW, events, URL)
    (refunded,) = events.of("sub_order_refunded")
    assert (refunded["automatic"], refunded["payment_method"]) == (False, "cheque")
    make_envelope("sub_order_refunded", refunded, "grouped_orders")
    (view,) = tx(db, bookshop.get, go["number"], NOW, URL)["sub_orders"]
    assert (view["status"], view["refund_state"]) == ("cancelled", "refunded")


def test_the_sign_in_sheet_shows_the_cheque_number(db):
    events = Events()
    go = create(db, events)
    paid = by(db, token_of(go), "Louise", "cheque")["sub"]
    waiting = by(db, token_of(go), "Oscar", "cash")["sub"]
    tx(db, bookshop.mark_paid_manually, paid["number"], manual_payment(paid["number"], "14.90"),
       NOW, events, URL)
    view = tx(db, initiator.sheet_view, go["number"], 0, "admin", NOW, URL)
    cells = [row[6] for row in sheet.sheet(view).rows]
    assert cells == ["Payée — chèque n° 1234567", "En attente de paiement — espèces à recevoir"]
    assert waiting["number"] > paid["number"]


def test_a_cheque_buyer_who_pays_online_after_all_is_paid_online(db):
    events = Events()
    go = create(db, events)
    sub = by(db, token_of(go), "Louise", "cheque")["sub"]
    attempt = tx(db, buyers.begin_payment_attempt, token_of(go), sub["buyer_token"], NOW)
    tx(db, payment_events.on_payment_succeeded, {
        "payment_id": "pay_online", "reference_kind": "sub_order",
        "reference_id": attempt["reference_id"], "amount": attempt["amount"],
        "provider": "sandbox", "occurred_at": NOW.isoformat(), "method": "online",
        "cheque_number": ""}, NOW, events, URL)
    (paid,) = tx(db, bookshop.get, go["number"], NOW, URL)["sub_orders"]
    assert (paid["status"], paid["payment_method"], paid["paid_manually"]) == (
        "paid", "online", False)
    assert events.of("sub_order_paid")[0]["manual"] is False


def test_the_bookshops_validation_asks_payments_once_in_its_transaction(db):
    """One transaction: the check, payments' record (here a fake of the nested RPC), the
    sub-order paid. payments' refusal (a bad number) changes nothing; a second validation is
    refused before payments is asked."""
    from services.common.errors import invalid
    events = Events()
    go = create(db, events)
    sub = by(db, token_of(go), "Louise", "cheque")["sub"]
    asked = []

    def record_payment(kind, reference_id, amount, method, number, by):
        asked.append((kind, reference_id, amount, method, number, by))
        if number != "1234567":
            raise invalid("Numéro de chèque invalide.", {"cheque_number": ["7 chiffres."]})
        return manual_payment(int(reference_id), amount, method, number)

    with pytest.raises(DomainError) as exc:
        tx(db, bookshop.record_manual_payment, sub["number"], "cheque", "12", "admin@x.fr",
           record_payment, NOW, events, URL)
    assert exc.value.code == "invalid"
    assert tx(db, bookshop.get, go["number"], NOW, URL)["sub_orders"][0]["status"] == \
        "awaiting_payment"
    view = tx(db, bookshop.record_manual_payment, sub["number"], "cheque", "1234567",
              "admin@x.fr", record_payment, NOW, events, URL)
    assert view["sub_orders"][0]["cheque_number"] == "1234567"
    assert asked[-1] == ("sub_order", str(sub["number"]), "14.90", "cheque", "1234567",
                         "admin@x.fr")
    with pytest.raises(DomainError) as exc:
        tx(db, bookshop.record_manual_payment, sub["number"], "cheque", "1234567",
           "admin@x.fr", record_payment, NOW, events, URL)
    assert exc.value.code == "conflict" and len(asked) == 2
    assert len(events.of("sub_order_paid")) == 1
