"""/health: every service's health; JSON for probes, a page for people."""
from flask import Blueprint, jsonify, render_template, request

from ..security import ANONYMOUS, allow
from ..services import health_of_all

bp = Blueprint("health", __name__)


@bp.get("/health")
@allow(ANONYMOUS)
def health():
    services = health_of_all()
    ok = all(s.get("status") == "ok" for s in services.values())
    body = {"status": "ok" if ok else "degraded", "gateway": "ok",
            "services": {name: {"status": s.get("status"),
                                "outbox_pending": s.get("outbox_pending"),
                                "dead_letters": s.get("dead_letters")}
                         for name, s in services.items()}}
    if request.accept_mimetypes.best == "application/json" or request.args.get("format") == "json":
        return jsonify(body), 200 if ok else 503
    return render_template("health.html", health=body), 200 if ok else 503
