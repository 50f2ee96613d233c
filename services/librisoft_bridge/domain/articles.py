"""What the bridge accepts of an article Librisoft sends, and how the catalogue is searched and
priced: pure Python."""
from decimal import Decimal
from functools import partial

from services.common.money import money

from . import values as v
from .rows import ROW_NOT_AN_OBJECT, Rule, clean, text_rule

AVAILABILITIES = ("disponible", "sur_commande", "a_paraitre", "epuise", "indisponible")
ARTICLE_TEXT_SIZES = {"title": 300, "author": 200, "publisher": 200, "collection": 200,
                      "genre": 100, "format": 50, "summary": 20000}

ARTICLE_RULES = {
    "ean": Rule(v.ean13, required=True),
    "title": Rule(text_rule("title", ARTICLE_TEXT_SIZES), required=True),
    **{name: Rule(text_rule(name, ARTICLE_TEXT_SIZES))
       for name in ("author", "publisher", "collection", "genre")},
    "publication_date": Rule(v.iso_date),
    "format": Rule(text_rule("format", ARTICLE_TEXT_SIZES)),
    **{name: Rule(v.integer) for name in ("weight_g", "height_mm", "width_mm", "thickness_mm")},
    "price_ttc": Rule(v.price, required=True),
    "vat_rate": Rule(v.vat_rate, required=True),
    "school_book": Rule(v.boolean, default=False),
    "availability": Rule(partial(v.choice, choices=AVAILABILITIES), default="disponible"),
    "summary": Rule(text_rule("summary", ARTICLE_TEXT_SIZES)),
}
ARTICLE_COLUMNS = (*ARTICLE_RULES, "search_text")  # what an import stores and compares


def clean_article(raw):
    if not isinstance(raw, dict):
        return {}, ROW_NOT_AN_OBJECT
    values, errors = clean(raw, ARTICLE_RULES)
    if not errors:
        values["search_text"] = v.search_key(" ".join(filter(None, (
            values[name] for name in ("title", "author", "publisher", "collection")))))
    return values, errors


def unchanged(current, incoming) -> bool:
    """Whether a stored article (None when unknown) is already what the feed says."""
    return current is not None and all(current[n] == incoming[n] for n in ARTICLE_COLUMNS)


def price_excluding_vat(price_ttc: Decimal, vat_rate: str) -> Decimal:
    return money(price_ttc / (1 + Decimal(vat_rate) / 100))


def ean_query(query: str):
    """The EAN13 a search query is, if it is one (dashes and spaces allowed), else None."""
    try:
        return v.ean13(query)
    except ValueError:
        return None


def search_words(query: str) -> list:
    return v.search_key(query).split()
