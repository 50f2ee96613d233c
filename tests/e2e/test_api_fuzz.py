"""Generated requests against /api/v1/openapi.json (schemathesis), through the real gateway and
services: whatever is sent, as anonymous, as a Collectivité account and as the admin, the API
answers no 5xx and every answer, success or error, matches the schema the document declares
for it (issue 13 §6, issue 14: server errors and ~40 contradictions were found this way).

A grouped order with a subscription, a basket, a quote request and an order are made first, so
that lists and small generated numbers reach real objects, and each of them is also read back
and checked against its schema. Each generated case is sent once per identity (in parallel); a
bounded number of cases per operation keeps the module around a minute. It runs after every
other test of the session (tests/e2e/conftest.py): generated writes change data."""
import os
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (content_type_conformance,
                                               response_schema_conformance,
                                               status_code_conformance)

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
# what would end the fuzzing identities' own sessions or accounts: tried anonymously only
ANONYMOUS_ONLY = {("DELETE", "/api/v1/session"), ("PUT", "/api/v1/me"),
                  ("PUT", "/api/v1/accounts/{account_id}/active")}
# per operation and per mode (valid, invalid input), each sent as 3 identities: 8 keeps the
# module near a minute (15 took ~160 s of the suite's 10-minute budget); the cases are the
# same every run (derandomized). API_FUZZ_EXAMPLES=200 for a deeper hunt
MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "8"))
DERANDOMIZE = "API_FUZZ_EXAMPLES" not in os.environ  # make test: the same cases every run
REQUEST_LINE_MAX = 4094  # gunicorn's default limit_request_line: a longer one is its own 414
CEMETERY = "9782330150136"
# operations whose answers and refusals a module of their own checks one by one get fewer
# generated cases in `make test` (the suite's time budget; API_FUZZ_EXAMPLES still sets them
# all): by tag, the school's cycle (gateway/api/cycle.py, tests/e2e/test_api_cycle.py), the
# invoices (gateway/api/invoices.py: tests/e2e/test_invoices.py, unit test_api_invoices.py)
# and the order desk (tests/e2e/test_order_desk.py, unit test_desk_pages.py)
FEWER_EXAMPLES = {"api_cycle": 4, "api_invoices": 4, "api_order_desk": 4}


@pytest.fixture(scope="module")
def identities(suite, people):
    """Anonymous, the Collectivité account and the admin (session cookie: the API needs no
    CSRF token, it takes JSON only)."""
    return {"anonymous": requests.Session(),
            "collectivite": api_session(suite, people["collectivite"]["email"], PASSWORD),
            "admin": api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)}


@pytest.fixture(scope="module")
def seeded(suite, identities):
    """One object of each kind the API answers with."""
    coll = identities["collectivite"]
    api = suite.gateway_url + "/api/v1"
    go, token = grouped.create(coll, suite, "16", CEMETERY, days=5)
    sub = grouped.subscribe(suite, token, "Ada", "Lovelace", 2)
    made = {"grouped_order": go["number"], "token": token, "buyer_token": sub["buyer_token"]}
    for kind, reference in (("quote", "FUZZ-DEVIS"), ("order", "FUZZ-CMD"), (None, None)):
        r = coll.post(api + "/baskets", json={"name": f"Fuzz {kind}"})
        assert r.status_code == 201, r.text
        basket = r.json()["id"]
        r = coll.post(f"{api}/baskets/{basket}/lines", json={"ean": CEMETERY, "quantity": 3})
        assert r.status_code == 201, r.text
        if kind is None:
            made["basket"] = basket
            continue
        r = coll.post(f"{api}/baskets/{basket}/transformation",
                      json={"kind": kind, "reference": reference})
        assert r.status_code == 200, r.text
        made[kind] = r.json()["number"]
    with suite.rpc() as rpc:  # the order invoiced: the invoices' API reads a real one
        made["invoice"] = rpc.invoicing.issue_invoice(
            identities["admin"].me["id"], "collectivity_order", made["order"])["number"]
    return made


def operations(suite):
    schema = schemathesis.openapi.from_url(suite.gateway_url + "/api/v1/openapi.json",
                                           timeout=30)
    return schema, [result.ok() for result in schema.get_all_operations()]


def send(case, base_url, identities, key):
    """The case as every identity at once; the first contradiction raised."""
    def one(item):
        who, session = item
        if who != "anonymous" and key in ANONYMOUS_ONLY:
            return None
        response = case.call(base_url=base_url, session=session, timeout=30)
        if response.status_code == 414 and len(response.request.url) > REQUEST_LINE_MAX:
            return None  # gunicorn's limit (limit_request_line), before the application
        try:
            case.validate_response(response, checks=CHECKS)
        except BaseException as exc:  # schemathesis' FailureGroup is a BaseExceptionGroup
            if isinstance(exc, KeyboardInterrupt):
                raise
            return f"as {who}: {str(exc)[:1500]}"
        return None

    with ThreadPoolExecutor(len(identities)) as pool:
        problems = [p for p in pool.map(one, identities.items()) if p]
    if problems:
        raise AssertionError("\n".join(problems))


def fuzz(operation, mode, base_url, identities):
    """Up to MAX_EXAMPLES generated cases of one operation (FEWER_EXAMPLES for some), each sent
    as every identity."""
    key = (operation.method.upper(), operation.path)
    examples = min([MAX_EXAMPLES] + [FEWER_EXAMPLES[tag] for tag in operation.tags or ()
                                     if DERANDOMIZE and tag in FEWER_EXAMPLES])

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, database=None,
              derandomize=DERANDOMIZE,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case):
        send(case, base_url, identities, key)

    run()


def test_every_answer_matches_its_declared_schema(suite, identities, seeded):
    """No 5xx, and every answer matches the schema declared for its status (success bodies
    and the one error body `{error, message, details}` alike)."""
    schema, ops = operations(suite)
    assert len(ops) >= 40
    failures = []
    # the seeded objects, read back through their own operations
    go, tok, buyer = seeded["grouped_order"], seeded["token"], seeded["buyer_token"]
    reads = [("/api/v1/grouped-orders/{number}", {"number": go}),
             ("/api/v1/admin/grouped-orders/{number}", {"number": go}),
             ("/api/v1/public/grouped-orders/{token}", {"token": tok}),
             ("/api/v1/public/grouped-orders/{token}/subscriptions/{buyer_token}",
              {"token": tok, "buyer_token": buyer}),
             ("/api/v1/baskets/{basket_id}", {"basket_id": seeded["basket"]}),
             ("/api/v1/documents/{kind}/{number}", {"kind": "quote", "number": seeded["quote"]}),
             ("/api/v1/documents/{kind}/{number}", {"kind": "order", "number": seeded["order"]}),
             ("/api/v1/admin/quotes/{number}", {"number": seeded["quote"]}),
             ("/api/v1/admin/orders/{number}", {"number": seeded["order"]}),
             ("/api/v1/articles/{ean}/price", {"ean": CEMETERY}),
             ("/api/v1/articles/{ean}", {"ean": CEMETERY}),
             ("/api/v1/admin/invoices/{number}", {"number": seeded["invoice"]}),
             ("/api/v1/admin/invoices/{number}/pdf", {"number": seeded["invoice"]}),
             ("/api/v1/invoices/{number}", {"number": seeded["invoice"]}),
             ("/api/v1/invoices/{number}/pdf", {"number": seeded["invoice"]})]
    for path, params in reads:
        case = schema[path]["GET"].Case(path_parameters=params)
        try:
            send(case, suite.gateway_url, identities, ("GET", path))
        except AssertionError as exc:
            failures.append(f"GET {path} {params}: {exc}")
    for operation in ops:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            started = time.monotonic()
            try:
                fuzz(operation, mode, suite.gateway_url, identities)
            except Unsatisfiable:
                pass  # nothing to make invalid in this operation (no parameters, no body)
            except Exception as exc:  # noqa: BLE001 - every operation is reported, not the first
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): "
                                f"{str(exc)[:3000]}")
            print(f"{operation.method.upper()} {operation.path} {mode.value}: "
                  f"{time.monotonic() - started:.1f}s")
    assert not failures, "\n\n".join(failures)
