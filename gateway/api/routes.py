"""API v1 routes: thin, each one RPC."""
from flask import abort, g, request
from flask.views import MethodView

from .. import idempotency, security
from ..rpc_client import rpc
from ..security import ADMIN, ANONYMOUS, MANAGERS, SIGNED_IN
from . import schemas
from .base import Blueprint, allow_methods

blp = Blueprint("api", __name__, url_prefix="/api/v1", description="API v1")
idempotent = idempotency.api_doc(blp)  # the Idempotency-Key header, documented


@blp.before_request
def json_only():
    """Writes take JSON only (see the package docstring: that is the API's CSRF defence)."""
    if request.method in ("POST", "PUT", "PATCH") and not request.is_json:
        abort(415)


@blp.route("/session")
@allow_methods([ANONYMOUS], "post", "delete")
class Session(MethodView):
    @blp.arguments(schemas.LoginIn)
    @blp.response(200, schemas.AccountOut)
    def post(self, data):
        """Sign in (sets the session cookie)."""
        account = rpc("accounts", "authenticate", data["email"], data["password"],
                      _remote_addr())
        security.login(account)
        return account

    @blp.response(204)
    def delete(self):
        """Sign out."""
        security.logout()


@blp.route("/me")
@allow_methods([SIGNED_IN], "get", "put")
class Me(MethodView):
    @blp.response(200, schemas.AccountOut)
    def get(self):
        """The signed-in account."""
        return g.user

    @blp.arguments(schemas.PasswordIn)
    @blp.response(200, schemas.AccountOut)
    def put(self, data):
        """Change one's own password."""
        account = rpc("accounts", "change_password", g.user["id"], data["current"],
                      data["password"])
        security.login(account)
        return account


@blp.route("/articles")
@allow_methods([SIGNED_IN], "get")
class Articles(MethodView):
    @blp.arguments(schemas.ArticleQuery, location="query")
    @blp.response(200, schemas.ArticlePage)
    def get(self, args):
        """Search the catalogue by EAN or by title/author words."""
        return rpc("librisoft_bridge", "search_articles", args["q"], args["page"],
                   args["per_page"])


@blp.route("/articles/<ean>")
@allow_methods([SIGNED_IN], "get")
class ArticleSheet(MethodView):
    @blp.response(200, schemas.Article)
    def get(self, ean):
        """One article's sheet."""
        return rpc("librisoft_bridge", "get_article", ean[:20])


@blp.route("/accounts")
@allow_methods(MANAGERS, "get", "post")
class Accounts(MethodView):
    @blp.response(200, schemas.AccountOut(many=True))
    def get(self):
        """The accounts the signed-in account manages."""
        return rpc("accounts", "list_accounts", g.user["id"])

    @blp.arguments(schemas.AccountIn)
    @blp.response(201, schemas.AccountOut)
    @idempotent
    def post(self, data):
        """Create an account (who may create whom: reference 001)."""
        return rpc("accounts", "create_account", g.user["id"], data,
                   idempotency_key=idempotency.key())


@blp.route("/accounts/<int:account_id>/active")
@allow_methods(MANAGERS, "put")
class AccountActive(MethodView):
    @blp.arguments(schemas.ActiveIn)
    @blp.response(200, schemas.AccountOut)
    @idempotent
    def put(self, data, account_id):
        """Activate or deactivate an account one manages."""
        return rpc("accounts", "set_account_active", g.user["id"], account_id, data["active"],
                   idempotency_key=idempotency.key())


@blp.route("/clients")
@allow_methods([ADMIN], "get")
class Clients(MethodView):
    @blp.response(200, schemas.ClientsOverview)
    def get(self):
        """Collectivity clients with their accounts and the alerts (admin)."""
        return rpc("accounts", "clients_overview", g.user["id"])


def _remote_addr():
    return request.remote_addr
