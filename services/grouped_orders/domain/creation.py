"""The initiator's form (reference 000, "Créer une commande groupée"): the deadline, the pickup
place (the bookshop or one of the collectivity's addresses), an optional comment, and the
article's public price (a grouped order is at the public price; an article without one cannot
be ordered)."""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from services.common.errors import invalid
from services.common.money import money

from .deadlines import check_deadline, check_opening

__all__ = ["COMMENT_MAX", "BOOKSHOP", "address_label", "billing_label", "bookshop_pickup_label",
           "pickup_choices", "NewGroupedOrder", "check_new_grouped_order", "check_comment",
           "public_price"]

COMMENT_MAX = 1000
BOOKSHOP = "bookshop"  # the pickup choice "at the bookshop"; the others are "address-<i>"


def address_label(address: dict, name: str = "") -> str:
    parts = [name, address.get("label", ""), address.get("line1", ""), address.get("line2", ""),
             f"{address.get('postal_code', '')} {address.get('city', '')}".strip()]
    return "\n".join(p for p in parts if p and p.strip())


def billing_label(client: dict) -> str:
    """The grouped order is billed to the collectivity at its first address (its name alone
    when it has none)."""
    addresses = client.get("addresses") or []
    return address_label(addresses[0], client["name"]) if addresses else client["name"]


def bookshop_pickup_label(bookshop: dict) -> str:
    """The pickup place "at the bookshop", from who the bookshop is (config.bookshop())."""
    return f"À la librairie\n{bookshop['name']}\n{bookshop['address']}"


def pickup_choices(client: dict, bookshop_label: str) -> dict:
    """"bookshop" or "address-<i>" (one of the collectivity's addresses) -> label."""
    choices = {BOOKSHOP: bookshop_label}
    for i, address in enumerate(client.get("addresses") or []):
        choices[f"address-{i}"] = address_label(address, client["name"])
    return choices


@dataclass(frozen=True)
class NewGroupedOrder:
    """What the initiator's form decides: checked, in the form the grouped order keeps it."""
    deadline: date
    pickup: str
    pickup_kind: str  # bookshop | collectivity
    pickup_label: str
    comment: str
    unit_price: Decimal
    opens_on: date | None = None


def check_comment(comment) -> str:
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise invalid("Le commentaire est trop long.",
                      {"comment": [f"{COMMENT_MAX} caractères au plus."]})
    return comment


def public_price(price_ttc) -> Decimal:
    """The unit price of a grouped order: the article's public price, which it must have."""
    price = money(price_ttc)
    if price <= 0:
        raise invalid("Cet article n'a pas de prix public : il ne peut pas être commandé.")
    return price


def check_new_grouped_order(deadline, pickup, comment, price_ttc, choices: dict,
                            now: datetime, opens_on=None) -> NewGroupedOrder:
    """The form's checks, in the order its errors are told: deadline, opening day, pickup,
    comment, price (`price_ttc`: the first title's; domain.check_titles checks them all)."""
    deadline = check_deadline(deadline, now)
    opens_on = check_opening(opens_on, deadline, now)
    pickup = pickup or ""
    if pickup not in choices:
        raise invalid("Choisissez le lieu de mise à disposition.",
                      {"pickup": ["Choisissez la librairie ou une adresse de la collectivité."]})
    comment = check_comment(comment)
    return NewGroupedOrder(deadline=deadline, pickup=pickup,
                           pickup_kind=BOOKSHOP if pickup == BOOKSHOP else "collectivity",
                           pickup_label=choices[pickup], comment=comment,
                           unit_price=public_price(price_ttc), opens_on=opens_on)
