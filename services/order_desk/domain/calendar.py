"""The month calendar of the "Commandes" page (reference 002): one cell per day with "count /
total €", the month total, weeks from Monday to Sunday. Pure Python.

Rules (also written on the page):
- a day is a day in Paris (`register.paris_day`): an order placed at 23:30 UTC on 31 March
  counts on 1 April;
- an order's amount counts on the day it was placed;
- cancelled orders are not counted in the day's figures nor in the month total: they are shown
  apart ("n annulée(s)"); so are orders whose invoice credit notes took entirely and that were
  not invoiced again (`register.fully_credited`: "n annulée(s) par avoir"), nothing of them
  being due any more;
- quote requests are not orders: the calendar leaves them out (the list shows them);
- a parent's sub-order to pay online whose payment has not gone through (the page left
  without choosing, a payment refused or abandoned) is not a sale yet: shown apart ("n en
  attente de paiement en ligne"), counted once paid; one paid by cheque, cash or at pickup
  counts (the money comes at the bookshop);
- a grouped order counts as one order but adds no amount: its money is its parents'
  sub-orders', each counted on the day it was placed (counted once)."""
import calendar as stdcalendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from services.common.money import money
from services.common.progress import CANCELLED

from .register import fully_credited

COUNTED_KINDS = ("sub_order", "grouped_order", "collectivity_order")
NO_AMOUNT_KINDS = ("grouped_order",)
AMOUNT_KINDS = tuple(k for k in COUNTED_KINDS if k not in NO_AMOUNT_KINDS)
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
WEEKDAYS = ("Lun.", "Mar.", "Mer.", "Jeu.", "Ven.", "Sam.", "Dim.")


@dataclass
class Day:
    day: date
    in_month: bool
    count: int = 0
    total_ttc: Decimal = field(default_factory=lambda: Decimal("0.00"))
    cancelled: int = 0
    credited: int = 0
    unpaid: int = 0


PAID_ONLINE = ("succeeded", "refunded")


def unpaid_online(kind, method, state) -> bool:
    """A parent's sub-order to pay online whose payment has not gone through: not a sale yet."""
    return kind == "sub_order" and (method or "online") == "online" and state not in PAID_ONLINE


FIRST_YEAR, LAST_YEAR = 2000, 2100  # the months the calendar shows (the page, the API)


def check_month(year, month):
    """(year, month) as ints, or ValueError."""
    year, month = int(year), int(month)
    if not (1 <= month <= 12 and FIRST_YEAR <= year <= LAST_YEAR):
        raise ValueError("month out of range")
    return year, month


def month_bounds(year, month):
    first = date(year, month, 1)
    last = date(year, month, stdcalendar.monthrange(year, month)[1])
    return first, last


def grid_bounds(year, month):
    """The first Monday and last Sunday of the weeks that show the month."""
    first, last = month_bounds(year, month)
    return first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())


def counts(kind, progress):
    return kind in COUNTED_KINDS and progress != CANCELLED


def amount(kind, total_ttc):
    return Decimal("0.00") if kind in NO_AMOUNT_KINDS else money(total_ttc or 0)


def month(year, month_, rows):
    """rows: (placed_day, kind, total_ttc, progress, invoice_number, credited_invoice[,
    payment_method, payment_state]) of the orders placed in the grid's weeks. -> {"year", "month", "weeks": [[Day x7]...], "count",
    "total_ttc", "cancelled", "credited"}; the month's figures add up the days of the month
    only."""
    year, month_ = check_month(year, month_)
    start, end = grid_bounds(year, month_)
    days = {}
    d = start
    while d <= end:
        days[d] = Day(d, d.month == month_)
        d += timedelta(days=1)
    for placed_day, kind, total_ttc, progress, *rest in rows:
        invoices, payment = rest[:2], rest[2:4]
        cell = days.get(placed_day)
        if cell is None or kind not in COUNTED_KINDS:
            continue
        if progress == CANCELLED:
            cell.cancelled += 1
            continue
        if invoices and fully_credited(*invoices):
            cell.credited += 1
            continue
        if payment and unpaid_online(kind, *payment):
            cell.unpaid += 1
            continue
        cell.count += 1
        cell.total_ttc = money(cell.total_ttc + amount(kind, total_ttc))
    ordered = [days[k] for k in sorted(days)]
    in_month = [c for c in ordered if c.in_month]
    return {"year": year, "month": month_,
            "weeks": [ordered[i:i + 7] for i in range(0, len(ordered), 7)],
            "count": sum(c.count for c in in_month),
            "total_ttc": money(sum((c.total_ttc for c in in_month), Decimal("0"))),
            "cancelled": sum(c.cancelled for c in in_month),
            "credited": sum(c.credited for c in in_month),
            "unpaid": sum(c.unpaid for c in in_month)}


def neighbours(year, month_):
    """((year, month) before, (year, month) after); None past the months the calendar shows
    (December 2100's « Suiv. » led to a 400)."""
    before = (year - 1, 12) if month_ == 1 else (year, month_ - 1)
    after = (year + 1, 1) if month_ == 12 else (year, month_ + 1)
    return tuple(m if FIRST_YEAR <= m[0] <= LAST_YEAR else None for m in (before, after))


def title(year, month_):
    return f"{MONTHS[month_ - 1].capitalize()} {year}"
