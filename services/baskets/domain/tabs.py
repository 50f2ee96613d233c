"""The tabs and lists of baskets and documents, each list defined once: the collectivity's top
bar (reference 001, "Affichage des paniers") and which baskets each of its lists shows, the
four tabs of the bookshop's orders page and the two of its quotes page (reference 001, "Gérer
les commandes collectivité", "Gérer les devis collectivité"). Pure Python: no nameko, no SQL."""
from services.common.errors import forbidden

from .chain import (APPROBATEUR, AT_COLLECTIVITY, COLLECTIVITE, ROLE_LEVEL, TRANSFORMED,
                    UTILISATEUR)
from .status import CANCELLED, CLOSED, ORDER_LABELS, PENDING, PROCESSING

# the top bar (reference 001, "Affichage des paniers")
MENU_LABELS = {"my_baskets": "Mon panier", "to_validate": "Paniers à valider",
               "sent_or_validated": "Paniers envoyés/validés par la collectivité",
               "validated": "Paniers validés"}
MENUS = {UTILISATEUR: ("my_baskets",),
         APPROBATEUR: ("my_baskets", "to_validate", "sent_or_validated"),
         COLLECTIVITE: ("my_baskets", "to_validate", "validated")}

# the bookshop's orders page: one tab per status, "En attente de traitement" first
ORDER_TABS = (PENDING, PROCESSING, CLOSED, CANCELLED)
DEFAULT_ORDER_TAB = PENDING
# the bookshop's quotes page: "Devis en cours", "Devis archivés"
QUOTE_TABS = ("current", "archived")


def menus(role: str) -> tuple:
    return MENUS.get(role, ())


def to_validate_levels(role: str) -> list:
    """"Paniers à valider": the baskets at the Approbateur's level, or at the Collectivité's."""
    if role not in (APPROBATEUR, COLLECTIVITE):
        raise forbidden("Seuls l'approbateur et la collectivité valident des paniers.")
    return [ROLE_LEVEL[role]]


def validated_levels(role: str) -> list:
    """An Approbateur's "Paniers envoyés/validés par la collectivité" (at the Collectivité or
    transformed); a Collectivité's "Paniers validés" (transformed)."""
    if role == APPROBATEUR:
        return [AT_COLLECTIVITY, TRANSFORMED]
    if role == COLLECTIVITE:
        return [TRANSFORMED]
    raise forbidden("Seuls l'approbateur et la collectivité voient les paniers validés.")


def order_tab(tab) -> str:
    """The tab asked for, or "En attente de traitement" when it is none of the four."""
    return tab if tab in ORDER_TABS else DEFAULT_ORDER_TAB


def order_tabs(counts: dict) -> list:
    """The four tabs with their labels and their counts (status -> count)."""
    return [{"key": t, "label": ORDER_LABELS[t], "count": counts.get(t, 0)} for t in ORDER_TABS]
