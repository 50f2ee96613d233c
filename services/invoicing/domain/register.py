"""Finding invoices and credit notes in the register (the Finances page, its CSV, the API): by
words of the customer's name or e-mail, its client number or SIRET, the order's reference or
number, the document's number (accents and case ignored: « ecole ferry » finds « École Jules
Ferry »), and by period of issue (Paris days). Pure Python."""
import re
from dataclasses import dataclass
from datetime import date


from services.common.errors import invalid
from services.common.validation import fold

SEARCHED = ("number", "customer_name", "customer_email", "client_number", "siret",
            "reference", "title", "order_number")
MAX_WORDS = 8
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class RegisterFilters:
    words: tuple = ()
    day_from: date | None = None
    day_to: date | None = None

    def as_dict(self) -> dict:
        return {"recherche": " ".join(self.words),
                "du": self.day_from.isoformat() if self.day_from else "",
                "au": self.day_to.isoformat() if self.day_to else ""}


def search_key(fields: dict) -> str:
    """What a document is found by, folded."""
    return fold(" ".join(str(fields.get(name) or "") for name in SEARCHED))[:600]


def _day(value, name, errors):
    if value in (None, ""):
        return None
    try:
        text = str(value).strip()
        if not DAY.fullmatch(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        errors[name] = ["Date invalide (AAAA-MM-JJ)."]
        return None
    if not 2000 <= day.year <= 2100:
        errors[name] = ["Date invalide : une année entre 2000 et 2100."]
        return None
    return day


def parse_filters(data) -> RegisterFilters:
    """`{"recherche", "du", "au"}` (strings; missing or empty: no filter). A bad day, or a
    period that ends before it starts, is refused in French, field by field."""
    data = data if isinstance(data, dict) else {}
    errors = {}
    words = tuple(dict.fromkeys(fold(str(data.get("recherche") or "")[:200]).split()))
    if len(words) > MAX_WORDS:
        errors["recherche"] = [f"{MAX_WORDS} mots au plus."]
    day_from = _day(data.get("du"), "du", errors)
    day_to = _day(data.get("au"), "au", errors)
    if day_from and day_to and day_to < day_from:
        errors["au"] = ["La fin de la période précède son début."]
    if errors:
        raise invalid(next(iter(errors.values()))[0], errors)
    return RegisterFilters(words, day_from, day_to)
