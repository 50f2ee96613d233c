"""Payouts fed by confirmations and refunds, in the same transaction (issue 9, reference 002 §3),
on a temporary SQLite database with the sandbox provider."""
import csv
import io

import pytest

from services.common.errors import DomainError
from services.payments import use_cases
from services.payments.adapters import sandbox
from services.payments.adapters.providers import parse_notification
from services.payments.models import Payout, SandboxNotification

from .conftest import NOW, checkout_id
from .test_use_cases import callback, paid, refund, start


def payouts_of(db, status=None):
    with db.transaction() as s:
        return use_cases.list_payouts(s, "admin-1", status)


def test_a_confirmed_payment_joins_the_payout_due_ten_working_days_later(db, provider, record):
    first = paid(db, provider, record)                      # Friday 15 January 2027
    second = paid(db, provider, record, reference_id="155", amount="25.00",
                  idempotency_key="sub-155-a")
    (payout,) = payouts_of(db)
    assert payout["due_on"] == "2027-01-29" and payout["status"] == "open"
    assert [line["payment_id"] for line in payout["lines"]] == [first, second]
    assert [line["fee"] for line in payout["lines"]] == ["0.68", "0.98"]
    assert (payout["transactions"], payout["gross"], payout["fees"], payout["refunds"],
            payout["net"]) == (2, "39.90", "1.66", "0.00", "38.24")


def test_the_fee_rule_is_read_from_the_environment(db, provider, record, monkeypatch):
    monkeypatch.setenv("PAYOUT_FEE_PERCENT", "1")
    monkeypatch.setenv("PAYOUT_FEE_FIXED", "0.10")
    monkeypatch.setenv("PAYOUT_DELAY_WORKING_DAYS", "1")
    paid(db, provider, record)
    (payout,) = payouts_of(db)
    assert payout["due_on"] == "2027-01-18" and payout["fees"] == "0.25"  # 0.149 -> 0.15 + 0.10


def test_a_refund_reduces_the_open_payout_of_its_payment(db, provider, record):
    first = paid(db, provider, record)
    paid(db, provider, record, reference_id="155", amount="25.00", idempotency_key="sub-155-a")
    refund(db, provider, record, first)
    (payout,) = payouts_of(db)
    assert [line["kind"] for line in payout["lines"]] == ["payment", "payment", "refund"]
    assert (payout["gross"], payout["fees"], payout["refunds"], payout["net"]) == (
        "39.90", "1.66", "14.90", "23.34")
    # a second refund request changes nothing
    refund(db, provider, record, first)
    assert payouts_of(db)[0]["net"] == "23.34"


def test_a_refund_after_the_payout_was_paid_reduces_the_next_open_one(db, provider, record):
    first = paid(db, provider, record)
    (payout,) = payouts_of(db)
    with db.transaction() as s:
        use_cases.mark_payout_paid(s, payout["payout_id"], "virement-1", NOW)
    refund(db, provider, record, first)
    paid_one, = payouts_of(db, "paid")
    (next_one,) = payouts_of(db, "open")
    assert paid_one["net"] == "14.22" and paid_one["refunds"] == "0.00"
    assert next_one["payout_id"] != paid_one["payout_id"]
    assert (next_one["transactions"], next_one["refunds"], next_one["net"]) == (
        0, "14.90", "-14.90")


def test_marking_a_payout_paid_is_a_guarded_transition(db, provider, record):
    paid(db, provider, record)
    (payout,) = payouts_of(db)
    with db.transaction() as s:
        done = use_cases.mark_payout_paid(s, payout["payout_id"], "virement-1", NOW)
    assert done["status"] == "paid" and done["status_label"] == "Versé" and done["paid_at"]
    with db.transaction() as s:  # the same request again: the same answer, nothing changed
        assert use_cases.mark_payout_paid(s, payout["payout_id"], "virement-1",
                                          NOW) == done
    with db.transaction() as s, pytest.raises(DomainError) as exc:
        use_cases.mark_payout_paid(s, payout["payout_id"], "virement-2", NOW)
    assert exc.value.code == "conflict"
    with db.transaction() as s, pytest.raises(DomainError) as exc:
        use_cases.get_payout(s, "po_inconnu")
    assert exc.value.code == "not_found"
    with db.transaction() as s:
        assert s.get(Payout, payout["payout_id"]).paid_key == "virement-1"


def test_listing_refuses_an_unknown_status(db):
    with db.transaction() as s, pytest.raises(DomainError) as exc:
        use_cases.list_payouts(s, None, "versé")
    assert exc.value.code == "invalid" and "open ou paid" in exc.value.message


def test_the_csv_lists_every_line_and_totals_that_add_up(db, provider, record):
    first = paid(db, provider, record)
    paid(db, provider, record, reference_id="155", amount="25.00", idempotency_key="sub-155-a")
    refund(db, provider, record, first)
    with db.transaction() as s:
        text = use_cases.export_payouts_csv(s)
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [r["ligne"] for r in rows] == ["paiement", "paiement", "remboursement", "total"]
    total = rows[-1]
    # decimal commas, as the invoices' CSV: a French spreadsheet reads « 1.66 » as text and
    # « 1.11 » as the 1st of November; « 1,66 » is a number
    assert (total["montant_ttc"], total["frais"], total["rembourse"], total["net"]) == (
        "39,90", "1,66", "14,90", "23,34")
    assert sum(float(r["net"].replace(",", ".")) for r in rows[:-1]) == pytest.approx(23.34)
    assert rows[0]["reference"] == "sub_order:154" and rows[0]["echeance"] == "2027-01-29"
    # Paris time, as the pages (it gave UTC « …T08:00:00+00:00 »)
    assert rows[0]["date"] == "2027-01-15 09:00:00"


def test_one_open_payout_per_due_date(db):
    from datetime import date

    from sqlalchemy.exc import IntegrityError
    with db.transaction() as s:
        s.add(Payout(id="po_paid", due_on=date(2027, 1, 29), status="paid", created_at=NOW))
        s.add(Payout(id="po_open", due_on=date(2027, 1, 29), status="open", created_at=NOW))
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.add(Payout(id="po_twin", due_on=date(2027, 1, 29), status="open", created_at=NOW))
        s.flush()


def test_money_taken_late_and_given_back_at_once_is_never_paid_out(db, provider, record):
    started = start(db, provider, record)
    with db.transaction() as s:
        first, _ = sandbox.complete_checkout(s, checkout_id(started), "refuse", NOW)
        late, _ = sandbox.complete_checkout(s, checkout_id(started), sandbox.LATE_PAY, NOW)
        bodies = [s.get(SandboxNotification, n).body.encode() for n in (first, late)]
    for body in bodies:
        callback(db, record, parse_notification(body))
    assert payouts_of(db) == []
