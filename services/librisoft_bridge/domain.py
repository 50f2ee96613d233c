"""What the bridge accepts from Librisoft and how a client's state moves: pure Python.

A feed row is cleaned into `(values, errors)`: `values` holds the normalised fields, `errors`
maps a field to French messages (empty when the row is good)."""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Callable

from services.common.errors import invalid

from . import values as v

VAT_RATES = ("2.1", "5.5", "20")
AVAILABILITIES = ("disponible", "sur_commande", "a_paraitre", "epuise", "indisponible")
ARTICLE_TEXT_SIZES = {"title": 300, "author": 200, "publisher": 200, "collection": 200,
                      "genre": 100, "format": 50, "summary": 20000}
CLIENT_TEXT_SIZES = {"number": 50, "name": 200, "phone": 30, "email": 254}
ADDRESS_SIZES = {"label": 100, "line1": 200, "line2": 200, "postal_code": 10, "city": 100}
FLAT_ADDRESS = {"address_label": "label", "address_line1": "line1", "address_line2": "line2",
                "postal_code": "postal_code", "city": "city"}  # one address as columns (CSV)
MAX_ADDRESSES = 20
MAX_PRICE = Decimal("99999999.99")  # Numeric(10, 2)
LANG_LAW_MAX_DISCOUNT = Decimal("9")  # loi Lang: at most 9 % off books for collectivities
MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000
ROW_NOT_AN_OBJECT = {"_row": ["ligne illisible : un objet (champ -> valeur) est attendu."]}


@dataclass(frozen=True)
class Rule:
    parse: Callable
    required: bool = False
    default: object = None


def _text(name, sizes):
    return partial(v.text, max_length=sizes[name])


def price(value):
    number = v.decimal(value)
    if number is not None and not 0 < number <= MAX_PRICE:
        raise ValueError(f"prix strictement positif attendu (au plus {MAX_PRICE}), reçu {value}.")
    return number


def percent(value):
    number = v.decimal(value)
    if number is not None and not 0 <= number <= 100:
        raise ValueError(f"pourcentage entre 0 et 100 attendu, reçu {value}.")
    return number


def vat_rate(value):
    """"5.5", "5,5", 5.5 -> "5.5"; "20.00" -> "20"."""
    if v.is_blank(value):
        return None
    try:
        number = v.decimal(value)
    except ValueError:
        number = None
    for rate in VAT_RATES:
        if number == Decimal(rate):
            return rate
    raise ValueError(f"taux de TVA inconnu « {value} » (2.1, 5.5 ou 20 attendu).")


def addresses(value):
    if v.is_blank(value):
        return []
    if not isinstance(value, list) or len(value) > MAX_ADDRESSES:
        raise ValueError(f"liste d'adresses attendue ({MAX_ADDRESSES} au plus).")
    cleaned, problems = [], []
    for index, item in enumerate(value, 1):
        if not isinstance(item, dict):
            problems.append(f"adresse {index} : objet attendu.")
            continue
        address = {}
        for name, size in ADDRESS_SIZES.items():
            try:
                address[name] = v.text(item.get(name), size) or ""
            except ValueError as exc:
                problems.append(f"adresse {index}, {name} : {exc}")
        if any(address.values()):
            cleaned.append(address)
    if problems:
        raise ValueError(" ".join(problems))
    return cleaned


ARTICLE_RULES = {
    "ean": Rule(v.ean13, required=True),
    "title": Rule(_text("title", ARTICLE_TEXT_SIZES), required=True),
    **{name: Rule(_text(name, ARTICLE_TEXT_SIZES))
       for name in ("author", "publisher", "collection", "genre")},
    "publication_date": Rule(v.iso_date),
    "format": Rule(_text("format", ARTICLE_TEXT_SIZES)),
    **{name: Rule(v.integer) for name in ("weight_g", "height_mm", "width_mm", "thickness_mm")},
    "price_ttc": Rule(price, required=True),
    "vat_rate": Rule(vat_rate, required=True),
    "school_book": Rule(v.boolean, default=False),
    "availability": Rule(partial(v.choice, choices=AVAILABILITIES), default="disponible"),
    "summary": Rule(_text("summary", ARTICLE_TEXT_SIZES)),
}
CLIENT_KEY_RULES = {
    "number": Rule(_text("number", CLIENT_TEXT_SIZES), required=True),
    "collectivity": Rule(v.boolean, required=True),
}
CLIENT_RULES = {
    **CLIENT_KEY_RULES,
    "name": Rule(_text("name", CLIENT_TEXT_SIZES), required=True),
    "addresses": Rule(addresses),
    "phone": Rule(_text("phone", CLIENT_TEXT_SIZES), default=""),
    "email": Rule(v.email, default=""),
    "gencod": Rule(v.ean13, default=""),
    **{f"discount_{rate}": Rule(percent, default=Decimal("0.00"))
       for rate in ("2_1", "5_5", "20", "school")},
}
CLIENT_STATE_FIELDS = ("name", "addresses", "phone", "email", "gencod", "discount_2_1",
                       "discount_5_5", "discount_20", "discount_school", "lang_law_warning")


def _clean(raw: dict, rules: dict):
    values, errors = {}, {}
    for name, rule in rules.items():
        try:
            value = rule.parse(raw.get(name))
        except ValueError as exc:
            errors[name] = [str(exc)]
            continue
        if value is None and rule.required:
            errors[name] = ["champ obligatoire."]
            continue
        values[name] = rule.default if value is None else value
    return values, errors


def clean_article(raw):
    if not isinstance(raw, dict):
        return {}, ROW_NOT_AN_OBJECT
    values, errors = _clean(raw, ARTICLE_RULES)
    if not errors:
        values["search_text"] = v.search_key(" ".join(filter(None, (
            values[name] for name in ("title", "author", "publisher", "collection")))))
    return values, errors


def clean_client(raw):
    """A client not flagged collectivité needs nothing but its number: its other fields are
    neither kept nor checked."""
    if not isinstance(raw, dict):
        return {}, ROW_NOT_AN_OBJECT
    head, errors = _clean(raw, CLIENT_KEY_RULES)
    if not errors and not head["collectivity"]:
        return head, {}
    values, errors = _clean(_with_flat_address(raw), CLIENT_RULES)
    if not errors:
        values["lang_law_warning"] = values["discount_5_5"] > LANG_LAW_MAX_DISCOUNT
    return values, errors


def _with_flat_address(raw):
    """A row may give its one address as flat columns, as CSV does, instead of `addresses`."""
    address = {key: raw.get(column) for column, key in FLAT_ADDRESS.items()}
    if not v.is_blank(raw.get("addresses")) or all(map(v.is_blank, address.values())):
        return raw
    return {**raw, "addresses": [address]}


def next_client_state(current, incoming):
    """(outcome, state to store) for a cleaned client row against its stored state (None when
    unknown). Outcomes: created, updated (reactivation included), unchanged, deactivated,
    skipped; the state is None when nothing is to be stored. Every change bumps `revision`."""
    if not incoming["collectivity"]:
        if current is None:
            return "skipped", None
        if not current["active"]:
            return "unchanged", None
        return "deactivated", {**current, "active": False, "revision": current["revision"] + 1}
    state = {"number": incoming["number"], "active": True,
             **{name: incoming[name] for name in CLIENT_STATE_FIELDS}}
    if current is None:
        return "created", {**state, "revision": 1}
    if all(current[name] == value for name, value in state.items()):
        return "unchanged", None
    return "updated", {**state, "revision": current["revision"] + 1}


def client_snapshot(state) -> dict:
    """A client's full state, shaped like the collectivity_client_updated contract."""
    return {
        "number": state["number"], "revision": state["revision"], "name": state["name"],
        "addresses": state["addresses"], "phone": state["phone"], "email": state["email"],
        "gencod": state["gencod"], "active": state["active"],
        "discounts": {"vat_2_1": state["discount_2_1"], "vat_5_5": state["discount_5_5"],
                      "vat_20": state["discount_20"], "school": state["discount_school"]},
        "lang_law_warning": state["lang_law_warning"],
    }


def price_excluding_vat(price_ttc: Decimal, vat_rate: str) -> Decimal:
    return (price_ttc / (1 + Decimal(vat_rate) / 100)).quantize(v.CENT, ROUND_HALF_UP)


def ean_query(query: str):
    """The EAN13 a search query is, if it is one (dashes and spaces allowed), else None."""
    try:
        return v.ean13(query)
    except ValueError:
        return None


def search_words(query: str) -> list:
    return v.search_key(query).split()


def page_window(page, per_page, max_per_page=MAX_PER_PAGE):
    """(page, per_page) as ints, per_page capped at `max_per_page`; raises DomainError (also
    for a page so far that its offset would overflow the database's integers)."""
    try:
        if isinstance(page, bool) or isinstance(per_page, bool):
            raise TypeError
        page, per_page = int(page), int(per_page)
    except (TypeError, ValueError):
        raise invalid("Pagination invalide : page et per_page doivent être des entiers.") from None
    if page < 1 or per_page < 1:
        raise invalid("Pagination invalide : page et per_page commencent à 1.",
                      {"page" if page < 1 else "per_page": ["au moins 1."]})
    if page > MAX_PAGE:
        raise invalid(f"Pagination invalide : page {MAX_PAGE} au plus.",
                      {"page": [f"{MAX_PAGE} au plus."]})
    return page, min(per_page, max_per_page)
