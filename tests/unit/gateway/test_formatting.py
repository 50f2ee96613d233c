"""The templates' French dates: an instant is its day in Paris."""
from datetime import date, datetime, timezone

import pytest

from gateway import formatting


@pytest.mark.parametrize("value,said", [
    ("2026-12-07T23:22:28+00:00", "8 décembre 2026"),  # 00:22 in Paris: the 8th
    ("2026-12-07T23:22:28", "8 décembre 2026"),         # no zone: UTC
    (datetime(2026, 7, 1, 21, 59, tzinfo=timezone.utc), "1 juillet 2026"),
    (datetime(2026, 7, 1, 22, 0), "2 juillet 2026"),     # summer time, no zone: UTC
    ("2026-12-08", "8 décembre 2026"),                  # a date is itself
    (date(2026, 12, 31), "31 décembre 2026"),
    ("", ""), (None, "")])
def test_a_day_is_the_day_in_paris(value, said):
    assert formatting.day(value) == said
