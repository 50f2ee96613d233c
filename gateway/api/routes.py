"""API v1 routes: thin, each one RPC."""
from flask import abort, g, request
from flask.views import MethodView

from .. import idempotency, security
from ..rpc_client import rpc
from ..security import ADMIN, ANONYMOUS, MANAGERS, SIGNED_IN
from . import schemas
from .base import Blueprint

blp = Blueprint("api", __name__, url_prefix="/api/v1", description="API v1")


@blp.before_request
def json_only():
    """Writes take JSON only (see the package docstring: that is the API's CSRF defence)."""
    if request.method in ("POST", "PUT", "PATCH") and not request.is_json:
        abort(415)


def change(service, method, *args, **kwargs):
    """An RPC that changes something: with the request's Idempotency-Key."""
    return rpc(service, method, *args, idempotency_key=idempotency.key(), **kwargs)


@blp.view("/session", [ANONYMOUS])
class Session(MethodView):
    @blp.answers(schemas.AccountOut, takes=schemas.LoginIn)
    def post(self, data):
        """Sign in (sets the session cookie)."""
        account = rpc("accounts", "authenticate", data["email"], data["password"],
                      _remote_addr())
        security.login(account)
        return account

    @blp.answers(status=204)
    def delete(self):
        """Sign out."""
        security.logout()


@blp.view("/me", [SIGNED_IN])
class Me(MethodView):
    @blp.answers(schemas.AccountOut)
    def get(self):
        """The signed-in account."""
        return g.user

    @blp.answers(schemas.AccountOut, takes=schemas.PasswordIn)
    def put(self, data):
        """Change one's own password."""
        account = rpc("accounts", "change_password", g.user["id"], data["current"],
                      data["password"])
        security.login(account)
        return account


@blp.view("/articles", [SIGNED_IN])
class Articles(MethodView):
    @blp.answers(schemas.ArticlePage, query=schemas.ArticleQuery)
    def get(self, args):
        """Search the catalogue by EAN or by title/author words."""
        return rpc("librisoft_bridge", "search_articles", args["q"], args["page"],
                   args["per_page"])


@blp.view("/articles/<ean>", [SIGNED_IN])
class ArticleSheet(MethodView):
    @blp.answers(schemas.Article)
    def get(self, ean):
        """One article's sheet."""
        return rpc("librisoft_bridge", "get_article", ean[:20])


@blp.view("/accounts", MANAGERS)
class Accounts(MethodView):
    @blp.answers(schemas.AccountOut(many=True))
    def get(self):
        """The accounts the signed-in account manages."""
        return rpc("accounts", "list_accounts", g.user["id"])

    @blp.answers(schemas.AccountOut, 201, takes=schemas.AccountIn, idempotent=True)
    def post(self, data):
        """Create an account (who may create whom: reference 001)."""
        return change("accounts", "create_account", g.user["id"], data)


@blp.view("/accounts/<int:account_id>/active", MANAGERS)
class AccountActive(MethodView):
    @blp.answers(schemas.AccountOut, takes=schemas.ActiveIn, idempotent=True)
    def put(self, data, account_id):
        """Activate or deactivate an account one manages."""
        return change("accounts", "set_account_active", g.user["id"], account_id,
                      data["active"])


@blp.view("/clients", [ADMIN])
class Clients(MethodView):
    @blp.answers(schemas.ClientsOverview)
    def get(self):
        """Collectivity clients with their accounts and the alerts (admin)."""
        return rpc("accounts", "clients_overview", g.user["id"])


def _remote_addr():
    return request.remote_addr
