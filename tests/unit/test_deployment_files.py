"""The deployment files agree with the code: docker-compose.yml runs every service of
`config.SERVICES` and the gateway, each with a database created by docker/postgres-init.sql, and
the Procfile (`make run`) runs the same processes. No container engine runs here, so this is
what keeps the compose file from drifting when a service is added."""
import re
from pathlib import Path

import yaml

from services.common import config

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_every_service_with_its_own_command():
    services = COMPOSE["services"]
    for name in config.SERVICES:
        assert name in services, f"{name} missing from docker-compose.yml"
        assert services[name]["command"] == ["python", "-m", "services.common.run", name]
        assert services[name]["depends_on"]["migrate"]["condition"] == \
            "service_completed_successfully"
        env = services[name]["environment"]
        assert env["AMQP_URI"].startswith("pyamqp://") and "{service}" in \
            env["DATABASE_URL_TEMPLATE"]
    assert "gateway.app:create_app()" in services["gateway"]["command"]
    assert services["migrate"]["command"][-1] == "upgrade"


def test_every_service_has_its_database_in_the_compose_postgres():
    created = set(re.findall(r"CREATE DATABASE (\w+);",
                             (ROOT / "docker/postgres-init.sql").read_text()))
    assert created == set(config.SERVICES)


def test_the_procfile_runs_the_same_processes():
    names = {line.split(":", 1)[0] for line in (ROOT / "Procfile").read_text().splitlines()
             if line.strip() and not line.startswith("#")}
    assert names == set(config.SERVICES) | {"gateway"}


def test_services_serving_http_publish_their_port():
    services = COMPOSE["services"]
    for name, port in (("payments", "8102"), ("librisoft_bridge", "8101"), ("gateway", "8000")):
        assert any(p.startswith(port + ":") for p in services[name]["ports"]), name
