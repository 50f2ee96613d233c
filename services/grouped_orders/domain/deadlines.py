"""The deadline: the last day buyers may subscribe, in Paris time (reference 000, "Date limite de
commande"); the days left and the warning of the last two days."""
from datetime import date, datetime, time, timedelta, timezone

from services.common.clock import PARIS
from services.common.errors import invalid

from .status import OPEN

__all__ = ["PARIS", "MAX_DEADLINE_DAYS", "DEADLINE_WARNING", "closes_at", "opens_at",
           "not_open_yet", "french_day", "paris_today", "days_left", "deadline_approaching",
           "check_deadline", "check_opening", "check_deadline_after_opening"]

MAX_DEADLINE_DAYS = 365
DEADLINE_WARNING = "LA DATE LIMITE APPROCHE !"


def closes_at(deadline: date) -> datetime:
    """Subscriptions are open until the end of the deadline day, Paris time."""
    return datetime.combine(deadline + timedelta(days=1), time(0, 0),
                            tzinfo=PARIS).astimezone(timezone.utc)


def opens_at(opens_on: date) -> datetime:
    """Subscriptions open at the start of the opening day, Paris time (issue 10, K1)."""
    return datetime.combine(opens_on, time(0, 0), tzinfo=PARIS).astimezone(timezone.utc)


def not_open_yet(opens_on, now: datetime) -> bool:
    """Before the opening day (a grouped order without one is open from its creation)."""
    return opens_on is not None and now < opens_at(opens_on)


def french_day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def paris_today(now: datetime) -> date:
    return now.astimezone(PARIS).date()


def days_left(deadline: date, now: datetime, opens_on=None) -> int:
    """The days of subscription left, today included (0 once closed): on the eve of the
    deadline, 2 — and validation comes 2 days later too, the day after the deadline. Before
    the opening day (`opens_on`), the days from that day: the days before it are no days of
    subscription."""
    if now >= closes_at(deadline):
        return 0
    first = paris_today(now)
    if opens_on is not None and opens_on > first:
        first = opens_on
    return max(0, (deadline - first).days + 1)


def deadline_approaching(status: str, deadline: date, now: datetime) -> bool:
    """The warning of "Mes commandes groupées": open, and in the last 2 days."""
    return status == OPEN and now < closes_at(deadline) and days_left(deadline, now) <= 2


DAY_FORMATS = "AAAA-MM-JJ ou JJ/MM/AAAA"


def parse_day(text) -> date:
    """A day as a date field sends it (« AAAA-MM-JJ ») or as a person types it
    (« JJ/MM/AAAA »); ValueError otherwise."""
    text = str(text).strip()
    if "/" in text:
        d, m, y = text.split("/")
        return date(int(y), int(m), int(d))
    return date.fromisoformat(text)


def check_deadline(deadline, now: datetime) -> date:
    if deadline in (None, ""):
        raise invalid("Choisissez la date limite : le dernier jour où les acheteurs peuvent "
                      "commander.", {"deadline": ["La date limite est obligatoire."]})
    if isinstance(deadline, str):
        try:
            deadline = parse_day(deadline)
        except ValueError:
            raise invalid("La date limite n'est pas une date valide.",
                          {"deadline": [f"Date invalide ({DAY_FORMATS})."]}) from None
    if deadline is None:
        raise invalid("La date limite est obligatoire.", {"deadline": ["Obligatoire."]})
    today = paris_today(now)
    if deadline < today:
        raise invalid("La date limite ne peut pas être dans le passé.",
                      {"deadline": ["Choisissez aujourd'hui ou une date à venir."]})
    if deadline > today + timedelta(days=MAX_DEADLINE_DAYS):
        raise invalid("La date limite doit être dans moins d'un an.",
                      {"deadline": ["Au plus un an."]})
    return deadline


def check_deadline_after_opening(deadline: date, opens_on):
    """A deadline moved by the initiator stays on or after the opening day: before it, the link
    would never open and the grouped order would close without a buyer."""
    if opens_on is not None and deadline < opens_on:
        raise invalid(f"La date limite ne peut pas précéder l'ouverture des souscriptions, le "
                      f"{french_day(opens_on)}.",
                      {"deadline": [f"Le {french_day(opens_on)} au plus tôt (ouverture des "
                                    "souscriptions), ou avancez d'abord la date d'ouverture."]})
    return deadline


def check_opening(opens_on, deadline: date, now: datetime):
    """The optional opening day (K1): none (open at once), or a day from today up to the
    deadline."""
    if opens_on in (None, ""):
        return None
    if isinstance(opens_on, str):
        try:
            opens_on = parse_day(opens_on)
        except ValueError:
            raise invalid("La date d'ouverture n'est pas une date valide.",
                          {"opens_on": [f"Date invalide ({DAY_FORMATS})."]}) from None
    if opens_on < paris_today(now):
        raise invalid("La date d'ouverture ne peut pas être dans le passé.",
                      {"opens_on": ["Choisissez aujourd'hui ou une date à venir, ou laissez "
                                    "vide pour ouvrir tout de suite."]})
    if opens_on > deadline:
        raise invalid("La date d'ouverture doit précéder la date limite.",
                      {"opens_on": ["Au plus tard le jour de la date limite."]})
    return opens_on
