"""The order list's filters, sort and page (reference 003's "Suivi des commandes"), checked
once here. Pure Python: `parse` turns what the page or the API sent (strings or values) into a
`Filters`, or raises `invalid` with a French message per field.

- number: the order's number (digits);
- customer: words found in the customer's name, e-mail or client name, accents and case
  ignored ("moenne" finds "Martine MOËNNE");
- amount_from / amount_to: euros, inclusive, "12,50" or "12.50"; from > to is refused;
- period_from / period_to: Paris days, inclusive (`day` = both); from > to is refused;
- kind, payment_state, progress: one code each;
- invoiced: "yes" (a live invoice) / "no" (a sub-order or collectivity order still to invoice);
- sort: date | number | amount | customer, direction asc | desc (newest first by default);
- page: from 1, PAGE_SIZE orders a page."""
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from services.common.errors import invalid
from services.common.money import money
from services.common.progress import PROGRESS_CODES

from .register import ORDER_KINDS, PAYMENT_LABELS, fold

# the orders invoiced themselves (a grouped order is invoiced per sub-order, a quote never):
# « Facturée : non » lists these only
INVOICEABLE_KINDS = ("sub_order", "collectivity_order")
PAGE_SIZE = 25
SORTS = ("date", "number", "amount", "customer")
DIRECTIONS = ("asc", "desc")
MAX_AMOUNT = Decimal("10000000")
MAX_PAGE = 100000


@dataclass(frozen=True)
class Filters:
    number: int | None = None
    customer: tuple = ()                 # folded words, all found
    amount_from: Decimal | None = None
    amount_to: Decimal | None = None
    period_from: date | None = None
    period_to: date | None = None
    kind: str | None = None
    payment_state: str | None = None
    progress: str | None = None
    invoiced: bool | None = None
    sort: str = "date"
    direction: str = "desc"
    page: int = 1
    errors: dict = field(default_factory=dict, compare=False)

    @property
    def offset(self):
        return (self.page - 1) * PAGE_SIZE


def _blank(value):
    return value is None or (isinstance(value, str) and value.strip() == "")


PLAIN_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]{0,2})?", re.ASCII)


def _amount(value, errors, name):
    if _blank(value):
        return None
    raw = str(value).strip().replace("\u00a0", "").replace(" ", "").replace("€", "") \
        .replace(",", ".")
    try:
        if not PLAIN_AMOUNT.fullmatch(raw):  # « 1e2 » was read as 100 €
            raise InvalidOperation
        amount = Decimal(raw)
    except InvalidOperation:
        errors[name] = ["Montant invalide : écrivez par exemple 12,50."]
        return None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        errors[name] = ["Montant invalide : un montant positif en euros, par exemple 12,50."]
        return None
    return money(amount)


def _day(value, errors, name):
    if _blank(value):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors[name] = ["Date invalide : choisissez un jour (AAAA-MM-JJ)."]
        return None


def _choice(value, choices, errors, name, message):
    if _blank(value):
        return None
    value = str(value).strip()
    if value not in choices:
        errors[name] = [message]
        return None
    return value


def parse(data: dict | None) -> Filters:
    """The filters of `data` (a dict of what was sent), or `invalid` with every field's message."""
    data = dict(data or {})
    errors = {}
    number = None
    if not _blank(data.get("number")):
        raw = str(data["number"]).strip().lstrip("n°").strip()
        if raw.isascii() and raw.isdigit() and len(raw) <= 12:
            number = int(raw)
        else:
            errors["number"] = ["Numéro de commande invalide : des chiffres seulement."]
    customer = tuple(fold(str(data.get("customer") or "")).split())[:8]
    if not customer and not _blank(data.get("customer")):  # « 😀 » folds to nothing: it
        # listed every order as if no name had been typed
        errors["customer"] = ["Recherche invalide : tapez des lettres ou des chiffres du nom, "
                              "de l'e-mail ou de la collectivité."]
    amount_from = _amount(data.get("amount_from"), errors, "amount_from")
    amount_to = _amount(data.get("amount_to"), errors, "amount_to")
    if amount_from is not None and amount_to is not None and amount_from > amount_to:
        errors["amount_to"] = ["Montant invalide : le montant « à » doit être supérieur ou égal "
                               "au montant « de »."]
    day = _day(data.get("day"), errors, "day")
    period_from = _day(data.get("period_from"), errors, "period_from") or day
    period_to = _day(data.get("period_to"), errors, "period_to") or day
    if period_from and period_to and period_from > period_to:
        errors["period_to"] = ["Période invalide : la date de fin doit suivre la date de début."]
    kind = _choice(data.get("kind"), ORDER_KINDS, errors, "kind", "Type de commande inconnu.")
    payment_state = _choice(data.get("payment_state"), tuple(PAYMENT_LABELS), errors,
                            "payment_state", "État de paiement inconnu.")
    progress = _choice(data.get("progress"), PROGRESS_CODES, errors, "progress",
                       "État d'avancement inconnu.")
    invoiced = data.get("invoiced")
    if isinstance(invoiced, bool) or invoiced is None:
        pass
    elif _blank(invoiced):
        invoiced = None
    elif str(invoiced).strip().lower() in ("yes", "no", "oui", "non"):  # the message's words too
        invoiced = str(invoiced).strip().lower() in ("yes", "oui")
    else:
        errors["invoiced"] = ["Choix « facturée » invalide : oui ou non."]
        invoiced = None
    sort = _choice(data.get("sort"), SORTS, errors, "sort", "Tri inconnu.") or "date"
    direction = _choice(data.get("direction"), DIRECTIONS, errors, "direction",
                        "Sens de tri inconnu.") or "desc"
    page = 1
    if not _blank(data.get("page")):
        raw = str(data["page"]).strip()
        if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_PAGE:
            page = int(raw)
        else:
            errors["page"] = ["Page invalide."]
    if errors:
        first = next(iter(errors.values()))[0]
        raise invalid(first, errors)
    return Filters(number, customer, amount_from, amount_to, period_from, period_to, kind,
                   payment_state, progress, invoiced, sort, direction, page)


def pages(total, page):
    """(page count, previous page or None, next page or None)."""
    count = max(1, -(-total // PAGE_SIZE))
    return count, (page - 1 if page > 1 else None), (page + 1 if page < count else None)


def as_query(filters: Filters) -> dict:
    """The filters back as the list page's query string values (links keep them)."""
    out = {}
    if filters.number is not None:
        out["number"] = str(filters.number)
    if filters.customer:
        out["customer"] = " ".join(filters.customer)
    for name in ("amount_from", "amount_to"):
        if getattr(filters, name) is not None:
            out[name] = str(getattr(filters, name))
    for name in ("period_from", "period_to"):
        if getattr(filters, name) is not None:
            out[name] = getattr(filters, name).isoformat()
    for name in ("kind", "payment_state", "progress"):
        if getattr(filters, name):
            out[name] = getattr(filters, name)
    if filters.invoiced is not None:
        out["invoiced"] = "yes" if filters.invoiced else "no"
    return out
