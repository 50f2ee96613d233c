"""A credit note on a sub-order's paid invoice gives its money back (reference 003 step 2): the
credit note's `invoice_issued` asks payments for a partial refund under the credit note's own
key, once; payments' `payment_refunded` for that key tells the buyer (`sub_order_refunded` with
`credit_note_number`), once; the buyer's page says it, « en cours » then dated. What was handed
back at pickup is not refunded again (`to_refund` leaves it out), nor more than was paid."""
from datetime import timedelta

import pytest

from services.common.contracts.events import make_envelope
from services.common.money import money
from services.grouped_orders import domain
from services.grouped_orders.use_cases import buyers, invoice_events, payment_events
from tests.support.fakes import Events

from .test_cheques import by, manual_payment, token_of
from .test_cheques import create as create_with_cheques
from .test_invoiced_lock import invoice_event
from .test_use_cases import NOW, URL, create, db, pay, subscribe, tx  # noqa: F401

LATER = NOW + timedelta(days=3)


def credit_note(number, sub, to_refund, reason="Livre abîmé", cancels=False):
    return dict(invoice_event(number, "credit_note", "2027-03-000000001", cancels, sub),
                to_refund=to_refund, reason=reason)


def refunded(sub, payment_id, amount, key):
    return {"payment_id": payment_id, "reference_kind": "sub_order", "reference_id": str(sub),
            "amount": amount, "provider": "sandbox", "occurred_at": LATER.isoformat(),
            "refund_id": "r-" + key, "request_key": key, "partial": True}


def paid_online(db, events, qty=2):
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    leto = subscribe(db, token, "Jared", "Leto", qty)
    pay(db, events, token, leto, "pay-leto")
    tx(db, invoice_events.on_invoice_issued,
       invoice_event("2027-03-000000001", sub=leto["number"]), NOW, events)
    return token, leto


def test_a_credit_note_refunds_its_amount_online_once_and_tells_the_buyer_once(db):
    events = Events()
    token, leto = paid_online(db, events)
    note = credit_note("2027-03-000000002", leto["number"], "14.90")
    tx(db, invoice_events.on_invoice_issued, note, NOW, events)
    tx(db, invoice_events.on_invoice_issued, note, NOW, events)  # the event again: nothing
    (asked,) = events.of("refund_requested")
    assert (asked["payment_id"], asked["amount"], asked["request_key"]) == (
        "pay-leto", "14.90", "credit-2027-03-000000002")
    assert asked["reason"] == "Avoir n° 2027-03-000000002 : Livre abîmé"
    make_envelope("refund_requested", asked, "grouped_orders")  # the contract holds
    view = tx(db, buyers.buyer_status, token, leto["buyer_token"], LATER)
    (refund,) = view["refunds"]
    assert (refund["kind"], refund["state"], refund["amount"]) == (
        "credit_note", "requested", "14.90")
    assert refund["text"] == ("Avoir n° 2027-03-000000002 sur votre facture (Livre abîmé) : ce "
                              "montant vous est remboursé")
    assert view["refunding_total"] == "14.90" and view["status"] == "paid"  # still paid
    done = refunded(leto["number"], "pay-leto", "14.90", asked["request_key"])
    tx(db, payment_events.on_payment_refunded, done, LATER, events, URL)
    tx(db, payment_events.on_payment_refunded, done, LATER, events, URL)  # again: no 2nd mail
    (told,) = events.of("sub_order_refunded")
    assert (told["credit_note_number"], told["invoice_number"], told["amount"],
            told["automatic"], told["reason"]) == (
        "2027-03-000000002", "2027-03-000000001", "14.90", False, "Livre abîmé")
    make_envelope("sub_order_refunded", told, "grouped_orders")
    view = tx(db, buyers.buyer_status, token, leto["buyer_token"], LATER)
    (refund,) = view["refunds"]
    assert refund["state"] == "refunded" and refund["text"].endswith("vous a été remboursé")
    assert (view["refunded_total"], view["refunding_total"], view["status"]) == (
        "14.90", "0.00", "paid")


def test_nothing_is_asked_for_an_invoice_nothing_owed_or_a_title_cuts_refund(db):
    events = Events()
    token, leto = paid_online(db, events)
    tx(db, invoice_events.on_invoice_issued,  # all of it was handed back at pickup already
       credit_note("2027-03-000000002", leto["number"], "0.00"), NOW, events)
    tx(db, invoice_events.on_invoice_issued,  # an older event: no `to_refund`
       invoice_event("2027-03-000000003", "credit_note", "2027-03-000000001", False,
                     leto["number"]), NOW, events)
    assert events.of("refund_requested") == []
    # a title cut's partial refund is still the title cut's (no credit note's mail)
    tx(db, payment_events.on_payment_refunded,
       refunded(leto["number"], "pay-leto", "5.00", "adjust-t1-q1-sub1"), LATER, events, URL)
    assert events.of("sub_order_refunded") == []


def test_credit_notes_never_ask_more_than_was_paid(db):
    events = Events()
    token, leto = paid_online(db, events)  # 2 × 14.90 = 29.80 paid
    tx(db, invoice_events.on_invoice_issued,
       credit_note("2027-03-000000002", leto["number"], "20.00"), NOW, events)
    tx(db, invoice_events.on_invoice_issued,
       credit_note("2027-03-000000003", leto["number"], "20.00"), NOW, events)
    assert [e["amount"] for e in events.of("refund_requested")] == ["20.00", "9.80"]


def test_an_unpaid_sub_order_asks_nothing_and_a_cheque_is_handed_back(db):
    events = Events()
    go = create_with_cheques(db, events)
    louise = by(db, token_of(go), "Louise", "cheque")["sub"]
    tx(db, invoice_events.on_invoice_issued,  # never paid: nothing to give back
       credit_note("2027-03-000000002", louise["number"], "14.90"), NOW, events)
    assert events.of("refund_requested") == []
    from services.grouped_orders.use_cases import bookshop
    tx(db, bookshop.mark_paid_manually, louise["number"],
       manual_payment(louise["number"], "14.90"), NOW, events, URL)
    tx(db, invoice_events.on_invoice_issued,
       credit_note("2027-03-000000003", louise["number"], "14.90"), NOW, events)
    (asked,) = events.of("refund_requested")
    assert (asked["payment_id"], asked["amount"]) == ("pay_m1", "14.90")
    tx(db, payment_events.on_payment_refunded,
       refunded(louise["number"], "pay_m1", "14.90", asked["request_key"]), LATER, events, URL)
    (told,) = events.of("sub_order_refunded")
    assert told["payment_method"] == "cheque" and told["credit_note_number"]
    view = tx(db, buyers.buyer_status, token_of(go), louise["buyer_token"], LATER)
    assert view["refunds"][0]["text"] == ("Avoir n° 2027-03-000000003 sur votre facture "
                                          "(Livre abîmé) : ce montant vous est rendu par la "
                                          "librairie")
    assert view["refunds"][0]["by_hand"] is True


def test_the_rule_alone():
    assert domain.credit_note_refund("invoice", "sub_order", "5.00", "p") is None
    assert domain.credit_note_refund("credit_note", "collectivity_order", "5.00", "p") is None
    assert domain.credit_note_refund("credit_note", "sub_order", "5.00", None) is None
    assert domain.credit_note_refund("credit_note", "sub_order", "5", "p") == \
        domain.credit_note_refund("credit_note", "sub_order", "5.00", "p", 0, "20.00")
    assert domain.credit_note_refund("credit_note", "sub_order", "5.00", "p", "18.00",
                                     "20.00") == money("2.00")
    assert domain.credit_note_refund("credit_note", "sub_order", "5.00", "p", "20.00",
                                     "20.00") is None


def test_cancelling_after_credit_notes_refunds_only_the_rest(db):
    """A sub-order credited in part then cancelled: the cancellation refunds what the credit
    notes did not (its event and mail say both); credited entirely, it refunds nothing more and
    the page does not count the money twice."""
    from services.grouped_orders.use_cases import bookshop
    events = Events()
    token, leto = paid_online(db, events)  # 29.80 paid
    tx(db, invoice_events.on_invoice_issued,
       credit_note("2027-03-000000002", leto["number"], "10.00"), NOW, events)
    tx(db, invoice_events.on_invoice_issued,  # the rest credited: the invoice is cancelled
       credit_note("2027-03-000000003", leto["number"], "19.80", cancels=True), NOW, events)
    for e in events.of("refund_requested"):
        tx(db, payment_events.on_payment_refunded,
           refunded(leto["number"], "pay-leto", e["amount"], e["request_key"]), LATER, events, URL)
    tx(db, bookshop.cancel_sub_order, leto["number"], "Annulée", LATER, events, URL)
    assert len(events.of("refund_requested")) == 2  # no third: nothing left to give back
    (cancelled,) = events.of("sub_order_cancelled")
    assert (cancelled["refund_expected"], cancelled["credited"], cancelled["refund_amount"]) == (
        False, "29.80", "0.00")
    make_envelope("sub_order_cancelled", cancelled, "grouped_orders")
    view = tx(db, buyers.buyer_status, token, leto["buyer_token"], LATER)
    assert (view["status"], view["refunded_total"], view["refunding_total"]) == (
        "cancelled", "29.80", "0.00")
    from services.notifications import presenters as mails
    body = mails.render("sub_order_cancelled", make_envelope(
        "sub_order_cancelled", cancelled, "grouped_orders")["payload"], URL)[2]
    assert "Le montant payé, 29,80\xa0€, vous a déjà été remboursé par avoir : rien de plus" \
        in body and "vous est remboursé sur" not in body


def test_cancelling_after_a_partial_credit_note_refunds_the_rest(db):
    from services.grouped_orders.use_cases import bookshop
    events = Events()
    token, leto = paid_online(db, events)  # 29.80 paid
    tx(db, invoice_events.on_invoice_issued,
       credit_note("2027-03-000000002", leto["number"], "10.00", cancels=False), NOW, events)
    # (a partial credit note keeps the invoice live: the order is unlocked by another one
    # cancelling it with nothing to refund, as when the rest was handed back at pickup)
    tx(db, invoice_events.on_invoice_issued,
       credit_note("2027-03-000000003", leto["number"], "0.00", cancels=True), NOW, events)
    tx(db, bookshop.cancel_sub_order, leto["number"], "Annulée", LATER, events, URL)
    first, rest = events.of("refund_requested")
    assert (first["amount"], rest["amount"], rest.get("request_key")) == ("10.00", "19.80", None)
    (cancelled,) = events.of("sub_order_cancelled")
    assert (cancelled["refund_expected"], cancelled["credited"], cancelled["refund_amount"]) == (
        True, "10.00", "19.80")
    from services.notifications import presenters as mails
    body = mails.render("sub_order_cancelled", make_envelope(
        "sub_order_cancelled", cancelled, "grouped_orders")["payload"], URL)[2]
    assert "Une partie du montant payé, 10,00\xa0€, vous a déjà été remboursée par avoir." in body
    assert "Le reste du montant payé, 19,80\xa0€, vous est remboursé" in body
    view = tx(db, buyers.buyer_status, token, leto["buyer_token"], LATER)
    assert sorted((r["kind"], r["amount"]) for r in view["refunds"]) == [
        ("cancellation", "19.80"), ("credit_note", "10.00")]


def test_a_title_cut_after_a_credit_note_refunds_only_what_is_still_paid():
    """A reading list's optional title dropped at the close (2 copies of 25,00 €) after a credit
    note gave back 25,00 € of it: grouped_orders asked for 50,00 €, payments refused (« dépasse
    ce qui reste remboursable »), the event was dead-lettered and the parent's page said
    « en cours » for good. What is still paid beyond the lines kept is owed: 25,00 €."""
    from decimal import Decimal
    before = (domain.Line(1, 1, Decimal("6.40")), domain.Line(2, 2, Decimal("25.00")))
    after = (domain.Line(1, 1, Decimal("6.40")), domain.Line(2, 0, Decimal("25.00")))
    change = domain.sub_change(before, after, domain.PAID, "online")
    assert (change.difference, change.money) == (Decimal("50.00"), domain.ONLINE_REFUND)
    owed = domain.owed_after_credits(change, Decimal("25.00"))
    assert (owed.difference, owed.money) == (Decimal("25.00"), domain.ONLINE_REFUND)
    assert domain.owed_after_credits(change, Decimal("0")) == change
    nothing = domain.owed_after_credits(change, Decimal("56.40"))  # all given back already
    assert (nothing.difference, nothing.money) == (Decimal("0.00"), domain.NO_MONEY)


def test_the_order_document_says_what_credit_notes_gave_back(db):
    from services.common.contracts.documents import OrderDocument
    from services.grouped_orders.use_cases import documents
    events = Events()
    token, leto = paid_online(db, events)
    doc = tx(db, documents.order_document, "sub_order", leto["number"])
    assert "refunded_by_credit_notes" not in doc["payment"]
    tx(db, invoice_events.on_invoice_issued,
       credit_note("2027-03-000000002", leto["number"], "10.00"), NOW, events)
    doc = tx(db, documents.order_document, "sub_order", leto["number"])
    assert OrderDocument().load(doc)["payment"]["refunded_by_credit_notes"] == money("10.00")


def test_the_bookshops_view_says_what_each_sub_orders_credit_notes_gave_back(db):
    from services.grouped_orders.use_cases import bookshop
    events = Events()
    token, leto = paid_online(db, events)
    tx(db, invoice_events.on_invoice_issued,
       credit_note("2027-03-000000002", leto["number"], "10.00"), NOW, events)
    view = tx(db, bookshop.get, 1, NOW, URL)
    assert {s["number"]: s["credited"] for s in view["sub_orders"]} == {leto["number"]: "10.00"}


@pytest.mark.parametrize("credited,rest", [("29.80", None), ("10.00", "19.80")])
def test_failing_the_minimum_after_a_credit_note_refunds_only_the_rest(db, credited, rest):
    """The grouped order failing its minimum (its own cancellation path) asked payments for the
    whole amount again after a credit note's refund: nothing came back (payments had nothing
    left), the page said « en cours » for good and the mail « Le montant payé, 29,80 €, vous
    est remboursé »."""
    from services.common.contracts.events import load_envelope
    from services.grouped_orders.use_cases import bookshop
    from services.notifications import presenters as mails
    from .test_capacity import create, token_of
    events = Events()
    go = create(db, events, min_copies="5")
    token = token_of(go)
    ana = subscribe(db, token, "Ana", "Lys", 2)
    pay(db, events, token, ana, "pay-ana")
    tx(db, invoice_events.on_invoice_issued,
       credit_note("2027-03-000000002", ana["number"], credited, cancels=True), NOW, events)
    (credit_refund,) = events.of("refund_requested")
    tx(db, bookshop.close_now, go["number"], NOW, events, URL)  # below its minimum: fails
    asked = events.of("refund_requested")
    assert [e["amount"] for e in asked] == [credited] + ([rest] if rest else [])
    (failed,) = [f for f in events.of("grouped_order_failed") if f["audience"] == "buyer"]
    assert (failed["refund_expected"], failed["credited"]) == (rest is not None, credited)
    body = mails.render("grouped_order_failed", load_envelope(
        "grouped_order_failed", make_envelope("grouped_order_failed", failed,
                                              "grouped_orders"))[1], URL)[2]
    if rest:
        assert f"Le reste du montant payé, {rest.replace('.', ',')}\xa0€, vous est remboursé" \
            in body
    else:
        assert "vous a déjà été remboursé par avoir : rien de plus" in body
        assert "vous est remboursé" not in body and "ne serez pas débité" not in body
    view = tx(db, buyers.buyer_status, token, ana["buyer_token"], NOW)
    assert view["refunding_total"] == "29.80"  # the credit note's and the rest: never twice
    assert [(r["kind"], r["amount"]) for r in view["refunds"] if r["kind"] == "cancellation"] \
        == ([("cancellation", rest)] if rest else [])


def test_the_copies_a_credit_note_takes_back_are_no_longer_ordered_counted_nor_handed_over(db):
    """The credit note's lines come off the sub-order: 1 of 2 copies credited (14.90 given
    back) leaves 1 copy and 14.90 — what the supplier recap, the grouped order's « payé » and
    its validation (the classic order) count; the same event again changes nothing; a later
    cancellation gives back the rest, never the credited part a second time."""
    from services.grouped_orders.use_cases import bookshop, suppliers
    events = Events()
    token, leto = paid_online(db, events)  # 2 × 14.90 = 29.80 paid
    note = dict(credit_note("2027-03-000000002", leto["number"], "14.90",
                            reason="Titre épuisé chez l'éditeur"),
                lines=[{"ean": "9791097284657", "quantity": 1, "total_ttc": "14.90"}])
    make_envelope("invoice_issued", note, "invoicing")  # the contract takes its lines
    tx(db, invoice_events.on_invoice_issued, note, NOW, events, URL)
    tx(db, invoice_events.on_invoice_issued, note, NOW, events, URL)  # again: nothing more
    (asked,) = events.of("refund_requested")
    assert asked["amount"] == "14.90"
    view = tx(db, buyers.buyer_status, token, leto["buyer_token"], LATER)
    assert (view["quantity"], view["total"], view["status"]) == (1, "14.90", "paid")
    number = view["grouped_order"]["number"]
    recap = tx(db, suppliers.order_recap, number, None, "admin")
    (title,) = recap["publishers"][0]["titles"]
    assert (title["copies_paid"], title["ttc_paid"]) == (1, "14.90")
    admin = tx(db, bookshop.get, number, LATER, URL)
    assert admin["summary"]["total_paid"] == "14.90"
    # what its credit notes gave back (the third tester read 0.00 there), and the part its
    # total still holds: none, the copy came off its lines
    assert [(s["credited"], s["credited_in_total"]) for s in admin["sub_orders"]] == [
        ("14.90", "0.00")]
    # its printed order: the copy left, and what was given back (it said « Payée », 29,80 €)
    from services.common.order_pdf import sheet
    from services.grouped_orders.use_cases import documents
    doc = tx(db, documents.order_document, "sub_order", leto["number"], URL)
    assert (doc["totals"]["total_ttc"], doc["payment"]["refunded_to_buyer"]) == (
        "14.90", "14.90")
    summary = sheet(doc, {"name": "Librairie"}).summary
    assert "Remboursé à l'acheteur : 14,90\xa0€" in summary
    # the rest credited by a second credit note: 14.90 more, then the sub-order is cancelled
    # with nothing more to give back (not 29.80 − 14.90 − 14.90 nor a third refund)
    rest = dict(credit_note("2027-03-000000003", leto["number"], "14.90", cancels=True),
                lines=[{"ean": "9791097284657", "quantity": 1, "total_ttc": "14.90"}])
    tx(db, invoice_events.on_invoice_issued, rest, LATER, events, URL)
    assert [e["amount"] for e in events.of("refund_requested")] == ["14.90", "14.90"]
    (cancelled,) = events.of("sub_order_cancelled")
    assert cancelled["refund_expected"] is False
    assert tx(db, bookshop.get, number, LATER, URL)["summary"]["total_paid"] == "0.00"


def test_a_sub_order_credited_of_every_copy_is_cancelled_without_another_refund(db):
    """Every copy credited: the sub-order is cancelled (« Annulée par l'avoir … »), its
    payment already given back by the credit note: no second refund; it counts for nothing."""
    events = Events()
    token, leto = paid_online(db, events)
    note = dict(credit_note("2027-03-000000002", leto["number"], "29.80", cancels=True),
                lines=[{"ean": "9791097284657", "quantity": 2, "total_ttc": "29.80"}])
    tx(db, invoice_events.on_invoice_issued, note, NOW, events, URL)
    assert [e["amount"] for e in events.of("refund_requested")] == ["29.80"]
    (cancelled,) = events.of("sub_order_cancelled")
    assert cancelled["reason"] == "Annulée par l'avoir n° 2027-03-000000002 : Livre abîmé"
    assert cancelled["refund_expected"] is False
    # what was cancelled, as it was (its mail said « 0 × »); the credit note's own mails told
    # the buyer: this one mails no one
    assert [x["quantity"] for x in cancelled["lines"]] == [2]
    assert cancelled["credit_note_number"] == "2027-03-000000002"
    from services.notifications import domain as mails
    assert not mails.wanted("sub_order_cancelled", cancelled)
    assert mails.wanted("sub_order_cancelled", dict(cancelled, credit_note_number=""))
    view = tx(db, buyers.buyer_status, token, leto["buyer_token"], LATER)
    assert (view["status"], view["quantity"], view["total"]) == ("cancelled", 2, "29.80")
    assert [(r["kind"], r["amount"]) for r in view["refunds"]] == [("credit_note", "29.80")]


def test_copies_credited_after_the_validation_are_told_to_the_logistician(db):
    """The third tester's case: credited after « Mettre à disposition », the copy was still
    handed to the logistician. The grouped order tells what it holds now
    (grouped_order_copies_changed); before its validation it tells nothing (its validation
    will carry the lines)."""
    from services.grouped_orders.use_cases import bookshop
    events = Events()
    token, leto = paid_online(db, events, qty=3)  # 3 × 14.90
    n = tx(db, buyers.buyer_status, token, leto["buyer_token"], NOW)["grouped_order"]["number"]
    from datetime import datetime, timezone
    later = datetime(2022, 3, 30, 7, 0, tzinfo=timezone.utc)  # the day after the deadline
    tx(db, bookshop.close_expired, later, events, URL)
    tx(db, bookshop.validate, n, later, events, URL)
    tx(db, bookshop.make_available, n, later, events, URL)
    note = dict(credit_note("2027-03-000000002", leto["number"], "14.90"),
                lines=[{"ean": "9791097284657", "quantity": 1, "total_ttc": "14.90"}])
    tx(db, invoice_events.on_invoice_issued, note, later, events, URL)
    (changed,) = events.of("grouped_order_copies_changed")
    assert (changed["number"], changed["quantity"], changed["credit_note_number"]) == (
        n, 2, "2027-03-000000002")
    assert [x["quantity"] for x in changed["lines"]] == [2]
    make_envelope("grouped_order_copies_changed", changed, "grouped_orders")
