"""One table from errors to responses: JSON under /api, a French page elsewhere."""
import logging

from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from services.common.errors import HTTP_STATUS, DomainError

from .rpc import ServiceUnavailable

log = logging.getLogger(__name__)

MESSAGES = {
    400: "La demande est incorrecte.",
    401: "Connectez-vous pour accéder à cette page.",
    403: "Vous n'avez pas accès à cette page.",
    404: "Cette page n'existe pas.",
    405: "Cette action n'est pas permise ici.",
    413: "Le contenu envoyé est trop volumineux.",
    422: "Les données envoyées sont incorrectes.",
    429: "Trop de tentatives. Réessayez dans quelques minutes.",
    503: "Un service de la plateforme ne répond pas pour le moment. Réessayez dans un instant.",
}

CODES = {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid",
         429: "throttled", 503: "unavailable"}


def wants_json():
    return request.path.startswith("/api/") or (request.path == "/health" and
        request.accept_mimetypes.best == "application/json")


# a dependency down (503): when to try again, in seconds
RETRY_AFTER = "5"


def respond(status, message, details=None):
    headers = {"Retry-After": RETRY_AFTER} if status == 503 else {}
    if wants_json():
        body = {"error": CODES.get(status, "error"), "message": message}
        if details:
            body["details"] = details
        return jsonify(body), status, headers
    if status == 401:
        from flask import redirect, url_for
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return render_template("errors/error.html", status=status, message=message), status, headers


def register(app):
    @app.errorhandler(DomainError)
    def domain_error(exc):
        return respond(HTTP_STATUS.get(exc.code, 400), exc.message, exc.details)

    @app.errorhandler(ServiceUnavailable)
    def unavailable(exc):
        log.warning("service unavailable: %s", exc)
        return respond(503, MESSAGES[503])

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return respond(400, "Le formulaire a expiré ou n'est pas valide. Rechargez la page et "
                            "réessayez.")

    @app.errorhandler(HTTPException)
    def http_error(exc):
        details = None
        data = getattr(exc, "data", None)  # webargs/flask-smorest validation messages
        if isinstance(data, dict) and "messages" in data:
            details = data["messages"]
        message = MESSAGES.get(exc.code, exc.description)
        return respond(exc.code, message, details)

    @app.errorhandler(Exception)
    def crash(exc):
        log.exception("unexpected error")
        return respond(500, "Une erreur inattendue s'est produite. L'équipe technique est "
                            "prévenue.")
