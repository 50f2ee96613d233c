"""The time, written once: every service, use case and event takes "now" from here (or as an
argument, so that tests choose it). Aware datetimes in UTC; Paris time only for display and for
rules stated in French days (deadlines, working days)."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)



def as_utc(value: datetime) -> datetime:
    """A stored instant: SQLite gives it back without its zone, and every time stored is UTC."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value
