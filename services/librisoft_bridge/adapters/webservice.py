"""The webservice Librisoft calls, in werkzeug's terms (the service's `route` puts it on
nameko's @http): a route under PREFIX returns a dict, answered as JSON. Every route checks the
X-Api-Key header first; every error is JSON `{"error", "message"}` with its status, a 500 only
for a fault of ours. A new route is one decorated method on the service."""
import json
import logging

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Response

from services.common.errors import HTTP_STATUS, DomainError, not_found, unauthorized

from .. import keys
from . import feeds

log = logging.getLogger(__name__)

PREFIX = "/librisoft/v1"
ANY_METHOD = "GET,POST,PUT,PATCH,DELETE"
MAX_BODY_BYTES = 50 * 1024 * 1024
MAX_JSON_BYTES = 64 * 1024
STATUS = {**HTTP_STATUS, "method_not_allowed": 405, "payload_too_large": 413,
          "unsupported_media_type": 415}
HTTP_ERRORS = {413: ("payload_too_large", "Corps de requête trop volumineux : "
                                          f"moins de {MAX_BODY_BYTES // 2**20} Mo attendu.")}
ROUTES = Map()  # the declared routes, for telling a wrong method from an unknown path


def declare(method: str, path: str) -> str:
    """Declare a route (for `unknown_route`'s 405); its full path, under PREFIX."""
    if "<path:" not in path:
        ROUTES.add(Rule(PREFIX + path, methods=method.split(",")))
    return PREFIX + path


def answer(db, request, handle) -> Response:
    """The JSON response of an authenticated request: `handle()`'s dict, or the error."""
    def call():
        authenticate(db, request)
        return handle()
    return respond(call)


def authenticate(db, request) -> str:
    bookshop = keys.authenticate(db, request.headers.get("X-Api-Key"))
    if bookshop is None:
        raise unauthorized("Clé d'API absente ou invalide : envoyez-la dans l'en-tête X-Api-Key.")
    return bookshop


def read_feed(request, kind: str) -> list:
    """The body's rows; 413 from MAX_BODY_BYTES on, 415 for another Content-Type, 400 unreadable."""
    return feeds.parse(*read_feed_body(request), kind)


def read_feed_body(request) -> tuple:
    """(body, mimetype, charset) of a feed, not parsed yet; 413 from MAX_BODY_BYTES on."""
    return (read_body(request, MAX_BODY_BYTES), request.mimetype,
            request.mimetype_params.get("charset"))


def read_json(request):
    """A small JSON body (a status update): 413 from MAX_JSON_BYTES on, 415 for a Content-Type
    other than application/json (none, or text/plain, is taken as JSON), 400 unreadable."""
    # none is taken as JSON: a server that sets none may say text/plain (eventlet does)
    if request.mimetype not in ("application/json", "", "text/plain"):
        raise DomainError(f"Content-Type « {request.mimetype} » non pris en charge : "
                          "application/json attendu.", code="unsupported_media_type")
    try:
        body = read_body(request, MAX_JSON_BYTES)
    except RequestEntityTooLarge:
        raise DomainError(f"Corps de requête trop volumineux : moins de "
                          f"{MAX_JSON_BYTES // 1024} Ko attendu.",
                          code="payload_too_large") from None
    return feeds.load_json(feeds.decode(body, request.mimetype_params.get("charset")))


def read_body(request, limit: int) -> bytes:
    request.max_content_length = limit
    if "chunked" in request.headers.get("Transfer-Encoding", "").lower():
        # the server decodes the chunks: let werkzeug read them, up to the limit
        request.environ["wsgi.input_terminated"] = True
    body = request.get_data(cache=False)
    if len(body) >= limit:  # a chunked body is cut at the limit, not refused
        raise RequestEntityTooLarge()
    return body


def page_args(request, default_status: str) -> dict:
    """The listing's query string: status, source_kind, page, per_page (checked later)."""
    args = request.args
    return {"status": args.get("status") or default_status,
            "source_kind": args.get("source_kind") or None,
            "page": args.get("page") or 1, "per_page": args.get("per_page") or 100}


def unknown_route(request):
    """The error for a request no declared route takes: 405 for a known path, else 404."""
    try:
        ROUTES.bind("localhost").match(request.path, method=request.method)
    except MethodNotAllowed as exc:
        allowed = ", ".join(sorted(exc.valid_methods or ()))
        return DomainError(f"Méthode {request.method} non autorisée sur {request.path} "
                           f"({allowed} attendu).", code="method_not_allowed")
    except NotFound:
        pass
    return not_found(f"Route inconnue : {request.method} {request.path}.")


def respond(call) -> Response:
    try:
        return json_response(200, call())
    except DomainError as exc:
        return error_response(STATUS.get(exc.code, 400), exc.code, exc.message)
    except HTTPException as exc:  # werkzeug's own, e.g. 413 from the body limit
        error, message = HTTP_ERRORS.get(exc.code, ("bad_request", exc.description))
        return error_response(exc.code or 400, error, message)
    except Exception:
        log.exception("librisoft webservice: unexpected error")
        return error_response(500, "internal_error", "Erreur interne du service, réessayez.")


def json_response(status: int, body) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    mimetype="application/json")


def error_response(status: int, error: str, message: str) -> Response:
    return json_response(status, {"error": error, "message": message})
