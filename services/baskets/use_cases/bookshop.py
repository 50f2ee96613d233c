"""The bookshop's side (reference 001, "Gérer les devis collectivité", "Gérer les commandes
collectivité"): the quotes, current and archived, searched by reference or number, archived;
the orders, filtered, in their four tabs, moved by the bookshop's actions; a message to the
client. Each action that tells the client records its event in the same transaction."""
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import and_, func, or_, select

from services.common.clock import PARIS
from services.common import invoiced
from services.common.guards import transition

from ..domain import filters, status, tabs
from ..domain.chain import row_id
from ..domain.filters import OrderFilters, check_filters, page_args
from ..models import Document, DocumentEvent, DocumentLine
from ..presenters.documents import (admin_row, document_view, message_payload, order_state,
                                    status_changed_payload)
from .invoice_events import live_invoice
from .placing import find


def _page(session, q, page, per_page):
    total = session.scalar(select(func.count()).select_from(q.order_by(None).subquery()))
    rows = session.scalars(q.limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total


def _event(doc, admin, action, from_status, to_status, now, comment=""):
    doc.history.append(DocumentEvent(at=now, actor_id=admin["id"],
                                     actor_email=admin.get("email", ""), action=action,
                                     from_status=from_status, to_status=to_status,
                                     comment=comment))


# ---- quotes ---------------------------------------------------------------------------------
def list_quotes(session, archived=False, search="", page=1, per_page=50) -> dict:
    """"Devis en cours" / "Devis archivés", newest first; `search` finds a quote by its number,
    or by words of its collectivity's name or number, its "Référence collectivité", its contact
    or e-mails (each word found, accents and case ignored: « college emile zola » finds
    « COLLÈGE ÉMILE ZOLA »)."""
    page, per_page = page_args(page, per_page)
    search = str(search or "").strip()[:50]
    base = select(Document).where(Document.kind == status.QUOTE)
    counts = dict(session.execute(
        select(Document.archived_at.is_not(None), func.count())
        .where(Document.kind == status.QUOTE).group_by(Document.archived_at.is_not(None))).all())
    q = base.where(Document.archived_at.is_not(None) if archived
                   else Document.archived_at.is_(None))
    words = filters.search_words(search)
    if words:
        match = and_(*(Document.search_key.contains(w, autoescape=True) for w in words))
        number = row_id(search) if search.isdigit() else None
        q = q.where(or_(match, Document.number == number) if number else match)
    rows, total = _page(session, q.order_by(Document.number.desc()), page, per_page)
    return {"archived": bool(archived), "search": search,
            "counts": dict(zip(tabs.QUOTE_TABS, (counts.get(False, 0), counts.get(True, 0)))),
            "quotes": [admin_row(d) for d in rows], "total": total, "page": page,
            "per_page": per_page}


def archive_quote(session, admin, number, now, public_url) -> dict:
    doc = _locked(session, status.QUOTE, number)
    status.check_archivable(doc.archived_at is not None)
    transition(session, Document, doc.id, [None], {"archived_at": now}, column="archived_at",
               message="Ce devis vient d'être archivé.")
    _event(doc, admin, "archived", doc.status, doc.status, now)
    return document_view(doc, public_url, admin=True)


# ---- orders ---------------------------------------------------------------------------------
def _start(day):
    """Midnight in Paris, in UTC (the times stored are UTC)."""
    return datetime.combine(day, time(0, 0), tzinfo=PARIS).astimezone(timezone.utc)


def _filtered(f: OrderFilters):
    q = select(Document).where(Document.kind == status.ORDER)
    if f.eans:
        q = q.where(Document.id.in_(select(DocumentLine.document_id)
                                    .where(DocumentLine.ean.in_(f.eans))))
    if f.client_delivered:
        q = q.where(Document.delivery_client_number == f.client_delivered)
    if f.client_invoiced:
        q = q.where(Document.billing_client_number == f.client_invoiced)
    if f.date_from:
        q = q.where(Document.placed_at >= _start(f.date_from))
    if f.date_to:
        q = q.where(Document.placed_at < _start(f.date_to + timedelta(days=1)))
    if f.delivery_mode:
        q = q.where(Document.delivery_mode == f.delivery_mode)
    for word in filters.search_words(f.client):
        q = q.where(Document.search_key.contains(word, autoescape=True))
    if f.number:
        librisoft = func.lower(Document.librisoft_number) == f.number.lower()
        number = row_id(f.number) if f.number.isdigit() else None
        q = q.where(or_(Document.number == number, librisoft) if number else librisoft)
    return q


def list_orders(session, tab="pending", filters=None) -> dict:
    """The filter, the four tabs with their counts (under the filter), the tab's orders."""
    f = check_filters(filters)
    tab = tabs.order_tab(tab)
    q = _filtered(f)
    counts = _counts(session, q)
    rows, total = _page(session, q.where(Document.status == tab)
                        .order_by(Document.placed_at.desc(), Document.number.desc()),
                        f.page, f.per_page)
    return {"tab": tab,
            "tabs": tabs.order_tabs(counts),
            "filters": f.as_dict(), "delivery_modes": dict(status.DELIVERY_MODES),
            "orders": [admin_row(d) for d in rows], "total": total, "page": f.page,
            "per_page": f.per_page}


def _counts(session, q) -> dict:
    sub = q.subquery()
    return dict(session.execute(select(sub.c.status, func.count())
                                .group_by(sub.c.status)).all())


def _locked(session, kind, number) -> Document:
    doc = find(session, kind, number)
    session.refresh(doc, with_for_update=True)
    return doc


def get_document(session, kind, number, public_url) -> dict:
    return admin_view(session, find(session, status.check_kind(kind), number), public_url)


def admin_view(session, doc, public_url) -> dict:
    """The bookshop's view of a document; an order whose invoice is live offers no « Annuler »
    nor « Réinitialiser le statut » (they would be refused: `invoice_lock` names the invoice to
    credit first)."""
    view = document_view(doc, public_url, admin=True)
    if doc.kind == status.ORDER:
        lock = live_invoice(session, "collectivity_order", doc.number)
        if lock:
            view["invoice_lock"] = lock
            view["actions"] = [a for a in view["actions"]
                               if a not in (status.CANCELLED, status.RESET)]
    return view


def order_action(session, admin, number, action, reason, now, record, public_url) -> dict:
    """"Mettre à disposition", "Expédier", "Clôturer", "Annuler" (reason required) mail the
    client (collectivity_order_status_changed); "Réinitialiser le statut" is published too
    but mails no one."""
    doc = _locked(session, status.ORDER, number)
    change = status.order_action(order_state(doc), action, reason)
    # an invoiced order is kept (reference 003): neither cancelled nor set back to its start
    # (a closed, invoiced order went back to « En attente de traitement » on a click)
    if change.to_status == status.CANCELLED or change.action == status.RESET:
        invoiced.check_not_invoiced(live_invoice(session, "collectivity_order", doc.number),
                                    "Cette commande")
    # guarded: from the status (and marks) decided on, or conflict: one change, one mail
    transition(session, Document, doc.id, [change.from_status], change.values(now),
               where=tuple(getattr(Document, mark).is_(None) for mark in change.unset),
               message="Cette commande vient d'être modifiée par une autre action : rechargez "
                       "la page pour voir son état actuel.")
    _event(doc, admin, change.action, change.from_status, change.to_status, now, change.reason)
    # every change is published; a reset mails no one (notifications skips it), the desk and
    # the logistician follow it back
    record(session, "collectivity_order_status_changed",
           dict(status_changed_payload(doc, change.action, change.reason, now, public_url),
                picked_up=change.to_status == status.PROCESSING))
    return admin_view(session, doc, public_url)


def send_message(session, admin, kind, number, message, now, record, public_url) -> dict:
    doc = find(session, status.check_kind(kind), number)
    message = status.check_message(message)
    _event(doc, admin, "message", doc.status, doc.status, now, message)
    record(session, "collectivity_message_sent", message_payload(doc, message, public_url))
    return document_view(doc, public_url, admin=True)
