"""The JSON API under /api/v1, documented at /api/v1/openapi.json (flask-smorest).

Authentication is the same session cookie as the pages (POST /api/v1/session). The API is exempt
from the form CSRF token but only accepts JSON bodies on writes: a cross-site page cannot send
`application/json` without a CORS preflight, which this API never grants, and the cookie is
SameSite=Lax."""
from flask_smorest import Api

from .baskets import blp as baskets_blp
from .grouped_orders import blp as grouped_orders_blp
from .routes import blp


def init_api(app, csrf):
    api = Api(app, spec_kwargs={"info": {"description": "Librairie collectivités, API v1"}})

    for blueprint in (blp, grouped_orders_blp, baskets_blp):
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    from ..security import ANONYMOUS
    for endpoint, view in app.view_functions.items():
        if endpoint.startswith("api-docs."):
            getattr(view, "__func__", view).allowed = frozenset({ANONYMOUS})
    return api
