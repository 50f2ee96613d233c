"""Quote and order rules (reference 001, "Gérer les devis / les commandes collectivité"):
labels, Librisoft's pickup, the bookshop's actions on an order in every status, the filters."""
from datetime import date, datetime, timedelta, timezone

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
    assert rules.PAYMENT_MODE == "En compte" and rules.DELIVERY_MODES == {
        "livraison": "Livraison", "retrait": "Retrait à la librairie"}


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
    (CANCELLED, "cancelled", "conflict"),
    # a cancelled order stays so: Librisoft cancelled it, the client was told (its reset
    # reopened it: invoiced and « expédiée » while Librisoft and the desk said « Annulée »)
    (CANCELLED, "reset", "conflict"),
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
                     ({"delivery_mode": "drone"}, "delivery_mode")):
        with pytest.raises(DomainError) as exc:
            filters.check_filters(bad)
        assert key in exc.value.details


def test_messages():
    assert rules.check_message("  Le titre est épuisé. ") == "Le titre est épuisé."
    with pytest.raises(DomainError):
        rules.check_message(" ")


def test_pickup_by_kind_and_in_order():
    assert rules.after_pickup("quote", "pending") == "picked_up"
    assert rules.after_pickup("order", "pending") == "processing"
    assert rules.after_pickup("order", "closed") == "closed"
    at = datetime(2021, 6, 17, 13, 0, tzinfo=timezone.utc)
    assert rules.librisoft_status_applies(at, None)
    assert rules.librisoft_status_applies(at, at)
    assert not rules.librisoft_status_applies(at, at + timedelta(seconds=1))


def test_librisoft_cancellation_steps_each_once():
    told, done = rules.LIBRISOFT_CANCEL_TOLD, rules.LIBRISOFT_CANCEL_DONE
    assert rules.librisoft_cancellation_steps(True, True, set()) == [told, done]
    assert rules.librisoft_cancellation_steps(True, True, {told}) == [done]
    assert rules.librisoft_cancellation_steps(True, False, {told}) == []
    assert rules.librisoft_cancellation_steps(False, False, set()) == []


def test_what_each_order_change_writes():
    now = datetime(2021, 6, 17, 13, 0, tzinfo=timezone.utc)
    made = rules.order_action(PROCESSING, "made_available")
    assert (made.values(now), made.unset) == (
        {"status": "processing", "made_available_at": now}, ("made_available_at",))
    shipped = rules.order_action(MARKED, "shipped")
    assert (shipped.values(now), shipped.unset) == (
        {"status": "processing", "shipped_at": now}, ("shipped_at",))
    closed = rules.order_action(PENDING, "closed")
    assert (closed.values(now), closed.unset) == ({"status": "closed", "closed_at": now}, ())
    cancelled = rules.order_action(PENDING, "cancelled", " Doublon ")
    assert cancelled.values(now) == {"status": "cancelled", "cancelled_at": now,
                                     "cancel_reason": "Doublon"}
    reset = rules.order_action(CLOSED, "reset")
    assert (reset.values(now), reset.mails_client) == (
        {"status": "processing", "made_available_at": None, "shipped_at": None,
         "closed_at": None, "cancelled_at": None, "cancel_reason": ""}, False)


def test_the_bookshop_buttons():
    assert rules.quote_actions(False) == ["message", "archive"]
    assert rules.quote_actions(True) == ["message"]
    assert (rules.quote_list_action(False), rules.quote_list_action(True)) == ("archive", None)
    assert rules.bookshop_order_actions(CLOSED) == ["reset", "message"]
    assert rules.order_list_action(PROCESSING, "Préparation commande") == "shipped"
    assert rules.order_list_action(CLOSED, "Préparation commande") is None
    assert rules.order_list_action(MARKED, "Attente fournisseur(s)") is None


@pytest.mark.parametrize("index,ok", [(0, True), ("1", True), (None, True), (2, False),
                                      ("x", False), ("-1", False), (-3, False)])
def test_the_delivery_address_must_be_complete(index, ok):
    addresses = [{"label": "CDI", "postal_code": "54000", "city": "NANCY"},
                 {"line1": "2 rue des Jonquilles", "postal_code": "54000", "city": "NANCY"},
                 {"line1": "2 rue des Jonquilles", "postal_code": "", "city": "NANCY"}]
    if ok:
        assert rules.check_delivery_address(addresses, index) in addresses[:2]
    else:
        with pytest.raises(DomainError) as exc:
            rules.check_delivery_address(addresses, index)
        # the third is incomplete; another index is not one of the client's addresses
        said = "incomplète" if index == 2 else "inconnue"
        assert exc.value.details == {"delivery_address": [f"Adresse de livraison {said}."]}
    with pytest.raises(DomainError) as exc:  # a client without any address
        rules.check_delivery_address([], 0)
    assert exc.value.details == {"delivery_address": ["Adresse de livraison incomplète."]}


def test_the_tabs_are_defined_once():
    assert tabs.order_tab("closed") == "closed"
    assert tabs.order_tab("nope") == tabs.order_tab(None) == "pending"
    assert tabs.order_tabs({"closed": 2}) == [
        {"key": "pending", "label": "En attente de traitement", "count": 0},
        {"key": "processing", "label": "En cours de traitement", "count": 0},
        {"key": "closed", "label": "Clôturée", "count": 2},
        {"key": "cancelled", "label": "Annulée", "count": 0}]
    assert tabs.to_validate_levels("approbateur") == [1]
    assert tabs.to_validate_levels("collectivite") == [2]
    assert tabs.validated_levels("approbateur") == [2, 3]
    assert tabs.validated_levels("collectivite") == [3]
    for role in ("utilisateur", "admin"):
        for levels in (tabs.to_validate_levels, tabs.validated_levels):
            with pytest.raises(DomainError) as exc:
                levels(role)
            assert exc.value.code == "forbidden"


def test_an_order_fetched_at_the_bookshop_is_made_available_never_shipped():
    fetched = rules.OrderState("processing", picked_up=True, at_bookshop=True)
    assert rules.SHIPPED not in rules.order_actions(fetched)
    assert rules.MADE_AVAILABLE in rules.order_actions(fetched)
    with pytest.raises(DomainError) as exc:
        rules.order_action(fetched, rules.SHIPPED)
    assert exc.value.code == "conflict" and "retirer à la librairie" in exc.value.message
    assert rules.order_list_action(fetched, "Préparation commande") is None


def test_a_shipped_order_is_not_made_available_after():
    """« Expédiée » then « Mise à disposition à la librairie »: the client got both mails."""
    shipped = rules.OrderState("processing", picked_up=True, shipped=True)
    assert rules.MADE_AVAILABLE not in rules.order_actions(shipped)
    with pytest.raises(DomainError) as exc:
        rules.order_action(shipped, rules.MADE_AVAILABLE)
    assert exc.value.code == "conflict" and "déjà expédiée" in exc.value.message
