"""The initiator's side (reference 000, "Créer une commande groupée", "Mes commandes groupées"):
creating a grouped order, its list and detail, moving its deadline, its sign-in sheet."""
import secrets

from sqlalchemy import select

from services.common.clock import as_utc
from services.common.guards import transition

from .. import domain
from ..models import GroupedOrder, GroupedOrderTitle, TitleAvailability
from ..presenters import created_event, grouped_order_view, reopened_event
from .load import get_grouped_order, own

ARTICLE_KEPT = ("ean", "title", "author", "publisher", "collection", "genre", "publication_date",
                "format", "price_ttc", "vat_rate", "summary")


def create(session, initiator: dict, client: dict, articles, data: dict, now, record,
           public_url, bookshop_label, payment_methods=domain.ONLINE_ONLY) -> dict:
    """`articles`: the titles from the catalogue, in the initiator's order, each with
    `optional` (True: a buyer may take 0 copies); one article alone is a list of one."""
    articles = [articles] if isinstance(articles, dict) else list(articles)
    titles = domain.check_titles((a, not a.get("optional")) for a in articles)
    choices = domain.pickup_choices(client, bookshop_label)
    new = domain.check_new_grouped_order(data.get("deadline"), data.get("pickup"),
                                         data.get("comment"), articles[0]["price_ttc"], choices,
                                         now, data.get("opens_on"))
    limits = domain.check_copy_limits(data.get("min_copies"), data.get("max_copies"))
    minimums = domain.check_title_minimums([t.ean for t in titles],
                                           domain.minimums_asked(data), limits.maximum)
    article = articles[0]
    go = GroupedOrder(
        token=secrets.token_urlsafe(24), status=domain.OPEN, initiator_id=initiator["id"],
        initiator_email=initiator["email"], client_number=client["number"],
        client_name=client["name"], contact_email=initiator["email"],
        contact_phone=client.get("phone") or "",
        article={k: article.get(k) for k in ARTICLE_KEPT},
        unit_price=new.unit_price, deadline=new.deadline, closes_at=domain.closes_at(new.deadline),
        pickup_kind=new.pickup_kind, pickup_label=new.pickup_label,
        billing_label=domain.billing_label(client),
        comment=new.comment, opens_on=new.opens_on,
        payment_methods=payment_methods, created_at=now,
        min_copies=limits.minimum, max_copies=limits.maximum)
    go.titles = [GroupedOrderTitle(
        position=i, ean=t.ean, title=a.get("title") or "", author=a.get("author") or "",
        publisher=a.get("publisher") or "", vat_rate=str(a.get("vat_rate") or ""),
        price_ttc=t.unit_price, required=t.required, min_copies=minimums[t.ean],
        article={k: a.get(k) for k in ARTICLE_KEPT})
        for i, (a, t) in enumerate(zip(articles, titles), start=1)]
    session.add(go)
    session.flush()
    record(session, "grouped_order_created", created_event(go, public_url))
    return grouped_order_view(go, now, public_url)


def list_for_initiator(session, account_id, now, public_url) -> list:
    q = select(GroupedOrder).where(GroupedOrder.initiator_id == account_id) \
        .order_by(GroupedOrder.number.desc())
    return [grouped_order_view(go, now, public_url, with_subs=False) for go in session.scalars(q)]


def get_for_initiator(session, number, account_id, now, public_url) -> dict:
    return grouped_order_view(own(session, number, account_id), now, public_url)


def sheet_view(session, number, actor_id, role, now, public_url) -> dict:
    """The view the sign-in sheet is drawn from: the initiator's own grouped order, or any for
    the admin."""
    go = get_grouped_order(session, number) if role == "admin" else \
        own(session, number, actor_id)
    return grouped_order_view(go, now, public_url)


def change_deadline(session, number, account_id, deadline, now, public_url,
                    record=None) -> dict:
    go = own(session, number, account_id)
    session.refresh(go, with_for_update=True)
    cut = go.status == domain.AWAITING_VALIDATION and session.scalar(
        select(TitleAvailability.title_id).where(
            TitleAvailability.grouped_order_number == go.number).limit(1)) is not None
    domain.check_deadline_change(go.status, cut)
    deadline = domain.check_deadline_after_opening(domain.check_deadline(deadline, now),
                                                   go.opens_on)
    # closed at its deadline (or by the bookshop) and not validated yet: reopened until the new
    # one; the deadline timer closes it again then (its mail again: a new deadline passed)
    reopened = go.status == domain.AWAITING_VALIDATION
    closed_early = reopened and go.closes_at is not None and \
        as_utc(go.closes_at) < domain.closes_at(go.deadline)
    transition(session, GroupedOrder, go.number, [go.status],
               {"status": domain.OPEN, "deadline": deadline,
                "closes_at": domain.closes_at(deadline)},
               message=domain.ALREADY_DONE)
    if reopened and record is not None:  # the bookshop is told (it may have closed it)
        session.refresh(go)
        record(session, "grouped_order_reopened",
               reopened_event(go, public_url, closed_early, now))
    return grouped_order_view(go, now, public_url)


def cancel_by_initiator(session, number, account_id, reason, now, record, public_url) -> dict:
    """The initiator cancels their own grouped order while it is not validated and no parent
    has paid (domain.check_initiator_can_cancel): the bookshop's cancellation then, its mails
    (the buyers with the reason, the initiator), the unpaid orders' payment pages closed."""
    from .bookshop import cancel
    go = own(session, number, account_id)
    session.refresh(go, with_for_update=True)
    paid = sum(1 for sub in go.subs if sub.status == domain.PAID)
    domain.check_initiator_can_cancel(go.status, paid)
    return cancel(session, number, reason, now, record, public_url, by_initiator=True)
