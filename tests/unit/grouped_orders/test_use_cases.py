"""The grouped orders use cases on a real (SQLite) database, with the clock in hand."""
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from unidecode import unidecode

from tests.support.fakes import Events, sqlite_database
from services.common.errors import DomainError
from services.grouped_orders.use_cases import (bookshop, buyers, initiator, librisoft_events,
                                                payment_events)
from services.grouped_orders.models import Base

NOW = datetime(2022, 3, 28, 8, 0, tzinfo=timezone.utc)
INITIATOR = {"id": 7, "email": "approbateur@victorprouve.org"}
CLIENT = {"number": "21", "name": "COLLEGE VICTOR PROUVE", "email": "cdi@victorprouve.org",
          "phone": "03 88 69 69 69",
          "addresses": [{"label": "ANNEXE", "line1": "2, rue des jonquilles", "line2": "",
                         "postal_code": "54000", "city": "NANCY"}]}
WESTERN = {"ean": "9791097284657", "title": "WESTERN COQUILLETTES", "author": "LE GUEN/XENARD",
           "publisher": "ORSO", "price_ttc": "14.90", "vat_rate": "5.5"}
URL = "http://localhost:8000"


@pytest.fixture
def db(tmp_path):
    with sqlite_database("grouped_orders", Base, tmp_path) as database:
        yield database


def tx(db, fn, *args):
    with db.transaction() as s:
        return fn(s, *args)


def create(db, events, deadline=date(2022, 3, 29), article=WESTERN):
    return tx(db, initiator.create, INITIATOR, CLIENT, article,
              {"deadline": deadline.isoformat(), "pickup": "address-0"}, NOW, events, URL,
              "À la librairie")


def subscribe(db, token, first, last, qty, at=NOW, events=None, lines=None):
    """`qty` alone (one title), or `lines` ({ean: quantity}) for a reading list."""
    data = {"first_name": first, "last_name": last,
            "email": f"{unidecode(first).lower()}@free.fr", "accepted_terms": True}
    data.update({"lines": lines} if lines is not None else {"quantity": qty})
    return tx(db, buyers.subscribe, token, data, at, events if events is not None else Events(),
              URL)


def pay(db, events, token, sub, payment_id, at=NOW):
    attempt = tx(db, buyers.begin_payment_attempt, token, sub["buyer_token"], at)
    tx(db, buyers.attach_payment, attempt["attempt_id"],
       {"payment_id": payment_id, "redirect_url": "http://sandbox", "state": "processing"})
    payload = {"payment_id": payment_id, "reference_kind": "sub_order",
               "reference_id": attempt["reference_id"], "amount": attempt["amount"],
               "provider": "sandbox", "occurred_at": at.isoformat()}
    tx(db, payment_events.on_payment_succeeded, payload, at, events, URL)
    return payload


def test_reference_62_from_creation_to_availability(db):
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    assert len(token) >= 32 and go["pickup_label"].startswith("COLLEGE VICTOR PROUVE\nANNEXE")
    (created,) = events.of("grouped_order_created")
    assert created["subscription_url"] == f"{URL}/souscription/{token}"
    leto = subscribe(db, token, "Jared", "Leto", 2)
    diaz = subscribe(db, token, "Cameron", "Diaz", 1)
    rourke = subscribe(db, token, "Mickey", "Rourke", 3)
    pay(db, events, token, leto, "pay-leto")
    pay(db, events, token, rourke, "pay-rourke")
    assert [p["total_ttc"] for p in events.of("sub_order_paid")] == ["29.80", "44.70"]
    view = tx(db, bookshop.get, go["number"], NOW, URL)
    assert "Des paiements" in " ".join(view["validation_blockers"])
    tx(db, bookshop.cancel_sub_order, diaz["number"], "", NOW, events, URL)
    assert events.of("sub_order_cancelled")[0]["refund_expected"] is False
    view = tx(db, bookshop.get, go["number"], NOW, URL)
    assert view["summary"] == {
        "articles": {"cancelled": 1, "awaiting_payment": 0, "paid": 5},
        "sub_orders": {"cancelled": 1, "awaiting_payment": 0, "paid": 2},
        "total_awaiting": "0.00", "total_paid": "74.50",
        "at_pickup": {"sub_orders": 0, "articles": 0, "total": "0.00"},
        "ordered_articles": 5, "total_ordered": "74.50"}
    assert view["validation_blockers"] == [
        "Vous pourrez valider cette commande groupée dans 2 jours."]
    with pytest.raises(DomainError):
        tx(db, bookshop.validate, go["number"], NOW, events, URL)
    # the deadline passes: the timer closes it once, even if it runs twice
    later = datetime(2022, 3, 30, 7, 0, tzinfo=timezone.utc)
    assert tx(db, bookshop.close_expired, later, events, URL) == [go["number"]]
    assert tx(db, bookshop.close_expired, later, events, URL) == []
    (passed,) = events.of("grouped_order_deadline_passed")
    assert (passed["paid_quantity"], passed["paid_total"]) == (5, "74.50")
    with pytest.raises(DomainError) as exc:
        subscribe(db, token, "Late", "Comer", 1, at=later)
    assert exc.value.code == "conflict"
    view = tx(db, bookshop.validate, go["number"], later, events, URL)
    assert view["status"] == "processing"
    (validated,) = events.of("grouped_order_validated")
    assert (validated["quantity"], validated["unit_price_ttc"], validated["total_ttc"]) == \
        (5, "14.90", "74.50")
    tx(db, librisoft_events.on_classic_order_status_changed, {
        "order_number": 637, "source_kind": "grouped_order", "source_number": go["number"],
        "picked_up": True, "librisoft_number": "L-1234", "status": "Préparation commande"})
    view = tx(db, bookshop.make_available, go["number"], later, events, URL)
    assert (view["status"], view["librisoft_status"]) == ("closed", "Préparation commande")
    assert events.of("grouped_order_made_available")[0]["quantity"] == 5
    assert tx(db, bookshop.reset_status, go["number"], later, URL)["status"] == "processing"


def test_reference_65_totals_while_a_payment_is_pending(db):
    events = Events()
    livre = dict(WESTERN, ean="9782362210419", price_ttc="6.40",
                 title="LE LIVRE QU'IL NE FAUT SURTOUT, SURTOUT, SURTOUT, PAS LIRE !")
    go = create(db, events, deadline=date(2022, 4, 6), article=livre)
    token = go["subscription_url"].rsplit("/", 1)[1]
    for i, (first, last, qty) in enumerate((("Louise", "Grandville", 1),
                                            ("Oscar", "Benhattia", 1))):
        pay(db, events, token, subscribe(db, token, first, last, qty), f"p{i}")
    noe = subscribe(db, token, "Noé", "Guidoni", 2)
    summary = tx(db, bookshop.get, go["number"], NOW, URL)["summary"]
    assert (summary["total_paid"], summary["total_awaiting"]) == ("12.80", "12.80")
    tx(db, bookshop.validate_sub_order, noe["number"], NOW, events, URL)  # a cheque
    summary = tx(db, bookshop.get, go["number"], NOW, URL)["summary"]
    assert summary["articles"]["paid"] == 4 and summary["sub_orders"]["paid"] == 3
    assert summary["total_paid"] == "25.60"
    assert events.of("sub_order_paid")[-1]["manual"] is True


def test_payments_only_move_forward_and_late_ones_are_refunded(db):
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    leto = subscribe(db, token, "Jared", "Leto", 2)
    payload = pay(db, events, token, leto, "pay-1")
    tx(db, payment_events.on_payment_succeeded, payload, NOW, events, URL)  # the same payment again
    assert len(events.of("sub_order_paid")) == 1 and not events.of("refund_requested")
    tx(db, payment_events.on_payment_failed, dict(payload, state="refused"))  # late, out of order
    assert tx(db, bookshop.get, go["number"], NOW, URL)["sub_orders"][0]["status"] == "paid"
    # a sub-order cancelled while its buyer was paying is refunded when the payment lands
    diaz = subscribe(db, token, "Cameron", "Diaz", 1)
    attempt = tx(db, buyers.begin_payment_attempt, token, diaz["buyer_token"], NOW)
    tx(db, buyers.attach_payment, attempt["attempt_id"], {"payment_id": "pay-2"})
    tx(db, bookshop.cancel_sub_order, diaz["number"], "doublon", NOW, events, URL)
    tx(db, payment_events.on_payment_succeeded, {
        "payment_id": "pay-2", "reference_kind": "sub_order", "reference_id": str(diaz["number"]),
        "amount": "14.90", "provider": "sandbox", "occurred_at": NOW.isoformat()}, NOW, events,
       URL)
    (refund,) = events.of("refund_requested")
    assert (refund["payment_id"], refund["amount"]) == ("pay-2", "14.90")
    assert "paiement reçu après annulation" in refund["reason"]
    # the same success delivered again asks nothing more
    tx(db, payment_events.on_payment_succeeded, {
        "payment_id": "pay-2", "reference_kind": "sub_order", "reference_id": str(diaz["number"]),
        "amount": "14.90", "provider": "sandbox", "occurred_at": NOW.isoformat()}, NOW, events,
       URL)
    assert len(events.of("refund_requested")) == 1
    row = sub_row(db, go["number"], diaz["number"])
    assert row["automatic_refunds"][0]["label"] == \
        "Remboursement automatique demandé : paiement reçu après annulation"
    # payments gave it back: the bookshop sees it, the buyer gets one mail
    refunded = {"payment_id": "pay-2", "reference_kind": "sub_order",
                "reference_id": str(diaz["number"]), "amount": "14.90", "provider": "sandbox",
                "occurred_at": NOW.isoformat(), "refund_id": "r2",
                "reason": refund["reason"], "late": False}
    tx(db, payment_events.on_payment_refunded, refunded, NOW, events, URL)
    tx(db, payment_events.on_payment_refunded, refunded, NOW, events, URL)  # delivered twice
    (auto,) = sub_row(db, go["number"], diaz["number"])["automatic_refunds"]
    assert (auto["label"], auto["amount"], auto["state"]) == (
        "Remboursé automatiquement : paiement reçu après annulation", "14.90", "refunded")
    (mail,) = events.of("sub_order_refunded")
    assert (mail["automatic"], mail["amount"], mail["reason"], mail["buyer"]["email"]) == (
        True, "14.90", "paiement reçu après annulation", "cameron@free.fr")


def sub_row(db, number, sub_number):
    view = tx(db, bookshop.get, number, NOW, URL)
    return next(s for s in view["sub_orders"] if s["number"] == sub_number)


def test_a_success_after_a_refusal_refunded_by_payments_is_shown_and_told(db):
    """payments refunds a late success by itself (payment_refunded, late): grouped_orders never
    counted that payment; it shows why and tells the buyer."""
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    leto = subscribe(db, token, "Jared", "Leto", 1)
    attempt = tx(db, buyers.begin_payment_attempt, token, leto["buyer_token"], NOW)
    tx(db, buyers.attach_payment, attempt["attempt_id"], {"payment_id": "pay-9"})
    base = {"payment_id": "pay-9", "reference_kind": "sub_order",
            "reference_id": str(leto["number"]), "amount": "14.90", "provider": "sandbox",
            "occurred_at": NOW.isoformat()}
    tx(db, payment_events.on_payment_failed, dict(base, state="refused"))
    tx(db, payment_events.on_payment_refunded, dict(base, refund_id="r9", late=True,
                                              reason="Paiement reçu après un refus"), NOW,
       events, URL)
    row = sub_row(db, go["number"], leto["number"])
    assert row["status"] == "awaiting_payment"  # not paid by money that went back
    assert row["automatic_refunds"][0]["label"] == \
        "Remboursé automatiquement : paiement reçu après un refus"
    (mail,) = events.of("sub_order_refunded")
    assert mail["automatic"] is True and mail["refunded_at"] == NOW.isoformat()


def test_cancelling_a_grouped_order_refunds_the_paid_and_tells_everyone(db):
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    pay(db, events, token, subscribe(db, token, "Jared", "Leto", 2), "pay-1")
    subscribe(db, token, "Cameron", "Diaz", 1)
    with pytest.raises(DomainError):
        tx(db, bookshop.cancel, go["number"], "  ", NOW, events, URL)
    view = tx(db, bookshop.cancel, go["number"], "Titre épuisé", NOW, events, URL)
    assert view["status"] == "cancelled" and not view["subscriptions_open"]
    assert [r["amount"] for r in events.of("refund_requested")] == ["29.80"]
    assert [c["refund_expected"] for c in events.of("sub_order_cancelled")] == [True, False]
    assert events.of("grouped_order_cancelled")[0]["reason"] == "Titre épuisé"
    refunded = {"payment_id": "pay-1", "reference_kind": "sub_order",
                "reference_id": str(view["sub_orders"][0]["number"]), "amount": "29.80",
                "provider": "sandbox", "occurred_at": NOW.isoformat(), "refund_id": "r1"}
    tx(db, payment_events.on_payment_refunded, refunded, NOW, events, URL)
    tx(db, payment_events.on_payment_refunded, refunded, NOW, events, URL)
    sub = tx(db, bookshop.get, go["number"], NOW, URL)["sub_orders"][0]
    assert sub["refund_state"] == "refunded" and sub["refunded_at"].startswith("2022-03-28T08:00")
    # the buyer is told, once: how much, why and when
    (mail,) = events.of("sub_order_refunded")
    assert (mail["amount"], mail["reason"], mail["automatic"], mail["refunded_at"]) == (
        "29.80", "Titre épuisé", False, NOW.isoformat())


def test_the_initiator_sees_only_its_own_and_moves_the_deadline_forward_only(db):
    events = Events()
    go = create(db, events)
    with pytest.raises(DomainError) as exc:
        tx(db, initiator.get_for_initiator, go["number"], 99, NOW, URL)
    assert exc.value.code == "not_found"
    moved = tx(db, initiator.change_deadline, go["number"], 7, "2022-04-10", NOW, URL)
    assert moved["deadline"] == "2022-04-10"
    with pytest.raises(DomainError):
        tx(db, initiator.change_deadline, go["number"], 7, "2022-03-01", NOW, URL)
    with pytest.raises(DomainError):
        tx(db, initiator.create, INITIATOR, CLIENT, WESTERN,
           {"deadline": "2022-04-10", "pickup": "address-9"}, NOW, events, URL, "Librairie")


def test_the_public_view_shows_nothing_of_the_other_buyers(db):
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    subscribe(db, token, "Jared", "Leto", 2)
    public = tx(db, buyers.public, token, NOW)
    assert "sub_orders" not in public and "jared" not in str(public).lower()
    assert public["unit_price"] == "14.90" and public["client_name"] == "COLLEGE VICTOR PROUVE"
    with pytest.raises(DomainError):
        tx(db, buyers.public, "not-a-token", NOW)


def test_money_is_decimal_to_the_cent(db):
    events = Events()
    go = create(db, events, article=dict(WESTERN, price_ttc="0.10"))
    token = go["subscription_url"].rsplit("/", 1)[1]
    sub = subscribe(db, token, "A", "B", 3)
    assert sub["total"] == "0.30" and Decimal(sub["total"]) == Decimal("0.30")


def test_the_bookshop_sees_that_librisoft_was_told_of_a_cancellation(db):
    events = Events()
    go = create(db, events)
    n = go["number"]
    told = "2022-03-30T10:00:00+00:00"
    base = {"order_number": 5, "source_kind": "grouped_order", "source_number": n,
            "picked_up": True, "librisoft_number": "CC-1", "status": "Préparation commande"}
    tx(db, librisoft_events.on_classic_order_status_changed, base)
    assert tx(db, bookshop.get, n, NOW, URL)["librisoft_cancel_told_at"] is None
    tx(db, librisoft_events.on_classic_order_status_changed,
       dict(base, cancelled=True, cancelled_at=told))
    view = tx(db, bookshop.get, n, NOW, URL)
    assert view["librisoft_cancel_told_at"].startswith("2022-03-30T10:00")
    assert view["librisoft_cancel_done_at"] is None
    tx(db, librisoft_events.on_classic_order_status_changed,
       dict(base, cancelled=True, cancelled_at=told, cancellation_acknowledged=True,
            cancellation_acknowledged_at="2022-03-30T11:00:00+00:00"))
    assert tx(db, bookshop.get, n, NOW, URL)["librisoft_cancel_done_at"].startswith(
        "2022-03-30T11:00")


def test_a_cancelled_grouped_order_says_whether_it_had_been_validated(db):
    events = Events()
    go = create(db, events)
    tx(db, bookshop.cancel, go["number"], "Titre épuisé", NOW, events, URL)
    assert events.of("grouped_order_cancelled")[0]["validated_at"] is None


def test_the_bookshop_closes_the_subscriptions_now_once_and_may_validate_at_once(db):
    """Issue 8 §6: the README's tour validates « once the deadline has passed », 14 days away
    in the demo. « Clore les souscriptions maintenant » closes them today, with the
    initiator's mail; a second click is refused and mails nobody."""
    events = Events()
    go = create(db, events, deadline=date(2022, 4, 10))
    token = go["subscription_url"].rsplit("/", 1)[1]
    leto = subscribe(db, token, "Jared", "Leto", 2)
    pay(db, events, token, leto, "pay-leto")
    assert tx(db, bookshop.get, go["number"], NOW, URL)["validation_blockers"]
    view = tx(db, bookshop.close_now, go["number"], NOW, events, URL)
    assert view["status"] == "awaiting_validation" and not view["subscriptions_open"]
    assert view["validation_blockers"] == [] and view["days_left"] == 0
    (closed,) = events.of("grouped_order_deadline_passed")
    assert closed["closed_early"] is True and closed["paid_quantity"] == 2
    with pytest.raises(DomainError) as exc:
        tx(db, bookshop.close_now, go["number"], NOW, events, URL)
    assert exc.value.code == "conflict" and "déjà closes" in exc.value.message
    assert len(events.of("grouped_order_deadline_passed")) == 1
    with pytest.raises(DomainError):
        subscribe(db, token, "Late", "Comer", 1)
    # the timer does not close it a second time when the deadline comes
    assert tx(db, bookshop.close_expired, datetime(2022, 4, 11, tzinfo=timezone.utc),
              events, URL) == []
    assert tx(db, bookshop.validate, go["number"], NOW, events, URL)["status"] == "processing"


def test_validation_reads_no_sub_order_row_and_answers_without_the_lines(db):
    """Issue 11 (P2): validating a grouped order of 10,000 paid sub-orders loaded each as an
    ORM object (and its payment attempts) and answered all of them. The rule and the summary
    are now read by one Core statement; the answer is the grouped order without its lines
    (`sub_orders`: a GET away), its summary, blockers and event the same as before."""
    from sqlalchemy import event

    from services.grouped_orders.models import PaymentAttempt, SubOrder
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    for i, (first, last, qty) in enumerate((("Jared", "Leto", 2), ("Mickey", "Rourke", 3))):
        pay(db, events, token, subscribe(db, token, first, last, qty), f"pay-{i}")
    tx(db, bookshop.cancel_sub_order, subscribe(db, token, "Cameron", "Diaz", 1)["number"], "",
       NOW, events, URL)
    later = datetime(2022, 3, 30, 7, 0, tzinfo=timezone.utc)
    tx(db, bookshop.close_expired, later, events, URL)
    loaded = []

    def count(target, context):
        loaded.append(type(target).__name__)

    event.listen(SubOrder, "load", count)
    event.listen(PaymentAttempt, "load", count)
    try:
        view = tx(db, bookshop.validate, go["number"], later, events, URL)
    finally:
        event.remove(SubOrder, "load", count)
        event.remove(PaymentAttempt, "load", count)
    assert loaded == []
    assert "sub_orders" not in view and view["status"] == "processing"
    full = tx(db, bookshop.get, go["number"], later, URL)
    # (SQLite gives back the time it stored without its offset: compared apart)
    assert {k: v for k, v in view.items() if k != "validated_at"} == \
        {k: v for k, v in full.items() if k not in ("sub_orders", "validated_at",
                                                    "distributed")}
    assert view["validated_at"][:19] == full["validated_at"][:19] == "2022-03-30T07:00:00"
    assert view["summary"] == {
        "articles": {"cancelled": 1, "awaiting_payment": 0, "paid": 5},
        "sub_orders": {"cancelled": 1, "awaiting_payment": 0, "paid": 2},
        "total_awaiting": "0.00", "total_paid": "74.50",
        "at_pickup": {"sub_orders": 0, "articles": 0, "total": "0.00"},
        "ordered_articles": 5, "total_ordered": "74.50"}
    (validated,) = events.of("grouped_order_validated")
    assert (validated["quantity"], validated["total_ttc"]) == (5, "74.50")


def test_a_parent_link_cut_short_says_to_check_the_mailed_link(db):
    """A parent whose link was cut (a mail client wrapping it) read « Sous-commande
    introuvable. », a word of the bookshop's: they are told to open the mailed link whole."""
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    sub = subscribe(db, token, "Jared", "Leto", 2)
    for cut in (sub["buyer_token"][:-3], ""):
        with pytest.raises(DomainError) as exc:
            tx(db, buyers.buyer_status, token, cut, NOW)
        assert exc.value.code == "not_found"
        assert exc.value.message == ("Commande introuvable : vérifiez le lien reçu par e-mail "
                                     "(il doit être ouvert en entier).")
        assert "Sous-commande" not in exc.value.message


def test_a_parent_names_the_pupil_the_books_are_for_optionally(db):
    """Kept as typed (spaces folded), on the bookshop's and the distribution's views; too long:
    a French 400 under `pupil`, nothing stored."""
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    data = {"first_name": "Léa", "last_name": "Martin", "email": "lea@free.fr",
            "accepted_terms": True, "quantity": 1}
    tom = tx(db, buyers.subscribe, token, dict(data, pupil="  Tom   Martin, CM2 "), NOW, events,
             URL)
    bare = tx(db, buyers.subscribe, token, dict(data, email="zoe@free.fr"), NOW, events, URL)
    with pytest.raises(DomainError) as exc:
        tx(db, buyers.subscribe, token, dict(data, email="x@free.fr", pupil="x" * 101), NOW,
           events, URL)
    assert exc.value.code == "invalid" and "pupil" in exc.value.details
    subs = {s["number"]: s for s in tx(db, bookshop.get, go["number"], NOW, URL)["sub_orders"]}
    assert len(subs) == 2
    assert (subs[tom["number"]]["pupil"], subs[bare["number"]]["pupil"]) == (
        "Tom Martin, CM2", "")


def test_the_bookshop_corrects_a_mistyped_buyer_email_once(db):
    """The parent called: their address had a typo, no confirmation nor link to pay came. The
    bookshop corrects it; one event tells them at the new one (with their page) and the desk;
    the same address again is a 409, a bad one a 400, nothing changed."""
    from services.common.contracts.events import CONTRACTS
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    sub = subscribe(db, token, "Léa", "Martin", 2)
    view = tx(db, bookshop.correct_buyer_email, sub["number"], " Lea.Martin@Free.fr ", NOW,
              events, URL)
    assert [s["email"] for s in view["sub_orders"]] == ["lea.martin@free.fr"]
    (told,) = events.of("sub_order_email_corrected")
    assert (told["buyer"]["email"], told["previous_email"]) == ("lea.martin@free.fr",
                                                                "lea@free.fr")
    assert (told["status"], told["total_ttc"], told["quantity"]) == ("awaiting_payment",
                                                                     "29.80", 2)
    assert told["page_url"].endswith(f"/souscription/{token}/commande/{sub['buyer_token']}")
    assert CONTRACTS["sub_order_email_corrected"].schema().validate(told) == {}
    for email, code in (("LEA.MARTIN@free.fr", "conflict"), ("pas-une-adresse", "invalid")):
        with pytest.raises(DomainError) as exc:
            tx(db, bookshop.correct_buyer_email, sub["number"], email, NOW, events, URL)
        assert exc.value.code == code
    assert len(events.of("sub_order_email_corrected")) == 1
    with pytest.raises(DomainError) as exc:
        tx(db, bookshop.correct_buyer_email, 999999, "x@free.fr", NOW, events, URL)
    assert exc.value.code == "not_found"
    # a cancelled order with nothing more to tell its buyer: refused
    tx(db, bookshop.cancel_sub_order, sub["number"], "Doublon", NOW, events, URL)
    with pytest.raises(DomainError) as exc:
        tx(db, bookshop.correct_buyer_email, sub["number"], "lea.m@free.fr", NOW, events, URL)
    assert exc.value.code == "conflict" and "annulée" in exc.value.message


def test_the_initiator_cancels_their_own_grouped_order_until_a_parent_pays(db):
    """The wrong title chosen, a trip called off: the teacher cancels it (the parents who
    ordered without paying are told with the reason); once a parent paid, or the bookshop
    validated it, only the bookshop cancels (and refunds). Not another's."""
    events = Events()
    go = create(db, events)
    token = go["subscription_url"].rsplit("/", 1)[1]
    unpaid = subscribe(db, token, "Léa", "Martin", 1)
    with pytest.raises(DomainError) as exc:
        tx(db, initiator.cancel_by_initiator, go["number"], 99, "Erreur", NOW, events, URL)
    assert exc.value.code == "not_found"
    with pytest.raises(DomainError) as exc:  # the reason is required: the parents are told
        tx(db, initiator.cancel_by_initiator, go["number"], 7, " ", NOW, events, URL)
    assert exc.value.code == "invalid"
    view = tx(db, initiator.cancel_by_initiator, go["number"], 7, "Mauvais titre choisi", NOW,
              events, URL)
    assert view["status"] == "cancelled"
    (told,) = events.of("sub_order_cancelled")
    assert (told["sub_order_number"], told["reason"], told["refund_expected"]) == (
        unpaid["number"], "Mauvais titre choisi", False)
    (cancelled,) = events.of("grouped_order_cancelled")
    assert cancelled["by_initiator"] is True  # the teacher's own mail says so
    with pytest.raises(DomainError) as exc:
        tx(db, initiator.cancel_by_initiator, go["number"], 7, "Encore", NOW, events, URL)
    assert exc.value.code == "conflict" and "déjà annulée" in exc.value.message

    paid_go = create(db, events)
    token = paid_go["subscription_url"].rsplit("/", 1)[1]
    pay(db, events, token, subscribe(db, token, "Bob", "Pré", 1), "pay-bob")
    with pytest.raises(DomainError) as exc:
        tx(db, initiator.cancel_by_initiator, paid_go["number"], 7, "Erreur", NOW, events, URL)
    assert exc.value.code == "conflict" and "1 parent a déjà payé" in exc.value.message
    assert tx(db, bookshop.get, paid_go["number"], NOW, URL)["status"] == "open"
