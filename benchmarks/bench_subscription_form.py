"""P1: a parent's subscription as a parent makes it — the form POST on /souscription/<token>
(session cookie and CSRF token from the page, answered by its 303) — through the whole suite,
against a minimal monolith doing the same writes (benchmarks/monolith.py under gunicorn -w 4 on
its own PostgreSQL database), alternated A/B/A/B in one run, the same client for both. Figures
printed, never asserted.

    .venv/bin/python -m benchmarks.bench_subscription_form [--clients 50] [--posts 1000]
        [--rounds 2] [--mode post|whole|both] [--instances 2]

Two measures (issue 11), both by default:
- the form POST alone. The suite's POST records the sub-order, its lines, the attempt to pay
  (its idempotency key) and the outbox rows in one transaction, and answers 303 to the payment
  page; the monolith's POST makes every write, the payment included, and answers 303 too. The
  suite's POST does less here (no payment yet): this is the time a parent waits on the form.
- the whole subscription, fair on both sides: the POST, then the page its 303 leads to (not the
  provider's page after it). The suite's payment page creates the payment in payments (one RPC
  from the gateway, one nested) and answers 303 to the provider; the monolith's reads the
  payment its POST made and answers 303 to the provider. Same writes in all on both sides.

`--instances 2` then runs the whole subscription once more with 2 instances of grouped_orders,
payments and order_desk (fresh processes, beside the gateway's 2 workers) and prints each
instance's share of the RPC requests and events it handled (each logs them when it stops) and
of its service's CPU, and the CPU per subscription beside one instance's (same run). On 2 cores
a second instance adds no throughput: the point is that work is shared and its cost per
subscription does not grow.

For each side: throughput, p50/p95, and CPU time per POST (or per subscription) summed over the
side's processes (read from /proc: the gateway's and every service's process groups, RabbitMQ
and the PostgreSQL backends of the suite's databases; gunicorn's workers and the backends of the
monolith's database). RabbitMQ is counted whole: on a broker shared with other work it is an
overestimate. The CPU is read once the work the requests left behind is done (events consumed,
outbox relayed: `Side.settle` waits until the side's processes are near idle), so the consumers'
share is counted even when they lag behind the requests. The client's
page fetches (to get a session and a CSRF token per form) happen before the timed window.
Goal (issue 11): ≥ 0.5× the monolith's throughput, p95 ≤ 1.5×, ≤ 10 ms of CPU per
subscription. On a machine shared with other work, compare the ratios of one run only."""
import argparse
import http.client
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg2
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_grouped_orders import setup  # noqa: E402
from benchmarks.common import pct, running_suite  # noqa: E402
from tests.e2e import grouped  # noqa: E402
from tests.support.suite import (  # noqa: E402
    PG_ADMIN, create_databases, database_url, drop_named_databases, free_port)

HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>')
ATTR = re.compile(r'(name|value)="([^"]*)"')
CLK_TCK = os.sysconf("SC_CLK_TCK")


def hidden_fields(html: str) -> dict:
    fields = {}
    for tag in HIDDEN.findall(html):
        attrs = dict(ATTR.findall(tag))
        if "name" in attrs:
            fields[attrs["name"]] = attrs.get("value", "")
    return fields


def prepare_forms(url: str, count: int, prefix: str) -> list:
    """`count` forms as a parent's browser would post them: each from its own page fetch
    (its own session cookie and hidden fields), filled in."""
    forms = []
    for i in range(count):
        for _attempt in range(5):  # a shared machine: the database may restart under us
            r = requests.get(url, timeout=30)
            if r.ok:
                break
            time.sleep(1)
        r.raise_for_status()
        cookie = "; ".join(f"{c.name}={c.value}" for c in r.cookies)
        body = urlencode({**hidden_fields(r.text), "first_name": f"Parent{i}",
                          "last_name": f"{prefix}{i}", "email": f"p{i}.{prefix}@ecole-bench.fr",
                          "quantity": "1", "accepted_terms": "1"})
        forms.append((cookie, body))
    return forms


def post_all(url: str, forms: list, clients: int, follow: bool = False):
    """POST every form with `clients` keep-alive connections; with `follow`, then GET the page
    the 303 leads to on the same server (the payment page, answered by its own 303 to the
    provider, not followed). (seconds, POST latencies, whole latencies, statuses)."""
    parts = urlsplit(url)
    todo = queue.SimpleQueue()
    for form in forms:
        todo.put(form)
    posts, wholes, statuses, lock = [], [], {}, threading.Lock()

    def client():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        while True:
            try:
                cookie, body = todo.get_nowait()
            except queue.Empty:
                break
            t0 = time.perf_counter()
            conn.request("POST", parts.path, body=body, headers={
                "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
                "Referer": url, "Origin": f"{parts.scheme}://{parts.netloc}"})
            response = conn.getresponse()
            response.read()
            posted = time.perf_counter() - t0
            codes = [response.status]
            location = urlsplit(response.getheader("Location") or "")
            if follow and response.status == 303 and location.netloc in ("", parts.netloc):
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
                conn.request("GET", location.path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                codes.append(response.status)
            whole = time.perf_counter() - t0
            with lock:
                posts.append(posted)
                wholes.append(whole)
                key = "→".join(map(str, codes))
                statuses[key] = statuses.get(key, 0) + 1
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, posts, wholes, statuses


def cpu_seconds(pids) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return total / CLK_TCK


def group_pids(leader: int) -> list:
    """Every process of the process group (session) `leader` started."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == leader:
                    pids.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):
                continue
    return pids


def backend_pids(datname_like: str) -> list:
    """The PostgreSQL backends connected to the databases named like `datname_like` (the
    machine's PostgreSQL serves other work too: only these backends are counted)."""
    with psycopg2.connect(PG_ADMIN) as conn, conn.cursor() as cur:
        cur.execute("SELECT pid FROM pg_stat_activity WHERE datname LIKE %s", (datname_like,))
        pids = [pid for (pid,) in cur.fetchall()]
    conn.close()
    return pids


def named_pids(name: str) -> list:
    out = subprocess.run(["pgrep", "-f", name], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


class Side:
    def __init__(self, label, url, groups, follow=False):
        self.label, self.url, self.groups = label, url, groups   # groups: name -> pids()
        self.follow = follow
        self.seconds, self.latencies, self.posts_latencies, self.statuses = 0.0, [], [], {}
        self.cpu, self.posts = {}, 0
        self.settled = 0.0

    def settle(self, window=0.5, idle=0.15, longest=30.0):
        """Wait (after the last answer) until the work the requests left behind is done — the
        events consumed, the outbox relayed, the mails queued — so that the CPU per request
        counts it: until the side's processes (the shared broker aside) use less than `idle`
        of a core over `window` s, at most `longest` s. The time waited is not in the
        throughput. Returns it."""
        groups = [pids for name, pids in self.groups.items() if name != "rabbitmq"]
        t0 = time.perf_counter()
        last = sum(cpu_seconds(pids()) for pids in groups)
        while time.perf_counter() - t0 < longest:
            time.sleep(window)
            now = sum(cpu_seconds(pids()) for pids in groups)
            if now - last < idle * window:
                break
            last = now
        return time.perf_counter() - t0

    def run(self, forms, clients):
        before = {name: cpu_seconds(pids()) for name, pids in self.groups.items()}
        seconds, posts, wholes, statuses = post_all(self.url, forms, clients, self.follow)
        self.settled += self.settle()
        after = {name: cpu_seconds(pids()) for name, pids in self.groups.items()}
        self.seconds += seconds
        self.latencies += wholes
        self.posts_latencies += posts
        self.posts += len(forms)
        for code, n in statuses.items():
            self.statuses[code] = self.statuses.get(code, 0) + n
        for name in self.groups:
            self.cpu[name] = self.cpu.get(name, 0) + after[name] - before[name]

    def throughput(self):
        return self.posts / self.seconds

    def cpu_ms(self):
        return sum(self.cpu.values()) * 1000 / self.posts

    def report(self):
        cpu_ms = {name: 1000 * s / self.posts for name, s in self.cpu.items()}
        what = "subscriptions/s" if self.follow else "POST/s"
        print(f"  {self.label:<10} {self.throughput():7.1f} {what}   p50 "
              f"{statistics.median(self.latencies) * 1000:6.0f} ms   p95 "
              f"{pct(self.latencies, 95) * 1000:6.0f} ms   statuses {dict(self.statuses)}")
        if self.follow:
            print(f"  {'':<10} the POST alone inside it: p50 "
                  f"{statistics.median(self.posts_latencies) * 1000:.0f} ms, p95 "
                  f"{pct(self.posts_latencies, 95) * 1000:.0f} ms")
        print(f"  {'':<10} CPU per {'subscription' if self.follow else 'POST'} "
              f"{self.cpu_ms():5.1f} ms (the events it left consumed: "
              f"{self.settled:.1f} s waited after the last answer): " + ", ".join(
                  f"{name} {v:.1f}" for name, v in cpu_ms.items()))


SCALED = ("grouped_orders", "payments", "order_desk")
HANDLED = re.compile(r"handled (\d+) RPC requests, (\d+) events")


def suite_groups(suite, ours_pg):
    groups = {name: (lambda p=proc.pid: group_pids(p)) for name, proc in suite.procs.items()}
    # RabbitMQ's one process serves every vhost of the machine: counted whole (an
    # overestimate when other work shares the broker)
    groups.update(rabbitmq=lambda: named_pids("beam.smp"), postgres=ours_pg)
    return groups


def scale_out(suite, url, ours_pg, instances, count, clients, one):
    """The whole subscription with `instances` instances of each SCALED service: fresh ones,
    started once the forms are fetched (instance 0 stopped meanwhile), so that what each one
    logs when it stops (services.common.nameko_glue.Store: RPC requests and events handled) is
    the timed window's own. Prints each instance's share and the CPU per subscription beside
    `one` (the same measure with one instance, in the same run)."""
    forms = prepare_forms(url, count, f"S{uuid.uuid4().hex[:4]}")
    for name in SCALED:
        suite.stop_service(name)
    keys = {name: [suite.start_service(name, instance=str(i), wait=False)
                   for i in range(1, instances + 1)] for name in SCALED}
    for name in SCALED:
        suite.wait_healthy(name)
    time.sleep(3)  # every instance consuming (health answered by one of them)
    gateway_workers = [p for p in group_pids(suite.procs["gateway"].pid)
                       if p != suite.procs["gateway"].pid]
    side = Side("suite", url, suite_groups(suite, ours_pg), follow=True)
    workers_before = {p: cpu_seconds([p]) for p in gateway_workers}
    side.run(forms, clients)
    workers = {p: cpu_seconds([p]) - workers_before[p] for p in gateway_workers}
    for name in SCALED:
        for key in keys[name]:
            suite.stop_service(name, key.split("#")[1])
        suite.start_service(name, wait=False)
    for name in SCALED:
        suite.wait_healthy(name)
    print(f"scale-out: the whole subscription with {instances} instances of "
          f"{', '.join(SCALED)} (2 gateway workers)")
    side.report()
    print(f"  CPU per subscription {side.cpu_ms():.1f} ms with {instances} instances, "
          f"{one.cpu_ms():.1f} ms with one (same run)")
    for name in SCALED:
        counts = {}
        for key in keys[name]:
            found = HANDLED.findall((suite.tmp / f"{key}.log").read_text(errors="replace"))
            counts[key] = tuple(map(int, found[-1])) if found else (0, 0)
        rpcs, events = sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values())
        cpu = sum(side.cpu.get(key, 0) for key in keys[name])
        print(f"  {name}: " + "; ".join(
            f"#{key.split('#')[1]} {100 * c[0] / max(rpcs, 1):.0f} % of {rpcs} RPC requests, "
            f"{100 * c[1] / max(events, 1):.0f} % of {events} events, "
            f"{100 * side.cpu.get(key, 0) / max(cpu, 1e-9):.0f} % of its CPU"
            for key, c in counts.items()))
    total = sum(workers.values())
    print("  gateway workers: " + ", ".join(
        f"{100 * v / max(total, 1e-9):.0f} %" for v in workers.values()) + " of its CPU")


def start_monolith(db_url, port):
    env = dict(os.environ, PYTHONPATH=str(ROOT), MONOLITH_DATABASE_URL=db_url)
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "4", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "benchmarks.monolith:create_app()"],
        cwd=ROOT, env=env, start_new_session=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=2)
            return proc
        except requests.RequestException:  # refused, or slow to answer on a loaded machine
            time.sleep(0.2)
    raise RuntimeError("the monolith did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--posts", type=int, default=1000, help="POSTs per side per round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--mode", choices=("post", "whole", "both"), default="both",
                        help="time the form POST alone, the whole subscription (the POST and "
                             "the payment page its 303 leads to), or both")
    parser.add_argument("--instances", type=int, default=1,
                        help="then the whole subscription again with this many instances of "
                             "grouped_orders, payments and order_desk: each one's share")
    args = parser.parse_args()
    if args.instances > 1 and args.mode == "post":
        parser.error("--instances compares whole subscriptions: --mode whole or both")

    db_name = f"bench_monolith_{os.getpid()}"
    create_databases(db_name)
    db_url = database_url(db_name)
    from benchmarks import monolith
    mono_token = monolith.setup(db_url)
    port = free_port()
    mono = start_monolith(db_url, port)
    try:
        with running_suite() as (suite, _):
            _admin, teacher, _key = setup(suite)
            go, token = grouped.create(teacher, suite, "16", "9791097284657", days=10)
            ours_url = f"{suite.gateway_url}/souscription/{token}"
            mono_url = f"http://127.0.0.1:{port}/souscription/{mono_token}"
            ours_pg = lambda: backend_pids(f"{suite.db_prefix}\\_%")  # noqa: E731
            mono_groups = {"gunicorn": lambda: group_pids(mono.pid),
                           "postgres": lambda: backend_pids(db_name)}
            modes = {"post": [False], "whole": [True], "both": [False, True]}[args.mode]
            pairs = [(Side("suite", ours_url, suite_groups(suite, ours_pg), follow),
                      Side("monolith", mono_url, mono_groups, follow)) for follow in modes]
            print(f"P1 subscription form, {args.clients} concurrent clients, "
                  f"{args.posts} forms per side per round, {args.rounds} alternated rounds")
            for round_ in range(args.rounds):
                for pair in pairs:
                    for side in pair:
                        tag = uuid.uuid4().hex[:4]
                        forms = prepare_forms(side.url, args.posts, f"R{round_}{tag}")
                        side.run(forms, args.clients)
            for a, b in pairs:
                print("the whole subscription (the POST, then the page its 303 leads to):"
                      if a.follow else "the form POST alone:")
                a.report()
                b.report()
                print(f"  ratio suite / monolith: throughput "
                      f"{a.throughput() / b.throughput():.2f}× (goal ≥ 0.5×), p95 "
                      f"{pct(a.latencies, 95) / pct(b.latencies, 95):.2f}× (goal ≤ 1.5×), "
                      f"CPU {a.cpu_ms():.1f} ms vs {b.cpu_ms():.1f} ms (goal ≤ 10 ms)")
            if args.instances > 1:
                scale_out(suite, ours_url, ours_pg, args.instances, args.posts, args.clients,
                          pairs[-1][0])
    finally:
        os.killpg(mono.pid, signal.SIGTERM)
        mono.wait(15)
        drop_named_databases(db_name)


if __name__ == "__main__":
    main()
