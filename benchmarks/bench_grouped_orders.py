"""Grouped orders benchmarks against the whole suite running for real (RabbitMQ, PostgreSQL,
every service as its own process, the gateway under gunicorn). Figures are printed, never
asserted.

    .venv/bin/python benchmarks/bench_grouped_orders.py [--clients 50] [--per-client 10]
        [--subs 10000] [--pdf-rows 1000]

1. subscriptions per second through the gateway's API with N concurrent clients, and p95;
2. time from validating a grouped order with 10,000 paid sub-orders to its classic order in the
   bridge and to the validation mail being sent;
3. time to render the PDF of 1,000 sub-orders, and the grouped_orders service's RPC latency
   while it renders (the rendering runs in a child process, off the event loop).
"""
import argparse
import secrets
import statistics
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import requests
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e import grouped  # noqa: E402
from tests.support.smtp import start_smtp  # noqa: E402
from tests.support.suite import Suite, free_port, wait_until  # noqa: E402

PASSWORD = "bench-password-2026"


def p95(values):
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def setup(suite):
    from services.accounts import use_cases
    from services.librisoft_bridge import keys
    from services.librisoft_bridge.demo import demo_articles, demo_clients
    db = suite.db("accounts")
    with db.transaction() as s:
        use_cases.create_admin(s, "admin@bench.test", PASSWORD, datetime.now(timezone.utc))
    key = keys.create_key(suite.db("librisoft_bridge"), "bench")
    for kind, rows in (("clients", demo_clients()), ("articles", demo_articles(50))):
        requests.post(f"{suite.bridge_url}/librisoft/v1/{kind}", json={kind: rows},
                      headers={"X-Api-Key": key}, timeout=60).raise_for_status()
    admin = requests.Session()
    admin.post(suite.gateway_url + "/api/v1/session",
               json={"email": "admin@bench.test", "password": PASSWORD}).raise_for_status()
    wait_until(lambda: admin.get(suite.gateway_url + "/api/v1/clients").json()["clients"],
               message="clients")
    admin.post(suite.gateway_url + "/api/v1/accounts", json={
        "email": "prof@bench.test", "password": PASSWORD, "role": "collectivite",
        "client_numbers": ["16"]}).raise_for_status()
    teacher = requests.Session()
    teacher.post(suite.gateway_url + "/api/v1/session",
                 json={"email": "prof@bench.test", "password": PASSWORD}).raise_for_status()
    return admin, teacher, key


def bench_subscriptions(suite, teacher, clients, per_client):
    _, token = grouped.create(teacher, suite, "16", "9791097284657")
    url = f"{suite.gateway_url}/api/v1/public/grouped-orders/{token}/subscriptions"
    latencies, errors = [], []
    lock = threading.Lock()

    def client(i):
        s = requests.Session()
        for j in range(per_client):
            t0 = time.perf_counter()
            r = s.post(url, json={"first_name": f"P{i}", "last_name": f"N{j}", "quantity": 1,
                                  "email": f"p{i}.{j}@bench.test", "accepted_terms": True})
            with lock:
                (latencies if r.status_code == 201 else errors).append(time.perf_counter() - t0)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    print(f"subscriptions through the gateway: {len(latencies)} ok, {len(errors)} errors, "
          f"{clients} concurrent clients, {len(latencies) / elapsed:.1f}/s, "
          f"p50 {statistics.median(latencies) * 1000:.0f} ms, "
          f"p95 {p95(latencies) * 1000:.0f} ms")


def insert_paid_subs(suite, number, count):
    db = suite.db("grouped_orders")
    now = datetime.now(timezone.utc)
    rows = [{"g": number, "t": secrets.token_urlsafe(18), "f": f"P{i}", "l": f"N{i}",
             "e": f"b{i}@bench.test", "now": now} for i in range(count)]
    with db.transaction() as s:
        s.execute(text(
            "INSERT INTO sub_orders (grouped_order_number, buyer_token, first_name, last_name, "
            "email, quantity, total, status, created_at, paid_at, paid_manually, "
            "cancel_reason) VALUES (:g, :t, :f, :l, :e, 1, 14.90, 'paid', :now, :now, true, '')"),
            rows)
        # one line each, of the grouped order's one title (issue 10)
        s.execute(text(
            "INSERT INTO sub_order_lines (sub_order_number, title_id, position, quantity, "
            "unit_price) SELECT s.number, t.id, 1, 1, 14.90 FROM sub_orders s "
            "JOIN grouped_order_titles t ON t.grouped_order_number = s.grouped_order_number "
            "AND t.position = 1 WHERE s.grouped_order_number = :g AND NOT EXISTS "
            "(SELECT 1 FROM sub_order_lines l WHERE l.sub_order_number = s.number)"),
            {"g": number})
    db.dispose()


def bench_validation(suite, admin, teacher, key, count):
    go, _ = grouped.create(teacher, suite, "16", "9791097284657")
    insert_paid_subs(suite, go["number"], count)
    grouped.pass_deadline(suite, go["number"])
    url = f"{suite.gateway_url}/api/v1/admin/grouped-orders/{go['number']}"
    wait_until(lambda: admin.get(url).json()["status"] == "awaiting_validation", timeout=60)
    t0 = time.perf_counter()
    admin.post(url + "/validation", json={}).raise_for_status()
    t_validated = time.perf_counter() - t0
    wait_until(lambda: [o for o in grouped.librisoft_orders(suite, key)
                        if o["source_number"] == go["number"]], timeout=120, interval=0.05)
    t_bridge = time.perf_counter() - t0
    wait_until(lambda: [m for m in grouped.mails(suite, "prof@bench.test")
                        if f"n° {go['number']} validée" in m["subject"] and m["sent_at"]],
               timeout=120, interval=0.05)
    t_mail = time.perf_counter() - t0
    print(f"validating a grouped order of {count} paid sub-orders: answered in "
          f"{t_validated:.2f} s, classic order in the bridge after {t_bridge:.2f} s, "
          f"validation mail sent after {t_mail:.2f} s")


def bench_pdf(suite, teacher, rows):
    go, _ = grouped.create(teacher, suite, "16", "9791097284657")
    insert_paid_subs(suite, go["number"], rows)
    latencies, done = [], threading.Event()
    result = {}

    def render():
        t0 = time.perf_counter()
        r = teacher.get(f"{suite.gateway_url}/commandes-groupees/{go['number']}/pdf", timeout=300)
        result.update(seconds=time.perf_counter() - t0, size=len(r.content), status=r.status_code)
        done.set()

    threading.Thread(target=render).start()
    with suite.rpc() as rpc:
        while not done.is_set():
            t0 = time.perf_counter()
            rpc.grouped_orders.health()
            latencies.append(time.perf_counter() - t0)
            time.sleep(0.05)
    print(f"PDF of {rows} sub-orders: {result['seconds']:.2f} s through the gateway "
          f"(HTTP {result['status']}, {result['size'] // 1024} KiB); grouped_orders RPC "
          f"latency meanwhile: {len(latencies)} calls, p50 "
          f"{statistics.median(latencies) * 1000:.0f} ms, p95 {p95(latencies) * 1000:.0f} ms, "
          f"max {max(latencies) * 1000:.0f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=10)
    parser.add_argument("--subs", type=int, default=10_000)
    parser.add_argument("--pdf-rows", type=int, default=1000)
    args = parser.parse_args()
    port = free_port()
    controller, _ = start_smtp(port)
    suite = Suite(smtp_port=port)
    try:
        suite.start_all()
        admin, teacher, key = setup(suite)
        bench_subscriptions(suite, teacher, args.clients, args.per_client)
        bench_validation(suite, admin, teacher, key, args.subs)
        if args.pdf_rows:  # (make bench: P3 is bench_sheet)
            bench_pdf(suite, teacher, args.pdf_rows)
    finally:
        suite.shutdown()
        controller.stop()


if __name__ == "__main__":
    main()
