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
    "order_desk",
    "invoicing",
    "logistics",
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


DEFAULT_PUBLIC_URL = "http://localhost:8000"
DEFAULT_PAYMENTS_PUBLIC_URL = "http://127.0.0.1:8102"


def public_url() -> str:
    """The suite's own address as its users reach it (`PUBLIC_URL`, no trailing slash). Every
    link built for someone else (mails, payment return URLs, the public subscription link)
    starts with it: never with the Host of a request, which a client chooses."""
    return env("PUBLIC_URL", DEFAULT_PUBLIC_URL).rstrip("/")


def payments_public_url() -> str:
    """Where buyers reach the payment provider's hosted pages (`PAYMENTS_PUBLIC_URL`)."""
    return env("PAYMENTS_PUBLIC_URL", DEFAULT_PAYMENTS_PUBLIC_URL).rstrip("/")


def env_list(name) -> list:
    """A comma- or space-separated list from the environment (empty when unset)."""
    return [item for item in (env(name) or "").replace(",", " ").split() if item]


def trusted_hosts() -> list:
    """The host names the gateway answers to: PUBLIC_URL's, plus `TRUSTED_HOSTS` (comma
    separated; `.example.org` accepts its subdomains). Without PUBLIC_URL (development),
    localhost and 127.0.0.1. Ports are not compared (werkzeug ignores them)."""
    from urllib.parse import urlsplit
    hosts = [urlsplit(public_url()).hostname or "localhost"]
    if env("PUBLIC_URL") is None:
        hosts += ["localhost", "127.0.0.1"]
    hosts += env_list("TRUSTED_HOSTS")
    return list(dict.fromkeys(h.lower() for h in hosts))


def trusted_proxies() -> list:
    """Addresses (or networks, `10.0.0.0/8`) of the reverse proxies whose `X-Forwarded-For` /
    `X-Forwarded-Proto` the gateway believes (`TRUSTED_PROXIES`, else `FORWARDED_ALLOW_IPS`).
    Empty by default: the client's address is the socket's peer."""
    return env_list("TRUSTED_PROXIES") or env_list("FORWARDED_ALLOW_IPS")


def bookshop() -> dict:
    """Who the bookshop is, for the public pages and the mails (name, address, contact)."""
    return {"name": env("BOOKSHOP_NAME", "Librairie des Collectivités"),
            "address": env("BOOKSHOP_ADDRESS", "12 rue Saint-Dizier\n54000 NANCY"),
            "email": env("BOOKSHOP_CONTACT_EMAIL", "contact@librairie.test"),
            "phone": env("BOOKSHOP_PHONE", "03 83 00 00 00"),
            # the mobile that gets an SMS for each new order (issue 9); none by default
            "mobile": env("BOOKSHOP_MOBILE", ""),
            # to whom buyers make out their cheques (issue 9): the bookshop's name by default
            "cheque_payable_to": env("CHEQUE_PAYABLE_TO", "") or env(
                "BOOKSHOP_NAME", "Librairie des Collectivités")}


def seller() -> dict:
    """The bookshop as its invoices name it (the legal mentions of a French invoice, Code de
    commerce R123-237 and CGI art. 242 nonies A): name, address, SIRET, VAT number, legal form
    and capital, RCS. The defaults are a demo's (valid check digits, no real company)."""
    shop = bookshop()
    return {"name": shop["name"], "address": shop["address"], "email": shop["email"],
            "phone": shop["phone"],
            "siret": env("BOOKSHOP_SIRET", "12345678200010"),
            "vat_number": env("BOOKSHOP_VAT_NUMBER", "FR11123456782"),
            "legal_form": env("BOOKSHOP_LEGAL_FORM", "SARL au capital de 10 000 €"),
            "rcs": env("BOOKSHOP_RCS", "RCS Nancy 123 456 782"),
            "iban": env("BOOKSHOP_IBAN", ""),
            # to whom an invoice's cheque is made out (CHEQUE_PAYABLE_TO, else the name)
            "cheque_payable_to": shop["cheque_payable_to"],
            # days between an invoice's issue and its due date when it is not paid already
            "payment_days": int(env("INVOICE_PAYMENT_DAYS", "30"))}
