"""Payouts (reference 002 §3, issue 9): each confirmed online payment is paid out to the
bookshop minus a fee of a percentage of the amount TTC plus a fixed amount per transaction
(2.9 % + 0.25 € by default; the rule is configuration: `PAYOUT_FEE_PERCENT`,
`PAYOUT_FEE_FIXED`), within `PAYOUT_DELAY_WORKING_DAYS` working days (10) of the
confirmation: weekends and French public holidays are not working days. The payments due on the
same date are one payout; a refund reduces the payout its payment is in, or the next open one
when that one is already paid. Every figure is recomputed from the payout's lines."""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from services.common.errors import conflict, invalid
from services.common.money import money

OPEN, PAID = "open", "paid"
PAYOUT_STATUSES = (OPEN, PAID)
PAYOUT_LABELS = {OPEN: "À verser", PAID: "Versé"}
PAYMENT_LINE, REFUND_LINE = "payment", "refund"


@dataclass(frozen=True)
class PayoutRule:
    fee_percent: Decimal = Decimal("2.9")
    fee_fixed: Decimal = Decimal("0.25")
    delay_working_days: int = 10


def payout_rule(fee_percent, fee_fixed, delay_working_days) -> PayoutRule:
    """The rule from its configured texts; a bad setting is refused, never guessed."""
    try:
        percent, fixed = Decimal(str(fee_percent)), Decimal(str(fee_fixed))
        delay = int(str(delay_working_days))
    except (ArithmeticError, ValueError) as exc:
        raise invalid(f"Règle de reversement illisible : {exc}.") from exc
    if not (percent.is_finite() and fixed.is_finite()) or not 0 <= percent < 100 \
            or fixed < 0 or not 0 <= delay <= 100:
        raise invalid("Règle de reversement invalide : 0 <= pourcentage < 100, frais fixes >= 0,"
                      " délai entre 0 et 100 jours ouvrés.")
    return PayoutRule(percent, fixed, delay)


def fee(amount: Decimal, rule: PayoutRule) -> Decimal:
    """The provider's fee on one payment of `amount` TTC: percent of the amount, rounded half-up
    to the cent, plus the fixed fee per transaction."""
    return money(Decimal(amount) * rule.fee_percent / 100) + money(rule.fee_fixed)


def payment_fee(method: str, amount: Decimal, rule: PayoutRule) -> Decimal:
    """The fee on a confirmed payment of `method`: the provider's `fee` for an online payment;
    none for a cheque or cash received by the bookshop (no provider, never paid out)."""
    return fee(amount, rule) if method == "online" else Decimal("0.00")


def is_working_day(day: date, public_holidays) -> bool:
    return day.weekday() < 5 and day not in public_holidays


def due_date(confirmed_on: date, rule: PayoutRule, public_holidays) -> date:
    """The day the payout of a payment confirmed on `confirmed_on` (Paris date) is due: the
    `delay_working_days`-th working day after it (`public_holidays`: a container of dates)."""
    day, left = confirmed_on, rule.delay_working_days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, public_holidays):
            left -= 1
    return day


@dataclass(frozen=True)
class Totals:
    transactions: int
    gross: Decimal
    fees: Decimal
    refunds: Decimal
    net: Decimal


def totals(lines) -> Totals:
    """`lines`: (kind, amount, fee) of a payout; refunds are positive amounts taken back."""
    gross = fees = refunds = Decimal("0.00")
    count = 0
    for kind, amount, line_fee in lines:
        if kind == PAYMENT_LINE:
            count += 1
            gross += Decimal(amount)
            fees += Decimal(line_fee)
        else:
            refunds += Decimal(amount)
    return Totals(count, gross, fees, refunds, gross - fees - refunds)


def refund_target(payment_payout_status):
    """Where a refund goes: the payout of its payment while still open ("same"), else the next
    open one ("next"); a payment never paid out (money given back at once) has none (None)."""
    if payment_payout_status is None:
        return None
    return "same" if payment_payout_status == OPEN else "next"


def mark_paid(status: str, paid_key, key: str) -> bool:
    """True: move the payout to paid; False: already paid with this very key (nothing to do);
    conflict otherwise."""
    if not isinstance(key, str) or not key.strip() or len(key) > 100:
        raise invalid("Clé d'idempotence obligatoire (100 caractères au plus).",
                      {"idempotency_key": ["Obligatoire."]})
    if status == PAID:
        if paid_key == key:
            return False
        raise conflict("Ce reversement est déjà marqué comme versé.")
    return True
