"""The register fed by the owners' events on a real (SQLite) database: upserts, events out of
order, idempotent consumers (through services.common.inbox), the calendar and the list."""
import uuid
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from services.common import inbox
from services.common.errors import DomainError
from services.common.progress import CANCELLED, PROCESSING, READY, REGISTERED
from services.order_desk import use_cases
from services.order_desk.models import Base, RegisterEntry
from tests.support.fakes import Events, database_fixture

db = database_fixture("order_desk", Base)
NOW = datetime(2021, 1, 27, 9, 0, tzinfo=timezone.utc)
GROUPED = {"number": 62, "client_number": "21", "client_name": "COLLÈGE VICTOR PROUVÉ",
           "initiator_email": "approbateur@victorprouve.org",
           "article": {"ean": "9791097284657", "title": "WESTERN COQUILLETTES",
                       "price_ttc": "14.90", "vat_rate": "5.5"},
           "deadline": "2021-01-29", "pickup_label": "À la librairie",
           "detail_url": "http://localhost:8000/admin/commandes-groupees/62"}


def sub(number, first="Élodie", last="MOËNNE", total="29.80", subscribed="2021-01-18T10:00:00+00:00"):
    return {"sub_order_number": number, "grouped_order": GROUPED,
            "buyer": {"first_name": first, "last_name": last,
                      "email": f"{first.lower()}@free.fr"},
            "quantity": 2, "unit_price_ttc": "14.90", "total_ttc": total,
            "subscribed_at": subscribed, "paid_at": "2021-01-18T10:05:00+00:00"}


def document(number, total="120.40", placed="2021-01-19T08:00:00+00:00"):
    return {"number": number, "client_number": "21", "client_name": "COLLÈGE VICTOR PROUVÉ",
            "basket_number": 3, "basket_name": "CDI", "basket_creator_email": "cdi@vp.org",
            "placed_by_email": "gestion@vp.org", "reference": "BC-7", "contact_name": "Anne Dupré",
            "contact_email": "anne@vp.org", "lines": [],
            "totals": {"discount_total": "0", "subtotal_ht": "114.12", "vat_total": "6.28",
                       "subtotal_ttc": "120.40", "total_ttc": total},
            "placed_at": placed, "detail_url": "http://localhost:8000/admin/commandes/7"}


def env(occurred="2021-01-18T09:00:00+00:00"):
    return {"event_id": str(uuid.uuid4()), "occurred_at": occurred}


def apply(db, fn, payload, envelope=None, now=NOW):
    events = Events()
    with db.transaction() as s:
        fn(s, payload, envelope or env(), now, events)
    return events


def row(db, kind, number):
    with db.transaction() as s:
        e = s.query(RegisterEntry).filter_by(kind=kind, number=number).one()
        s.expunge(e)
        return e


def test_a_paid_sub_order_before_its_placed_event_loses_no_fact(db):
    apply(db, use_cases.on_sub_order_paid, sub(12))
    first = row(db, "sub_order", 12)
    assert first.payment_state == "succeeded" and first.payment_label == "Paiement confirmé"
    placed = {**sub(12), "payment_method": "cheque", "subscribed_at": "2021-01-18T10:00:00+00:00"}
    apply(db, use_cases.on_sub_order_placed, placed)
    e = row(db, "sub_order", 12)
    # the earlier event did not take the payment back to "awaiting"
    assert (e.payment_state, e.payment_label) == ("succeeded", "Paiement confirmé")
    assert e.payment_method == "cheque"
    assert (e.grouped_order_number, e.customer_name, e.customer_email) == (
        62, "Élodie MOËNNE", "élodie@free.fr")
    assert e.total_ttc == Decimal("29.80") and e.placed_day == date(2021, 1, 18)
    assert e.client_name == "COLLÈGE VICTOR PROUVÉ" and e.progress == REGISTERED


def test_a_payment_state_older_than_the_one_held_is_ignored(db):
    base = {"payment_id": "p1", "reference_kind": "sub_order", "reference_id": "5",
            "amount": "10.00", "method": "cheque", "cheque_number": "0001234"}
    apply(db, use_cases.on_payment_state_changed,
          {**base, "state": "succeeded", "label": "Paiement confirmé",
           "occurred_at": "2021-01-18T11:00:00+00:00"})
    apply(db, use_cases.on_payment_state_changed,
          {**base, "state": "pending", "label": "En attente du paiement",
           "occurred_at": "2021-01-18T10:00:00+00:00"})
    e = row(db, "sub_order", 5)
    assert (e.payment_state, e.cheque_number, e.payment_method) == ("succeeded", "0001234", "cheque")
    assert e.placed_at is None  # known by its payment only, until its order's event comes


def test_grouped_order_progress_follows_its_owner_and_never_goes_back(db):
    apply(db, use_cases.on_grouped_order_created, GROUPED, env("2021-01-14T23:30:00+00:00"))
    assert row(db, "grouped_order", 62).placed_day == date(2021, 1, 15)  # Paris
    validated = {**GROUPED, "quantity": 4, "unit_price_ttc": "14.90", "total_ttc": "59.60",
                 "validated_at": "2021-01-20T08:00:00+00:00"}
    apply(db, use_cases.on_grouped_order_made_available,
          {**GROUPED, "made_available_at": "2021-01-22T08:00:00+00:00", "quantity": 4})
    apply(db, use_cases.on_grouped_order_validated, validated)  # late
    e = row(db, "grouped_order", 62)
    assert e.progress == READY and e.total_ttc == Decimal("59.60")
    apply(db, use_cases.on_grouped_order_cancelled, {**GROUPED, "reason": "x"})
    assert row(db, "grouped_order", 62).progress == CANCELLED


def test_collectivity_orders_quotes_invoices_and_batches(db):
    apply(db, use_cases.on_collectivity_order_placed, document(7))
    apply(db, use_cases.on_quote_requested, document(8, "50.00"))
    apply(db, use_cases.on_classic_order_status_changed,
          {"order_number": 1, "source_kind": "collectivity_order", "source_number": 7,
           "picked_up": True, "status": "Attente fournisseur(s)"})
    assert row(db, "collectivity_order", 7).progress == PROCESSING
    apply(db, use_cases.on_collectivity_order_status_changed,
          {"number": 7, "client_name": "COLLÈGE VICTOR PROUVÉ", "to_emails": [],
           "action": "made_available", "status_label": "x", "total_ttc": "120.40",
           "at": "2021-01-25T08:00:00+00:00"})
    apply(db, use_cases.on_invoice_issued,
          {"number": "2021-01-000000001", "kind": "invoice",
           "order": {"kind": "collectivity_order", "number": 7}, "total_ht": "114.12",
           "vat_total": "6.28", "total_ttc": "120.40", "issued_at": NOW.isoformat()})
    apply(db, use_cases.on_orders_handed_off,
          {"batch_number": 3, "orders": [{"kind": "collectivity_order", "number": 7}],
           "created_at": NOW.isoformat()})
    e = row(db, "collectivity_order", 7)
    assert (e.progress, e.invoice_number, e.batch_number) == (READY, "2021-01-000000001", 3)
    assert (e.customer_name, e.customer_email, e.client_number) == ("Anne Dupré", "anne@vp.org", "21")
    assert e.payment_method == "account"  # paid on account, against its invoice
    with db.transaction() as s:
        assert use_cases.get_order(s, "collectivity_order", 7)["payment_method_label"] == \
            "En compte (sur facture)"
    assert row(db, "quote", 8).payment_method is None  # a quote is no sale
    # « Marquer réglée »: its transfer came in; told twice (a redelivery), the same row
    settled = {"number": "2021-01-000000001",
               "order": {"kind": "collectivity_order", "number": 7}, "amount": "120.40",
               "settled_at": "2021-02-10T09:00:00+00:00", "note": "virement du 09/02"}
    for _ in range(2):
        apply(db, use_cases.on_invoice_settled, settled)
    with db.transaction() as s:
        paid = use_cases.get_order(s, "collectivity_order", 7)
        assert (paid["payment_state"], paid["payment_label"], paid["payment_method_label"]) == (
            "succeeded", "Facture réglée", "En compte (sur facture)")
        assert [o["number"] for o in use_cases.list_orders(
            s, {"payment_state": "succeeded"})["orders"]] == [7]
    # another kind's invoice settled says nothing of its payment (its owner tells it)
    apply(db, use_cases.on_invoice_settled, dict(settled, order={"kind": "quote", "number": 8}))
    assert row(db, "quote", 8).payment_state is None
    with db.transaction() as s:  # a quote request is « Demande enregistrée », not a command
        assert use_cases.get_order(s, "quote", 8)["progress_label"] == "Demande enregistrée"
        assert use_cases.progress_history(s, "quote", 8)["history"][0]["to_label"] == \
            "Demande enregistrée"
        assert use_cases.get_order(s, "collectivity_order", 7)["progress_label"] != \
            "Demande enregistrée"
    assert row(db, "quote", 8).total_ttc == Decimal("50.00")


def test_consumers_are_idempotent_through_the_inbox(db):
    body = {"event_id": str(uuid.uuid4()), "event_type": "sub_order_paid", "version": 1,
            "source": "grouped_orders", "occurred_at": NOW.isoformat(), "payload": sub(21)}
    calls = []

    def handler(session, payload, envelope):
        calls.append(1)
        use_cases.on_sub_order_paid(session, payload, envelope, NOW, Events())

    inbox.process(db, "on_sub_order_paid", "sub_order_paid", body, handler)
    inbox.process(db, "on_sub_order_paid", "sub_order_paid", body, handler)
    assert len(calls) == 1
    with db.transaction() as s:
        assert s.query(RegisterEntry).count() == 1


def test_the_same_fact_twice_changes_nothing(db):
    apply(db, use_cases.on_collectivity_order_placed, document(7))
    apply(db, use_cases.on_collectivity_order_placed,
          document(7, placed="2021-02-01T08:00:00+00:00"))
    with db.transaction() as s:
        assert s.query(RegisterEntry).count() == 1
    assert row(db, "collectivity_order", 7).placed_day == date(2021, 1, 19)  # kept


def seed(db):
    # 23:30 UTC on 17 January is the 18th in Paris
    apply(db, use_cases.on_sub_order_paid, sub(1, "Martine", "MOËNNE", "14.90",
                                               "2021-01-17T23:30:00+00:00"))
    apply(db, use_cases.on_sub_order_paid, sub(2, "Yannick", "HENRY", "29.80",
                                               "2021-01-18T10:00:00+00:00"))
    apply(db, use_cases.on_collectivity_order_placed, document(7))
    apply(db, use_cases.on_sub_order_paid, sub(3, "Alice", "ROBLIN", "44.70",
                                               "2021-01-19T10:00:00+00:00"))
    apply(db, use_cases.on_sub_order_cancelled, {**sub(3, "Alice", "ROBLIN", "44.70"),
                                                 "refund_expected": True})


def test_the_calendar_counts_paris_days_and_leaves_cancelled_orders_apart(db):
    seed(db)
    with db.transaction() as s:
        cal = use_cases.calendar_month(s, 2021, 1, date(2021, 1, 19))
    cells = {c["day"]: c for w in cal["weeks"] for c in w}
    assert (cells["2021-01-17"]["count"], cells["2021-01-18"]["count"]) == (0, 2)
    assert cells["2021-01-18"]["total_ttc"] == "44.70"
    assert (cells["2021-01-19"]["count"], cells["2021-01-19"]["total_ttc"],
            cells["2021-01-19"]["cancelled"]) == (1, "120.40", 1)
    assert cells["2021-01-19"]["today"] and not cells["2021-01-18"]["today"]
    assert (cal["count"], cal["total_ttc"], cal["title"]) == (3, "165.10", "Janvier 2021")
    assert (cal["previous"], cal["next"]) == ({"year": 2020, "month": 12},
                                              {"year": 2021, "month": 2})
    with db.transaction() as s:  # the last month shown leads nowhere after it
        last = use_cases.calendar_month(s, 2100, 12, date(2021, 1, 19))
    assert last["next"] is None and last["previous"] == {"year": 2100, "month": 11}
    with pytest.raises(DomainError):
        with db.transaction() as s:
            use_cases.calendar_month(s, 2021, 13, date(2021, 1, 19))


def invoice_event(number, kind="invoice", order=7, total="120.40", **more):
    return {"number": number, "kind": kind,
            "order": {"kind": "collectivity_order", "number": order}, "total_ht": "0",
            "vat_total": "0", "total_ttc": total, "issued_at": NOW.isoformat(), **more}


def test_an_order_credited_entirely_is_left_out_of_the_calendar_until_invoiced_again(db):
    """Its invoice taken entirely by a credit note, nothing of the order is due: the day's
    count and total leave it out and show it apart (« annulée par avoir »); a partial credit
    note leaves it counted for the rest (it counted in full); invoiced again, it counts in full
    once more."""
    seed(db)

    def day19():
        with db.transaction() as s:
            cal = use_cases.calendar_month(s, 2021, 1, date(2021, 1, 19))
        cell = {c["day"]: c for w in cal["weeks"] for c in w}["2021-01-19"]
        return (cell["count"], cell["total_ttc"], cell["cancelled"], cell["credited"],
                cal["count"], cal["total_ttc"], cal["credited"])

    def invoiced(value):
        with db.transaction() as s:
            return [o["number"] for o in use_cases.list_orders(s, {"invoiced": value})["orders"]]

    apply(db, use_cases.on_collectivity_order_placed, document(7))
    apply(db, use_cases.on_invoice_issued, invoice_event("2021-01-000000001"))
    apply(db, use_cases.on_invoice_issued, invoice_event(
        "2021-01-000000002", "credit_note", total="12.00", invoice_number="2021-01-000000001",
        cancels_invoice=False))
    # a partial credit note: still counted, for what is left of it (120.40 − 12.00)
    assert day19() == (1, "108.40", 1, 0, 3, "153.10", 0)
    with db.transaction() as s:
        assert use_cases.get_order(s, "collectivity_order", 7)["credited_ttc"] == "12.00"
        listed = use_cases.list_orders(s, {"day": "2021-01-19"})
    assert listed["total_ttc"] == "108.40"  # the day's list says what its cell says
    apply(db, use_cases.on_invoice_issued, invoice_event(
        "2021-01-000000003", "credit_note", total="108.40", invoice_number="2021-01-000000001",
        cancels_invoice=True))
    assert day19() == (0, "0.00", 1, 1, 2, "44.70", 1)
    e = row(db, "collectivity_order", 7)
    assert (e.invoice_number, e.credited_invoice) == ("2021-01-000000001", "2021-01-000000001")
    with db.transaction() as s:
        assert use_cases.get_order(s, "collectivity_order", 7)["credited"] is True
    assert 7 in invoiced("no") and 7 not in invoiced("yes")
    apply(db, use_cases.on_invoice_issued, invoice_event("2021-02-000000004"))
    assert day19() == (1, "120.40", 1, 0, 3, "165.10", 0)
    assert row(db, "collectivity_order", 7).invoice_number == "2021-02-000000004"
    assert 7 in invoiced("yes") and 7 not in invoiced("no")


def test_the_list_filters_sorts_and_pages(db):
    seed(db)
    with db.transaction() as s:
        def numbers(**data):
            return [(o["kind"], o["number"]) for o in use_cases.list_orders(s, data)["orders"]]
        everything = use_cases.list_orders(s, {})
        # the cancelled sub-order (44,70 €) listed, not counted: the calendar's 165,10 €
        assert everything["total"] == 4 and everything["total_ttc"] == "165.10"
        assert numbers() == [("sub_order", 3), ("collectivity_order", 7), ("sub_order", 2),
                             ("sub_order", 1)]
        assert numbers(customer="moenne") == [("sub_order", 1)]
        assert numbers(customer="MOËNNE martine") == [("sub_order", 1)]
        assert numbers(customer="victor prouve", kind="collectivity_order") == [
            ("collectivity_order", 7)]
        assert numbers(amount_from="14,90", amount_to="29,80", sort="amount",
                       direction="asc") == [("sub_order", 1), ("sub_order", 2)]
        assert numbers(day="2021-01-18", sort="number", direction="asc") == [
            ("sub_order", 1), ("sub_order", 2)]
        assert numbers(progress="cancelled") == [("sub_order", 3)]
        assert numbers(payment_state="succeeded", number="2") == [("sub_order", 2)]
        assert numbers(invoiced="yes") == []
        assert len(numbers(invoiced="no")) == 4
        assert numbers(sort="customer", direction="asc")[0] == ("sub_order", 3)  # alice
        with pytest.raises(DomainError) as err:
            use_cases.list_orders(s, {"amount_from": "30", "amount_to": "3"})
        assert err.value.code == "invalid"


def test_a_days_list_adds_up_to_its_calendar_cell(db):
    """« Commandes du 18/01 » said 4 · 166,30 € under a cell « 3 / 98,05 € »: the list added a
    quote request, a cancelled order and a validated grouped order's total on top of its own
    sub-orders. It now counts as the calendar does; the quotes' total is given apart."""
    seed(db)
    apply(db, use_cases.on_grouped_order_validated,
          {**GROUPED, "total_ttc": "44.70", "validated_at": "2021-01-18T12:00:00+00:00"})
    apply(db, use_cases.on_grouped_order_created, GROUPED,
          env("2021-01-18T09:00:00+00:00"))
    apply(db, use_cases.on_quote_requested, document(8, "50.00", "2021-01-19T09:00:00+00:00"))
    with db.transaction() as s:
        cal = use_cases.calendar_month(s, 2021, 1, date(2021, 1, 19))
        cells = {c["day"]: c for w in cal["weeks"] for c in w}
        for day in ("2021-01-18", "2021-01-19"):
            listed = use_cases.list_orders(s, {"day": day})
            assert listed["total_ttc"] == cells[day]["total_ttc"], day
            # the list lists them all, and says how many its cell counts (it said 57 under a
            # cell of 52 and 5 cancelled)
            assert listed["counted"] == cells[day]["count"], day
        assert use_cases.list_orders(s, {"day": "2021-01-18"})["total_ttc"] == "44.70"
        # « Facturée : non » is what is left to invoice: no grouped order, no quote
        assert {o["kind"] for o in use_cases.list_orders(s, {"invoiced": "no"})["orders"]} \
            == {"sub_order", "collectivity_order"}
        day19 = use_cases.list_orders(s, {"day": "2021-01-19"})
        assert (day19["total"], day19["total_ttc"], day19["quotes_ttc"]) == (3, "120.40",
                                                                             "50.00")
        month = use_cases.list_orders(s, {"period_from": "2021-01-01",
                                          "period_to": "2021-01-31"})
        assert month["total_ttc"] == cal["total_ttc"] == "165.10"


def test_pagination_25_a_page(db):
    for n in range(1, 31):
        apply(db, use_cases.on_sub_order_paid, sub(n, subscribed=f"2021-01-{n % 28 + 1:02d}T10:00:00+00:00"))
    with db.transaction() as s:
        first = use_cases.list_orders(s, {"sort": "number", "direction": "asc"})
        second = use_cases.list_orders(s, {"sort": "number", "direction": "asc", "page": "2"})
    assert (first["total"], first["pages"], first["next_page"], len(first["orders"])) == (30, 2, 2, 25)
    assert [o["number"] for o in second["orders"]] == list(range(26, 31))
    assert second["previous_page"] == 1 and second["next_page"] is None


def test_get_order(db):
    seed(db)
    with db.transaction() as s:
        o = use_cases.get_order(s, "sub_order", 1)
        assert (o["customer_name"], o["total_ttc"], o["payment_label"], o["progress_label"]) == (
            "Martine MOËNNE", "14.90", "Paiement confirmé", "Commande enregistrée")
        assert o["placed_day"] == "2021-01-18" and o["grouped_order_number"] == 62
        for kind, number in (("sub_order", 99), ("basket", 1), ("sub_order", "x")):
            with pytest.raises(DomainError) as err:
                use_cases.get_order(s, kind, number)
            assert err.value.code == "not_found"



def test_a_title_cut_gives_the_sub_order_its_new_amount(db):
    """issue 10, K3: `sub_order_adjusted` (after the sub-order was paid) sets the amount to the
    new total; the same event again changes nothing more."""
    apply(db, use_cases.on_sub_order_paid, sub(148, total="29.80"))
    adjusted = dict(sub(148), ean="9791097284657", title="WESTERN COQUILLETTES",
                    quantity_before=2, quantity_after=1, total_before="29.80",
                    total_after="14.90", amount="14.90", money_way="online_refund",
                    adjusted_at="2021-01-20T08:00:00+00:00")
    apply(db, use_cases.on_sub_order_adjusted, adjusted)
    apply(db, use_cases.on_sub_order_adjusted, adjusted)
    entry = row(db, "sub_order", 148)
    assert entry.total_ttc == Decimal("14.90") and entry.customer_name == "Élodie MOËNNE"
    assert entry.payment_state == "succeeded"


def test_a_sub_order_to_pay_at_pickup_is_to_be_collected_until_its_cash_is_recorded(db):
    """Issue 10 K5: « À encaisser au retrait », never « confirmé », until payments records the
    cash handed over on distribution day."""
    from services.order_desk.presenters import order as entry_view
    apply(db, use_cases.on_sub_order_placed, {**sub(21), "payment_method": "pickup"})
    e = row(db, "sub_order", 21)
    assert (e.payment_state, e.payment_label, e.payment_method) == (
        "pending", "À encaisser au retrait", "pickup")
    assert entry_view(e)["payment_method_label"] == "Au retrait"
    apply(db, use_cases.on_payment_state_changed, {
        "payment_id": "p21", "reference_kind": "sub_order", "reference_id": "21",
        "amount": "29.80", "method": "cash", "state": "succeeded", "label": "Paiement confirmé",
        "occurred_at": "2021-01-25T16:00:00+00:00"})
    e = row(db, "sub_order", 21)
    assert (e.payment_state, e.payment_label, e.payment_method) == (
        "succeeded", "Paiement confirmé", "cash")


def test_a_sub_order_cancelled_before_any_payment_no_longer_awaits_one(db):
    """A sub-order cancelled unpaid (the bookshop's « Annuler », a grouped order failing) said
    « En attente du paiement » (or « À encaisser au retrait ») beside « Annulée » in the desk,
    and the filter « En attente du paiement » listed it (found by the exploration): « Annulé »,
    as reference 003 labels a cancelled payment."""
    for number, method in ((31, "online"), (32, "pickup")):
        apply(db, use_cases.on_sub_order_placed, {**sub(number), "payment_method": method})
        apply(db, use_cases.on_sub_order_cancelled, {**sub(number), "refund_expected": False},
              env("2021-01-20T09:00:00+00:00"))
        e = row(db, "sub_order", number)
        assert (e.payment_state, e.payment_label) == ("cancelled", "Annulé"), method
    apply(db, use_cases.on_sub_order_paid, sub(33))  # paid, then cancelled: its refund says
    apply(db, use_cases.on_sub_order_cancelled, {**sub(33), "refund_expected": True},
          env("2021-01-20T09:00:00+00:00"))
    assert row(db, "sub_order", 33).payment_state == "succeeded"


def placed_with_a_payment_open(db, number, payment_id) -> dict:
    """A parent's sub-order placed, its online payment on the provider's page (processing):
    the payment's facts, for the states it enters next."""
    online = {"payment_id": payment_id, "reference_kind": "sub_order",
              "reference_id": str(number), "amount": "29.80", "method": "online"}
    apply(db, use_cases.on_sub_order_placed, sub(number))
    apply(db, use_cases.on_payment_state_changed, dict(
        online, state="processing", label="Paiement en cours de traitement",
        occurred_at="2021-01-18T10:01:00+00:00"))
    return online


def test_a_second_payment_refunded_does_not_unpay_a_paid_sub_order(db):
    """A sub-order validated in cash while its online payment was open, then paid online too:
    the second payment, refunded automatically, showed the order « Annulé · En ligne » (left
    out of « Paiement confirmé »), though it was paid in cash and invoiced so. Payments' own
    facts no longer change a paid sub-order; its owner's do (a refund of its payment after a
    cancellation)."""
    online = placed_with_a_payment_open(db, 31, "q1")
    apply(db, use_cases.on_sub_order_paid, dict(sub(31), manual=True, payment_method="cash",
                                                paid_at="2021-01-18T10:03:00+00:00"))
    for state, label, at in (("succeeded", "Paiement confirmé", "10:04"),
                             ("refunded", "Annulé", "10:05")):
        apply(db, use_cases.on_payment_state_changed, dict(
            online, state=state, label=label, occurred_at=f"2021-01-18T{at}:00+00:00"))
    apply(db, use_cases.on_sub_order_refunded, dict(
        sub(31), amount="29.80", automatic=True, payment_id="q1",
        refunded_at="2021-01-18T10:06:00+00:00"))
    e = row(db, "sub_order", 31)
    assert (e.payment_state, e.payment_label, e.payment_method) == (
        "succeeded", "Paiement confirmé", "cash")
    # its own payment refunded after a cancellation: the owner says so
    apply(db, use_cases.on_sub_order_cancelled, dict(sub(31), reason="Erreur"))
    apply(db, use_cases.on_sub_order_refunded, dict(
        sub(31), amount="29.80", automatic=False, payment_id="m1", payment_method="cash",
        refunded_at="2021-01-19T10:00:00+00:00"))
    assert row(db, "sub_order", 31).payment_state == "refunded"


def test_a_credit_notes_refund_leaves_the_sub_order_paid(db):
    """A credit note gives back part of a paid sub-order's payment: the order is still paid
    (and still to be delivered), not « Annulé (remboursé) »."""
    online = placed_with_a_payment_open(db, 35, "q3")
    apply(db, use_cases.on_sub_order_paid, dict(sub(35), payment_method="online",
                                                paid_at="2021-01-18T10:03:00+00:00"))
    apply(db, use_cases.on_payment_state_changed, dict(
        online, state="succeeded", label="Paiement confirmé",
        occurred_at="2021-01-18T10:04:00+00:00"))
    apply(db, use_cases.on_sub_order_refunded, dict(
        sub(35), amount="6.40", payment_id="q3", credit_note_number="2021-01-000000004",
        refunded_at="2021-01-19T10:00:00+00:00"))
    e = row(db, "sub_order", 35)
    assert (e.payment_state, e.payment_label) == ("succeeded", "Paiement confirmé")


@pytest.mark.parametrize("cancel_first", [True, False])
def test_a_payment_made_after_the_cancellation_does_not_show_the_order_paid(db, cancel_first):
    """The bookshop cancelled a sub-order whose online payment was open; the parent then paid
    on the provider's page left open (refunded automatically): the desk said « Paiement
    confirmé » of a cancelled order, in the « Paiement confirmé » filter. Whichever event the
    desk hears first, the order stays cancelled, nothing paid."""
    online = placed_with_a_payment_open(db, 41, "q2")
    cancelled = (use_cases.on_sub_order_cancelled,
                 dict(sub(41), reason="Erreur de quantité", refund_expected=False),
                 env("2021-01-18T10:02:00+00:00"))
    paid = (use_cases.on_payment_state_changed,
            dict(online, state="succeeded", label="Paiement confirmé",
                 occurred_at="2021-01-18T10:03:00+00:00"), None)
    for fn, payload, envelope in ([cancelled, paid] if cancel_first else [paid, cancelled]):
        apply(db, fn, payload, envelope)
    apply(db, use_cases.on_payment_state_changed, dict(
        online, state="refunded", label="Annulé", occurred_at="2021-01-18T10:04:00+00:00"))
    apply(db, use_cases.on_sub_order_refunded, dict(
        sub(41), amount="29.80", automatic=True, payment_id="q2",
        refunded_at="2021-01-18T10:05:00+00:00"))
    e = row(db, "sub_order", 41)
    assert (e.progress, e.payment_state) == (CANCELLED, "cancelled")


def test_a_parents_progress_mail_links_to_their_own_page(db):
    """The desk's status mails to a parent linked only to « Notre site »: the sub-order's row
    keeps the buyer's own page its owner's events give."""
    page = "http://localhost:8000/souscription/T/commande/B"
    apply(db, use_cases.on_sub_order_placed, dict(sub(51), buyer_url=page))
    assert row(db, "sub_order", 51).detail_url == page
    apply(db, use_cases.on_sub_order_paid, sub(51))  # an event without it changes nothing
    assert row(db, "sub_order", 51).detail_url == page


def test_a_buyer_email_corrected_by_the_bookshop_is_the_rows_and_its_searchs(db):
    apply(db, use_cases.on_sub_order_placed, sub(40))
    corrected = dict(sub(40), buyer={"first_name": "Élodie", "last_name": "MOËNNE",
                                     "email": "elodie.moenne@free.fr"},
                     previous_email="élodie@free.fr", status="awaiting_payment",
                     status_label="En attente de paiement", page_url="http://x/p",
                     corrected_at=NOW.isoformat())
    apply(db, use_cases.on_sub_order_email_corrected, corrected)
    assert row(db, "sub_order", 40).customer_email == "elodie.moenne@free.fr"
    with db.transaction() as s:
        found = use_cases.list_orders(s, {"customer": "elodie.moenne"})["orders"]
    assert [o["number"] for o in found] == [40]


def test_the_teachers_comment_is_not_the_progress_comment_of_the_validation(db):
    """After « Valider la commande groupée », the history read « → En cours de traitement ·
    système · Lecture de la classe de CM2 »: the grouped order's own comment, as if the
    bookshop had written it."""
    seed(db)
    apply(db, use_cases.on_grouped_order_created, GROUPED, env("2021-01-18T09:00:00+00:00"))
    apply(db, use_cases.on_grouped_order_validated,
          {**GROUPED, "total_ttc": "44.70", "validated_at": "2021-01-18T12:00:00+00:00",
           "comment": "Lecture de la classe de CM2"})
    with db.transaction() as s:
        history = use_cases.progress_history(s, "grouped_order", GROUPED["number"])["history"]
    assert history and all("Lecture de la classe" not in (h.get("comment") or "")
                           for h in history)


def test_a_parents_order_not_paid_online_yet_is_shown_apart_not_counted(db):
    """Two outside testers read the calendar as takings: parents who left the payment page
    without choosing (or whose payment was refused) were counted. Shown apart until paid; one
    paying by cheque or at pickup counts (its money comes at the bookshop)."""
    seed(db)
    apply(db, use_cases.on_sub_order_placed, sub(31, total="14.90"))            # online
    apply(db, use_cases.on_sub_order_placed, {**sub(32, total="9.90"), "payment_method": "cheque"})
    with db.transaction() as s:
        cal = use_cases.calendar_month(s, 2021, 1, date(2021, 1, 19))
        listed = use_cases.list_orders(s, {"day": "2021-01-18"})
    cell = {c["day"]: c for w in cal["weeks"] for c in w}["2021-01-18"]
    assert (cell["count"], cell["total_ttc"], cell["unpaid"]) == (3, "54.60", 1)
    assert (listed["counted"], listed["total_ttc"]) == (3, "54.60")
    apply(db, use_cases.on_sub_order_paid, sub(31, total="14.90"))  # paid: counted
    with db.transaction() as s:
        cal = use_cases.calendar_month(s, 2021, 1, date(2021, 1, 19))
    cell = {c["day"]: c for w in cal["weeks"] for c in w}["2021-01-18"]
    assert (cell["count"], cell["total_ttc"], cell["unpaid"]) == (4, "69.50", 0)
