"""The gateway's RPC client: how views reach the services, `rpc("accounts", "get_account", 3)`
through the app's pool (`gateway/rpc.py`)."""
from flask import current_app

SERVICE_NAMES = ("accounts", "baskets", "grouped_orders", "payments", "notifications",
                 "librisoft_bridge", "order_desk", "invoicing")


def rpc(service, method, *args, **kwargs):
    return current_app.extensions["rpc"].call(service, method, *args, **kwargs)


def slow_rpc(service, method, *args, **kwargs):
    """For the few calls that may take long (rendering a PDF)."""
    return current_app.extensions["rpc_slow"].call(service, method, *args, **kwargs)


def health_of_all():
    """Each service's health, asked in parallel with a short timeout."""
    from concurrent.futures import ThreadPoolExecutor

    pool = current_app.extensions["rpc_health"]

    def ask(name):
        try:
            return name, pool.call(name, "health")
        except Exception as exc:  # down, unknown, timed out
            return name, {"service": name, "status": "down", "error": str(exc)}

    with ThreadPoolExecutor(len(SERVICE_NAMES)) as ex:
        return dict(ex.map(ask, SERVICE_NAMES))
