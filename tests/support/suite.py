"""The whole suite as real processes for integration and end-to-end tests: every nameko service
(`python -m services.common.run <name>`) and the gateway (gunicorn), against the real RabbitMQ
(an isolated vhost per run) and real PostgreSQL (fresh databases per run), mails to a real SMTP
server (aiosmtpd), SMS to a fake HTTP provider on 127.0.0.1 (`suite.sms`, see
tests/support/fake_sms.py: the bookshop's new-order alerts, issue 9), the batches handed to the
logistician to a fake logistician (`suite.logistician`, tests/support/fake_logistician.py). A missing broker or
database fails loudly."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import requests

from services.common import config

ROOT = config.ROOT
SERVICES = config.SERVICES
PG_ADMIN = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
AMQP_HOST = os.environ.get("TEST_AMQP_HOST", "127.0.0.1")
AMQP_PORT = int(os.environ.get("TEST_AMQP_PORT", "5672"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def reachable(host, port):
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def require_infrastructure():
    if not reachable(AMQP_HOST, AMQP_PORT):
        raise RuntimeError(f"RabbitMQ is not reachable on {AMQP_HOST}:{AMQP_PORT}: the "
                           "integration tests need a real broker (rabbitmq-server -detached).")
    try:
        psycopg2.connect(PG_ADMIN).close()
    except psycopg2.OperationalError as exc:
        raise RuntimeError(f"PostgreSQL is not reachable at {PG_ADMIN}: {exc}") from exc


def make_vhost():
    """An isolated vhost for this run (rabbitmqctl); TEST_AMQP_URI overrides."""
    if os.environ.get("TEST_AMQP_URI"):
        return os.environ["TEST_AMQP_URI"], None
    vhost = f"lsb-test-{uuid.uuid4().hex[:8]}"
    ctl = shutil.which("rabbitmqctl")
    if ctl is None:
        raise RuntimeError("rabbitmqctl is needed to create an isolated test vhost "
                           "(or set TEST_AMQP_URI)")
    subprocess.run([ctl, "-q", "add_vhost", vhost], check=True, capture_output=True)
    subprocess.run([ctl, "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"],
                   check=True, capture_output=True)
    return f"pyamqp://guest:guest@{AMQP_HOST}:{AMQP_PORT}/{vhost}", vhost


def drop_vhost(vhost):
    if vhost:
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", vhost], capture_output=True)


def _admin_execute(*statements):
    """Run statements on the PostgreSQL server as the admin (autocommit: CREATE/DROP DATABASE)."""
    conn = psycopg2.connect(PG_ADMIN)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
    finally:
        conn.close()


def _drop(name):
    return f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'


def database_url(name):
    """The SQLAlchemy URL of database `name` on the test server."""
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg2://")
    return f"{base}/{name}"


def _each_at_once(work, names):
    """`work(name)` for each database at once, each on a connection of its own: a DROP DATABASE
    waits for a checkpoint, and drops sent together share one (10 databases: 0.2 s at once
    against 5-20 s one after the other on the shared machine)."""
    if len(names) < 2:
        return [work(name) for name in names]
    with ThreadPoolExecutor(len(names)) as pool:
        return list(pool.map(work, names))


def create_databases(*names):
    """Fresh, empty databases (dropped first where a crashed run left them)."""
    _each_at_once(lambda name: _admin_execute(_drop(name), f'CREATE DATABASE "{name}"'), names)


def drop_named_databases(*names):
    _each_at_once(lambda name: _admin_execute(_drop(name)), names)


@contextmanager
def throwaway_database(name):
    """A fresh PostgreSQL database `name` for one test or benchmark: yields its SQLAlchemy URL,
    drops it afterwards whatever happened."""
    create_databases(name)
    try:
        yield database_url(name)
    finally:
        drop_named_databases(name)


@contextmanager
def throwaway_db(name, service, metadata):
    """A `Database` of `service` on a throwaway PostgreSQL database with `metadata`'s tables
    created (a missing server fails, as `require_infrastructure` does)."""
    from services.common.db import Database
    require_infrastructure()
    with throwaway_database(name) as url:
        database = Database(service, metadata, url)
        metadata.create_all(database.engine)
        try:
            yield database
        finally:
            database.dispose()


def fresh_databases(prefix):
    create_databases(*(f"{prefix}_{service}" for service in SERVICES))
    return database_url(prefix + "_{service}")


def drop_databases(prefix):
    drop_named_databases(*(f"{prefix}_{service}" for service in SERVICES))


class Suite:
    BOOKSHOP_MOBILE = "06 12 34 56 78"

    def __init__(self, smtp_port, amqp_uri=None, db_prefix=None, env=None):
        """`amqp_uri`: a broker of the test's own (tests/support/broker.py) instead of a vhost
        of the shared one; `db_prefix`: databases of its own beside the session's suite;
        `env`: more environment for every process."""
        if amqp_uri is None:
            require_infrastructure()
            self.amqp_uri, self.vhost = make_vhost()
        else:
            psycopg2.connect(PG_ADMIN).close()
            self.amqp_uri, self.vhost = amqp_uri, None
        self.tmp = Path(tempfile.mkdtemp(prefix="lsb-suite-"))
        # one set of databases per run (runs side by side must not drop each other's)
        self.db_prefix = db_prefix or os.environ.get("TEST_DB_PREFIX", f"lsbt{os.getpid()}")
        self.db_template = fresh_databases(self.db_prefix)
        self.bridge_port = free_port()
        self.payments_port = free_port()
        self.gateway_port = free_port()
        self.gateway_url = f"http://127.0.0.1:{self.gateway_port}"
        # the bookshop has a mobile: each new order gives an SMS, posted to this fake provider
        from tests.support.fake_sms import FakeSmsProvider
        self.sms = FakeSmsProvider(token="sms-" + uuid.uuid4().hex).__enter__()
        # the logistician takes the batches (signed POSTs, tests/support/fake_logistician.py)
        from tests.support.fake_logistician import FakeLogistician
        self.logistician = FakeLogistician(secret="logi-" + uuid.uuid4().hex).__enter__()
        self.bridge_url = f"http://127.0.0.1:{self.bridge_port}"
        self.env = dict(
            os.environ, PYTHONPATH=str(ROOT), AMQP_URI=self.amqp_uri,
            DATABASE_URL_TEMPLATE=self.db_template, VAR_DIR=str(self.tmp / "var"),
            SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_port), PUBLIC_URL=self.gateway_url,
            GATEWAY_SECRET_KEY="test-" + uuid.uuid4().hex, LOG_LEVEL="INFO",
            GROUPED_ORDERS_DEADLINE_INTERVAL="1",
            PAYMENTS_PUBLIC_URL=f"http://127.0.0.1:{self.payments_port}",
            PYTHONUNBUFFERED="1",
            **{"BOOKSHOP_MOBILE": self.BOOKSHOP_MOBILE, "SMS_PROVIDER_URL": self.sms.url,
               "SMS_PROVIDER_TOKEN": self.sms.token, "LOGISTICIAN_URL": self.logistician.url,
               "LOGISTICIAN_SECRET": self.logistician.secret, **(env or {})})
        # the services hash with production parameters unless `env` says otherwise (the test
        # session's suites: CHEAP_ARGON2, tests/conftest.py; the benchmarks keep production's)
        if "ARGON2_PROFILE" not in (env or {}):
            self.env.pop("ARGON2_PROFILE", None)
        self.procs = {}
        self._migrate()

    def _migrate(self):
        """Every service's database to its head, in two processes at once (one database per
        service: 2.4-3 s against 3.8-6 s in one process on the shared machine)."""
        halves = [SERVICES[0::2], SERVICES[1::2]]
        runs = [subprocess.Popen([sys.executable, "-m", "services.common.migrations", "upgrade",
                                  *half], cwd=ROOT, env=self.env, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT) for half in halves]
        outputs = [run.communicate()[0] for run in runs]
        for run, out in zip(runs, outputs):
            if run.returncode:
                raise subprocess.CalledProcessError(run.returncode, run.args, out)

    # -- processes ----------------------------------------------------------------------------
    def _log(self, name):
        return open(self.tmp / f"{name}.log", "ab")

    def start_service(self, name, instance="0", wait=True):
        env = dict(self.env)
        if name == "librisoft_bridge":
            env["WEB_SERVER_ADDRESS"] = f"127.0.0.1:{self.bridge_port if instance == '0' else free_port()}"
        if name == "payments":
            env["WEB_SERVER_ADDRESS"] = f"127.0.0.1:{self.payments_port if instance == '0' else free_port()}"
        key = f"{name}#{instance}"
        self.procs[key] = subprocess.Popen(
            [sys.executable, "-m", "services.common.run", name], cwd=ROOT, env=env,
            stdout=self._log(key), stderr=subprocess.STDOUT, start_new_session=True)
        if wait:
            self.wait_healthy(name)
        return key

    def stop_service(self, name, instance="0"):
        self.stop_services(name, instance=instance)

    def stop_services(self, *names, instance="0"):
        """Stop these services' `instance` at once: SIGTERM to each, then each waited for
        (SIGKILL after 15 s); all are stopped when this returns."""
        procs = [self.procs.pop(f"{name}#{instance}", None) for name in names]
        procs = [proc for proc in procs if proc and proc.poll() is None]
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.time() + 15
        for proc in procs:
            try:
                proc.wait(max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)

    def start_services(self, *names, instance="0"):
        """Start these services' `instance` at once, then wait until each answers."""
        for name in names:
            self.start_service(name, instance, wait=False)
        for name in names:
            self.wait_healthy(name)

    def start_gateway(self, wait=True):
        env = dict(self.env, GATEWAY_BIND=f"127.0.0.1:{self.gateway_port}", GATEWAY_WORKERS="2",
                   GATEWAY_THREADS="8")
        self.procs["gateway"] = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gateway/gunicorn.conf.py",
             "gateway.app:create_app()"], cwd=ROOT, env=env, stdout=self._log("gateway"),
            stderr=subprocess.STDOUT, start_new_session=True)
        if wait:
            self.wait_gateway_healthy()

    def wait_gateway_healthy(self):
        """Until /health answers 200 (every service answering through the gateway)."""
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if requests.get(self.gateway_url + "/health?format=json", timeout=20).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the gateway did not become healthy:\n" + self.tail("gateway"))

    def start_all(self):
        """Every service and the gateway started at once; returns once each service answers
        and then the gateway's /health does."""
        for name in SERVICES:
            self.start_service(name, wait=False)
        self.start_gateway(wait=False)
        for name in SERVICES:
            self.wait_healthy(name)
        self.wait_gateway_healthy()

    def wait_healthy(self, name, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                with self.rpc(timeout=2) as rpc:
                    if getattr(rpc, name).health()["status"] == "ok":
                        return
            except Exception:
                time.sleep(0.2)
        raise RuntimeError(f"{name} did not become healthy:\n" + self.tail(f"{name}#0"))

    def tail(self, key, lines=40):
        path = self.tmp / f"{key}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) \
            if path.exists() else "(no log)"

    def shutdown(self):
        """The end of the suite: every process killed (SIGKILL: nothing is checked past this
        point, and the graceful stops took 3-6 s on the shared machine; a test that stops a
        service mid-run stops it gracefully, `stop_service`), then the vhost and the databases
        dropped. The processes are gone first: a vhost dropped under running services would
        leave them reconnecting forever."""
        procs = [self.procs.pop(key) for key in list(self.procs)]
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
        for proc in procs:
            proc.wait(10)
        with ThreadPoolExecutor(2) as pool:
            dropped = [pool.submit(drop_vhost, self.vhost),
                       pool.submit(drop_databases, self.db_prefix)]
        for done in dropped:
            done.result()
        self.sms.__exit__(None, None, None)
        self.logistician.__exit__(None, None, None)

    # -- clients ------------------------------------------------------------------------------
    @contextmanager
    def rpc(self, timeout=15):
        from nameko.standalone.rpc import ClusterRpcProxy
        import services.common.wire  # noqa: F401
        with ClusterRpcProxy({"AMQP_URI": self.amqp_uri}, timeout=timeout) as proxy:
            yield proxy

    def db(self, service):
        from importlib import import_module
        from services.common.db import Database
        metadata = import_module(f"services.{service}.models").Base.metadata
        return Database(service, metadata, self.db_template.format(service=service))


def wait_until(predicate, timeout=20, interval=0.2, message="condition"):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message} (last: {last!r})")
