"""Demo orders for `make run` (scripts/demo_data.py): the owners' events of a few past orders,
applied by the register's own consumers so that the « Commandes » calendar shows several days.
They are desk-only (numbers from 9001, which no owner has yet: their owner's page is not
found); idempotent: applied again, nothing changes."""
import uuid
from datetime import datetime, timedelta, timezone

from . import use_cases

GROUPED = {"number": 9001, "client_number": "16", "client_name": "ECOLE JULES FERRY",
           "initiator_email": "collectivite@ecole-jules-ferry.test",
           "article": {"ean": "9791097284657", "title": "WESTERN COQUILLETTES",
                       "price_ttc": "14.90", "vat_rate": "5.5"},
           "deadline": "2030-01-01", "pickup_label": "À la librairie"}
BUYERS = (("Martine", "Moënne", 2), ("Yannick", "Henry", 1), ("Alice", "Roblin", 3),
          ("Édouard", "Delamurge", 1), ("Lydia", "Gutierrez", 2), ("Sylvette", "Lallemand", 1))


def _env(at):
    return {"event_id": str(uuid.uuid4()), "occurred_at": at.isoformat()}


def orders(now):
    """(use case, payload, envelope) of the demo's events, dated over the last 3 weeks."""
    start = now - timedelta(days=20)
    events = [(use_cases.on_grouped_order_created, GROUPED, _env(start))]
    for i, (first, last, quantity) in enumerate(BUYERS):
        at = start + timedelta(days=2 + i * 3, hours=i)
        events.append((use_cases.on_sub_order_paid, {
            "sub_order_number": 9001 + i, "grouped_order": GROUPED,
            "buyer": {"first_name": first, "last_name": last,
                      "email": f"{first.lower()}.{last.lower()}@example.org"},
            "quantity": quantity, "unit_price_ttc": "14.90",
            "total_ttc": f"{14.90 * quantity:.2f}", "subscribed_at": at.isoformat(),
            "paid_at": (at + timedelta(minutes=5)).isoformat(), "manual": i == 4},
            _env(at)))
    for i, total in enumerate(("761.92", "283.35", "605.18")):
        at = start + timedelta(days=4 + i * 6, hours=3)
        events.append((use_cases.on_collectivity_order_placed, {
            "number": 9001 + i, "client_number": "16", "client_name": "ECOLE JULES FERRY",
            "basket_number": 0, "basket_name": "Démo", "basket_creator_email": "",
            "placed_by_email": "collectivite@ecole-jules-ferry.test",
            "reference": f"DEMO-{i + 1}", "contact_name": "Chantal Bricard",
            "contact_email": "collectivite@ecole-jules-ferry.test", "lines": [],
            "totals": {"discount_total": "0", "subtotal_ht": total, "vat_total": "0",
                       "subtotal_ttc": total, "total_ttc": total},
            "placed_at": at.isoformat()}, _env(at)))
    cancelled = start + timedelta(days=11, hours=2)
    events.append((use_cases.on_sub_order_cancelled, {
        "sub_order_number": 9003, "grouped_order": GROUPED,
        "buyer": {"first_name": "Alice", "last_name": "Roblin", "email": "alice.roblin@example.org"},
        "quantity": 3, "total_ttc": "44.70", "reason": "Erreur de quantité",
        "refund_expected": True}, _env(cancelled)))
    return events


def load(database, now=None):
    """Apply the demo events once (a second run finds them applied)."""
    now = now or datetime.now(timezone.utc)
    from .models import RegisterEntry
    with database.transaction() as session:
        if session.query(RegisterEntry).filter_by(kind="grouped_order", number=9001).first():
            return 0
    count = 0
    for use_case, payload, envelope in orders(now):
        with database.transaction() as session:
            use_case(session, payload, envelope, now, lambda *a: None)
        count += 1
    return count
