"""The catalogue that Librisoft sends: search by EAN or words, and the article sheet."""
from flask import Blueprint, render_template, request

from services.common.errors import DomainError

from ..security import SIGNED_IN, allow
from ..services import rpc

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
    return render_template("catalogue/search.html", query=query, result=result, error=error)


@bp.get("/<ean>")
@allow(SIGNED_IN)
def article(ean):
    return render_template("catalogue/article.html",
                           article=rpc("librisoft_bridge", "get_article", ean[:20]))
