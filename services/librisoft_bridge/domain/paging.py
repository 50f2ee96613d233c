"""Pages of a listing (articles, classic orders): pure Python."""
from services.common.errors import invalid

MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000


def page_window(page, per_page, max_per_page=MAX_PER_PAGE):
    """(page, per_page) as ints, per_page capped at `max_per_page`; raises DomainError (also
    for a page so far that its offset would overflow the database's integers)."""
    try:
        if isinstance(page, bool) or isinstance(per_page, bool):
            raise TypeError
        page, per_page = int(page), int(per_page)
    except (TypeError, ValueError):
        raise invalid("Pagination invalide : page et per_page doivent être des entiers.") from None
    if page < 1 or per_page < 1:
        raise invalid("Pagination invalide : page et per_page commencent à 1.",
                      {"page" if page < 1 else "per_page": ["au moins 1."]})
    if page > MAX_PAGE:
        raise invalid(f"Pagination invalide : page {MAX_PAGE} au plus.",
                      {"page": [f"{MAX_PAGE} au plus."]})
    return page, min(per_page, max_per_page)
