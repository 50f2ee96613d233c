"""French formatting for templates (babel): money, percentages, dates."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo
from decimal import Decimal

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from services.common import french
from services.common.money import eur

LOCALE = "fr_FR"
TZ = "Europe/Paris"


money = eur  # the template filter: "14,90\u00a0€" (services.common.money)


def percent(value):
    if value in (None, ""):
        return ""
    return format_decimal(Decimal(str(value)), format="#,##0.00", locale=LOCALE) + " %"


def rate(value):
    """A VAT rate as French writes it: 5,5 %, 20 %, 2,1 % (not « 5.5 % »)."""
    if value in (None, ""):
        return ""
    return format_decimal(Decimal(str(value)), format="#,##0.##", locale=LOCALE) + "\u00a0%"


def when(value, fmt="d MMMM y 'à' HH:mm"):
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return format_datetime(value, fmt, tzinfo=TZ, locale=LOCALE)


def in_paris(value) -> datetime:
    """An instant (ISO text or datetime) in Paris; a time without its zone is UTC, as the
    services keep it."""
    instant = datetime.fromisoformat(value) if isinstance(value, str) else value
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=timezone.utc)
    return instant.astimezone(ZoneInfo(TZ))


def day(value):
    """A day as French writes it. An instant is its day in Paris (a time without its zone is
    UTC, as the services keep it): a payout marked paid at 00:22 in Paris on 8 December said
    « versé le 7 décembre ». A date is itself."""
    if not value:
        return ""
    if isinstance(value, str) and len(value) == 10:
        value = date.fromisoformat(value)
    elif isinstance(value, (str, datetime)):
        value = in_paris(value).date()
    return format_date(value, "d MMMM y", locale=LOCALE)


def register(app):
    app.jinja_env.filters.update(money=money, percent=percent, rate=rate, when=when, day=day,
                                 de=french.of)
