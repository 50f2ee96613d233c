"""From a basket to a quote request or an order: the transformation (reference 001, annexe §3:
the client's details checked, the basket reviewed, a comment, the mandatory "Référence
collectivité"), the account's "Mes devis / Mes commandes collectivité", and Librisoft's pickup.

Same conventions as use_cases/baskets.py; `record(session, event, payload)` stores an event in the
outbox in the caller's transaction."""
import logging
from datetime import datetime

from sqlalchemy import select, update

from services.common.errors import not_found
from services.common.money import money

from ..domain import chain, filters, prices, status
from ..models import Document, DocumentCounter, DocumentEvent, DocumentLine, aware
from ..presenters.baskets import address_label, priced_lines, state_of
from ..presenters.documents import document_summary, document_view, placed_payload
from .baskets import actor_of, log_event, move_basket, refresh, visible_basket

log = logging.getLogger(__name__)


def next_number(session, kind) -> int:
    """The next number of this kind. The UPDATE takes the counter's row lock: two documents
    placed at once get two numbers."""
    number = session.scalar(update(DocumentCounter).where(DocumentCounter.kind == kind)
                            .values(last=DocumentCounter.last + 1)
                            .returning(DocumentCounter.last))
    if number is None:
        session.add(DocumentCounter(kind=kind, last=1))
        session.flush()
        number = 1
    return number


def transform(session, account, basket_id, kind, reference, comment, client: dict, articles,
              now, record, public_url, address_index=0, expected_total=None,
              delivery_mode=None) -> dict:
    """"Transformer ce panier en demande de devis / en commande". `client` is the basket's
    client as accounts gives it (contact, addresses, discounts); `articles` the current
    articles (EAN -> article or None): the lines are re-priced one last time, then frozen.
    `expected_total`: the total TTC the confirming page showed; if the re-priced lines come to
    another total, nothing is placed (prices.check_shown_total)."""
    actor = actor_of(account)
    kind = status.check_kind(kind)
    basket = visible_basket(session, actor, basket_id, lock=True)
    move = chain.transform(actor, state_of(basket))
    status.check_client_may_order(client, kind)
    reference = chain.check_reference(reference)
    comment = chain.check_comment(comment)
    mode = status.check_delivery_mode(delivery_mode)
    pickup = mode == status.PICKUP_MODE  # fetched at the bookshop: no delivery address
    address = None if pickup else status.check_delivery_address(client.get("addresses"),
                                                                 address_index)
    first = (client.get("addresses") or [address])[0]
    refresh(basket, client, articles, now)
    lines = priced_lines(basket)
    totals = prices.totals(lines)
    prices.check_shown_total(expected_total, totals.total_ttc)
    doc = Document(
        kind=kind, number=next_number(session, kind), status=status.PENDING,
        client_number=basket.client_number, client_name=client["name"],
        basket_id=basket.id, basket_name=basket.name, basket_creator_id=basket.owner_id,
        basket_creator_email=basket.owner_email, placed_by_id=actor.id,
        placed_by_email=actor.email, reference=reference, comment=comment,
        contact_name=client["name"], contact_email=client.get("email") or actor.email,
        contact_phone=client.get("phone") or "",
        delivery_label=status.DELIVERY_MODES[mode] if pickup else
        address_label(address, client["name"]),
        billing_label=address_label(first, client["name"]) if first else client["name"],
        delivery_client_number=basket.client_number, billing_client_number=basket.client_number,
        delivery_mode=mode, payment_mode=status.PAYMENT_MODE,
        line_count=len(lines), article_count=sum(x.quantity for x in lines),
        discount_total=totals.discount_total, subtotal_ht=totals.subtotal_ht,
        vat_total=totals.vat_total, subtotal_ttc=totals.subtotal_ttc,
        total_ttc=totals.total_ttc, placed_at=now, cancel_reason="")
    doc.search_key = filters.search_key({name: getattr(doc, name) for name in filters.SEARCHED})
    for position, (line, x) in enumerate(zip(basket.lines, lines), start=1):
        doc.lines.append(DocumentLine(
            position=position, ean=x.ean, title=x.title, author=line.author or "",
            publisher=line.publisher or "", quantity=x.quantity, vat_rate=x.vat_rate,
            school_book=line.school_book, public_price_ttc=x.public_price_ttc,
            public_price_ht=x.public_price_ht, unit_price_ttc=x.unit_price_ttc,
            discount_percent=money(x.discount_percent),
            discount_amount=x.discount_amount, total_ttc=x.total_ttc, total_ht=x.total_ht,
            vat_amount=x.vat_amount, lang_law_capped=x.capped))
    doc.history.append(DocumentEvent(at=now, actor_id=actor.id, actor_email=actor.email,
                                     action="placed", from_status="", to_status=status.PENDING,
                                     comment=comment))
    move_basket(session, basket, move)
    session.add(doc)
    basket.document_kind, basket.document_number, basket.transformed_at = kind, doc.number, now
    log_event(basket, actor, move.action, move.from_level, move.to_level, now, comment)
    session.flush()
    record(session, status.PLACED_EVENT[kind], placed_payload(doc, public_url))
    return document_view(doc, public_url)


# ---- "Mes devis collectivité", "Mes commandes collectivité" ---------------------------------
def list_mine(session, account, kind) -> list:
    """Every document of the account's clients (any role of the same client sees them)."""
    actor = actor_of(account)
    chain.check_collectivity_actor(actor)
    kind = status.check_kind(kind)
    q = select(Document).where(Document.kind == kind,
                               Document.client_number.in_(sorted(actor.client_numbers))) \
        .order_by(Document.number.desc())
    return [document_summary(d) for d in session.scalars(q)]


def find(session, kind, number) -> Document:
    number = chain.row_id(number)
    doc = session.scalar(select(Document).where(
        Document.kind == kind, Document.number == number)) if number else None
    if doc is None:
        raise not_found(f"{status.KIND_LABELS[kind]} introuvable.")
    return doc


def get_mine(session, account, kind, number, public_url) -> dict:
    actor = actor_of(account)
    chain.check_collectivity_actor(actor)
    kind = status.check_kind(kind)
    doc = find(session, kind, number)
    if doc.client_number not in actor.client_numbers:
        raise not_found(f"{status.KIND_LABELS[kind]} introuvable.")
    return document_view(doc, public_url)


# ---- Librisoft's pickup ---------------------------------------------------------------------
SOURCE_KINDS = {"quote": status.QUOTE, "collectivity_order": status.ORDER}


def on_classic_order_status_changed(session, payload, now, occurred_at=None):
    """The bridge's classic order made from one of our documents was picked up by Librisoft or
    got its Librisoft number and status. A quote becomes "récupéré", an order "en cours de
    traitement". Other source kinds are someone else's."""
    kind = SOURCE_KINDS.get(payload["source_kind"])
    if kind is None:
        return
    doc = session.scalar(select(Document).where(Document.kind == kind,
                                                Document.number == payload["source_number"])
                         .with_for_update())
    if doc is None:
        log.warning("classic_order_status_changed for an unknown %s n° %s", kind,
                    payload["source_number"])
        return
    doc.classic_order_number = payload["order_number"]
    at = _time(occurred_at) or now
    last = doc.librisoft_updated_at
    if status.librisoft_status_applies(at, last and aware(last)) and \
            (payload.get("librisoft_number") or payload.get("status")):
        doc.librisoft_number = str(payload.get("librisoft_number") or
                                   doc.librisoft_number or "")[:40] or None
        doc.librisoft_status = str(payload.get("status") or doc.librisoft_status or "")[:100] \
            or None
        doc.librisoft_updated_at = at
    if payload["picked_up"] and doc.picked_up_at is None:
        doc.picked_up_at = at
        after = status.after_pickup(kind, doc.status)
        doc.history.append(DocumentEvent(at=now, actor_id=None, actor_email="LIBRISOFT",
                                         action="picked_up", from_status=doc.status,
                                         to_status=after, comment=payload.get("status") or ""))
        doc.status = after
    _librisoft_cancellation(doc, payload, now)


AT_KEYS = {status.LIBRISOFT_CANCEL_TOLD: "cancelled_at",
           status.LIBRISOFT_CANCEL_DONE: "cancellation_acknowledged_at"}


def _librisoft_cancellation(doc, payload, now):
    """Librisoft told of the cancellation, then applying it: each once in the history
    (domain.status.librisoft_cancellation_steps)."""
    for action in status.librisoft_cancellation_steps(
            bool(payload.get("cancelled")), bool(payload.get("cancellation_acknowledged")),
            {e.action for e in doc.history}):
        doc.history.append(DocumentEvent(
            at=_time(payload.get(AT_KEYS[action])) or now, actor_id=None,
            actor_email="LIBRISOFT", action=action, from_status=doc.status,
            to_status=doc.status, comment=""))


def _time(value):
    try:
        return aware(datetime.fromisoformat(value)) if value else None
    except (TypeError, ValueError):
        return None
