"""How quote requests and orders are shown (RPC output) and what their events carry: plain
dicts, money as strings with two decimals, times ISO 8601."""
from services.common.money import money_str as money

from ..domain import status
from ..models import Document
from .baskets import iso

DETAIL_PATHS = {status.QUOTE: "/mes-devis-collectivite/{number}",
                status.ORDER: "/mes-commandes-collectivite/{number}"}
HISTORY_LABELS = {"placed": "Envoi par la collectivité", "picked_up": "Récupération par LIBRISOFT",
                  "archived": "Devis archivé", "message": "Message envoyé au client",
                  status.LIBRISOFT_CANCEL_TOLD: "Annulation transmise à LIBRISOFT",
                  status.LIBRISOFT_CANCEL_DONE: "Annulation prise en compte par LIBRISOFT",
                  **status.ORDER_ACTION_LABELS}
LINE_FIELDS = ("ean", "title", "quantity", "vat_rate", "public_price_ttc", "unit_price_ttc",
               "discount_percent", "discount_amount", "total_ttc", "total_ht", "vat_amount")
TOTAL_FIELDS = ("discount_total", "subtotal_ht", "vat_total", "subtotal_ttc", "total_ttc")


def detail_url(doc: Document, public_url: str) -> str:
    return public_url.rstrip("/") + DETAIL_PATHS[doc.kind].format(number=doc.number)


def line_view(x) -> dict:
    return {"position": x.position, "ean": x.ean, "title": x.title, "author": x.author,
            "publisher": x.publisher, "quantity": x.quantity, "vat_rate": x.vat_rate,
            "school_book": x.school_book, "public_price_ttc": money(x.public_price_ttc),
            "public_price_ht": money(x.public_price_ht),
            "unit_price_ttc": money(x.unit_price_ttc),
            "discount_percent": money(x.discount_percent),
            "discount_amount": money(x.discount_amount), "total_ttc": money(x.total_ttc),
            "total_ht": money(x.total_ht), "vat_amount": money(x.vat_amount),
            "lang_law_capped": x.lang_law_capped}


def totals_view(doc: Document) -> dict:
    return {k: money(getattr(doc, k)) for k in TOTAL_FIELDS}


def history_view(e) -> dict:
    return {"at": iso(e.at), "actor_id": e.actor_id, "actor_email": e.actor_email,
            "action": e.action, "action_label": HISTORY_LABELS.get(e.action, e.action),
            "from_status": e.from_status, "to_status": e.to_status, "comment": e.comment}


def shown_status(doc: Document) -> str:
    """Its status as its pages and PDF say it (« Expédiée » while still open, …)."""
    return status.status_label(doc.kind, doc.status, doc.made_available_at is not None,
                               doc.shipped_at is not None,
                               (doc.delivery_mode or "livraison") != status.PICKUP_MODE)


def order_state(doc: Document) -> status.OrderState:
    return status.OrderState(doc.status, doc.picked_up_at is not None,
                            doc.made_available_at is not None, doc.shipped_at is not None,
                            doc.delivery_mode == status.PICKUP_MODE)


def to_emails(doc: Document) -> list:
    """Who "the client" is when the bookshop mails it: the account that placed the document,
    the client's contact address, and whoever made the basket (told it was placed: told too
    when it is made available, shipped or cancelled)."""
    return list(dict.fromkeys(e for e in (doc.placed_by_email, doc.contact_email,
                                          doc.basket_creator_email) if e))


def document_summary(doc: Document) -> dict:
    return {
        "number": doc.number, "kind": doc.kind, "kind_label": status.KIND_LABELS[doc.kind],
        "status": doc.status,
        "status_label": shown_status(doc),
        "client_number": doc.client_number, "client_name": doc.client_name,
        "basket_id": doc.basket_id, "basket_name": doc.basket_name,
        "basket_creator_email": doc.basket_creator_email,
        "placed_by_email": doc.placed_by_email, "contact_name": doc.contact_name,
        "contact_email": doc.contact_email, "contact_phone": doc.contact_phone,
        "reference": doc.reference, "placed_at": iso(doc.placed_at),
        "line_count": doc.line_count, "article_count": doc.article_count,
        "subtotal_ht": money(doc.subtotal_ht), "total_ttc": money(doc.total_ttc),
        "payment_mode": doc.payment_mode, "delivery_mode": doc.delivery_mode,
        "delivery_mode_label": status.DELIVERY_MODES.get(doc.delivery_mode, doc.delivery_mode),
        "librisoft_number": doc.librisoft_number or "",
        "librisoft_status": doc.librisoft_status or "",
        "archived": doc.archived_at is not None, "archived_at": iso(doc.archived_at),
        "made_available_at": iso(doc.made_available_at), "shipped_at": iso(doc.shipped_at),
    }


def librisoft_cancellation(doc: Document) -> dict:
    """When Librisoft was told of the order's cancellation, and when it applied it (or None)."""
    at = {e.action: iso(e.at) for e in doc.history}
    return {"librisoft_cancel_told_at": at.get(status.LIBRISOFT_CANCEL_TOLD),
            "librisoft_cancel_done_at": at.get(status.LIBRISOFT_CANCEL_DONE)}


def document_view(doc: Document, public_url: str, admin=False) -> dict:
    view = document_summary(doc)
    view.update(
        comment=doc.comment, delivery_label=doc.delivery_label, billing_label=doc.billing_label,
        delivery_client_number=doc.delivery_client_number,
        billing_client_number=doc.billing_client_number,
        lines=[line_view(x) for x in doc.lines], totals=totals_view(doc),
        history=[history_view(e) for e in doc.history if e.action != "message"],
        messages=[{"at": iso(e.at), "from_email": e.actor_email, "message": e.comment}
                  for e in doc.history if e.action == "message"],
        picked_up=doc.picked_up_at is not None, picked_up_at=iso(doc.picked_up_at),
        classic_order_number=doc.classic_order_number, closed_at=iso(doc.closed_at),
        cancelled_at=iso(doc.cancelled_at), cancel_reason=doc.cancel_reason,
        **librisoft_cancellation(doc),
        detail_url=detail_url(doc, public_url))
    if admin:
        view.update(admin_actions(doc))
    return view


def admin_actions(doc: Document) -> dict:
    """What the bookshop may do now, its button labels, and the one button of the list."""
    if doc.kind == status.QUOTE:
        archived = doc.archived_at is not None
        return {"actions": status.quote_actions(archived),
                "action_labels": dict(status.QUOTE_ACTION_LABELS),
                "list_action": status.quote_list_action(archived)}
    state = order_state(doc)
    return {"actions": status.bookshop_order_actions(state),
            "action_labels": dict(status.ORDER_ACTION_LABELS,
                                  message=status.QUOTE_ACTION_LABELS[status.MESSAGE]),
            "list_action": status.order_list_action(state, doc.librisoft_status)}


def admin_row(doc: Document) -> dict:
    return dict(document_summary(doc), **admin_actions(doc))


# ---- event payloads -------------------------------------------------------------------------
def placed_payload(doc: Document, public_url: str) -> dict:
    """CollectivityDocumentV1."""
    return {
        "number": doc.number, "client_number": doc.client_number,
        "client_name": doc.client_name, "basket_number": doc.basket_id,
        "basket_name": doc.basket_name, "basket_creator_email": doc.basket_creator_email,
        "placed_by_email": doc.placed_by_email, "reference": doc.reference,
        "comment": doc.comment, "contact_name": doc.contact_name,
        "contact_email": doc.contact_email, "contact_phone": doc.contact_phone,
        "delivery_label": doc.delivery_label, "billing_label": doc.billing_label,
        "lines": [{k: v for k, v in line_view(x).items() if k in LINE_FIELDS}
                  for x in doc.lines],
        "totals": totals_view(doc), "placed_at": iso(doc.placed_at),
        "detail_url": detail_url(doc, public_url)}


def status_changed_payload(doc: Document, action: str, reason: str, now, public_url) -> dict:
    """CollectivityOrderStatusChangedV1."""
    return {"number": doc.number, "client_name": doc.client_name, "to_emails": to_emails(doc),
            "action": action, "status_label": status.ORDER_LABELS[doc.status],
            "reason": reason or "", "total_ttc": money(doc.total_ttc),
            "reference": doc.reference, "delivery_label": doc.delivery_label,
            "delivery_mode": doc.delivery_mode or "livraison",
            "at": now.isoformat(), "detail_url": detail_url(doc, public_url)}


def message_payload(doc: Document, message: str, public_url: str) -> dict:
    """CollectivityMessageSentV1."""
    return {"number": doc.number, "kind": status.EVENT_KIND[doc.kind],
            "to_emails": to_emails(doc), "client_name": doc.client_name, "message": message,
            "reference": doc.reference, "detail_url": detail_url(doc, public_url)}


# ---- order_document (services.common.contracts.documents) -----------------------------------
def _address_lines(label, name) -> list:
    lines = [x for x in (label or "").split("\n") if x.strip()]
    return lines[1:] if lines and lines[0] == name else lines


def order_document(doc: Document, client) -> dict:
    """The document of a quote or an order; `client`: accounts' view of its billing client
    (SIRET, Chorus Pro service code), or None."""
    from ..domain import documents

    lines = documents.document_lines(doc.lines)
    totals = documents.document_totals(lines)
    return {
        "kind": status.EVENT_KIND[doc.kind], "number": doc.number,
        "title": documents.title(doc.kind, doc.number), "placed_at": iso(doc.placed_at),
        "status": shown_status(doc),
        "customer": {"name": doc.client_name,
                     "email": doc.contact_email or doc.placed_by_email,
                     "address_lines": _address_lines(doc.billing_label, doc.client_name),
                     "client_number": doc.billing_client_number or doc.client_number,
                     **documents.customer_billing(client)},
        "reference": doc.reference,
        "lines": [{"ean": x.ean, "title": x.title, "publisher": x.publisher,
                   "quantity": x.quantity, "vat_rate": x.vat_rate,
                   "unit_price_ttc": money(x.unit_price_ttc),
                   "unit_price_ht": money(x.unit_price_ht), "total_ht": money(x.total_ht),
                   "vat_amount": money(x.vat_amount), "total_ttc": money(x.total_ttc),
                   **x.discount_fields()}
                  for x in lines],
        "totals": {"total_ht": money(totals["total_ht"]),
                   "vat": [{"rate": v["rate"], "base_ht": money(v["base_ht"]),
                            "amount": money(v["amount"])} for v in totals["vat"]],
                   "total_ttc": money(totals["total_ttc"])},
        "payment": documents.payment(doc.kind, doc.status),
        # the delivery address chosen at the order, when it is not the billing one
        **({"delivery_lines": [x for x in doc.delivery_label.split("\n") if x.strip()]}
           if (doc.delivery_label or "").strip() and
           doc.delivery_label.strip() != (doc.billing_label or "").strip() else {})}
