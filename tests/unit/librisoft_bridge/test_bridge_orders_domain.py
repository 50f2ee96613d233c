"""Classic order rules, pure Python: no database, no broker."""
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from services.common.contracts.payloads import GroupedOrderValidatedV1
from services.common.errors import DomainError
from services.librisoft_bridge import presenters
from services.librisoft_bridge.domain import grouped_orders, orders, pickup
from tests.unit.librisoft_bridge.conftest import NOT_CANCELLED

NOW = datetime(2026, 4, 2, 10, 0, tzinfo=timezone.utc)
LATER = datetime(2026, 4, 3, 10, 0, tzinfo=timezone.utc)


def loaded(payload, **changes):
    """The payload as the consumer receives it: loaded through its contract."""
    return GroupedOrderValidatedV1().load({**payload, **changes})


def stored(**changes):
    return {"number": 7, "source_kind": "grouped_order", "source_number": 62,
            "state": "pending", "librisoft_number": None, "librisoft_status": None, **changes}


def test_a_validated_grouped_order_becomes_one_line_to_the_cent(validated):
    order = grouped_orders.from_grouped_order(loaded(validated))
    (line,) = order["lines"]
    assert line == {"position": 1, "ean": "9791097284657", "title": "WESTERN COQUILLETTES",
                    "vat_rate": "5.5", "quantity": 5, "unit_price_ttc": Decimal("14.90"),
                    "total_ttc": Decimal("74.50")}
    head = order["order"]
    assert head["total_ttc"] == Decimal("74.50") and str(head["total_ttc"]) == "74.50"
    assert (head["source_kind"], head["source_number"], head["state"]) == (
        "grouped_order", 62, "pending")
    assert (head["client_number"], head["client_name"]) == ("21", "COLLEGE VICTOR PROUVE")
    assert head["pickup_label"].splitlines() == [
        "COLLEGE Victor prouve", "2, rue des jonquilles", "5500 DINANT"]  # lines kept
    assert head["billing_label"].startswith("13 RUE EMILE BOILVIN")
    assert (head["initiator_email"], head["comment"]) == ("approbateur@victorprouve.org",
                                                          "Pour le CDI")
    assert head["placed_at"] == datetime(2022, 3, 30, 7, 26, 59, tzinfo=timezone.utc)


@pytest.mark.parametrize("unit, quantity, total", [
    ("6.40", 3, "19.20"), ("0.10", 3, "0.30"), ("25.00", 10_000, "250000.00"),
    ("14.90", 1, "14.90")])
def test_money_is_exact(validated, unit, quantity, total):
    order = grouped_orders.from_grouped_order(loaded(validated, unit_price_ttc=unit,
                                                     quantity=quantity, total_ttc=total))
    assert str(order["lines"][0]["total_ttc"]) == total == str(order["order"]["total_ttc"])


def test_a_naive_validation_time_is_utc(validated):
    order = grouped_orders.from_grouped_order(loaded(validated, validated_at="2022-03-30T09:26:59"))
    assert order["order"]["placed_at"].tzinfo is timezone.utc


@pytest.mark.parametrize("changes, field", [
    ({"quantity": 0}, "quantity"),
    ({"total_ttc": "74.51"}, "total_ttc"),
    ({"unit_price_ttc": "0"}, "unit_price_ttc"),
    ({"validated_at": "30/03/2022"}, "validated_at"),
    ({"client_name": "X" * 201}, "client_name"),
    ({"client_number": " "}, "client_number"),
    ({"number": 2**31}, "number"),
])
def test_a_payload_that_cannot_make_a_sound_order_is_refused(validated, changes, field):
    with pytest.raises(DomainError) as raised:
        grouped_orders.from_grouped_order(loaded(validated, **changes))
    assert field in raised.value.details
    assert raised.value.message.startswith("Commande groupée n° ")


def test_a_bad_article_is_refused(validated):
    article = dict(validated["article"], ean="9791097284658", vat_rate="7")
    with pytest.raises(DomainError) as raised:
        grouped_orders.from_grouped_order(loaded(validated, article=article))
    assert set(raised.value.details) == {"article.ean", "article.vat_rate"}


def test_ack_picks_up_once():
    changes = pickup.acknowledgement(stored(), NOW)
    assert changes == {"state": "picked_up", "picked_up_at": NOW}
    assert pickup.acknowledgement(stored(**changes), LATER) == {}


def test_a_status_implies_picked_up_and_keeps_the_number_when_none_is_sent():
    update = {"status": "Attente fournisseur(s)", "librisoft_number": "CC-1042"}
    changes = pickup.status_changes(stored(), update, NOW)
    assert changes == {"state": "picked_up", "picked_up_at": NOW, "librisoft_number": "CC-1042",
                       "librisoft_status": "Attente fournisseur(s)", "status_updated_at": NOW}
    order = stored(**changes)
    assert pickup.status_changes(order, update, LATER) == {}
    assert pickup.status_changes(order, {"status": "Attente fournisseur(s)",
                                         "librisoft_number": None}, LATER) == {}
    assert pickup.status_changes(order, {"status": "Préparation commande",
                                         "librisoft_number": None}, LATER) == {
        "librisoft_status": "Préparation commande", "status_updated_at": LATER}


def test_status_of_an_acknowledged_order_does_not_touch_the_pickup_time():
    order = stored(state="picked_up", picked_up_at=NOW)
    changes = pickup.status_changes(order, {"status": "Préparation commande"}, LATER)
    assert "picked_up_at" not in changes and "state" not in changes


def test_clean_status():
    assert pickup.clean_status({"status": "  Attente   fournisseur(s) ", "extra": 1}) == {
        "status": "Attente fournisseur(s)", "librisoft_number": None}
    assert pickup.clean_status({"status": "Préparation commande", "librisoft_number": "1042"}) \
        == {"status": "Préparation commande", "librisoft_number": "1042"}
    with pytest.raises(DomainError):  # the document says text (« 1042 » in quotes)
        pickup.clean_status({"status": "Préparation commande", "librisoft_number": 1042})


@pytest.mark.parametrize("body, field", [
    ({}, "status"), ({"status": ""}, "status"), ({"status": None}, "status"),
    ({"status": "x" * 101}, "status"), ({"status": ["a"]}, "status"),
    ({"status": True}, "status"), ({"status": "ok", "librisoft_number": "n" * 41},
                                   "librisoft_number"),
    ({"status": "ok", "librisoft_number": {"a": 1}}, "librisoft_number"),
])
def test_clean_status_refuses_in_french(body, field):
    with pytest.raises(DomainError) as raised:
        pickup.clean_status(body)
    assert raised.value.code == "invalid" and field in raised.value.details
    assert raised.value.message.startswith("Statut refusé")


@pytest.mark.parametrize("body", [[], "Attente", 3, None])
def test_clean_status_wants_an_object(body):
    with pytest.raises(DomainError) as raised:
        pickup.clean_status(body)
    assert "Objet JSON attendu" in raised.value.message


def test_status_event_follows_the_contract():
    assert presenters.status_event(stored()) == {
        "order_number": 7, "source_kind": "grouped_order", "source_number": 62,
        "picked_up": False, "librisoft_number": "", "status": "", **NOT_CANCELLED}
    assert presenters.status_event(stored(state="picked_up", librisoft_number="CC-1",
                                      librisoft_status="Préparation commande"))["picked_up"]


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5", "", None, True, 2**31,
                                   pytest.param(10**5000, id="huge"), "9" * 40, "١٢", [1]])
def test_an_order_number_that_names_no_order_is_not_found(value):
    with pytest.raises(DomainError) as raised:
        orders.order_number(value)
    assert raised.value.code == "not_found"


def test_order_number():
    assert orders.order_number("12") == orders.order_number(12) == 12


def test_list_filter():
    assert orders.list_filter("pending", None) == (("pending",), None)
    assert orders.list_filter("all", "grouped_order") == (None, "grouped_order")
    assert orders.list_filter(None, "") == (None, None)
    for status, kind in (("récupérée", None), ("all", "basket")):
        with pytest.raises(DomainError) as raised:
            orders.list_filter(status, kind)
        assert raised.value.code == "invalid"


def test_what_each_listing_holds():
    """The cancellations to apply: cancelled, picked up, not acknowledged; pending: not
    cancelled; picked up: every picked-up order; all: every order."""
    assert orders.listing(("cancelled",)) == {"states": ("picked_up",), "cancelled": True,
                                              "cancellation_acknowledged": False}
    assert orders.listing(("pending",)) == {"states": ("pending",), "cancelled": False}
    assert orders.listing(("picked_up",)) == {"states": ("picked_up",)}
    assert orders.listing(None) == {}


def reading_list(validated, **changes):
    """A validated reading list (issue 10): WESTERN COQUILLETTES × 3 and LE LIVRE… × 2."""
    lines = [{"ean": "9791097284657", "title": "WESTERN COQUILLETTES", "publisher": "ORSO",
              "quantity": 3, "unit_price_ttc": "14.90", "vat_rate": "5.5",
              "total_ttc": "44.70"},
             {"ean": "9782362210419", "title": "LE LIVRE QU'IL NE FAUT SURTOUT, SURTOUT, "
              "SURTOUT, PAS LIRE !", "publisher": "MIC MAC EDITION", "quantity": 2,
              "unit_price_ttc": "6.40", "vat_rate": "5.5", "total_ttc": "12.80"}]
    return loaded(validated, **dict({"lines": lines, "quantity": 5, "total_ttc": "57.50"},
                                    **changes))


def test_a_reading_list_becomes_one_line_per_title(validated):
    order = grouped_orders.from_grouped_order(reading_list(validated))
    assert [(x["position"], x["ean"], x["quantity"], x["unit_price_ttc"], x["total_ttc"])
            for x in order["lines"]] == [
        (1, "9791097284657", 3, Decimal("14.90"), Decimal("44.70")),
        (2, "9782362210419", 2, Decimal("6.40"), Decimal("12.80"))]
    assert order["order"]["total_ttc"] == Decimal("57.50")


def test_a_reading_list_whose_lines_do_not_add_up_is_refused(validated):
    with pytest.raises(DomainError) as exc:
        grouped_orders.from_grouped_order(reading_list(validated, total_ttc="57.60"))
    assert "lines" in exc.value.details
    bad = reading_list(validated)
    bad["lines"][1]["total_ttc"] = Decimal("12.81")
    with pytest.raises(DomainError) as exc:
        grouped_orders.from_grouped_order(bad)
    assert set(exc.value.details) == {"lines.2.total_ttc"}
    bad = reading_list(validated)
    bad["lines"][0]["ean"] = "123"
    with pytest.raises(DomainError) as exc:
        grouped_orders.from_grouped_order(bad)
    assert "lines.1.ean" in exc.value.details
