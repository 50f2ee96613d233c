"""Quote and order rules (reference 001, "Gérer les devis / les commandes collectivité"):
labels, Librisoft's pickup, the bookshop's actions on an order in every status, the filters."""
from datetime import date

import pytest

from services.baskets.domain import filters, tabs
from services.baskets.domain import status as rules
from services.baskets.domain.status import OrderState
from services.common.errors import DomainError


def test_labels_of_the_reference():
    assert rules.status_label("quote", "pending") == "Devis en attente de traitement"
    assert rules.status_label("quote", "picked_up") == "Devis récupéré par le libraire"
    assert [rules.ORDER_LABELS[t] for t in tabs.ORDER_TABS] == [
        "En attente de traitement", "En cours de traitement", "Clôturée", "Annulée"]
    assert rules.PAYMENT_MODE == "En compte" and rules.DELIVERY_MODES == {"livraison": "Livraison"}


def test_kinds():
    assert rules.check_kind("quote") == "quote"
    assert rules.check_kind("order") == rules.check_kind("collectivity_order") == "order"
    with pytest.raises(DomainError):
        rules.check_kind("invoice")


def test_pickup():
    assert rules.quote_after_pickup("pending") == "picked_up"
    assert rules.order_after_pickup("pending") == "processing"
    assert rules.order_after_pickup("cancelled") == "cancelled"
    assert rules.order_after_pickup("closed") == "closed"


PENDING = OrderState("pending")
PROCESSING = OrderState("processing", picked_up=True)
CLOSED = OrderState("closed", picked_up=True)
CANCELLED = OrderState("cancelled")
MARKED = OrderState("processing", picked_up=True, made_available=True)

# (state, action) -> status after, or the refusal's code
TABLE = [
    (PENDING, "made_available", "pending"), (PENDING, "shipped", "pending"),
    (PENDING, "closed", "closed"), (PENDING, "cancelled", "cancelled"),
    (PENDING, "reset", "conflict"),
    (PROCESSING, "made_available", "processing"), (PROCESSING, "shipped", "processing"),
    (PROCESSING, "closed", "closed"), (PROCESSING, "cancelled", "cancelled"),
    (PROCESSING, "reset", "conflict"),
    (MARKED, "made_available", "conflict"), (MARKED, "shipped", "processing"),
    (MARKED, "reset", "processing"),
    (CLOSED, "made_available", "conflict"), (CLOSED, "shipped", "conflict"),
    (CLOSED, "closed", "conflict"), (CLOSED, "cancelled", "conflict"),
    (CLOSED, "reset", "processing"),
    (CANCELLED, "made_available", "conflict"), (CANCELLED, "closed", "conflict"),
    (CANCELLED, "cancelled", "conflict"), (CANCELLED, "reset", "pending"),
]


@pytest.mark.parametrize("state,action,expected", TABLE,
                         ids=[f"{s.status}{'+' if s.made_available else ''}-{a}"
                              for s, a, _ in TABLE])
def test_the_bookshop_actions_on_an_order(state, action, expected):
    if expected == "conflict":
        with pytest.raises(DomainError) as exc:
            rules.order_action(state, action, "motif")
        assert exc.value.code == "conflict"
        assert action not in rules.order_actions(state)
        return
    change = rules.order_action(state, action, "Épuisé chez l'éditeur")
    assert change.to_status == expected and change.from_status == state.status
    assert action in rules.order_actions(state)
    assert change.mails_client == (action != "reset")
    if action == "made_available":
        assert change.made_available and not change.shipped
    if action == "reset":
        assert not (change.made_available or change.shipped)
    if action == "cancelled":
        assert change.reason == "Épuisé chez l'éditeur"


def test_a_cancellation_needs_its_reason_and_unknown_actions_are_refused():
    for reason in ("", "   ", None):
        with pytest.raises(DomainError) as exc:
            rules.order_action(PENDING, "cancelled", reason)
        assert exc.value.code == "invalid" and "reason" in exc.value.details
    with pytest.raises(DomainError) as exc:
        rules.order_action(PENDING, "refund")
    assert exc.value.code == "invalid"


def test_the_list_button_follows_librisoft_status():
    assert rules.list_action("Attente fournisseur(s)") == "made_available"
    assert rules.list_action("Préparation commande") == "shipped"
    assert rules.list_action("") is None and rules.list_action(None) is None


def test_filters():
    f = filters.check_filters({"eans": "9782330150136, 9791097284657 9782330150136",
                             "date_from": "2021-06-01", "date_to": "2021-06-30",
                             "delivery_mode": "livraison", "number": " CC-1042 ",
                             "client_delivered": "16", "page": "2", "per_page": "1000"})
    assert f.eans == ("9782330150136", "9791097284657")
    assert (f.date_from, f.date_to, f.number, f.page, f.per_page) == (
        date(2021, 6, 1), date(2021, 6, 30), "CC-1042", 2, 200)
    assert f.as_dict()["date_from"] == "2021-06-01"
    assert filters.check_filters(None) == filters.OrderFilters()
    for bad, key in (({"date_from": "17/06/2021"}, "date_from"),
                     ({"date_from": "2021-06-30", "date_to": "2021-06-01"}, "date_to"),
                     ({"delivery_mode": "retrait"}, "delivery_mode")):
        with pytest.raises(DomainError) as exc:
            filters.check_filters(bad)
        assert key in exc.value.details


def test_messages():
    assert rules.check_message("  Le titre est épuisé. ") == "Le titre est épuisé."
    with pytest.raises(DomainError):
        rules.check_message(" ")
