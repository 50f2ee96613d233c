"""Reading lists (issue 10): a grouped order has one or more titles, each at its public price,
required or optional; a buyer's sub-order has one line per title (0 copies allowed for an
optional title, at least 1 for a required one, at least one copy in all). A single-title grouped
order is a reading list of one required title."""
from dataclasses import dataclass
from decimal import Decimal

from services.common.errors import invalid
from services.common.money import money
from services.common.validation import whole_number

__all__ = ["MAX_TITLES", "MAX_QUANTITY", "Title", "Line", "titles_asked", "check_titles",
           "check_lines",
           "lines_quantity", "lines_total", "quantity_field"]

MAX_TITLES = 20
MAX_QUANTITY = 30  # copies of one title in one sub-order


@dataclass(frozen=True)
class Title:
    """A title of a grouped order as the rules see it: its key (the EAN, unique in the grouped
    order), its public unit price, whether it must be ordered."""
    ean: str
    unit_price: Decimal
    required: bool = True


@dataclass(frozen=True)
class Line:
    """A sub-order's line: `key` names its title (the EAN in a decision, the title's row id in
    a summary); unit price × quantity = total, to the cent."""
    key: object
    quantity: int
    unit_price: Decimal

    @property
    def total(self) -> Decimal:
        return money(self.unit_price * self.quantity)


def lines_quantity(lines) -> int:
    return sum(line.quantity for line in lines)


def lines_total(lines) -> Decimal:
    """A sub-order's total: the sum of its lines (each rounded to the cent first)."""
    return sum((line.total for line in lines), Decimal("0.00"))


def quantity_field(ean: str) -> str:
    """The form field (and error key) of a title's quantity."""
    return f"quantity_{ean}"


def titles_asked(data: dict) -> list:
    """The titles an initiator asked for, before the catalogue is read: `titles` ([{"ean",
    "optional"}] or [ean]) or, as before reading lists, one `ean`. Answers [(ean, optional)]
    (at most MAX_TITLES: the catalogue is read once per title)."""
    asked = data.get("titles")
    if asked in (None, []) and data.get("ean"):
        asked = [{"ean": data.get("ean")}]
    if not isinstance(asked, list) or not asked:
        raise invalid("Choisissez au moins un titre.", {"titles": ["Au moins un titre."]})
    if len(asked) > MAX_TITLES:
        raise invalid(f"Une commande groupée compte {MAX_TITLES} titres au plus.",
                      {"titles": [f"{MAX_TITLES} titres au plus."]})
    found = []
    for item in asked:
        item = item if isinstance(item, dict) else {"ean": item}
        ean = str(item.get("ean") or "").strip()[:20]
        if not ean:
            raise invalid("Chaque titre a un code EAN.", {"titles": ["EAN manquant."]})
        found.append((ean, bool(item.get("optional"))))
    return found


# what the catalogue says of an article the bookshop cannot supply (Librisoft's availability)
UNSUPPLIABLE = {"epuise": "épuisé", "indisponible": "indisponible"}


def check_titles(articles) -> list:
    """The initiator's titles, in order: [(article, required)], each article with its EAN and a
    public price (a grouped order is at the public price). At least one, at most MAX_TITLES,
    no EAN twice. Answers [Title]."""
    articles = list(articles)
    if not articles:
        raise invalid("Choisissez au moins un titre.", {"titles": ["Au moins un titre."]})
    if len(articles) > MAX_TITLES:
        raise invalid(f"Une commande groupée compte {MAX_TITLES} titres au plus.",
                      {"titles": [f"{MAX_TITLES} titres au plus."]})
    seen, titles = set(), []
    for article, required in articles:
        ean = str(article.get("ean") or "")
        if ean in seen:
            raise invalid(f"Le titre « {article.get('title', ean)} » est déjà dans la liste.",
                          {"titles": [f"EAN {ean} en double."]})
        seen.add(ean)
        gone = UNSUPPLIABLE.get(article.get("availability") or "")
        if gone:  # parents would pay for a book the bookshop cannot get
            raise invalid(f"« {article.get('title', ean)} » est {gone} chez le fournisseur : il "
                          "ne peut pas être proposé aux parents. Choisissez un autre titre.",
                          {"titles": [f"EAN {ean} {gone}."]})
        price = money(article.get("price_ttc") or 0)
        if price <= 0:
            raise invalid(f"« {article.get('title', ean)} » n'a pas de prix public : il ne "
                          "peut pas être commandé.", {"titles": [f"EAN {ean} sans prix."]})
        titles.append(Title(ean, price, bool(required)))
    return titles


def check_lines(titles, quantities: dict) -> list:
    """A buyer's quantities ({ean: value typed}) for the grouped order's titles: a whole number
    from 0 to MAX_QUANTITY each (a missing one is 0), at least 1 for a required title, at least
    one copy in all. Answers one Line per title (key: its EAN), in the titles' order. A
    quantity for an EAN that is not one of the titles is refused."""
    errors = {}
    unknown = set(quantities) - {t.ean for t in titles}
    if unknown:
        errors["quantity"] = ["Titre inconnu dans cette commande groupée : "
                              f"{', '.join(sorted(map(str, unknown)))}."]
    lines = []
    for title in titles:
        raw = quantities.get(title.ean)
        quantity = 0 if raw in (None, "") and not title.required else whole_number(raw)
        low = 1 if title.required else 0
        if quantity is None or not low <= quantity <= MAX_QUANTITY:
            errors[quantity_field(title.ean)] = [
                f"Quantité : un nombre entier entre {low} et {MAX_QUANTITY}"
                + (" (titre obligatoire)." if title.required else ".")]
            continue
        lines.append(Line(title.ean, quantity, title.unit_price))
    if not errors and lines_quantity(lines) < 1:
        errors["quantity"] = ["Commandez au moins un exemplaire."]
    if errors:
        raise invalid("Vérifiez les quantités saisies.", errors)
    return lines
