"""What the desk reads: the month calendar, the filtered list, one order."""
from sqlalchemy import and_, case, func, not_, or_, select

from services.common.errors import invalid, not_found
from services.common.progress import CANCELLED

from .. import presenters
from ..domain import calendar, filters as filtering
from ..domain.register import ORDER_KINDS
from ..models import RegisterEntry as R


def calendar_month(session, year, month, today):
    try:
        year, month = calendar.check_month(year, month)
    except (TypeError, ValueError):
        raise invalid("Mois invalide : choisissez un mois entre 2000 et 2100.")
    start, end = calendar.grid_bounds(year, month)
    rows = session.execute(select(R.placed_day, R.kind, R.total_ttc - R.credited_ttc,
                                  R.progress, R.invoice_number, R.credited_invoice,
                                  R.payment_method, R.payment_state).where(
        R.placed_day >= start, R.placed_day <= end)).all()
    return presenters.calendar(calendar.month(year, month, rows), today)


def _fully_credited():
    """domain.register.fully_credited in SQL (invoice numbers sort as they were issued)."""
    return and_(R.credited_invoice.is_not(None),
                or_(R.invoice_number.is_(None), R.credited_invoice >= R.invoice_number))


def _unpaid_online():
    """domain.calendar.unpaid_online in SQL: a sub-order to pay online not paid yet."""
    return and_(R.kind == "sub_order", func.coalesce(R.payment_method, "online") == "online",
                func.coalesce(R.payment_state, "") .not_in(calendar.PAID_ONLINE))


def _counted(kinds):
    """An order of `kinds` the calendar counts (domain.calendar): neither cancelled, nor
    « annulée par avoir », nor a parent's order to pay online not paid yet."""
    return and_(R.kind.in_(kinds), R.progress != CANCELLED, not_(_fully_credited()),
                not_(_unpaid_online()))


def _counted_amount():
    """An order's amount as the calendar counts it (domain.calendar): sub-orders and
    collectivity orders neither cancelled nor « annulées par avoir »; a grouped order's money is
    its sub-orders' (not added twice), a quote request is no sale; each for its total less what
    partial credit notes took off it."""
    return func.coalesce(func.sum(case((_counted(calendar.AMOUNT_KINDS),
                                        R.total_ttc - R.credited_ttc), else_=0)), 0)


def _where(f: filtering.Filters):
    conditions = []
    if f.number is not None:
        conditions.append(R.number == f.number)
    for word in f.customer:
        conditions.append(R.search_key.contains(word, autoescape=True))
    if f.amount_from is not None:
        conditions.append(R.total_ttc >= f.amount_from)
    if f.amount_to is not None:
        conditions.append(R.total_ttc <= f.amount_to)
    if f.amount_from is not None or f.amount_to is not None:
        # a grouped order's amount is known at its validation: not « 0 € » before
        conditions.append(not_(and_(R.kind == "grouped_order", R.total_ttc == 0)))
    if f.period_from is not None:
        conditions.append(R.placed_day >= f.period_from)
    if f.period_to is not None:
        conditions.append(R.placed_day <= f.period_to)
    if f.kind:
        conditions.append(R.kind == f.kind)
    if f.payment_state:
        conditions.append(R.payment_state == f.payment_state)
    if f.progress:
        conditions.append(R.progress == f.progress)
    # invoiced: a live invoice (one that credit notes took entirely, not invoiced again, is not)
    live = and_(R.invoice_number.is_not(None), not_(_fully_credited()))
    if f.invoiced is True:
        conditions.append(live)
    elif f.invoiced is False:  # still to invoice: a grouped order or a quote never is
        conditions.append(and_(R.kind.in_(filtering.INVOICEABLE_KINDS), not_(live)))
    return conditions


SORT_COLUMNS = {"date": (R.placed_at,), "number": (R.number, R.kind),
                "amount": (R.total_ttc,), "customer": (R.search_key,)}


def _order_by(f: filtering.Filters):
    columns = SORT_COLUMNS[f.sort]
    desc = f.direction == "desc"
    keys = []
    for column in columns:
        # undated orders (a payment heard of before the order) last either way
        if column is R.placed_at:
            keys.append(R.placed_at.is_(None))
        keys.append(column.desc() if desc else column.asc())
    keys.append(R.id.desc() if desc else R.id.asc())
    return keys


def list_orders(session, data=None):
    f = filtering.parse(data)
    conditions = _where(f)
    total = session.execute(select(func.count(R.id)).where(*conditions)).scalar_one()
    rows = session.execute(select(R).where(*conditions).order_by(*_order_by(f))
                           .offset(f.offset).limit(filtering.PAGE_SIZE)).scalars().all()
    amount, quotes, counted = session.execute(select(
        _counted_amount(),
        func.coalesce(func.sum(case((R.kind == "quote", R.total_ttc), else_=0)), 0),
        func.coalesce(func.sum(case((_counted(calendar.COUNTED_KINDS), 1), else_=0)), 0))
        .where(*conditions)).one()
    return presenters.order_list(f, rows, total, amount, quotes, counted)


def get_order(session, kind, number):
    if kind not in ORDER_KINDS or not str(number).isdigit():
        raise not_found("Commande introuvable.")
    entry = session.execute(select(R).where(R.kind == kind, R.number == int(number))
                            ).scalar_one_or_none()
    if entry is None:
        raise not_found("Commande introuvable.")
    return presenters.order(entry)

