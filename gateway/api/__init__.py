"""The JSON API under /api/v1, documented at /api/v1/openapi.json (flask-smorest).

Authentication is the same session cookie as the pages (POST /api/v1/session). The API is exempt
from the form CSRF token but only accepts JSON bodies on writes: a cross-site page cannot send
`application/json` without a CORS preflight, which this API never grants, and the cookie is
SameSite=Lax.

Errors: every error answer, whatever its status, is `{"error": code, "message": French text,
"details": {field: [French messages]}}` (`Error` in base.py, declared in the OpenAPI as the
default response of every operation). Bad input, whether refused by a schema here or by a
service's rule, is a 400 with code "invalid"."""

from ..security import ANONYMOUS, allow
from .base import GatewayApi
from .baskets import blp as baskets_blp
from .cycle import blp as cycle_blp
from .grouped_orders import blp as grouped_orders_blp
from .invoices import blp as invoices_blp
from .order_desk import blp as order_desk_blp
from .order_progress import blp as order_progress_blp
from .routes import blp


DESCRIPTION = """Librairie collectivités, API v1.

Sign in with `POST /api/v1/session` (session cookie). Writes take `application/json` only (415
otherwise).

**Errors.** Every error answer has the same body, whatever its status:
`{"error": "invalid", "message": "Vérifiez les informations saisies.", "details": {"email":
["Adresse e-mail invalide."]}}`: `error` is a stable code, `message` is French, for people,
`details` gives the French messages per field (empty when the error is not about fields).
Bad input (a missing or unknown field, a wrong type, `2.5` for a quantity, an invalid e-mail, a
NUL character anywhere, a value a business rule refuses) is always **400** `invalid`; 401 not
signed in, 403 not allowed, 404 not found, 409 conflict (the state changed), 413 too large,
415 not JSON, 429 too many attempts, 503 a service is unavailable (retry). Only a request
line longer than 4 KiB is answered by the HTTP server itself (414, not JSON)."""


def init_api(app, csrf):
    api = GatewayApi(app, spec_kwargs={"info": {"description": DESCRIPTION}})

    for blueprint in (blp, grouped_orders_blp, cycle_blp, baskets_blp, order_desk_blp,
                      order_progress_blp, invoices_blp):
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    for endpoint, view in app.view_functions.items():
        if endpoint.startswith("api-docs."):  # the OpenAPI document is public
            allow(ANONYMOUS)(getattr(view, "__func__", view))
    return api
