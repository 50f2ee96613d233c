"""The bookshop's "Filtrer les commandes" (reference 001, "Gérer les commandes collectivité") and
the page arguments of its lists. Pure Python: no nameko, no SQL."""
import re
from dataclasses import dataclass
from datetime import date


from services.common.errors import invalid
from services.common.validation import fold

from .status import DELIVERY_MODES


@dataclass(frozen=True)
class OrderFilters:
    """"Filtrer les commandes" of the bookshop's orders page."""
    eans: tuple = ()
    client_delivered: str = ""
    client_invoiced: str = ""
    date_from: date | None = None
    date_to: date | None = None
    delivery_mode: str = ""
    number: str = ""              # the site's order number or Librisoft's
    client: str = ""              # words of the collectivity's name, reference, e-mails…
    page: int = 1
    per_page: int = 50

    def as_dict(self) -> dict:
        return {"eans": list(self.eans), "client_delivered": self.client_delivered,
                "client_invoiced": self.client_invoiced,
                "date_from": self.date_from.isoformat() if self.date_from else "",
                "date_to": self.date_to.isoformat() if self.date_to else "",
                "delivery_mode": self.delivery_mode, "number": self.number,
                "client": self.client, "page": self.page, "per_page": self.per_page}


def _date(value, key, errors):
    """A day of years 2000 to 2100 (the order desk's calendar too): 9999-12-31 and 0001-01-01
    overflowed when turned into a UTC bound (a 500 on « Commandes collectivité »)."""
    if value in (None, ""):
        return None
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        errors[key] = ["Date invalide (AAAA-MM-JJ)."]
        return None
    if not 2000 <= day.year <= 2100:
        errors[key] = ["Date invalide : une année entre 2000 et 2100."]
        return None
    return day


def page_args(page, per_page) -> tuple[int, int]:
    """A page number (1..1,000,000) and a page size (1..200, 50 by default)."""
    return _int(page, 1, 1, 1_000_000), _int(per_page, 50, 1, 200)


def _int(value, default, low, high):
    try:
        return min(high, max(low, int(value)))
    except (TypeError, ValueError):
        return default


def check_filters(filters) -> OrderFilters:
    f = dict(filters or {})
    errors = {}
    eans = f.get("eans") or ()
    if isinstance(eans, str):
        eans = re.split(r"[\s,;]+", eans)
    eans = tuple(dict.fromkeys(str(e).strip() for e in eans if str(e).strip()))
    if len(eans) > 50 or any(len(e) > 20 for e in eans):
        errors["eans"] = ["Au plus 50 codes EAN de 20 caractères."]
    date_from = _date(f.get("date_from"), "date_from", errors)
    date_to = _date(f.get("date_to"), "date_to", errors)
    if date_from and date_to and date_from > date_to:
        errors["date_to"] = ["La date de fin précède la date de départ."]
    mode = str(f.get("delivery_mode") or "").strip()
    if mode and mode not in DELIVERY_MODES:
        errors["delivery_mode"] = ["Mode de livraison inconnu."]
    if errors:
        raise invalid("Vérifiez les filtres.", errors)
    return OrderFilters(
        eans, str(f.get("client_delivered") or "").strip()[:40],
        str(f.get("client_invoiced") or "").strip()[:40], date_from, date_to, mode,
        str(f.get("number") or "").strip()[:40], str(f.get("client") or "").strip()[:100],
        _int(f.get("page"), 1, 1, 1_000_000), _int(f.get("per_page"), 50, 1, 200))


# ---- searching a quote or an order by its client ---------------------------------------------
SEARCHED = ("client_name", "client_number", "reference", "contact_name", "contact_email",
            "basket_creator_email", "placed_by_email")


def search_key(fields: dict) -> str:
    """What a document is found by, folded: its client's name and number, its « Référence
    collectivité », the contact and the e-mails of who made the basket and placed it."""
    return fold(" ".join(str(fields.get(name) or "") for name in SEARCHED))[:800]


def search_words(search) -> tuple:
    """The folded words of what was typed (each must be found), at most 8."""
    return tuple(dict.fromkeys(fold(search).split()))[:8]
