"""/health: which part is down (the broker, each service, each service's database); JSON for
probes, a page for people. 200 when everything answers, 503 otherwise."""
from flask import Blueprint, current_app, jsonify, render_template, request

from ..rpc_client import health_of_all
from ..security import ANONYMOUS, allow

bp = Blueprint("health", __name__)


@bp.get("/health")
@allow(ANONYMOUS)
def health():
    broker = "ok" if current_app.extensions["rpc_health"].broker_reachable() else "down"
    services = health_of_all() if broker == "ok" else {}
    from ..rpc_client import SERVICE_NAMES
    views = {}
    for name in SERVICE_NAMES:
        s = services.get(name) or {"status": "down"}
        views[name] = {"status": s.get("status"),
                       # a service that does not answer says nothing of its database
                       "database": s.get("database", "ok" if s.get("status") == "ok" else None),
                       "outbox_pending": s.get("outbox_pending"),
                       "dead_letters": s.get("dead_letters")}
    ok = broker == "ok" and all(v["status"] == "ok" for v in views.values())
    down = (["broker"] if broker != "ok" else []) + [
        f"{name}.database" if v["status"] == "degraded" else name
        for name, v in views.items() if v["status"] != "ok"]
    body = {"status": "ok" if ok else "degraded", "gateway": "ok", "broker": broker,
            "down": down, "services": views}
    if request.accept_mimetypes.best == "application/json" or request.args.get("format") == "json":
        return jsonify(body), 200 if ok else 503
    return render_template("health.html", health=body), 200 if ok else 503
