"""API action names: nouns of the action everywhere; the names of before still answer, and the
OpenAPI document shows them as deprecated (issue 12)."""
import pytest

from .conftest import sign_in

ORDER = "/api/v1/admin/orders/12/"
ORDER_VIEW = {"kind": "order", "number": 12}


@pytest.mark.parametrize("new,old,service_name", [
    ("availability", "made_available", "made_available"),
    ("shipment", "shipped", "shipped"),
    ("closure", "closed", "closed"),
    ("cancellation", "cancelled", "cancelled"),
])
def test_an_order_action_answers_by_its_noun_and_its_old_name(client, rpc, new, old,
                                                               service_name):
    rpc.answers[("baskets", "admin_order_action")] = lambda *args: ORDER_VIEW
    sign_in(client, "admin")
    for name in (new, old):
        r = client.post(ORDER + name, json={"reason": "Épuisé"},
                        headers={"Idempotency-Key": f"k-{name}"})
        assert r.status_code == 200, r.get_data(as_text=True)
    # both reach the service with the service's own name of the action
    assert [args[2] for args in rpc.called("baskets", "admin_order_action")] == \
        [service_name, service_name]


def test_reset_keeps_its_one_name(client, rpc):
    rpc.answers[("baskets", "admin_order_action")] = lambda *args: ORDER_VIEW
    sign_in(client, "admin")
    assert client.post(ORDER + "reset", json={}).status_code == 200
    assert client.post(ORDER + "made_available_x", json={}).status_code == 404


def test_the_openapi_document_marks_the_old_names_deprecated(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    new = paths["/api/v1/admin/orders/{number}/{action}"]
    old = paths["/api/v1/admin/orders/{number}/{old_action}"]
    assert not new["post"].get("deprecated") and old["post"]["deprecated"] is True

    def names(path, parameter):
        return next(p["schema"]["enum"] for p in path["parameters"] if p["name"] == parameter)
    assert sorted(names(new, "action")) == ["availability", "cancellation", "closure", "reset",
                                            "shipment"]
    assert sorted(names(old, "old_action")) == ["cancelled", "closed", "made_available",
                                                "shipped"]
