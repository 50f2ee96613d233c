"""The distribution date (issue 10 K5, reference 004: « a distribution has a date, a place and
a time, and members are told ») and the buyers' mail when their books are ready.

- The initiator (its own grouped order) or the bookshop sets or changes the date, with an
  optional time slot (« de 16 h 30 à 18 h »), once the grouped order is validated and until its
  distribution is validated; a day in the past or unreadable is a French 400.
- Made available: each buyer not cancelled is mailed once (their link, the place, the date and
  slot when set, their titles, « à payer au retrait : X € » or « déjà payée »), if the grouped
  order's buyer mails are on.
- The date (or slot) set or changed after the books were made available: the buyers get one
  mail with the new date; the same date saved again mails nobody.
- Buyer mails are on by default when the pickup is at the bookshop (parents come to the shop:
  they must know when and how much to bring), off when the pickup is at the collectivity (the
  teacher hands the books out in class and tells the class); the bookshop turns them on or off
  per grouped order.
- The eve of distribution day (from 8 h, Paris time, until midnight) each buyer not cancelled
  gets one reminder, under the same switch: once per date (a date moved later waits for its
  own eve; a date already past never mails), while the grouped order is validated or made
  available and its distribution not validated yet."""
from datetime import date, datetime, time, timedelta, timezone

from services.common.errors import conflict, invalid

from .deadlines import DAY_FORMATS, PARIS, opens_at, parse_day, paris_today
from .status import AWAITING_PAYMENT, CANCELLED, CLOSED, PROCESSING, SUB_CANCELLED

__all__ = ["SLOT_MAX", "check_can_set_distribution_date", "check_can_switch_ready_mails",
           "check_distribution_date",
           "check_distribution_slot", "distribution_changed", "ready_mails_on",
           "ready_mail_wanted", "amount_due_at_pickup", "distribution_label",
           "EVE_REMINDER_HOUR", "eve_reminder_starts_at", "eve_reminder_due", "eve_of"]

SLOT_MAX = 100
_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre")
_FIELD = {"distribution_date": [f"Date invalide ({DAY_FORMATS})."]}


def check_can_set_distribution_date(status: str, distributed: bool):
    """Set or changed once the bookshop validated the grouped order, until the distribution
    is validated."""
    if status == CANCELLED:  # cancelled by the bookshop, or failed (its minimum)
        raise conflict("Cette commande groupée annulée n'aura pas de distribution : sa date "
                       "ne se fixe plus.")
    if distributed:
        raise conflict("La distribution est déjà validée : sa date ne peut plus changer.")
    if status not in (PROCESSING, CLOSED):
        raise conflict("La date de distribution se fixe une fois la commande groupée validée "
                       "par la librairie.")


def check_can_switch_ready_mails(status: str):
    """The buyers' « livres prêts » mails are turned on or off until the grouped order is
    cancelled (or failed: cancelled too): none will ever be sent then."""
    if status == CANCELLED:
        raise conflict("Cette commande groupée annulée ne préviendra aucun acheteur : les "
                       "e-mails « livres prêts » ne se règlent plus.")


def check_distribution_date(text, now) -> date | None:
    """« AAAA-MM-JJ » (a date field) or « JJ/MM/AAAA »; empty: no date (removed). Not in the
    past (Paris day), within a year."""
    text = (text or "").strip() if isinstance(text, str) else text
    if not text:
        return None
    if isinstance(text, date):
        day = text
    else:
        try:
            day = parse_day(text)
        except ValueError:
            raise invalid(f"La date de distribution n'est pas une date valide ({DAY_FORMATS}).",
                          _FIELD) from None
    today = paris_today(now)
    if day < today:
        raise invalid("La date de distribution ne peut pas être dans le passé.",
                      {"distribution_date": ["Aujourd'hui ou plus tard."]})
    if day > today + timedelta(days=366):
        raise invalid("La date de distribution doit être dans moins d'un an.",
                      {"distribution_date": ["Dans moins d'un an."]})
    return day


def check_distribution_slot(text) -> str:
    slot = " ".join(str(text or "").split())
    if len(slot) > SLOT_MAX:
        raise invalid(f"L'horaire de distribution tient en {SLOT_MAX} caractères au plus.",
                      {"distribution_slot": [f"{SLOT_MAX} caractères au plus."]})
    return slot


def distribution_changed(old_date, old_slot, new_date, new_slot) -> bool:
    return (old_date, old_slot or "") != (new_date, new_slot or "")


def ready_mails_on(setting, pickup_kind: str) -> bool:
    """The bookshop's choice, else on for a pickup at the bookshop, off at the collectivity."""
    if setting is not None:
        return bool(setting)
    return pickup_kind == "bookshop"


def ready_mail_wanted(go_status: str, sub_status: str, mails_on: bool) -> bool:
    """A buyer is mailed their books are ready (or the new date) when the grouped order is
    made available, the mails are on and their sub-order is not cancelled."""
    return mails_on and go_status == CLOSED and sub_status != SUB_CANCELLED


def amount_due_at_pickup(sub_status: str, total):
    """What the buyer brings on distribution day: their total while it awaits its payment,
    nothing once paid."""
    return total if sub_status == AWAITING_PAYMENT else None


def distribution_label(day, slot: str) -> str:
    """« le lundi 14 décembre 2026, de 16 h 30 à 18 h »; empty without a date."""
    if day is None:
        return ""
    first = "1er" if day.day == 1 else str(day.day)
    words = f"le {_DAYS[day.weekday()]} {first} {_MONTHS[day.month - 1]} {day.year}"
    return words + (f", {slot}" if slot else "")


EVE_REMINDER_HOUR = 8  # Paris time, the day before distribution day


def eve_of(now: datetime) -> date:
    """The distribution day whose eve is today (Paris): tomorrow."""
    return paris_today(now) + timedelta(days=1)


def eve_reminder_starts_at(day: date) -> datetime:
    """8 h in Paris the day before `day`, in UTC."""
    return datetime.combine(day - timedelta(days=1), time(EVE_REMINDER_HOUR),
                            tzinfo=PARIS).astimezone(timezone.utc)


def eve_reminder_due(go_status: str, distributed: bool, day, mails_on: bool, sub_status: str,
                     reminded_for, now: datetime) -> bool:
    """A buyer's reminder the day before distribution: their sub-order not cancelled, the
    buyer mails on, the grouped order validated or made available and not distributed yet,
    now on the eve (from 8 h until midnight, Paris), not reminded of this date yet."""
    return (day is not None and mails_on and not distributed
            and go_status in (PROCESSING, CLOSED) and sub_status != SUB_CANCELLED
            and reminded_for != day and eve_reminder_starts_at(day) <= now < opens_at(day))
