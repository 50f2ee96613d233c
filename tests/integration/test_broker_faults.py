"""The suite under broker and database faults (issue 13), on a RabbitMQ node and databases of
this module's own: the broker stopped (`rabbitmqctl stop_app`) or killed (`kill -9`) while
subscriptions and sandbox payments run, a service's database refusing connections. Every
service keeps running and serves again within 10 s of the broker's return; nothing is lost or
done twice; an outage is a 503 with `Retry-After`, never a 500."""
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import psycopg2
import pytest
import requests
from sqlalchemy import text

from tests.conftest import CHEAP_ARGON2, _create_admin
from tests.e2e import grouped
from tests.support.broker import PrivateBroker
from tests.support.faults import Load, all_serving, grouped_order, prepare, sub_orders
from tests.support.suite import PG_ADMIN, SERVICES, Suite, wait_until

# a broker node and a suite of this module's own, with 10-second recovery goals: run on its own
# after the two workers' part of make test, not beside another suite
pytestmark = pytest.mark.alone

TEACHER = "pannes@ecole-jules-ferry.test"


@pytest.fixture(scope="module")
def faults(smtp):
    broker = PrivateBroker()
    suite = None
    try:
        with ThreadPoolExecutor(1) as pool:
            # the node boots while the suite's databases are made and migrated (no broker
            # needed there)
            booting = pool.submit(broker.start)
            try:
                suite = Suite(smtp_port=smtp.port, amqp_uri=broker.uri,
                              db_prefix=f"lsbf{os.getpid()}", env=CHEAP_ARGON2)
            finally:
                booting.result()
        suite.start_all()
        _create_admin(suite)
        key, teacher, admin = prepare(suite, TEACHER)
        yield SimpleNamespace(suite=suite, broker=broker, key=key, teacher=teacher, admin=admin,
                              smtp=smtp)
    finally:
        if suite is not None:
            suite.shutdown()
        broker.shutdown()


def no_process_exited(suite):
    dead = {k: p.returncode for k, p in suite.procs.items() if p.poll() is not None}
    assert not dead, "exited: " + ", ".join(
        f"{k} ({code}):\n{suite.tail(k)}" for k, code in dead.items())


def settle(f, load):
    """Nothing lost: each accepted subscription once, each payment made at the provider
    reflected on its sub-order and its confirmation mail sent, every outbox empty."""
    suite = f.suite
    assert not load.server_errors(), load.server_errors()
    assert load.paid_at_provider, "the load paid nothing: the test proves nothing"
    db = suite.db("grouped_orders")
    with db.transaction() as s:
        emails = [e for (e,) in s.execute(text("SELECT email FROM sub_orders WHERE email LIKE "
                                               ":t"), {"t": load.tag + ".%"})]
    db.dispose()
    assert len(emails) == len(set(emails)), "a subscription was created twice"
    assert set(load.subscribed) <= set(emails), "an accepted subscription is missing"

    def all_paid():
        rows = sub_orders(suite, set(load.paid_at_provider))
        return len(rows) == len(load.paid_at_provider) and all(
            r["status"] == "paid" for r in rows)
    wait_until(all_paid, timeout=60, interval=0.5,
               message="every payment made at the provider reflected on its sub-order")
    for email in load.paid_at_provider:
        f.smtp.wait_for(email, 1, timeout=60, subject_contains="Confirmation de votre commande")
    with suite.rpc() as rpc:
        for name in SERVICES:
            wait_until(lambda name=name: getattr(rpc, name).health()["outbox_pending"] == 0,
                       timeout=30,
                       message=f"{name}'s outbox relayed")


def assert_settled_once(f, load):
    """Nothing twice (once a repeat would have arrived): one payment and one confirmation mail
    per sub-order."""
    suite = f.suite
    for email in load.paid_at_provider:
        assert len([m for m in f.smtp.to(email)
                    if "Confirmation de votre commande" in m["Subject"]]) == 1, email
    rows = sub_orders(suite, set(load.paid_at_provider))
    db = suite.db("payments")
    with db.transaction() as s:
        for row in rows:
            succeeded = s.scalar(text(
                "SELECT count(*) FROM payments WHERE reference_id = :r AND state = 'succeeded'"),
                {"r": str(row["number"])})
            assert succeeded == 1, (row["number"], succeeded)
    db.dispose()


def awaiting_validation(f):
    """A grouped order with one paid buyer, its deadline passed: the admin may validate it."""
    suite = f.suite
    go, token = grouped_order(suite, f.teacher)
    grouped.pay(suite, token, grouped.subscribe(suite, token, "Victor", "Valide", 1))
    grouped.pass_deadline(suite, go["number"])
    url = f"{suite.gateway_url}/api/v1/admin/grouped-orders/{go['number']}"
    wait_until(lambda: f.admin.get(url, timeout=20).json()["status"] == "awaiting_validation",
               message="awaiting validation")
    return go["number"], url


class Validation:
    """The admin validating through the outage: 503s, tried again until answered."""

    def __init__(self, f, url):
        self.f, self.url, self.answers = f, url, []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        for _ in range(120):
            try:
                r = self.f.admin.post(self.url + "/validation", json={}, timeout=20)
                self.answers.append(r.status_code)
                if r.status_code != 503:
                    return
            except requests.RequestException as exc:
                self.answers.append(type(exc).__name__)
            time.sleep(0.5)


def validated(f, number, validation):
    """The validation answered (200 after 503s only), its classic order and its mail there."""
    validation.thread.join(90)
    assert validation.answers and validation.answers[-1] == 200, validation.answers
    assert set(validation.answers[:-1]) <= {503}, validation.answers
    wait_until(lambda: [o for o in grouped.librisoft_orders(f.suite, f.key)
                        if o["source_kind"] == "grouped_order"
                        and o["source_number"] == number], timeout=60,
               message="the classic order")
    f.smtp.wait_for(TEACHER, 1, timeout=60, subject_contains=f"n° {number} validée")


def assert_validated_once(f, number):
    """One classic order and one mail (once a repeat would have arrived)."""
    orders = [o for o in grouped.librisoft_orders(f.suite, f.key)
              if o["source_kind"] == "grouped_order" and o["source_number"] == number]
    assert len(orders) == 1, orders
    assert len(f.smtp.wait_for(TEACHER, 1, subject_contains=f"n° {number} validée")) == 1


def outage_under_load(f, tag, fault, restore):
    suite = f.suite
    number, url = awaiting_validation(f)
    _, token = grouped_order(suite, f.teacher)
    load = Load(suite, token, tag, workers=2, limit=40).start()
    validation = Validation(f, url)
    try:
        wait_until(lambda: len(load.paid_at_provider) >= 2, timeout=40,
                   message="payments flowing before the fault")
        fault()
        validation.thread.start()
        time.sleep(8)  # the broker stays away while the load runs into it
        restore()
        took = all_serving(suite, SERVICES, timeout=10)
        no_process_exited(suite)
        wait_until(lambda: requests.get(suite.gateway_url + "/health?format=json",
                                        timeout=5).status_code == 200, timeout=10,
                   message="the gateway's /health back to 200")
    finally:
        load.finish()
    no_process_exited(suite)
    settle(f, load)
    validated(f, number, validation)
    # one wait for any repeat of either: the load's (its outboxes empty) and the validation's
    time.sleep(2)  # a repeat would arrive now
    assert_settled_once(f, load)
    assert_validated_once(f, number)
    return took, load


def test_every_service_serves_again_after_the_broker_is_stopped_under_load(faults):
    took, load = outage_under_load(faults, "arret", faults.broker.stop_app,
                                   faults.broker.start_app)
    assert took <= 10
    # the load ran into the outage (503s), never a 500
    assert any(s[1] == 503 for s in load.statuses), load.statuses


def test_every_service_serves_again_after_the_broker_is_killed_under_load(faults):
    def restart():
        faults.broker.start()
    took, _ = outage_under_load(faults, "kill", faults.broker.kill9, restart)
    assert took <= 10


def test_a_broker_outage_is_a_quick_503_with_retry_after_and_no_500(faults):
    suite = faults.suite
    _, token = grouped_order(suite, faults.teacher)
    public = f"{suite.gateway_url}/api/v1/public/grouped-orders/{token}"
    faults.broker.stop_app()
    try:
        for method, url, kw in (("GET", public, {}),
                                ("POST", public + "/subscriptions", {"json": {
                                    "first_name": "Ines", "last_name": "Panne", "quantity": 1,
                                    "email": "ines.panne@free.fr", "accepted_terms": True}}),
                                ("GET", f"{suite.gateway_url}/souscription/{token}", {})):
            started = time.time()
            r = requests.request(method, url, timeout=20, **kw)
            elapsed = time.time() - started
            assert r.status_code == 503, (url, r.status_code, r.text[:300])
            assert r.headers.get("Retry-After"), url
            assert elapsed <= 3, (url, elapsed)
        body = requests.get(public, timeout=20).json()
        assert body["error"] == "unavailable" and "Réessayez" in body["message"]
        health = requests.get(suite.gateway_url + "/health?format=json", timeout=20)
        assert health.status_code == 503 and health.json()["broker"] == "down"
    finally:
        faults.broker.start_app()
    all_serving(suite, SERVICES, timeout=10)
    wait_until(lambda: requests.get(public, timeout=10).status_code == 200, timeout=10,
               message="the public page back")


def set_connections(database, allowed):
    conn = psycopg2.connect(PG_ADMIN)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {str(allowed).lower()}')
        if not allowed:
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = %s AND pid <> pg_backend_pid()", (database,))
    conn.close()


def test_a_service_database_refusing_connections_gives_503s_then_recovers(faults):
    suite = faults.suite
    _, token = grouped_order(suite, faults.teacher)
    base = f"{suite.gateway_url}/api/v1/public/grouped-orders/{token}"
    sub = grouped.subscribe(suite, token, "Basile", "Panne", 1)
    payments_db = f"{suite.db_prefix}_payments"
    set_connections(payments_db, False)
    try:
        for _ in range(3):
            started = time.time()
            r = requests.post(f"{base}/subscriptions/{sub['buyer_token']}/payments", json={},
                              timeout=20)
            assert r.status_code == 503, r.text[:300]
            assert time.time() - started <= 3
            assert r.headers.get("Retry-After")
            assert r.json()["error"] == "unavailable"
        health = requests.get(suite.gateway_url + "/health?format=json", timeout=20).json()
        assert health["services"]["payments"]["database"] == "down"
        assert "payments.database" in health["down"]
        # the other services are not dragged down
        assert requests.get(base, timeout=10).status_code == 200
    finally:
        set_connections(payments_db, True)
    # recovers on the next request
    grouped.pay(suite, token, sub)
    assert requests.get(suite.gateway_url + "/health?format=json",
                        timeout=20).json()["services"]["payments"]["database"] == "ok"


def test_a_service_that_cannot_answer_while_the_broker_is_away_keeps_running(faults):
    """The cause of the exits, made certain: requests reach a service (frozen meanwhile), the
    broker goes away, the service resumes, runs them and cannot send the answers. nameko alone
    kills the whole container there (the process exits); now the answers are logged as lost and
    the service serves again as soon as the broker is back."""
    import threading
    suite, broker = faults.suite, faults.broker
    proc = suite.procs["payments#0"]
    os.killpg(proc.pid, signal.SIGSTOP)
    resumed = False
    try:
        def call():
            try:
                with suite.rpc(timeout=30) as rpc:
                    rpc.payments.list_payments("sub_order", "0")
            except Exception:  # noqa: BLE001  (the broker goes away under it)
                pass
        callers = [threading.Thread(target=call, daemon=True) for _ in range(3)]
        for t in callers:
            t.start()
        time.sleep(1.5)  # the requests are delivered to the frozen process
        broker.stop_app()
        os.killpg(proc.pid, signal.SIGCONT)
        resumed = True
        time.sleep(12)  # it runs them and fails to answer, with the broker still away
        no_process_exited(suite)
    finally:
        if not resumed:
            os.killpg(proc.pid, signal.SIGCONT)
        if not broker.up():
            broker.start_app()
    assert all_serving(suite, SERVICES, timeout=10) <= 10
    no_process_exited(suite)
    assert "answer" in suite.tail("payments#0", 400) and "not sent" in suite.tail("payments#0", 400)
