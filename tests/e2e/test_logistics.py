"""Issue 9, reference 003 step 3, through the whole suite on PostgreSQL: orders made ready by
the bookshop (a grouped order, a collectivity order) become candidates of `logistics`;
« Exécuter » on the « Logisticien » page makes a numbered batch taking them once, with its CSV
and JSON files; the batch is POSTed, signed, to a fake logistician that refuses the first
attempts, and retried until it acknowledges; an order is never handed off twice, even by two
« Exécuter » at the same moment."""
import csv
import html
import io
import json
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.e2e import logistics_steps as steps
from tests.e2e.conftest import PASSWORD, api_session
from tests.e2e.test_once import outbox
from tests.support.suite import wait_until


def sessions(suite, people):
    made = {k: api_session(suite, people[k]["email"], PASSWORD)
            for k in ("utilisateur", "approbateur", "collectivite")}
    made["admin"] = api_session(suite, ADMIN_EMAIL, ADMIN_PASSWORD)
    return made


def handed(suite, kind, number):
    db = suite.db("logistics")
    try:
        with db.transaction() as s:
            return s.execute(text("SELECT batch_number FROM batch_orders WHERE kind = :k AND "
                                  "number = :n"), {"k": kind, "n": number}).scalars().all()
    finally:
        db.dispose()


def test_ready_orders_are_handed_off_once_and_delivered_signed(suite, people, demo_feeds):
    s = sessions(suite, people)
    admin = s["admin"]
    go = steps.ready_grouped_order(suite, s["collectivite"], admin)
    co = steps.ready_collectivity_order(suite, s["utilisateur"], s["approbateur"],
                                        s["collectivite"], admin)
    g_key, c_key = f"grouped_order:{go}", f"collectivity_order:{co}"
    g_candidate = steps.wait_candidate(suite, g_key)
    c_candidate = steps.wait_candidate(suite, c_key)
    assert (g_candidate["customer"], g_candidate["lines"]) == (
        "ECOLE JULES FERRY", [{"ean": steps.WESTERN, "title": g_candidate["lines"][0]["title"],
                               "quantity": 2}])
    assert g_candidate["destination"].startswith("À la librairie\n")  # picked up there
    assert c_candidate["customer"] == "ECOLE JULES FERRY"
    assert [(li["ean"], li["quantity"]) for li in c_candidate["lines"]] == [(steps.CEMETERY, 3)]

    page = admin.get(suite.gateway_url + "/admin/logisticien")
    assert page.status_code == 200
    assert f'value="{g_key}"' in page.text and f'value="{c_key}"' in page.text

    # the logistician refuses the first two POSTs of the batch
    suite.logistician.refuse_next(503, 500)
    token = steps.page_token(admin, suite)
    done = steps.execute(suite, admin.cookies.get_dict(), token, [g_key, c_key])
    assert done.status_code == 303, done.text
    number = int(done.headers["Location"].rsplit("#lot-", 1)[1])
    assert handed(suite, "grouped_order", go) == [number]
    assert handed(suite, "collectivity_order", co) == [number]
    (event,) = outbox(suite, "logistics", "orders_handed_off", batch_number=number)
    assert event["orders"] == [{"kind": "grouped_order", "number": go},
                               {"kind": "collectivity_order", "number": co}]
    assert event["created_by"] == ADMIN_EMAIL

    # the order desk shows which batch took each order (it consumes orders_handed_off)
    def desk_batch():
        with suite.rpc() as rpc:
            return rpc.order_desk.get_order("collectivity_order", co).get("batch_number")
    assert wait_until(desk_batch, timeout=30, message="the desk told of the batch") == number
    desk = admin.get(suite.gateway_url + f"/admin/commandes/collectivity_order/{co}")
    assert desk.status_code == 200 and f"Remise dans le lot n° {number}" in desk.text

    # retried with backoff until the logistician acknowledges it; every POST signed
    def acknowledged():
        with suite.rpc() as rpc:
            batch = rpc.logistics.get_batch(number)
        return batch if batch["delivery"]["state"] == "acknowledged" else None
    batch = wait_until(acknowledged, timeout=60, message="the batch acknowledged")
    posts = suite.logistician.of_batch(number)
    assert [p["status"] for p in posts] == [503, 500, 200]
    assert all(p["signed"] for p in posts)
    assert posts[1]["at"] - posts[0]["at"] >= 0.9 and posts[2]["at"] - posts[1]["at"] >= 1.9
    assert batch["delivery"]["attempts"] == 3 and batch["delivery"]["last_error"] is None
    shown = admin.get(suite.gateway_url + "/admin/logisticien").text
    assert f"Lot n° {number}" in shown and "accusé de réception le" in shown

    # the files, as downloaded; the JSON file is the body the logistician got
    r = admin.get(suite.gateway_url + f"/admin/logisticien/lots/{number}.json")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    assert r.content == posts[-1]["body"]
    document = json.loads(r.content)
    assert document["batch_number"] == number and document["format"] == "librairie-logistique/1"
    assert [(o["kind"], o["number"]) for o in document["orders"]] == [
        ("grouped_order", go), ("collectivity_order", co)]
    r = admin.get(suite.gateway_url + f"/admin/logisticien/lots/{number}.csv")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert f'lot-logisticien-{number:06d}.csv' in r.headers["Content-Disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert [(row["commande"], row["client"], row["ean"], row["quantite"]) for row in rows] == [
        (str(go), "ECOLE JULES FERRY", steps.WESTERN, "2"),
        (str(co), "ECOLE JULES FERRY", steps.CEMETERY, "3")]
    assert all(row["lot"] == str(number) for row in rows)
    assert rows[0]["adresse_livraison_ou_retrait"].startswith("À la librairie, ")

    # handing an order off again: a French 409, nothing changed
    token = steps.page_token(admin, suite)
    again = steps.execute(suite, admin.cookies.get_dict(), token, [g_key])
    assert again.status_code == 409
    assert f"a déjà été mise à disposition du logisticien (lot n° {number})" in again.text
    assert handed(suite, "grouped_order", go) == [number]
    assert len(outbox(suite, "logistics", "orders_handed_off", batch_number=number + 1)) == 0
    assert steps.candidate(suite, g_key) is None


def at_once(send, times=2):
    barrier = threading.Barrier(times)

    def one(i):
        barrier.wait(timeout=20)
        return send(i)

    with ThreadPoolExecutor(times) as pool:
        return list(pool.map(one, range(times), timeout=60))


def test_two_executes_at_the_same_moment_make_one_batch(suite, people, demo_feeds):
    s = sessions(suite, people)
    admin = s["admin"]
    go = steps.ready_grouped_order(suite, s["collectivite"], admin,
                                   buyers=(("Zoé", "Concurrence", 1),))
    key = f"grouped_order:{go}"
    steps.wait_candidate(suite, key)
    token = steps.page_token(admin, suite)  # (its first GET puts the CSRF secret in the session)
    cookies = admin.cookies.get_dict()
    # two tabs: each its own form (one-time token), « Exécuter » at once
    answers = at_once(lambda i: steps.execute(suite, cookies, token, [key], key=f"tab-{go}-{i}"))
    assert sorted(r.status_code for r in answers) == [303, 409], [
        (r.status_code, r.text[:300]) for r in answers]
    refused = next(r for r in answers if r.status_code == 409)
    assert "a déjà été mise à disposition du logisticien" in refused.text
    (number,) = handed(suite, "grouped_order", go)
    assert len([e for e in outbox(suite, "logistics", "orders_handed_off")
                if {"kind": "grouped_order", "number": go} in e["orders"]]) == 1

    # « Toutes les commandes prêtes » twice at once: one batch, one « Aucune commande prête »
    # (first whatever other tests left ready, so that both clicks compete for the same orders)
    steps.execute(suite, cookies, token, take_all=True, key=f"drain-{go}")
    other = steps.ready_grouped_order(suite, s["collectivite"], admin,
                                      buyers=(("Max", "Concurrence", 1),))
    steps.wait_candidate(suite, f"grouped_order:{other}")
    answers = at_once(lambda i: steps.execute(suite, cookies, token, take_all=True,
                                              key=f"all-{other}-{i}"))
    assert sorted(r.status_code for r in answers) == [303, 409], [
        (r.status_code, r.text[:300]) for r in answers]
    assert "Aucune commande prête" in next(r for r in answers if r.status_code == 409).text
    (taken,) = handed(suite, "grouped_order", other)
    assert taken > number


def test_a_cancelled_order_is_no_longer_a_candidate(suite, people, demo_feeds):
    s = sessions(suite, people)
    admin = s["admin"]
    co = steps.ready_collectivity_order(suite, s["utilisateur"], s["approbateur"],
                                        s["collectivite"], admin, quantity=1)
    key = f"collectivity_order:{co}"
    steps.wait_candidate(suite, key)
    r = admin.post(steps.api(suite, f"/admin/orders/{co}/cancellation"),
                   json={"reason": "Livre épuisé chez l'éditeur"})
    assert r.status_code == 200, r.text
    wait_until(lambda: steps.candidate(suite, key) is None, timeout=30,
               message="the cancellation heard by logistics")
    token = steps.page_token(admin, suite)
    refused = steps.execute(suite, admin.cookies.get_dict(), token, [key])
    assert refused.status_code == 409
    assert f"La commande collectivité n° {co} n'est pas « Commande prête »" in \
        html.unescape(refused.text)
    assert handed(suite, "collectivity_order", co) == []
