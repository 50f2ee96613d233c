"""Issue 8 §6: `make run` used the broker's `/` vhost, so the demo could share its RPC queues
with another copy of the suite on the same broker. It now runs on a vhost of its own, which
scripts/ensure_rabbitmq.sh creates."""
import os
import subprocess
import uuid

from kombu import Connection

from services.common import config
from tests.support.suite import AMQP_HOST, AMQP_PORT, drop_vhost

ROOT = config.ROOT


def test_make_run_uses_the_demo_vhost_and_creates_it():
    env = {k: v for k, v in os.environ.items() if k != "AMQP_URI"}
    plan = subprocess.run(["make", "-n", "run"], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=True).stdout
    assert "scripts/ensure_rabbitmq.sh --vhost librairie-demo" in plan
    database = subprocess.run(["make", "-pn", "run"], cwd=ROOT, env=env, capture_output=True,
                              text=True).stdout
    assert "run: AMQP_URI = pyamqp://guest:guest@127.0.0.1:5672/$(DEMO_VHOST)" in database
    assert "DEMO_VHOST := librairie-demo" in database or \
        "DEMO_VHOST = librairie-demo" in database


def test_ensure_rabbitmq_creates_a_vhost_guest_may_use():
    vhost = f"lsb-vhost-check-{uuid.uuid4().hex[:6]}"
    try:
        done = subprocess.run([str(ROOT / "scripts/ensure_rabbitmq.sh"), "--vhost", vhost],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        with Connection(f"amqp://guest:guest@{AMQP_HOST}:{AMQP_PORT}/{vhost}") as conn:
            conn.connect()
            assert conn.connected
        again = subprocess.run([str(ROOT / "scripts/ensure_rabbitmq.sh"), "--vhost", vhost],
                               capture_output=True, text=True, timeout=120)
        assert again.returncode == 0 and "created" not in again.stdout
    finally:
        drop_vhost(vhost)
