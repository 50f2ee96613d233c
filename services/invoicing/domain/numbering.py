"""Invoice and credit-note numbers, `YYYY-MM-NNNNNNNNN` (reference 003: 2013-01-000000005,
2013-02-000000006, 2013-02-000000007, 2013-03-000000008): the year and month of issue, Paris
time, then the sequence, nine digits.

The sequence RUNS ON across months and years (reference 003's numbers go 5, 6, 7, 8 across
January, February and March: it does not restart at 1 each month), and invoices and credit notes
share it: one continuous, chronological series (docs/invoicing.md says why).

The chronology is kept too: a number is never dated before the previous one (two requests
racing over midnight at a month's end: the later number takes the later date)."""
import re
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
DIGITS = 9
MAX_SEQUENCE = 10 ** DIGITS - 1
NUMBER_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])-(\d{9})$")


def aware(moment: datetime) -> datetime:
    """A stored time read back without its zone (SQLite) is UTC, as every time stored here."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def paris(moment: datetime) -> datetime:
    return aware(moment).astimezone(PARIS)


def paris_midnight(day) -> datetime:
    """The UTC instant a Paris day starts (a period of issue's bounds)."""
    return datetime.combine(day, time(0, 0), tzinfo=PARIS).astimezone(timezone.utc)


def format_number(sequence: int, issued_at: datetime) -> str:
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise ValueError(f"sequence out of range: {sequence}")
    local = paris(issued_at)
    return f"{local.year:04d}-{local.month:02d}-{sequence:0{DIGITS}d}"


def parse_number(number: str):
    """(year, month, sequence) of a well-formed number, else None."""
    match = NUMBER_RE.match(number or "") if isinstance(number, str) else None
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


def next_issue(last_sequence: int, last_issued_at, now: datetime):
    """The next (sequence, issued_at, number) after the last one issued: the sequence + 1, dated
    now, or at the previous number's date if the clock reads earlier (never backwards)."""
    now = aware(now)
    last_issued_at = aware(last_issued_at) if last_issued_at is not None else None
    issued_at = now if last_issued_at is None or now >= last_issued_at else last_issued_at
    sequence = last_sequence + 1
    return sequence, issued_at, format_number(sequence, issued_at)


def is_gapless(sequences) -> bool:
    """The sequences, sorted, are 1..n or k..k+n-1 without a hole or a repeat."""
    ordered = sorted(sequences)
    return all(b == a + 1 for a, b in zip(ordered, ordered[1:]))
