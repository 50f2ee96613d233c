"""Payout rules (reference 002 §3): the fee, the working days, the totals, the paid mark."""
from datetime import date
from decimal import Decimal

import holidays
import pytest

from services.common.errors import DomainError
from services.payments import domain
from services.payments.domain import payouts

RULE = payouts.PayoutRule()
FR = holidays.France(years=range(2026, 2029))


@pytest.mark.parametrize("amount,expected", [
    ("100.00", "3.15"), ("14.90", "0.68"),   # 0.4321 -> 0.43 + 0.25
    ("10.00", "0.54"),                       # 0.29 + 0.25
    ("50.00", "1.70"),                       # 1.45 exactly
    ("0.50", "0.26"),                        # 0.0145 -> 0.01
    ("25.00", "0.98"),                       # 0.725 -> 0.73 (half-up)
])
def test_fee_is_percent_rounded_half_up_plus_fixed(amount, expected):
    assert payouts.fee(Decimal(amount), RULE) == Decimal(expected)


def test_fee_rule_is_configuration():
    rule = payouts.payout_rule("1.5", "0.10", "5")
    assert payouts.fee(Decimal("100.00"), rule) == Decimal("1.60")
    assert rule.delay_working_days == 5
    for bad in (("x", "0.25", "10"), ("-1", "0.25", "10"), ("2.9", "-1", "10"),
                ("2.9", "0.25", "ten"), ("NaN", "0.25", "10")):
        with pytest.raises(DomainError):
            payouts.payout_rule(*bad)


def test_due_date_skips_weekends():
    # Monday 2026-12-07 + 10 working days = Monday 2026-12-21
    assert payouts.due_date(date(2026, 12, 7), RULE, FR) == date(2026, 12, 21)


def test_due_date_friday_before_easter_monday():
    # Easter Monday 2027-03-29 is not worked: Fri 26 March -> Mon 12 April (not Fri 9)
    assert date(2027, 3, 29) in FR
    assert payouts.due_date(date(2027, 3, 26), RULE, FR) == date(2027, 4, 12)
    assert payouts.due_date(date(2027, 3, 26), RULE, ()) == date(2027, 4, 9)


def test_due_date_first_of_may():
    # 2026-04-24 (Fri): 27,28,29,30 Apr, [1 May holiday], 4,5,6,7, [8 May holiday], 11, 12
    assert payouts.due_date(date(2026, 4, 24), RULE, FR) == date(2026, 5, 12)
    assert payouts.due_date(date(2026, 4, 24), RULE, ()) == date(2026, 5, 8)


def test_due_date_christmas_and_new_year():
    # Fri 2026-12-18: 21,22,23,24,[25],28,29,30,31,[1 Jan],2027-01-04,05 -> the 10th is 5 Jan
    assert payouts.due_date(date(2026, 12, 18), RULE, FR) == date(2027, 1, 5)


def test_totals_add_up_from_lines():
    lines = [("payment", "14.90", "0.68"), ("payment", "25.00", "0.98"), ("refund", "14.90", "0")]
    t = payouts.totals(lines)
    assert (t.transactions, t.gross, t.fees, t.refunds, t.net) == (
        2, Decimal("39.90"), Decimal("1.66"), Decimal("14.90"), Decimal("23.34"))
    assert t.gross - t.fees - t.refunds == t.net


def test_refund_goes_to_its_payout_or_the_next_open_one():
    assert payouts.refund_target("open") == "same"
    assert payouts.refund_target("paid") == "next"
    assert payouts.refund_target(None) is None


def test_marking_paid_is_idempotent_per_key():
    assert payouts.mark_paid("open", None, "k1") is True
    assert payouts.mark_paid("paid", "k1", "k1") is False
    with pytest.raises(DomainError) as exc:
        payouts.mark_paid("paid", "k1", "k2")
    assert exc.value.code == "conflict"
    with pytest.raises(DomainError):
        payouts.mark_paid("open", None, "  ")


def test_domain_reexports_payouts():
    assert domain.payouts is payouts
