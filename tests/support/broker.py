"""A RabbitMQ node of a test's own, to stop, restart and kill -9 without touching the shared
broker on 5672: its own node name, ports, Erlang cookie (HOME), mnesia and log directories, no
plugins. `with PrivateBroker() as broker: Suite(..., amqp_uri=broker.uri)`."""
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from tests.support.suite import free_port

RABBIT_BIN = Path(os.environ.get("RABBITMQ_BIN", "/usr/lib/rabbitmq/bin"))


class PrivateBroker:
    def __init__(self):
        if not (RABBIT_BIN / "rabbitmq-server").exists():
            raise RuntimeError(f"rabbitmq-server not found in {RABBIT_BIN} (set RABBITMQ_BIN): "
                               "the broker-fault tests start a RabbitMQ node of their own")
        self.dir = Path(tempfile.mkdtemp(prefix="lsbfault-"))
        self.node = f"lsbfault-{uuid.uuid4().hex[:8]}@localhost"
        self.port = free_port()
        self.dist_port = free_port()
        self.uri = f"pyamqp://guest:guest@127.0.0.1:{self.port}/"
        (self.dir / "rabbitmq.conf").write_text(
            f"listeners.tcp.default = 127.0.0.1:{self.port}\nloopback_users = none\n")
        (self.dir / "enabled_plugins").write_text("[].\n")
        (self.dir / "env.conf").write_text("")
        self.env = dict(
            os.environ, HOME=str(self.dir), RABBITMQ_NODENAME=self.node,
            RABBITMQ_NODE_PORT=str(self.port), RABBITMQ_DIST_PORT=str(self.dist_port),
            RABBITMQ_MNESIA_BASE=str(self.dir / "mnesia"), RABBITMQ_LOG_BASE=str(self.dir / "log"),
            RABBITMQ_PID_FILE=str(self.dir / "pid"),
            RABBITMQ_CONFIG_FILE=str(self.dir / "rabbitmq"),
            RABBITMQ_CONF_ENV_FILE=str(self.dir / "env.conf"),
            RABBITMQ_ENABLED_PLUGINS_FILE=str(self.dir / "enabled_plugins"),
            RABBITMQ_ADVANCED_CONFIG_FILE=str(self.dir / "advanced.config"),
            ERL_EPMD_ADDRESS="127.0.0.1")
        self.proc = None

    # -- life ----------------------------------------------------------------------------------
    def start(self, timeout=60):
        self.proc = subprocess.Popen([str(RABBIT_BIN / "rabbitmq-server")], env=self.env,
                                     cwd=self.dir, stdout=open(self.dir / "server.out", "ab"),
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_up(timeout)

    def ctl(self, *args, timeout=60):
        return subprocess.run([str(RABBIT_BIN / "rabbitmqctl"), "-q", "-n", self.node, *args],
                              env=self.env, cwd=self.dir, capture_output=True, timeout=timeout,
                              check=True)

    def stop_app(self):
        """`rabbitmqctl stop_app`: connections closed, the port shut, the node kept."""
        self.ctl("stop_app")

    def start_app(self, timeout=60):
        self.ctl("start_app")
        self.wait_up(timeout)

    def kill9(self):
        """SIGKILL the whole node (beam and its helpers): no goodbye to any client."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def up(self):
        from kombu import Connection
        try:
            with Connection(self.uri, connect_timeout=1) as conn:
                conn.ensure_connection(max_retries=1, timeout=1)
                _ = conn.default_channel  # the AMQP handshake went through
            return True
        except Exception:  # noqa: BLE001
            return False

    def wait_up(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.up():
                return
            if self.proc is not None and self.proc.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"private RabbitMQ {self.node} did not come up:\n" + self.log_tail())

    def log_tail(self, lines=30):
        out = self.dir / "server.out"
        return "\n".join(out.read_text(errors="replace").splitlines()[-lines:]) \
            if out.exists() else "(no output)"

    def shutdown(self):
        self.kill9()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
