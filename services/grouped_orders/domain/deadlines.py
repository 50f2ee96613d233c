"""The deadline: the last day buyers may subscribe, in Paris time (reference 000, "Date limite de
commande"); the days left and the warning of the last two days."""
from datetime import date, datetime, time, timedelta, timezone

from services.common.clock import PARIS
from services.common.errors import invalid

from .status import OPEN

__all__ = ["PARIS", "MAX_DEADLINE_DAYS", "DEADLINE_WARNING", "closes_at", "paris_today",
           "days_left", "deadline_approaching", "check_deadline"]

MAX_DEADLINE_DAYS = 365
DEADLINE_WARNING = "LA DATE LIMITE APPROCHE !"


def closes_at(deadline: date) -> datetime:
    """Subscriptions are open until the end of the deadline day, Paris time."""
    return datetime.combine(deadline + timedelta(days=1), time(0, 0),
                            tzinfo=PARIS).astimezone(timezone.utc)


def paris_today(now: datetime) -> date:
    return now.astimezone(PARIS).date()


def days_left(deadline: date, now: datetime) -> int:
    """The days of subscription left, today included (0 once closed): on the eve of the
    deadline, 2 — and validation comes 2 days later too, the day after the deadline."""
    if now >= closes_at(deadline):
        return 0
    return max(0, (deadline - paris_today(now)).days + 1)


def deadline_approaching(status: str, deadline: date, now: datetime) -> bool:
    """The warning of "Mes commandes groupées": open, and in the last 2 days."""
    return status == OPEN and now < closes_at(deadline) and days_left(deadline, now) <= 2


def check_deadline(deadline, now: datetime) -> date:
    if deadline in (None, ""):
        raise invalid("Choisissez la date limite : le dernier jour où les acheteurs peuvent "
                      "commander.", {"deadline": ["La date limite est obligatoire."]})
    if isinstance(deadline, str):
        try:
            deadline = date.fromisoformat(deadline)
        except ValueError:
            raise invalid("La date limite n'est pas une date valide.",
                          {"deadline": ["Date invalide (JJ/MM/AAAA)."]})
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
