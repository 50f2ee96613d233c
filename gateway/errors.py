"""One table from errors to responses: JSON under /api, a French page elsewhere.

Under /api every error body is `{error, message, details}` (gateway/api/base.py `Error`,
declared in the OpenAPI), `message` and `details` in French; bad input is a 400 whoever refuses
it (a schema here or a service's rule). `refuse_bad_characters` runs before anything else on
every request: a NUL character (or a lone UTF-16 surrogate) in the path, the query string, a
form or a JSON body is a 400, never a database crash."""
import logging

from flask import current_app, jsonify, redirect, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from services.common.errors import HTTP_STATUS, DomainError
from services.common.validation import NUL_MESSAGE

from .rpc import ServiceUnavailable

log = logging.getLogger(__name__)

MESSAGES = {
    400: "La demande est incorrecte.",
    401: "Connectez-vous pour accéder à cette page.",
    403: "Vous n'avez pas accès à cette page.",
    404: "Cette page n'existe pas.",
    405: "Cette action n'est pas permise ici.",
    406: "Ce format de réponse n'est pas disponible.",
    409: "Cette action n'est plus possible : la situation a changé. Rechargez et réessayez.",
    410: "Cette page n'existe plus.",
    411: "La longueur du contenu envoyé doit être indiquée.",
    413: "Le contenu envoyé est trop volumineux.",
    414: "L'adresse demandée est trop longue.",
    415: "Format non pris en charge : envoyez du JSON (Content-Type: application/json).",
    422: "Les données envoyées sont incorrectes.",
    429: "Trop de tentatives. Réessayez dans quelques minutes.",
    431: "Les en-têtes de la demande sont trop volumineux.",
    500: "Une erreur inattendue s'est produite. L'équipe technique est prévenue.",
    501: "Cette action n'est pas prise en charge.",
    503: "Un service de la plateforme ne répond pas pour le moment. Réessayez dans un instant.",
}

CODES = {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 410: "gone",
         413: "too_large", 415: "unsupported_media_type", 422: "invalid", 429: "throttled",
         503: "unavailable"}
INVALID_INPUT = "Vérifiez les informations saisies."
OTHER_CLIENT_ERROR = "La demande ne peut pas être traitée."
MAX_ID = 2**31 - 1  # a number in a path beyond any row id is simply not found


def wants_json():
    return request.path.startswith("/api/") or (request.path == "/health" and
        request.accept_mimetypes.best == "application/json")


# a dependency down (503): when to try again, in seconds
RETRY_AFTER = "5"


def _plain(details):
    """JSON-safe details: keys as text (marshmallow gives list indexes as ints)."""
    if isinstance(details, dict):
        return {str(k): _plain(v) for k, v in details.items()}
    if isinstance(details, (list, tuple)):
        return [_plain(x) for x in details]
    return details if isinstance(details, (str, int, float, bool)) or details is None \
        else str(details)


def field_details(messages):
    """webargs' `{location: {field: [..]}}` as the services give theirs: `{field: [..]}`."""
    if not isinstance(messages, dict):
        return {}
    flat = {}
    for location, errors in messages.items():
        if isinstance(errors, dict):
            flat.update(errors)
        else:
            flat[location] = errors
    return flat


def respond(status, message, details=None):
    headers = {"Retry-After": RETRY_AFTER} if status == 503 else {}
    if wants_json():
        body = {"error": CODES.get(status, "error"), "message": message,
                "details": _plain(details or {})}
        return jsonify(body), status, headers
    if status == 401:
        from flask import redirect, url_for
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return render_template("errors/error.html", status=status, message=message), status, headers


def _bad_text(value) -> bool:
    """A NUL character or a lone surrogate (not encodable: the database would refuse it)."""
    if isinstance(value, str):
        if "\x00" in value:
            return True
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_bad_text(k) or _bad_text(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_bad_text(x) for x in value)
    return False


def refuse_bad_characters():
    """The door: path, query string, form and JSON body, before anything reads them."""
    suspects = [request.path, *request.args.keys(), *request.args.values()]
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.is_json:
            suspects.append(request.get_json(silent=True))
        elif request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            suspects.extend([*request.form.keys(), *request.form.values()])
    if any(_bad_text(x) for x in suspects):
        return respond(400, NUL_MESSAGE, {"_request": [NUL_MESSAGE]})
    if request.url_rule is not None and any(
            isinstance(v, int) and not 0 <= v <= MAX_ID for v in (request.view_args or {})
            .values()):
        return respond(404, MESSAGES[404])
    return None


def _without_trailing_slash():
    """`/admin/commandes-groupees/` typed or pasted for `/admin/commandes-groupees`: the page
    without the slash, if there is one (a GET only; never another host: `//x/` stays a 404)."""
    path = request.path
    if request.method not in ("GET", "HEAD") or len(path) < 3 or not path.endswith("/") \
            or path.startswith("//") or request.url_rule is not None:
        return None
    path = path[:-1]
    try:
        current_app.create_url_adapter(request).match(path, method="GET")
    except Exception:  # no such page, or another redirect: leave the 404
        return None
    query = request.query_string.decode("latin-1")
    return path + ("?" + query if query else "")


def register(app):
    # first of all the before_request hooks (the session's and the access check's included)
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_bad_characters)

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
        if exc.code == 404 and (target := _without_trailing_slash()):
            return redirect(target, 308)
        details = None
        message = MESSAGES.get(exc.code) or (OTHER_CLIENT_ERROR if 400 <= (exc.code or 0) < 500
                                             else MESSAGES[500])
        data = getattr(exc, "data", None)  # webargs/flask-smorest validation messages
        if isinstance(data, dict) and "messages" in data:
            details = field_details(data["messages"])
            message = INVALID_INPUT
        return respond(exc.code, message, details)

    @app.errorhandler(Exception)
    def crash(exc):
        log.exception("unexpected error")
        return respond(500, "Une erreur inattendue s'est produite. L'équipe technique est "
                            "prévenue.")
