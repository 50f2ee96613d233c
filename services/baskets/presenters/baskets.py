"""How baskets and prices are shown (RPC output): plain dicts, money as strings with two
decimals, times ISO 8601. Prices come from `domain.prices` only."""
from services.common.roles import ROLE_LABELS

from ..domain import chain, prices
from ..models import Basket, BasketLine, aware

STATES = {chain.DRAFT: "draft", chain.AT_APPROVER: "at_approver",
          chain.AT_COLLECTIVITY: "at_collectivity", chain.TRANSFORMED: "transformed"}
ACTION_LABELS = {"created": "Création du panier", "renamed": "Panier renommé",
                 "edited": "Panier modifié",
                 chain.SUBMIT: "Panier envoyé", chain.UNLOCK: "Panier déverrouillé",
                 chain.LOCK: "Panier verrouillé", chain.RETURN: "Panier retourné au rôle "
                 "précédent", chain.TRANSFORM: "Panier transformé",
                 chain.RECALL: "Panier repris par son créateur"}
KIND_LABELS = {"quote": "demande de devis", "order": "commande"}


def iso(value):
    """ISO 8601 with its offset (SQLite gives naive datetimes back; every time stored is UTC)."""
    return None if value is None else aware(value).isoformat()


def state_of(b: Basket) -> chain.BasketState:
    return chain.BasketState(b.owner_id, b.owner_role, b.client_number, b.level,
                              tuple(b.path or (chain.DRAFT,)), b.locked, len(b.lines))


def discounts_of(b: Basket) -> prices.Discounts:
    return prices.Discounts.of(b.discounts)


def priced(line: BasketLine, discounts: prices.Discounts) -> prices.Line:
    return prices.line(line.ean, line.title, line.quantity, prices.money(line.price_ttc),
                        line.vat_rate, line.school_book, discounts)


def priced_lines(b: Basket) -> list:
    discounts = discounts_of(b)
    return prices.balanced(priced(line, discounts) for line in b.lines)


def priced_line_view(x: prices.Line) -> dict:
    return {"ean": x.ean, "title": x.title, "quantity": x.quantity, "vat_rate": x.vat_rate,
            "public_price_ttc": str(x.public_price_ttc), "public_price_ht": str(x.public_price_ht),
            "unit_price_ttc": str(x.unit_price_ttc),
            "discount_percent": str(prices.money(x.discount_percent)),
            "discount_amount": str(x.discount_amount), "total_ttc": str(x.total_ttc),
            "total_ht": str(x.total_ht), "vat_amount": str(x.vat_amount),
            "lang_law_capped": x.capped}


def totals_view(t: prices.Totals) -> dict:
    return {k: str(v) for k, v in t.__dict__.items()}


# an article the bookshop cannot supply as ordered: said on its line and before the order
NOT_SUPPLIABLE = {"epuise": "Épuisé", "a_paraitre": "À paraître",
                  "indisponible": "Indisponible"}


def line_view(line: BasketLine, x: prices.Line, missing=frozenset(), availability=None) -> dict:
    state = (availability or {}).get(line.ean) or ""
    return dict(priced_line_view(x), author=line.author or "", publisher=line.publisher or "",
                school_book=line.school_book, in_catalogue=line.ean not in missing,
                priced_at=iso(line.priced_at), availability=state,
                availability_warning=NOT_SUPPLIABLE.get(state, ""))


def state_label(b: Basket) -> str:
    if b.level == chain.TRANSFORMED and b.document_kind:
        return f"Transformé en {KIND_LABELS[b.document_kind]} n° {b.document_number}"
    label = chain.LEVEL_LABELS[b.level]
    return label + (" (verrouillé)" if b.locked else "") if b.level != chain.DRAFT else label


def history_view(e) -> dict:
    return {"at": iso(e.at), "actor_id": e.actor_id, "actor_email": e.actor_email,
            "actor_role": e.actor_role, "actor_role_label": ROLE_LABELS.get(e.actor_role, ""),
            "action": e.action, "action_label": ACTION_LABELS.get(e.action, e.action),
            "from_level": e.from_level, "from_label": chain.LEVEL_LABELS[e.from_level],
            "to_level": e.to_level, "to_label": chain.LEVEL_LABELS[e.to_level],
            "comment": e.comment}


def last_return(b: Basket):
    """The return that brought the basket where it is, if its last move was a return: what the
    sender sees."""
    moves = [e for e in b.history if e.action in (chain.SUBMIT, chain.RETURN,
                                                  chain.TRANSFORM)]
    if moves and moves[-1].action == chain.RETURN:
        return history_view(moves[-1])
    return None


def basket_summary(b: Basket, lines=None) -> dict:
    lines = priced_lines(b) if lines is None else lines
    totals = prices.totals(lines)
    return {
        "id": b.id, "name": b.name, "client_number": b.client_number,
        "client_name": b.client_name, "owner_id": b.owner_id, "owner_email": b.owner_email,
        "owner_role": b.owner_role, "owner_role_label": ROLE_LABELS.get(b.owner_role, ""),
        "level": b.level, "state": STATES[b.level], "state_label": state_label(b),
        "locked": b.locked, "line_count": len(lines),
        "article_count": sum(x.quantity for x in lines),
        "subtotal_ht": str(totals.subtotal_ht), "total_ttc": str(totals.total_ttc),
        "created_at": iso(b.created_at), "updated_at": iso(b.updated_at),
        "transformed_at": iso(b.transformed_at),
        "document": ({"kind": b.document_kind, "number": b.document_number}
                     if b.document_kind else None),
    }


def basket_view(b: Basket, actor: chain.Actor, client=None, missing=frozenset(),
                availability=None) -> dict:
    """`availability`: EAN -> the catalogue's availability of each line's article (the current
    articles, when the basket was re-priced): an out-of-print or forthcoming one is flagged."""
    lines = priced_lines(b)
    state = state_of(b)
    view = basket_summary(b, lines)
    line_views = [line_view(line, x, missing, availability) for line, x in zip(b.lines, lines)]
    view.update(
        lines=line_views,
        availability_warnings=[{"ean": v["ean"], "title": v["title"],
                                "label": v["availability_warning"]}
                               for v in line_views if v["availability_warning"]],
        totals=totals_view(prices.totals(lines)),
        history=[history_view(e) for e in b.history],
        last_return=last_return(b),
        actions=chain.allowed(actor, state),
        action_labels=chain.action_labels(state),
        lang_law_capped=any(x.capped for x in lines),
        client=client_view(client) if client else None,
    )
    return view


def client_view(client: dict) -> dict:
    """The client's details for the transformation's review step."""
    return {k: client.get(k) for k in ("number", "name", "email", "phone", "addresses",
                                       "discounts", "lang_law_warning", "blocked")}


def address_label(address: dict, name: str = "") -> str:
    parts = [name, address.get("label", ""), address.get("line1", ""), address.get("line2", ""),
             f"{address.get('postal_code', '')} {address.get('city', '')}".strip()]
    return "\n".join(p.strip() for p in parts if p and p.strip())


def price_view(article: dict, x: prices.Line) -> dict:
    """"Présentation de l'article pour la collectivité": the public price and its own."""
    return dict(priced_line_view(x), author=article.get("author") or "",
                publisher=article.get("publisher") or "",
                school_book=bool(article.get("school_book")),
                availability=article.get("availability") or "",
                price_ttc=str(x.unit_price_ttc))


def moved_payload(basket: Basket, move, by_email: str, to_emails: list, comment: str,
                  view: dict, public_url: str) -> dict:
    """basket_moved (BasketMovedV1): the basket, where it went, who moved it, who is told."""
    return {"basket_id": basket.id, "basket_name": basket.name,
            "client_number": basket.client_number, "client_name": basket.client_name,
            "action": "submitted" if move.action == chain.SUBMIT else "returned",
            "to_level": move.to_level, "to_level_label": chain.LEVEL_LABELS[move.to_level],
            "by_email": by_email, "to_emails": to_emails, "comment": comment or "",
            "lines": len(basket.lines), "copies": sum(x.quantity for x in basket.lines),
            "total_ttc": view["totals"]["total_ttc"],
            "detail_url": f"{public_url.rstrip('/')}/paniers/{basket.id}"}
