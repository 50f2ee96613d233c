"""What the gateway and the other services read of the catalogue and the collectivity clients:
each takes the session of its transaction and plain values, and returns plain dicts (see
`presenters`)."""
from sqlalchemy import and_, func, select, true

from services.common.errors import invalid, not_found

from .. import presenters
from ..domain.articles import ean_query, search_words
from ..domain.paging import page_window
from ..models import articles, clients

EAN_MISSING = "Indiquez le code EAN de l'article (13 chiffres)."


def search_articles(session, query="", page=1, per_page=20) -> dict:
    """By EAN when the query is one, else every word in search_text; ordered by title."""
    page, per_page = page_window(page, per_page)
    query = "" if query is None else str(query)
    ean = ean_query(query)
    condition = (articles.c.ean == ean) if ean else and_(true(), *(
        articles.c.search_text.contains(word, autoescape=True)
        for word in search_words(query)))
    total = session.scalar(select(func.count()).select_from(articles).where(condition))
    items = session.execute(
        select(articles).where(condition).order_by(articles.c.title, articles.c.ean)
        .offset((page - 1) * per_page).limit(per_page)).mappings().all()
    return {"items": [presenters.article(item) for item in items], "total": total,
            "page": page, "per_page": per_page}


def get_article(session, ean) -> dict:
    """The article of that EAN; none typed (a basket line's empty field) is asked for (400),
    not looked for: « Article introuvable : EAN « ». » answered it."""
    if not str(ean or "").strip():
        raise invalid(EAN_MISSING, {"ean": ["Indiquez un code EAN."]})
    key = ean_query(str(ean))
    if key is None:  # « abc », 12 digits, a wrong check digit: bad input (400), not « introuvable »
        raise invalid(f"EAN invalide : « {str(ean)[:20]} » n'est pas un code EAN à 13 chiffres "
                      "avec sa clé de contrôle.", {"ean": ["EAN13 attendu (13 chiffres)."]})
    row = session.execute(select(articles).where(articles.c.ean == key)).mappings().first()
    if row is None:
        raise not_found(f"Article introuvable : EAN « {ean} ».")
    return presenters.article(row)


def list_clients(session, include_inactive=True) -> list:
    query = select(clients).order_by(clients.c.name, clients.c.number)
    if not include_inactive:
        query = query.where(clients.c.active.is_(True))
    return [presenters.client(row) for row in session.execute(query).mappings()]


def get_client(session, number) -> dict:
    row = session.execute(select(clients).where(
        clients.c.number == str(number).strip())).mappings().first()
    if row is None:
        raise not_found(f"Client collectivité introuvable : n° « {number} ».")
    return presenters.client(row)
