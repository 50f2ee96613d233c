"""What the order desk's RPCs answer: plain dicts, money as strings ("12.80"), instants ISO."""
from datetime import datetime, timezone

from services.common.money import money_str
from services.common.progress import LABELS as PROGRESS_LABELS, REGISTERED

from .domain import calendar as cal, filters as filtering
from .domain.register import KIND_LABELS, PAYMENT_METHODS, fully_credited


def _iso(value):
    """An instant with its zone (SQLite gives it back without: UTC, as it was stored)."""
    if value is None:
        return None
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.isoformat()


def order(entry) -> dict:
    return {
        "kind": entry.kind,
        "kind_label": KIND_LABELS.get(entry.kind, entry.kind),
        "number": entry.number,
        "grouped_order_number": entry.grouped_order_number,
        "customer_name": entry.customer_name,
        "customer_email": entry.customer_email,
        "client_name": entry.client_name,
        "client_number": entry.client_number,
        "total_ttc": money_str(entry.total_ttc or 0),
        "placed_at": _iso(entry.placed_at),
        "placed_day": _iso(entry.placed_day),
        "payment_state": entry.payment_state,
        "payment_label": entry.payment_label or "",
        "payment_method": entry.payment_method,
        "payment_method_label": PAYMENT_METHODS.get(entry.payment_method or "", ""),
        "cheque_number": entry.cheque_number or "",
        "progress": entry.progress,
        "progress_label": progress_label(entry.kind, entry.progress),
        "progress_at": _iso(entry.progress_at),
        "invoice_number": entry.invoice_number,
        # its invoice taken entirely by credit notes, not invoiced again: nothing is due
        "credited": fully_credited(entry.invoice_number, entry.credited_invoice),
        # what partial credit notes took off its live invoice (TTC)
        "credited_ttc": money_str(entry.credited_ttc or 0),
        "batch_number": entry.batch_number,
        "detail_url": entry.detail_url or "",
        "updated_at": _iso(entry.updated_at),
    }


def order_list(f: filtering.Filters, rows, total, amount, quotes=0, counted=None) -> dict:
    """`total_ttc`: the listed orders' amount as the calendar counts it (no cancelled order, no
    order « annulée par avoir », no quote request, a grouped order by its sub-orders), so that a
    day's list and its calendar cell say the same; `quotes_ttc`: the quote requests listed."""
    count, previous, following = filtering.pages(total, f.page)
    return {"orders": [order(r) for r in rows], "total": total,
            # the listed orders the calendar counts (no cancelled order, no quote request, …):
            # a day's list lists them all, its cell counts these
            "counted": total if counted is None else int(counted),
            "total_ttc": money_str(amount or 0), "quotes_ttc": money_str(quotes or 0),
            "page": f.page,
            "per_page": filtering.PAGE_SIZE, "pages": count, "previous_page": previous,
            "next_page": following, "sort": f.sort, "direction": f.direction,
            "filters": filtering.as_query(f)}


def calendar(month: dict, today) -> dict:
    before, after = cal.neighbours(month["year"], month["month"])
    return {
        "year": month["year"], "month": month["month"],
        "title": cal.title(month["year"], month["month"]),
        "weekdays": list(cal.WEEKDAYS),
        "count": month["count"], "total_ttc": money_str(month["total_ttc"]),
        "cancelled": month["cancelled"], "credited": month["credited"],
        "unpaid": month.get("unpaid", 0),
        # None: no month before 2000-01 or after 2100-12 (no link to a 400)
        "previous": {"year": before[0], "month": before[1]} if before else None,
        "next": {"year": after[0], "month": after[1]} if after else None,
        "weeks": [[{"day": d.day.isoformat(), "in_month": d.in_month, "count": d.count,
                    "total_ttc": money_str(d.total_ttc), "cancelled": d.cancelled,
                    "credited": d.credited, "unpaid": d.unpaid,
                    "today": d.day == today} for d in week] for week in month["weeks"]],
    }


# ---- progress states and their history (use_cases/progress.py) ------------------------------
def progress_event(entry, row, *, mail: bool) -> dict:
    """The payload of `order_progressed` for the history row `row` of the order `entry`."""
    return {"order": {"kind": entry.kind, "number": entry.number},
            "from_status": row.from_status, "to_status": row.to_status,
            "label": PROGRESS_LABELS[row.to_status], "comment": row.comment or "",
            "by": row.by or "", "at": row.at.isoformat(),
            "customer_name": entry.customer_name or "",
            "customer_email": entry.customer_email or "",
            "cc_emails": (entry.cc_emails or "").split(),
            "total_ttc": money_str(entry.total_ttc or 0), "detail_url": entry.detail_url or "",
            "mail": mail}


def progress_label(kind, code) -> str:
    """The progress state's label; a quote request is « Demande enregistrée », not
    « Commande enregistrée » (it is no order)."""
    if kind == "quote" and code == REGISTERED:
        return "Demande enregistrée"
    return PROGRESS_LABELS.get(code, code)


def history_row(h, kind=None) -> dict:
    return {"from_status": h.from_status,
            "from_label": progress_label(kind, h.from_status) if h.from_status else "",
            "to_status": h.to_status, "to_label": progress_label(kind, h.to_status),
            "by": h.by or "", "at": _iso(h.at), "comment": h.comment or ""}


def progress_view(entry, history, moves, pending=()) -> dict:
    """The order's progress, its history (oldest first; its registration first, from the
    register), the moves the bookshop may make now (`domain.progress.menu`) and those asked of
    the owner whose event has not come back yet (`pending`)."""
    placed = [{"from_status": None, "from_label": "", "to_status": "registered",
               "to_label": progress_label(entry.kind, REGISTERED), "by": "système",
               "at": _iso(entry.placed_at or entry.created_at), "comment": ""}]
    return {"kind": entry.kind, "kind_label": KIND_LABELS.get(entry.kind, entry.kind),
            "number": entry.number, "status": entry.progress,
            "label": progress_label(entry.kind, entry.progress),
            "at": _iso(entry.progress_at),
            "history": placed + [history_row(h, entry.kind) for h in history],
            "moves": moves,
            "pending": [{"to_status": r.to_status, "to_label": PROGRESS_LABELS[r.to_status],
                         "by": r.by or "", "asked_at": _iso(r.asked_at)} for r in pending]}
