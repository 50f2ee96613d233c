"""The pickup webservice (/librisoft/v1/orders...) called through the service's routes, on a real
SQLite database and outbox: JSON in and out, 4xx in French for bad input, never a 500."""
import pytest

from services.common.contracts.events import make_envelope
from services.librisoft_bridge.adapters import webservice as web
from tests.unit.librisoft_bridge.conftest import (  # noqa: F401  (re-exported to other tests)
    NOT_CANCELLED, answer, outbox_bodies, request)


@pytest.fixture
def order(service, validated):
    assert service.on_grouped_order_validated(
        make_envelope("grouped_order_validated", validated, "grouped_orders")) == "processed"
    (found,) = service.find_orders_by_source("grouped_order", validated["number"])
    return found["number"]


def ack(service, key, number):
    return answer(service.http_ack_order(request("POST", f"/orders/{number}/ack", key),
                                         number=str(number)))


def post_status(service, key, number, body, **kwargs):
    return answer(service.http_post_order_status(
        request("POST", f"/orders/{number}/status", key, body, **kwargs), number=str(number)))


def listing(service, key, **query):
    return answer(service.http_list_orders(request("GET", "/orders", key, query=query)))


def test_every_order_route_requires_a_key(service, order):
    for status, body in (listing(service, None), ack(service, "lsb_wrong", order),
                         post_status(service, None, order, {"status": "x"})):
        assert (status, body["error"]) == (401, "unauthorized")


def test_pending_by_default_then_picked_up_after_ack(service, api_key, order):
    status, page = listing(service, api_key)
    assert status == 200 and page["total"] == 1 and page["per_page"] == 100
    (listed,) = page["orders"]
    assert (listed["number"], listed["state"], listed["total_ttc"]) == (order, "pending", "74.50")
    assert listed["lines"][0]["unit_price_ttc"] == "14.90"
    status, acked = ack(service, api_key, order)
    assert (status, acked["state"], acked["picked_up"]) == (200, "picked_up", True)
    assert listing(service, api_key)[1]["total"] == 0
    assert listing(service, api_key, status="picked_up")[1]["orders"][0]["number"] == order
    assert listing(service, api_key, status="all", per_page="1000")[1]["per_page"] == 500


def test_get_one_order(service, api_key, order):
    status, body = answer(service.http_get_order(request("GET", f"/orders/{order}", api_key),
                                                 number=str(order)))
    assert (status, body["number"], body["client_name"]) == (200, order,
                                                             "COLLEGE VICTOR PROUVE")


def test_second_ack_is_200_unchanged_and_records_no_event(service, db, api_key, order):
    first = ack(service, api_key, order)
    second = ack(service, api_key, order)
    assert first == second and first[0] == 200
    (event,) = outbox_bodies(db)
    assert event["event_type"] == "classic_order_status_changed"
    assert event["payload"] == {"order_number": order, "source_kind": "grouped_order",
                                "source_number": 62, "picked_up": True,
                                "librisoft_number": "", "status": "", **NOT_CANCELLED}


def test_status_is_stored_and_recorded_once(service, db, api_key, order):
    body = {"librisoft_number": "CC-1042", "status": "Attente fournisseur(s)"}
    status, view = post_status(service, api_key, order, body)
    assert (status, view["state"], view["librisoft_status"], view["librisoft_number"]) == (
        200, "picked_up", "Attente fournisseur(s)", "CC-1042")
    assert post_status(service, api_key, order, body)[0] == 200
    assert ack(service, api_key, order)[0] == 200
    post_status(service, api_key, order, {"status": "Préparation commande"})
    assert [(e["payload"]["status"], e["payload"]["librisoft_number"])
            for e in outbox_bodies(db)] == [
        ("Attente fournisseur(s)", "CC-1042"), ("Préparation commande", "CC-1042")]


def test_a_body_without_content_type_is_read_as_json(service, api_key, order):
    status, view = post_status(service, api_key, order, {"status": "Préparation commande"},
                               content_type=None)
    assert (status, view["librisoft_status"]) == (200, "Préparation commande")
    # a server that sets no Content-Type may say text/plain (eventlet's did: 415)
    status, view = post_status(service, api_key, order, {"status": "Attente fournisseur(s)"},
                               content_type="text/plain")
    assert (status, view["librisoft_status"]) == (200, "Attente fournisseur(s)")


@pytest.mark.parametrize("body, words", [
    (b"", "JSON illisible"), (b'{"status": ', "JSON illisible"), (b"[1]", "Objet JSON attendu"),
    ({}, "status : champ obligatoire"), ({"status": "  "}, "champ obligatoire"),
    ({"status": "x" * 101}, "100 caractères au plus"), ({"status": {"a": 1}}, "texte attendu"),
    ({"status": "ok", "librisoft_number": "n" * 41}, "40 caractères au plus"),
    (b'{"status": 1e999999999}', "texte attendu"), (b"[" * 50_000, "JSON illisible"),
    (b"\xff\xfe", "UTF-8"),
    # the document says text: 123 was stored as « 123 » (an outside tester)
    ({"status": 123}, "texte attendu"), ({"status": "ok", "librisoft_number": 123},
                                         "librisoft_number : texte attendu"),
    # a lone surrogate, valid JSON: it was a 500
    (b'{"status": "a\\ud800"}', "Unicode incomplet"),
])
def test_bad_bodies_are_a_french_400_and_change_nothing(service, db, api_key, order, body,
                                                        words):
    status, error = post_status(service, api_key, order, body)
    assert (status, error["error"]) == (400, "invalid")
    assert words in error["message"]
    assert service.get_order(order)["state"] == "pending" and outbox_bodies(db) == []


def test_other_content_type_is_a_415(service, api_key, order):
    status, error = post_status(service, api_key, order, b"status=ok",
                                content_type="application/x-www-form-urlencoded")
    assert (status, error["error"]) == (415, "unsupported_media_type")
    assert "application/json" in error["message"]


def test_a_big_status_body_is_a_413(service, api_key, order):
    status, error = post_status(service, api_key, order, {"status": "x" * web.MAX_JSON_BYTES})
    assert (status, error["error"]) == (413, "payload_too_large")
    assert "64 Ko" in error["message"]


@pytest.mark.parametrize("number", ["999", "abc", "0", "-1", "9" * 30, "1.0"])
def test_unknown_order_is_a_json_404(service, api_key, order, number):
    for status, error in (ack(service, api_key, number),
                          post_status(service, api_key, number, {"status": "x"}),
                          answer(service.http_get_order(request("GET", f"/orders/{number}",
                                                                api_key), number=number))):
        assert (status, error["error"]) == (404, "not_found")
        assert "Commande introuvable" in error["message"]


@pytest.mark.parametrize("query, field", [
    ({"status": "récupérée"}, "Statut inconnu"), ({"page": "0"}, "Pagination"),
    ({"per_page": "beaucoup"}, "Pagination"), ({"page": "9" * 5000}, "Pagination"),
    ({"source_kind": "basket"}, "Type de commande inconnu"), ({"page": "10000000"}, "Pagination"),
])
def test_bad_listing_queries_are_a_french_400(service, api_key, query, field):
    status, error = listing(service, api_key, **query)
    assert (status, error["error"]) == (400, "invalid") and field in error["message"]


def test_wrong_method_on_an_order_route_is_a_405(service, api_key, order):
    status, error = answer(service.http_unknown_route(
        request("GET", f"/orders/{order}/ack", api_key), path=f"orders/{order}/ack"))
    assert (status, error["error"]) == (405, "method_not_allowed") and "POST" in error["message"]
    status, error = answer(service.http_unknown_route(
        request("DELETE", "/orders", api_key), path="orders"))
    assert (status, error["error"]) == (405, "method_not_allowed")
