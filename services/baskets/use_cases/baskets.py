"""The baskets' use cases: the baskets, their lines, the approval chain, the prices. Each takes
a session (the unit of work, committed by the caller), the acting account as
accounts.get_account gives it, what the caller fetched from other services (the client, the
articles) and `now`; RPC and tests call them alike.

A basket the account may not see is "introuvable" (its existence is not disclosed)."""
from sqlalchemy import select

from services.common.errors import not_found
from services.common.guards import transition
from services.common.money import money

from ..domain import chain, prices, tabs
from ..models import Basket, BasketEvent, BasketLine
from ..presenters.baskets import (basket_summary, basket_view, moved_payload, price_view,
                                  state_of)


def actor_of(account: dict) -> chain.Actor:
    return chain.Actor(account["id"], account["role"],
                        frozenset(str(c["number"]) for c in account.get("clients") or ()),
                        account.get("email", ""))


def visible_basket(session, actor, basket_id, lock=False) -> Basket:
    """The basket if `actor` may see it. `lock` takes its row lock (PostgreSQL) so that two
    changes of one basket run one after the other."""
    basket_id = chain.row_id(basket_id)
    basket = session.get(Basket, basket_id, with_for_update=lock or None) if basket_id else None
    if basket is None or not chain.can_see(actor, state_of(basket)):
        raise not_found("Panier introuvable.")
    return basket


def log_event(basket, actor, action, from_level, to_level, now, comment=""):
    basket.history.append(BasketEvent(
        at=now, actor_id=actor.id, actor_email=actor.email, actor_role=actor.role,
        action=action, from_level=from_level, to_level=to_level, comment=comment))
    basket.updated_at = now


def log_edit(basket, actor, now, what):
    """An Approbateur's or a Collectivité's change to a basket sent to them goes into its
    history (the one who sent it sees why its totals changed); the owner's own draft does
    not (every keystroke of its preparation would be there)."""
    if basket.level != chain.DRAFT:
        log_event(basket, actor, "edited", basket.level, basket.level, now, what)


def refresh(basket: Basket, client=None, articles=None, now=None):
    """Re-price an open basket: the client's current discounts, each article's current price.
    `articles` maps EAN -> the bridge's article, or None when it is no longer in the catalogue
    (the line keeps its last known price). A transformed basket stays frozen."""
    if chain.frozen(basket.level):
        return
    if client is not None:
        basket.discounts = dict(client["discounts"])
        basket.client_name = client.get("name") or basket.client_name
    for line in basket.lines:
        article = (articles or {}).get(line.ean)
        if article and prices.public_price(article.get("price_ttc")) is not None:
            _snapshot(line, article, now)


def _snapshot(line: BasketLine, article: dict, now):
    line.title = (article.get("title") or line.title or "")[:300]
    line.author = (article.get("author") or "")[:300]
    line.publisher = (article.get("publisher") or "")[:300]
    line.price_ttc = money(article["price_ttc"])
    line.vat_rate = prices.vat_key(article["vat_rate"])
    line.school_book = bool(article.get("school_book"))
    line.priced_at = now


def client_of(account: dict, client_number) -> str:
    """The client the account buys for (domain.chain.client_number)."""
    return chain.client_number([str(c["number"]) for c in account.get("clients") or ()],
                               client_number)


# ---- baskets --------------------------------------------------------------------------------
def create(session, account, client: dict, name, now, article=None, quantity=1) -> dict:
    """A new basket; with `article`, its first line (`quantity`) in the same transaction: a
    quantity or an article refused refuses the basket too."""
    actor = actor_of(account)
    chain.check_collectivity_actor(actor)
    basket = Basket(name=chain.check_name(name), client_number=client["number"],
                    client_name=client["name"], owner_id=actor.id, owner_email=actor.email,
                    owner_role=actor.role, level=chain.DRAFT, path=[chain.DRAFT],
                    locked=False, discounts=dict(client["discounts"]), created_at=now,
                    updated_at=now)
    session.add(basket)
    log_event(basket, actor, "created", chain.DRAFT, chain.DRAFT, now)
    session.flush()
    if article is not None:
        return add_line(session, account, basket.id, article, quantity, now, client)
    return basket_view(basket, actor, client)


def from_document(session, account, client: dict, doc: dict, articles: dict, now) -> dict:
    """« Commander à nouveau »: a new draft basket of the account with the lines of one of its
    client's quotes or orders (`doc`: placing.get_mine's view), each article as the catalogue
    has it now (`articles`: EAN -> article, None when gone), at today's prices and discounts;
    `skipped`: the lines left out (no longer in the catalogue, or no price)."""
    kinds = {"quote": "la demande de devis", "order": "la commande"}
    basket = create(session, account, client,
                    f"Reprise de {kinds.get(doc['kind'], 'la commande')} n° {doc['number']}",
                    now)
    skipped = []
    for line in doc["lines"]:
        article = articles.get(line["ean"])
        if not article or not article.get("price_ttc"):
            skipped.append({"ean": line["ean"], "title": line["title"]})
            continue
        basket = add_line(session, account, basket["id"], article, line["quantity"], now,
                          client)
    return dict(basket, skipped=skipped)


def pricing_targets(session, account, basket_id) -> dict:
    """What the caller must fetch to re-price a basket: its client and its articles."""
    basket = visible_basket(session, actor_of(account), basket_id)
    return {"client_number": basket.client_number, "eans": [x.ean for x in basket.lines],
            "frozen": chain.frozen(basket.level)}


def get(session, account, basket_id, now, client=None, articles=None) -> dict:
    actor = actor_of(account)
    basket = visible_basket(session, actor, basket_id, lock=articles is not None)
    refresh(basket, client, articles, now)
    missing = frozenset(e for e, a in (articles or {}).items() if a is None)
    availability = {e: a.get("availability") or "" for e, a in (articles or {}).items() if a}
    return basket_view(basket, actor, client, missing, availability)


def list_mine(session, account, include_transformed=False) -> list:
    actor = actor_of(account)
    q = select(Basket).where(Basket.owner_id == actor.id,
                             Basket.client_number.in_(sorted(actor.client_numbers)))
    if not include_transformed:
        q = q.where(Basket.level != chain.TRANSFORMED)
    return [basket_summary(b) for b in session.scalars(q.order_by(Basket.updated_at.desc(),
                                                                  Basket.id.desc()))]


def to_validate(session, account) -> list:
    """"Paniers à valider": at the Approbateur's level, or at the Collectivité's."""
    actor = actor_of(account)
    return _of_clients(session, actor, tabs.to_validate_levels(actor.role))


def validated(session, account) -> list:
    """An Approbateur's "Paniers envoyés/validés par la collectivité", a Collectivité's
    "Paniers validés" (domain.tabs.validated_levels)."""
    actor = actor_of(account)
    return _of_clients(session, actor, tabs.validated_levels(actor.role))


def waiting_for(session, client_numbers, role) -> list:
    """The baskets of these clients waiting at `role`'s level (an Approbateur's or a
    Collectivité's): before the last active account of that role is deactivated, they would
    wait for good (docs/architecture.md, baskets). [{id, name, client_number, client_name}]."""
    level = chain.waiting_level(role)
    if level is None:
        return []
    q = select(Basket.id, Basket.name, Basket.client_number, Basket.client_name).where(
        Basket.client_number.in_(sorted(str(n) for n in client_numbers)),
        Basket.level == level).order_by(Basket.id)
    return [{"id": i, "name": n, "client_number": c, "client_name": cn}
            for i, n, c, cn in session.execute(q)]


def _of_clients(session, actor, levels) -> list:
    q = select(Basket).where(Basket.client_number.in_(sorted(actor.client_numbers)),
                             Basket.level.in_(levels)) \
        .order_by(Basket.updated_at.desc(), Basket.id.desc())
    return [basket_summary(b) for b in session.scalars(q)
            if chain.can_see(actor, state_of(b))]


def menus(session, account) -> list:
    """The top bar: what this role sees, with counts."""
    actor = actor_of(account)
    counts = {"my_baskets": lambda: len(list_mine(session, account)),
              "to_validate": lambda: len(to_validate(session, account)),
              "sent_or_validated": lambda: len(validated(session, account)),
              "validated": lambda: len(validated(session, account))}
    return [{"key": key, "label": tabs.MENU_LABELS[key], "count": counts[key]()}
            for key in tabs.menus(actor.role)]


def rename(session, account, basket_id, name, now) -> dict:
    actor = actor_of(account)
    basket = visible_basket(session, actor, basket_id, lock=True)
    chain.check(actor, state_of(basket), chain.RENAME)
    new = chain.check_new_name(name)
    if new != basket.name:
        log_event(basket, actor, "renamed", basket.level, basket.level, now,
                  f"« {basket.name} » → « {new} »")
        basket.name = new
    return basket_view(basket, actor)


def delete(session, account, basket_id) -> dict:
    actor = actor_of(account)
    basket = visible_basket(session, actor, basket_id, lock=True)
    chain.check(actor, state_of(basket), chain.DELETE)
    session.delete(basket)
    return {"deleted": basket.id}


# ---- lines ----------------------------------------------------------------------------------
def _line(basket, ean) -> BasketLine:
    for line in basket.lines:
        if line.ean == str(ean or "").strip():
            return line
    raise not_found("Cet article n'est pas dans le panier.")


def add_line(session, account, basket_id, article: dict, quantity, now, client=None) -> dict:
    """Adds the article, or adds to its quantity if it is already in the basket."""
    actor = actor_of(account)
    basket = visible_basket(session, actor, basket_id, lock=True)
    chain.check(actor, state_of(basket), chain.EDIT)
    quantity = chain.check_quantity(quantity)
    prices.check_public_price(article.get("price_ttc"))
    refresh(basket, client, None, now)
    existing = [x for x in basket.lines if x.ean == article["ean"]]
    if existing:
        line = existing[0]
        before = line.quantity
        line.quantity = chain.check_added_quantity(line.quantity, quantity)
        what = f"quantité {before} → {line.quantity}"
    else:
        chain.check_can_add_line(len(basket.lines))
        line = BasketLine(ean=article["ean"], quantity=quantity, added_at=now, title="")
        basket.lines.append(line)
        what = f"ajouté, quantité {quantity}"
    _snapshot(line, article, now)
    log_edit(basket, actor, now, f"« {line.title} » : {what}")
    basket.updated_at = now
    session.flush()
    return basket_view(basket, actor, client)


def set_quantity(session, account, basket_id, ean, quantity, now, client=None) -> dict:
    actor = actor_of(account)
    basket = visible_basket(session, actor, basket_id, lock=True)
    chain.check(actor, state_of(basket), chain.EDIT)
    line = _line(basket, ean)
    before, line.quantity = line.quantity, chain.check_quantity(quantity)
    if line.quantity != before:
        log_edit(basket, actor, now, f"« {line.title} » : quantité {before} → {line.quantity}")
    refresh(basket, client, None, now)
    basket.updated_at = now
    return basket_view(basket, actor, client)


def remove_line(session, account, basket_id, ean, now, client=None) -> dict:
    actor = actor_of(account)
    basket = visible_basket(session, actor, basket_id, lock=True)
    chain.check(actor, state_of(basket), chain.EDIT)
    line = _line(basket, ean)
    basket.lines.remove(line)
    log_edit(basket, actor, now, f"« {line.title} » retiré (quantité {line.quantity})")
    refresh(basket, client, None, now)
    basket.updated_at = now
    session.flush()
    return basket_view(basket, actor, client)


# ---- the approval chain ---------------------------------------------------------------------
def move_basket(session, basket, move: chain.Move):
    """The guarded move: from the level and lock state the rule decided on, or conflict (the
    row is locked already on PostgreSQL; this holds on SQLite too)."""
    transition(session, Basket, basket.id, [move.from_level],
               {"level": move.to_level, "path": list(move.path), "locked": move.locked},
               column="level", where=(Basket.locked.is_(bool(basket.locked)),),
               message="Ce panier vient d'être modifié par une autre action : rechargez la "
                       "page pour voir son état actuel.")


def _move(session, account, basket_id, now, rule, *args, told=None) -> dict:
    """`told`: (holders, record, public_url) to tell the basket's new holders (basket_moved)."""
    actor = actor_of(account)
    basket = visible_basket(session, actor, basket_id, lock=True)
    result = rule(actor, state_of(basket), *args)
    move, comment = result if isinstance(result, tuple) else (result, "")
    to_emails = []
    if told is not None:
        to_emails = chain.told_of_move(move, told[0], basket.owner_email, actor.email)
        chain.check_someone_holds(move, to_emails, basket.client_name)
    move_basket(session, basket, move)
    log_event(basket, actor, move.action, move.from_level, move.to_level, now, comment)
    view = basket_view(basket, actor)
    if to_emails:
        _, record, public_url = told
        record(session, "basket_moved",
               moved_payload(basket, move, actor.email, to_emails, comment, view, public_url))
    return view


def submit(session, account, basket_id, now, holders=None, record=None, public_url="") -> dict:
    """"Envoyer ce panier à l'approbateur" / "Transmettre ce panier à la collectivité"; its
    new holders (`holders`: the client's accounts by role) are mailed if `record` is given."""
    return _move(session, account, basket_id, now, chain.submit,
                 told=None if record is None else (holders or {}, record, public_url))


def recall(session, account, basket_id, now) -> dict:
    """« Reprendre ce panier »: its creator takes it back while it waits untouched."""
    return _move(session, account, basket_id, now, chain.recall)


def unlock(session, account, basket_id, now) -> dict:
    return _move(session, account, basket_id, now, chain.unlock)


def lock(session, account, basket_id, now) -> dict:
    return _move(session, account, basket_id, now, chain.lock)


def return_(session, account, basket_id, comment, now, holders=None, record=None,
            public_url="") -> dict:
    """"Retourner ce panier au rôle précédent", with a comment the sender sees (and is
    mailed, as `submit`)."""
    return _move(session, account, basket_id, now, chain.return_, comment,
                 told=None if record is None else (holders or {}, record, public_url))


# ---- prices ---------------------------------------------------------------------------------
def article_price(account, client: dict, article: dict) -> dict:
    """The public price and the collectivity's own for one article (no session: nothing is
    stored)."""
    chain.check_collectivity_actor(actor_of(account))
    x = prices.line(article["ean"], article.get("title") or "", 1, article["price_ttc"],
                     article["vat_rate"], bool(article.get("school_book")),
                     prices.Discounts.of(client["discounts"]))
    return dict(price_view(article, x), client_number=client["number"],
                client_name=client["name"], lang_law_warning=bool(client.get("lang_law_warning")))
