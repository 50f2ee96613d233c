"""The service's entrypoints called directly, on a real SQLite database and outbox, without
nameko's container or a broker."""
import io
import json

from werkzeug.test import EnvironBuilder

from services.librisoft_bridge import keys
from services.librisoft_bridge.adapters import webservice as web
from services.librisoft_bridge.demo import demo_clients
from tests.unit.librisoft_bridge.conftest import answer, outbox_bodies, request


def test_every_route_requires_a_known_key(service, api_key):
    for key in (None, "lsb_wrong", api_key + "x"):
        status, body = answer(service.http_health(request("GET", "/health", key)))
        assert status == 401 and body["error"] == "unauthorized"
        assert "X-Api-Key" in body["message"]
    status, body = answer(service.http_health(request("GET", "/health", api_key)))
    assert (status, body["status"]) == (200, "ok")


def test_revoked_key_is_refused(service, db, api_key):
    (listed,) = keys.list_keys(db)
    assert keys.revoke_key(db, listed["id"])
    assert service.http_health(request("GET", "/health", api_key)).status_code == 401


def test_post_articles_json(service, api_key, article):
    body = json.dumps({"articles": [article, dict(article, ean="123")]}).encode()
    response = service.http_import_articles(request("POST", "/articles", api_key, body))
    status, report = answer(response)
    assert status == 200
    assert (report["created"], report["rejected"][0]["line"]) == (1, 2)
    assert service.get_article("9782362210419")["price_ttc"] == "6.40"


def test_post_articles_csv(service, api_key):
    body = (b"ean;title;price_ttc;vat_rate\n9782330150136;CEMETERY ROAD;25,00;5,5\n")
    status, report = answer(service.http_import_articles(
        request("POST", "/articles", api_key, body, "text/csv; charset=utf-8")))
    assert (status, report["created"]) == (200, 1)
    assert service.search_articles("cemetery")["items"][0]["price_ttc"] == "25.00"


def test_unreadable_body_is_a_400_and_stores_nothing(service, api_key):
    status, body = answer(service.http_import_articles(
        request("POST", "/articles", api_key, b'{"articles": [{"ean": ')))
    assert status == 400 and body["error"] == "invalid" and "JSON illisible" in body["message"]
    assert service.search_articles()["total"] == 0
    status, body = answer(service.http_import_clients(
        request("POST", "/clients", api_key, b"numero;nom\n16;X\n", "text/csv")))
    assert status == 400 and "En-tête CSV incomplet" in body["message"]


def test_other_content_type_is_a_415(service, api_key):
    status, body = answer(service.http_import_articles(
        request("POST", "/articles", api_key, b"<xml/>", "application/xml")))
    assert (status, body["error"]) == (415, "unsupported_media_type")


def test_body_too_large_is_a_413(service, api_key, monkeypatch):
    monkeypatch.setattr(web, "MAX_BODY_BYTES", 10)
    status, body = answer(service.http_import_articles(
        request("POST", "/articles", api_key, b'{"articles": []}')))
    assert (status, body["error"]) == (413, "payload_too_large")


def chunked(key, body):
    return EnvironBuilder(path=web.PREFIX + "/articles", method="POST",
                          input_stream=io.BytesIO(body), content_type="application/json",
                          headers={"X-Api-Key": key, "Transfer-Encoding": "chunked"}).get_request()


def test_chunked_body_is_read_and_limited(service, api_key, article, monkeypatch):
    body = json.dumps([article]).encode()
    status, report = answer(service.http_import_articles(chunked(api_key, body)))
    assert (status, report["created"]) == (200, 1)
    monkeypatch.setattr(web, "MAX_BODY_BYTES", len(body) - 1)
    status, error = answer(service.http_import_articles(chunked(api_key, body)))
    assert (status, error["error"]) == (413, "payload_too_large")


def test_unknown_route_and_wrong_method(service, api_key):
    status, body = answer(service.http_unknown_route(request("GET", "/invoices", api_key),
                                                     path="invoices"))
    assert (status, body["error"]) == (404, "not_found")
    status, body = answer(service.http_unknown_route(request("GET", "/articles", api_key),
                                                     path="articles"))
    assert (status, body["error"]) == (405, "method_not_allowed")
    assert "POST" in body["message"]


def test_unexpected_fault_is_a_json_500(service, api_key, monkeypatch):
    def broken(session, rows):
        raise RuntimeError("disk full")

    monkeypatch.setattr("services.librisoft_bridge.use_cases.imports.import_articles", broken)
    status, body = answer(service.http_import_articles(
        request("POST", "/articles", api_key, b"[]")))
    assert (status, body["error"]) == (500, "internal_error")
    assert "disk full" not in body["message"]


def test_post_clients_records_contract_events_in_the_outbox(service, db, api_key):
    body = json.dumps({"clients": demo_clients()}).encode()
    status, report = answer(service.http_import_clients(request("POST", "/clients", api_key, body)))
    assert (status, report["created"], report["skipped"]) == (200, 3, 1)
    events = outbox_bodies(db)
    assert [e["event_type"] for e in events] == ["collectivity_client_updated"] * 3
    college = next(e["payload"] for e in events if e["payload"]["number"] == "21")
    assert college["discounts"]["school"] == "15.00" and college["revision"] == 1
    assert service.import_clients(demo_clients())["unchanged"] == 3
    assert len(outbox_bodies(db)) == 3


def test_rpc_outputs_are_json_safe(service):
    report = service.import_articles([{"ean": "9791097284657", "title": "WESTERN COQUILLETTES",
                                       "price_ttc": "14,90", "vat_rate": "5,5"}])
    assert report["created"] == 1
    service.import_clients(demo_clients())
    for result in (service.search_articles("western", 1, 20), service.get_article("9791097284657"),
                   service.list_clients(), service.get_client("16"), report):
        json.dumps(result)
    assert service.get_client("16")["discounts"]["vat_5_5"] == "9.00"
