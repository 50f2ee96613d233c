"""One table from errors to responses: JSON under /api, a French page elsewhere.

Under /api every error body is `{error, message, details}` (gateway/api/base.py `Error`,
declared in the OpenAPI), `message` and `details` in French; bad input is a 400 whoever refuses
it (a schema here or a service's rule). `refuse_bad_characters` runs before anything else on
every request: a NUL character (or a lone UTF-16 surrogate) in the path, the query string, a
form or a JSON body is a 400, never a database crash."""
import json
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


# what the door refuses in any text sent (path, query, form, JSON), each with its own words
SURROGATE_MESSAGE = ("Les données envoyées contiennent un caractère non autorisé (un caractère "
                     "Unicode incomplet).")
BIDI_MESSAGE = ("Les données envoyées contiennent un caractère non autorisé (un caractère "
                "invisible qui inverse le sens de l'écriture).")
DEEP_MESSAGE = "Le corps de la requête est imbriqué trop profondément."
LONG_NUMBER_MESSAGE = "Les données envoyées contiennent un nombre beaucoup trop long."
MAX_DEPTH = 32  # no form nor API body nests deeper than a few levels
# the bidirectional overrides and isolates: « René\u202e » reads backwards in the lists, the
# CSV and the mails (the marks U+200E / U+200F, harmless, stay allowed)
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return NUL_MESSAGE
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the database would refuse it
        return SURROGATE_MESSAGE
    if not _BIDI.isdisjoint(text):
        return BIDI_MESSAGE
    return None


def _bad_text(value) -> str | None:
    """What is wrong with a value sent (its texts, at any depth), or None. Iterative: a JSON
    body nested 400 levels deep is refused, not a RecursionError (a 500)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return DEEP_MESSAGE
        if isinstance(item, str):
            problem = _text_problem(item)
            if problem:
                return problem
        elif isinstance(item, dict):
            stack.extend((x, depth + 1) for pair in item.items() for x in pair)
        elif isinstance(item, (list, tuple)):
            stack.extend((x, depth + 1) for x in item)
    return None


def refuse_bad_characters():
    """The door: path, query string, form and JSON body, before anything reads them."""
    suspects = [request.path, *request.args.keys(), *request.args.values()]
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.is_json:
            try:
                body = request.get_json(silent=True)
                if body is None and request.content_length:
                    json.loads(request.get_data(cache=True) or b"null")
            except RecursionError:  # the decoder itself gives up: far too deep
                return respond(400, DEEP_MESSAGE, {"_request": [DEEP_MESSAGE]})
            except json.JSONDecodeError:
                body = None  # not JSON at all: the API's own 400 says so
            except ValueError:  # an integer of thousands of digits: Python refuses to read it
                return respond(400, LONG_NUMBER_MESSAGE, {"_request": [LONG_NUMBER_MESSAGE]})
            suspects.append(body)
        elif request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            suspects.extend([*request.form.keys(), *request.form.values()])
    for suspect in suspects:
        problem = _bad_text(suspect)
        if problem:
            return respond(400, problem, {"_request": [problem]})
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
