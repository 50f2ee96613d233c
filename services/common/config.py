"""Configuration comes only from the environment, with defaults that let `make run` work."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SERVICES = (
    "accounts",
    "baskets",
    "grouped_orders",
    "payments",
    "notifications",
    "librisoft_bridge",
)


def env(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def var_dir() -> Path:
    path = Path(env("VAR_DIR", str(ROOT / "var")))
    path.mkdir(parents=True, exist_ok=True)
    return path


def amqp_uri() -> str:
    return env("AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672/")


def database_url(service: str) -> str:
    """`<SERVICE>_DATABASE_URL`, else `DATABASE_URL_TEMPLATE` with `{service}`, else SQLite in var/."""
    explicit = env(f"{service.upper()}_DATABASE_URL")
    if explicit:
        return explicit
    template = env("DATABASE_URL_TEMPLATE")
    if template:
        return template.format(service=service)
    return f"sqlite:///{var_dir() / (service + '.db')}"


def rpc_timeout() -> float:
    return float(env("RPC_TIMEOUT", "10"))


def bookshop() -> dict:
    """Who the bookshop is, for the public pages and the mails (name, address, contact)."""
    return {"name": env("BOOKSHOP_NAME", "Librairie des Collectivités"),
            "address": env("BOOKSHOP_ADDRESS", "12 rue Saint-Dizier\n54000 NANCY"),
            "email": env("BOOKSHOP_CONTACT_EMAIL", "contact@librairie.test"),
            "phone": env("BOOKSHOP_PHONE", "03 83 00 00 00")}
