"""The school's cycle through the JSON API (issue 10; gateway/api/cycle.py), on the real gateway,
services, broker and PostgreSQL: a reading list of two titles whose opening day is moved, its
progress read anonymously, three buyers (two paying online, one by cheque), the per-title
figures, the totals for suppliers (one grouped order, the bookshop's period), a title cut sent
five times at once with one key (one effect), « J'ai vérifié », then distribution day: the
search, a tick retried with its key, a cheque at pickup, a note, and « Valider la distribution »
sent five times at once (one 200, four 409, one event). Bad input is a French 400 with nothing
changed, another collectivity's grouped order a 404, a role the page refuses a 403; every
answer of these routes validates against /api/v1/openapi.json."""
import uuid
from datetime import timedelta
from decimal import Decimal

import jsonschema_rs
import pytest
import requests

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import grouped
from tests.e2e.conftest import PASSWORD, api_session
from tests.e2e.test_cheque_payments import allow_cheques
from tests.e2e.test_distribution import made_available
from tests.e2e.test_once import at_once, one_winner, outbox, poster, same_answers
from tests.unit.gateway.test_api_answers import json_schema

WESTERN, LIVRE = "9791097284657", "9782362210419"


@pytest.fixture(scope="module")
def document(suite):
    return requests.get(suite.gateway_url + "/api/v1/openapi.json").json()


def answer(document, r, path, method="get", status=200):
    """The answer's status, and its body valid against what the document declares for it."""
    assert r.status_code == status, (r.status_code, r.text[:500])
    declared = document["paths"]["/api/v1" + path][method]["responses"][str(status)][
        "content"]["application/json"]["schema"]
    body = r.json()
    errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in
              jsonschema_rs.Draft7Validator(json_schema(document, declared),
                                            validate_formats=True).iter_errors(body)]
    assert errors == [], errors
    return body


def refused(r, status=400, field=None):
    """The API's one error body, in French; `field`: named in its details."""
    assert r.status_code == status, (r.status_code, r.text[:500])
    body = r.json()
    assert set(body) == {"error", "message", "details"} and body["message"], body
    if field:
        assert field in body["details"], body
    return body


def steps(lines):
    """Adjusted lines without their refund's state (it follows payments' event)."""
    return [(x["sub_order_number"], x["before"], x["after"], x["cancelled"], x["refunded"],
             x["unchecked"]) for x in lines]


def subscribe(suite, token, first, last, lines, method="online"):
    r = requests.post(f"{suite.gateway_url}/api/v1/public/grouped-orders/{token}/subscriptions",
                      json={"first_name": first, "last_name": last, "accepted_terms": True,
                            "email": f"{first}.{last}@free.fr".lower(), "payment_method": method,
                            "lines": [{"ean": e, "quantity": q} for e, q in lines.items()]})
    assert r.status_code == 201, r.text
    return r.json()


def test_the_school_cycle_through_the_api(suite, people, demo_feeds, document):
    run = uuid.uuid4().hex[:6]
    api = suite.gateway_url + "/api/v1"
    teacher = api_session(suite, people["collectivite"]["email"], PASSWORD)
    other = api_session(suite, people["other"]["email"], PASSWORD)
    user = api_session(suite, people["utilisateur"]["email"], PASSWORD)
    admin = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    today = grouped.paris_today()
    r = teacher.post(api + "/grouped-orders", json={
        "client_number": "16", "pickup": "bookshop", "min_copies": 2,
        "titles": [{"ean": WESTERN}, {"ean": LIVRE, "optional": True}],
        "deadline": (today + timedelta(days=5)).isoformat(),
        "opens_on": (today + timedelta(days=1)).isoformat()})
    go = answer(document, r, "/grouped-orders", "post", 201)
    number, token = go["number"], go["subscription_url"].rsplit("/", 1)[1]
    mine = f"{api}/grouped-orders/{number}"

    # K1: before the opening day the progress says subscriptions are not open; the day moved
    progress_path = "/public/grouped-orders/{token}/progress"
    p = answer(document, requests.get(f"{api}/public/grouped-orders/{token}/progress"),
               progress_path)
    assert not p["subscriptions_open"] and p["progress"]["minimum"] == 2
    refused(requests.get(f"{api}/public/grouped-orders/{'x' * 32}/progress"), 404)
    late = (today + timedelta(days=9)).isoformat()
    body = refused(teacher.put(mine + "/opening", json={"opens_on": late}), 400, "opens_on")
    assert "date limite" in body["message"]
    assert teacher.get(mine).json()["opens_on"] == go["opens_on"]  # nothing changed
    refused(other.put(mine + "/opening", json={"opens_on": None}), 404)
    opened = answer(document, teacher.put(mine + "/opening", json={"opens_on": None}),
                    "/grouped-orders/{number}/opening", "put")
    assert opened["opens_on"] is None and opened["subscriptions_open"]
    refused(teacher.put(mine + "/opening", json={"opens_on": late}), 409)

    # three buyers: Leto and Diaz pay online, Petit by cheque at pickup
    allow_cheques(suite, admin, number)
    leto = subscribe(suite, token, "Jared", f"Leto{run}", {WESTERN: 2, LIVRE: 1})
    diaz = subscribe(suite, token, "Cameron", f"Diaz{run}", {WESTERN: 1, LIVRE: 0})
    petit = subscribe(suite, token, "Zoe", f"Petit{run}", {WESTERN: 1, LIVRE: 1}, "cheque")
    for sub in (leto, diaz):
        grouped.pay(suite, token, sub)

    # the reading list's per-title figures, and the progress toward the minimum
    go = teacher.get(mine).json()
    copies = {t["ean"]: t["copies"] for t in go["by_title"]}
    ordered = {}
    for ean in (WESTERN, LIVRE):
        paid = sum(x["quantity"] for s in (leto, diaz) for x in s["lines"] if x["ean"] == ean)
        awaiting = sum(x["quantity"] for x in petit["lines"] if x["ean"] == ean)
        assert (copies[ean]["paid"], copies[ean]["awaiting_payment"]) == (paid, awaiting)
        ordered[ean] = paid + awaiting
    p = answer(document, requests.get(f"{api}/public/grouped-orders/{token}/progress"),
               progress_path)
    assert p["progress"]["paid"] == sum(c["paid"] for c in copies.values())
    assert p["progress"]["minimum_reached"] and p["texts"]["minimum"].startswith(
        f"{p['progress']['paid']} / 2 exemplaires payés")

    # K2: the totals for suppliers, the initiator's own and the bookshop's period
    totals = answer(document, teacher.get(mine + "/supplier-totals"),
                    "/grouped-orders/{number}/supplier-totals")
    titles = {t["ean"]: t for pub in totals["publishers"] for t in pub["titles"]}
    assert titles[WESTERN]["copies_paid"] == copies[WESTERN]["paid"]
    assert titles[WESTERN]["copies_awaiting"] == copies[WESTERN]["awaiting_payment"]
    assert Decimal(totals["totals"]["ttc_paid"]) == Decimal(leto["total"]) + Decimal(
        diaz["total"]) == sum(Decimal(pub["totals"]["ttc_paid"])
                              for pub in totals["publishers"])
    refused(other.get(mine + "/supplier-totals"), 404)
    period = {"start": today.isoformat(), "end": (today + timedelta(days=10)).isoformat()}
    found = answer(document, admin.get(api + "/admin/supplier-totals", params=period),
                   "/admin/supplier-totals")
    assert number in [g["number"] for g in found["grouped_orders"]]
    assert found["start"] == period["start"]
    refused(admin.get(api + "/admin/supplier-totals", params={"start": "2026-13-01"}), 400,
            "start")
    refused(admin.get(api + "/admin/supplier-totals", params=dict(
        period, end=(today - timedelta(days=1)).isoformat())), 400, "end")
    refused(teacher.get(api + "/admin/supplier-totals"), 403)

    # K3: subscriptions closed, WESTERN cut to 2 copies (first subscribed served first)
    with suite.rpc() as rpc:
        rpc.grouped_orders.close_subscriptions_now(admin.me["id"], number)
    western = go["titles"][0]["id"]
    cut_path = "/admin/grouped-orders/{number}/titles/{title_id}/availability"
    cut_url = f"{api}/admin/grouped-orders/{number}/titles/{western}/availability"
    body = refused(admin.post(cut_url, json={"available": ordered[WESTERN]}), 400)
    assert "inférieure aux exemplaires commandés" in body["message"]
    assert admin.get(mine + "/adjustments").json()["lines"] == []  # nothing changed
    refused(teacher.post(cut_url, json={"available": 2}), 403)
    as_admin, key = poster(admin, suite), f"cut-{run}"
    cut = same_answers(at_once(lambda i: as_admin(cut_url[len(api):], {"available": 2}, key)))
    answer(document, admin.post(cut_url, json={"available": 2},
                                headers={"Idempotency-Key": key}), cut_path, "post")
    again = answer(document, admin.post(cut_url, json={"available": 2}), cut_path, "post")
    assert steps(again["lines"]) == steps(cut["lines"])  # the same again: nothing more
    assert steps(cut["lines"]) == [(diaz["number"], 1, 0, True, diaz["total"], True),
                                   (petit["number"], 1, 0, False, "0.00", True)]
    assert len(outbox(suite, "grouped_orders", "sub_order_adjusted",
                      sub_order_number=petit["number"])) == 1
    assert len(outbox(suite, "grouped_orders", "sub_order_cancelled",
                      sub_order_number=diaz["number"])) == 1
    seen = answer(document, teacher.get(mine + "/adjustments"),
                  "/grouped-orders/{number}/adjustments")
    assert seen["unchecked"] and steps(seen["lines"]) == steps(cut["lines"])
    refused(teacher.post(f"{api}/admin/grouped-orders/{number}/adjustments/verification",
                         json={}), 403)
    checked = answer(document, admin.post(
        f"{api}/admin/grouped-orders/{number}/adjustments/verification", json={}),
        "/admin/grouped-orders/{number}/adjustments/verification", "post")
    assert not checked["unchecked"] and not any(x["unchecked"] for x in checked["lines"])

    # K5: made available (a shortcut: Petit's cheque is paid at pickup), distribution day
    made_available(suite, number)
    dist = mine + "/distribution"
    listed = answer(document, teacher.get(dist, params={"q": "zoé petit"}),
                    "/grouped-orders/{number}/distribution")
    assert [b["number"] for b in listed["buyers"]] == [petit["number"]]
    assert listed["count"] == 2 and listed["can_distribute"]  # Diaz cancelled by the cut
    refused(other.get(dist), 404)
    refused(user.get(dist), 403)
    tick = {"sub_order": leto["number"], "field": "collected_all", "value": True}
    first = answer(document, teacher.post(dist + "/ticks", json=tick,
                                          headers={"Idempotency-Key": f"tick-{run}"}),
                   "/grouped-orders/{number}/distribution/ticks", "post")
    retry = teacher.post(dist + "/ticks", json=tick, headers={"Idempotency-Key": f"tick-{run}"})
    assert retry.json() == first and (first["came"], first["changed"]) == (True, True)
    assert teacher.post(dist + "/ticks", json=tick).json()["changed"] is False
    refused(teacher.post(dist + "/ticks", json=dict(tick, sub_order=diaz["number"])), 409)

    pay = {"sub_order": petit["number"], "method": "cheque", "cheque_number": "12"}
    refused(teacher.post(dist + "/payments", json=pay), 400, "cheque_number")
    (still,) = [b for b in teacher.get(dist).json()["buyers"] if b["number"] == petit["number"]]
    assert still["awaiting_payment"]  # nothing changed
    paid = answer(document, teacher.post(dist + "/payments", json=dict(
        pay, cheque_number="1234567")), "/grouped-orders/{number}/distribution/payments", "post")
    assert paid["status"] == "paid" and "1234567" in paid["paid_by"]
    refused(admin.post(dist + "/payments", json=dict(pay, cheque_number="1234567")), 409)
    (there,) = [b for b in teacher.get(dist).json()["buyers"] if b["number"] == petit["number"]]
    assert there["came"]  # paid at the table: « Venu » ticked; her cheque was brought for her
    assert teacher.post(dist + "/ticks", json={"sub_order": petit["number"], "field": "came",
                                               "value": False}).json()["changed"] is True

    note = {"sub_order": leto["number"], "kind": "refund", "amount": "abc",
            "comment": "monnaie rendue"}
    refused(teacher.post(dist + "/notes", json=note), 400, "amount")
    noted = answer(document, teacher.post(dist + "/notes", json=dict(note, amount="2,50")),
                   "/grouped-orders/{number}/distribution/notes", "post", 201)
    assert noted["amount"] == "2.50"

    as_teacher = poster(teacher, suite)
    done = one_winner(at_once(lambda i: as_teacher(f"/grouped-orders/{number}/distribution/"
                                                   "validation")))
    assert done["distributed"] and [a["number"] for a in done["absent"]] == [petit["number"]]
    assert done["recap"]["refunds"] == "2.50"
    (event,) = outbox(suite, "grouped_orders", "grouped_order_distributed", number=number)
    assert [a["sub_order_number"] for a in event["absent"]] == [petit["number"]]
    refused(teacher.post(dist + "/ticks", json=tick), 409)
    refused(admin.post(dist + "/validation", json={}), 409)
