"""payments' configuration, from the environment (reference 002 §3, issue 9): the payout rule
(`PAYOUT_FEE_PERCENT` 2.9, `PAYOUT_FEE_FIXED` 0.25 €, `PAYOUT_DELAY_WORKING_DAYS` 10) and the
French public holidays (the `holidays` library's calendar)."""
import holidays

from services.common.config import env

from .domain import payouts


def payout_rule() -> payouts.PayoutRule:
    return payouts.payout_rule(env("PAYOUT_FEE_PERCENT", "2.9"), env("PAYOUT_FEE_FIXED", "0.25"),
                               env("PAYOUT_DELAY_WORKING_DAYS", "10"))


def public_holidays():
    """France's public holidays (metropolitan), any year asked for."""
    return holidays.France()
