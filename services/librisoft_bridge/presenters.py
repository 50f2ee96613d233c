"""What the bridge's RPCs, webservice and events return, as plain dicts (Decimal, date and
datetime left for the schemas of `schemas.py` to dump): articles, collectivity clients, classic
orders and the payloads of collectivity_client_updated and classic_order_status_changed."""
from datetime import timezone

from services.common.clock import as_utc

from .domain.articles import price_excluding_vat
from .domain.orders import PICKED_UP

ORDER_DATETIMES = ("picked_up_at", "status_updated_at", "placed_at", "created_at",
                   "updated_at", "cancelled_at", "cancellation_acknowledged_at")


def client_snapshot(state) -> dict:
    """A client's full state, shaped like the collectivity_client_updated contract."""
    return {
        "number": state["number"], "revision": state["revision"], "name": state["name"],
        "addresses": state["addresses"], "phone": state["phone"], "email": state["email"],
        "gencod": state["gencod"], "active": state["active"],
        "discounts": {"vat_2_1": state["discount_2_1"], "vat_5_5": state["discount_5_5"],
                      "vat_20": state["discount_20"], "school": state["discount_school"]},
        "lang_law_warning": state["lang_law_warning"],
        "blocked": bool(state.get("blocked")),
    }


def client(row) -> dict:
    return {**client_snapshot(row), "created_at": as_utc(row["created_at"]),
            "updated_at": as_utc(row["updated_at"])}


def article(row) -> dict:
    return {**row, "price_ht": price_excluding_vat(row["price_ttc"], row["vat_rate"]),
            "updated_at": as_utc(row["updated_at"])}


def order(row, lines) -> dict:
    """An order with its lines and the quantity they add up to."""
    view = {**row, **{name: row[name] and as_utc(row[name]).astimezone(timezone.utc)
                      for name in ORDER_DATETIMES}}
    view["lines"] = lines
    view["picked_up"] = row["state"] == PICKED_UP
    view["cancelled"] = row["cancelled_at"] is not None
    view["cancellation_acknowledged"] = row["cancellation_acknowledged_at"] is not None
    view["total_quantity"] = sum(line["quantity"] for line in lines)
    return view


def status_event(order: dict) -> dict:
    """The classic_order_status_changed payload of an order's current state."""
    cancelled_at = order.get("cancelled_at")
    acknowledged_at = order.get("cancellation_acknowledged_at")
    return {"order_number": order["number"], "source_kind": order["source_kind"],
            "source_number": order["source_number"], "picked_up": order["state"] == PICKED_UP,
            "librisoft_number": order["librisoft_number"] or "",
            "status": order["librisoft_status"] or "",
            "cancelled": cancelled_at is not None,
            "cancelled_at": _iso(cancelled_at),
            "cancellation_acknowledged": acknowledged_at is not None,
            "cancellation_acknowledged_at": _iso(acknowledged_at)}


def _iso(moment):
    """ISO 8601 with its offset (SQLite keeps none: every time stored here is UTC)."""
    return None if moment is None else as_utc(moment).isoformat()
