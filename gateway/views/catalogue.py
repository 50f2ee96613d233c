"""The catalogue that Librisoft sends: search by EAN or words, and the article sheet."""
from flask import Blueprint, g, render_template, request

from services.common.errors import DomainError

from ..rpc_client import rpc
from ..security import COLLECTIVITY, SIGNED_IN, allow

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")


def page_arg():
    try:
        return max(1, min(int(request.args.get("page", 1)), 10_000))
    except ValueError:
        return 1


@bp.get("/")
@allow(SIGNED_IN)
def search():
    query = request.args.get("q", "").strip()[:200]
    result, error = None, None
    try:
        result = rpc("librisoft_bridge", "search_articles", query, page_arg(), 20)
    except DomainError as exc:
        error = exc.message
    prices, baskets, client_number = _own_prices(result)
    return render_template("catalogue/search.html", query=query, result=result, error=error,
                           prices=prices, baskets=baskets, client_number=client_number)


def _own_prices(result):
    """For a collectivity account: its own price of each listed article, and its draft
    baskets to add them to (issue 8 §5: the list had neither)."""
    if not result or g.user["role"] not in COLLECTIVITY or not g.user["clients"]:
        return {}, [], ""
    numbers = [c["number"] for c in g.user["clients"]]
    wanted = request.args.get("client_number", "")
    client_number = wanted if wanted in numbers else numbers[0]
    try:
        prices = rpc("baskets", "article_prices", g.user["id"], client_number,
                     [a["ean"] for a in result["items"]])
        baskets = [b for b in rpc("baskets", "list_my_baskets", g.user["id"])
                   if b["state"] == "draft" and b["client_number"] == client_number]
    except DomainError:
        return {}, [], ""
    return prices, baskets, client_number


@bp.get("/<ean>")
@allow(SIGNED_IN)
def article(ean):
    found = rpc("librisoft_bridge", "get_article", ean[:20])
    price, baskets, client_number = None, [], ""
    if g.user["role"] in COLLECTIVITY and g.user["clients"]:
        # "Présentation de l'article pour la collectivité": its own price, and its baskets
        numbers = [c["number"] for c in g.user["clients"]]
        wanted = request.args.get("client_number", "")
        client_number = wanted if wanted in numbers else numbers[0]
        try:
            price = rpc("baskets", "article_price", g.user["id"], client_number, found["ean"])
            baskets = [b for b in rpc("baskets", "list_my_baskets", g.user["id"])
                       if b["state"] == "draft" and b["client_number"] == client_number]
        except DomainError:
            price = None
    return render_template("catalogue/article.html", article=found, price=price,
                           baskets=baskets, client_number=client_number)
