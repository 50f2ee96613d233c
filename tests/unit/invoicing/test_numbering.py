"""The numbers: YYYY-MM-NNNNNNNNN, Paris month of issue, one sequence that runs on."""
from datetime import datetime, timedelta, timezone

import pytest

from services.invoicing.domain import numbering


def test_reference_003_format():
    at = datetime(2013, 3, 1, 8, 49, tzinfo=timezone.utc)
    assert numbering.format_number(8, at) == "2013-03-000000008"
    assert numbering.parse_number("2013-03-000000008") == (2013, 3, 8)
    assert numbering.parse_number("2013-13-000000008") is None
    assert numbering.parse_number("2013-03-8") is None


def test_month_is_paris_time():
    # 31 January 23:30 UTC is already 1 February in Paris
    at = datetime(2027, 1, 31, 23, 30, tzinfo=timezone.utc)
    assert numbering.format_number(41, at) == "2027-02-000000041"
    # 30 June 22:30 UTC is 1 July 00:30 in Paris (summer time)
    assert numbering.format_number(1, datetime(2027, 6, 30, 22, 30, tzinfo=timezone.utc)) \
        == "2027-07-000000001"


def test_sequence_runs_on_across_months_and_years():
    """Reference 003: 2013-01-…005, 2013-02-…006, …007, 2013-03-…008: no restart."""
    last, last_at = 5, datetime(2013, 1, 12, 8, 35, tzinfo=timezone.utc)
    numbers = []
    for moment in (datetime(2013, 2, 28, 16, 24, tzinfo=timezone.utc),
                   datetime(2013, 2, 28, 16, 45, tzinfo=timezone.utc),
                   datetime(2013, 3, 1, 8, 49, tzinfo=timezone.utc),
                   datetime(2013, 12, 31, 23, 30, tzinfo=timezone.utc)):
        last, last_at, number = numbering.next_issue(last, last_at, moment)
        numbers.append(number)
    assert numbers == ["2013-02-000000006", "2013-02-000000007", "2013-03-000000008",
                       "2014-01-000000009"]


def test_never_dated_before_the_previous_number():
    previous = datetime(2027, 4, 1, 0, 0, 1, tzinfo=timezone.utc)
    late = previous - timedelta(seconds=3)  # a request that read the clock before, numbered after
    seq, issued_at, number = numbering.next_issue(10, previous, late)
    assert (seq, issued_at) == (11, previous) and number == "2027-04-000000011"


def test_bounds_and_gapless():
    at = datetime(2027, 1, 1, 12, tzinfo=timezone.utc)
    with pytest.raises(ValueError):
        numbering.format_number(0, at)
    with pytest.raises(ValueError):
        numbering.format_number(10 ** 9, at)
    assert numbering.format_number(1, datetime(2027, 1, 31, 23, 30)) == "2027-02-000000001"
    assert numbering.is_gapless([3, 1, 2]) and not numbering.is_gapless([1, 3])
    assert not numbering.is_gapless([1, 1, 2])
