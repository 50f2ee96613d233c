"""A parent's sub-order follows its grouped order's cycle on the desk (the tester's defect: it
stayed « Commande enregistrée »): validated -> En cours de traitement (ordered from the
supplier), made available -> Commande prête, distributed -> Terminé (picked up) or
Livraison/retrait en cours (absent: the books wait at the pickup place), cancelled or failed ->
Annulée. Idempotent, order-independent, and silent: no `order_progressed` (no mail, no
logistics candidate), the grouped order's own events mail whom they mail."""
from services.common.progress import (CANCELLED, DELIVERING, DONE, PROCESSING, READY,
                                      REGISTERED)
from services.order_desk import use_cases
from services.order_desk.models import Base
from tests.support.fakes import database_fixture
from tests.unit.order_desk.test_progress_use_cases import history, progress
from tests.unit.order_desk.test_use_cases import GROUPED, apply, env, sub

db = database_fixture("order_desk", Base)
VALIDATED = {**GROUPED, "quantity": 4, "unit_price_ttc": "14.90", "total_ttc": "59.60",
             "validated_at": "2021-01-20T08:00:00+00:00"}
AVAILABLE = {**GROUPED, "made_available_at": "2021-01-22T08:00:00+00:00", "quantity": 4}


def distributed(absent=(), absent_owing=()):
    def told(n):
        return {"sub_order_number": n, "quantity": 1, "total_ttc": "14.90",
                "buyer": {"first_name": "A", "last_name": "B", "email": "a@b.fr"}}
    return {**GROUPED, "distributed_at": "2021-01-25T17:00:00+00:00", "expected": 3,
            "came": 3 - len(absent), "collected_all": 1, "refunds": "0.00",
            "extra_payments": "0.00", "absent": [told(n) for n in absent],
            "absent_owing": [told(n) for n in absent_owing]}


def place(db, *numbers):
    for n in numbers:
        apply(db, use_cases.on_sub_order_placed, {**sub(n), "payment_method": "online"})


def states(db, *numbers):
    return [progress(db, "sub_order", n) for n in numbers]


def test_sub_orders_follow_validated_made_available_and_distributed_silently(db):
    place(db, 1, 2, 3)
    events = apply(db, use_cases.on_grouped_order_validated, VALIDATED)
    assert states(db, 1, 2, 3) == [PROCESSING] * 3
    assert [e for e, _ in events if e == "order_progressed"] == ["order_progressed"]  # the GO's
    events = apply(db, use_cases.on_grouped_order_made_available, AVAILABLE)
    assert states(db, 1, 2, 3) == [READY] * 3
    assert len(events.of("order_progressed")) == 1
    assert all(p["order"]["kind"] == "grouped_order" for p in events.of("order_progressed"))
    events = apply(db, use_cases.on_grouped_order_distributed, distributed(absent=(2,)))
    assert states(db, 1, 2, 3) == [DONE, DELIVERING, DONE]
    # the grouped order itself is « Terminé »: it said « Commande prête » for good and was
    # still offered to the logistician; one event (logistics withdraws it), no mail (the
    # distribution's recap mailed the initiator)
    assert progress(db, "grouped_order", GROUPED["number"]) == DONE
    (done,) = events.of("order_progressed")
    assert (done["order"]["kind"], done["to_status"], done["mail"]) == (
        "grouped_order", DONE, False)
    assert history(db, "grouped_order", GROUPED["number"])[-1][2:] == (
        "système", "Distribution validée")
    assert apply(db, use_cases.on_grouped_order_distributed,
                 distributed(absent=(2,))).of("order_progressed") == []  # told twice: once
    assert [h[:2] for h in history(db, "sub_order", 2)] == [
        (REGISTERED, PROCESSING), (PROCESSING, READY), (READY, DELIVERING)]
    assert history(db, "sub_order", 1)[-1][2] == "système"


def test_twice_late_or_out_of_order_changes_nothing_more(db):
    place(db, 1, 2)
    apply(db, use_cases.on_sub_order_cancelled, {**sub(2), "reason": "déménagement"})
    apply(db, use_cases.on_grouped_order_made_available, AVAILABLE)
    apply(db, use_cases.on_grouped_order_validated, VALIDATED)  # late: never back
    apply(db, use_cases.on_grouped_order_made_available, AVAILABLE)  # twice
    assert states(db, 1, 2) == [READY, CANCELLED]  # a cancelled sub-order stays cancelled
    assert [h[:2] for h in history(db, "sub_order", 1)] == [(REGISTERED, READY)]
    apply(db, use_cases.on_grouped_order_distributed, distributed())
    apply(db, use_cases.on_grouped_order_distributed, distributed())
    assert states(db, 1, 2) == [DONE, CANCELLED]
    apply(db, use_cases.on_grouped_order_cancelled, {**GROUPED, "reason": "trop tard"})
    assert states(db, 1, 2) == [DONE, CANCELLED]  # done is final


def test_a_sub_order_known_after_its_grouped_order_moved_catches_up(db):
    apply(db, use_cases.on_grouped_order_validated, VALIDATED)
    place(db, 4)  # its sub_order_placed came late
    assert states(db, 4) == [PROCESSING]
    apply(db, use_cases.on_grouped_order_cancelled, {**GROUPED, "reason": "fournisseur"})
    apply(db, use_cases.on_sub_order_paid, sub(5))
    assert states(db, 4, 5) == [CANCELLED, CANCELLED]


def test_cancelled_or_failed_cancels_the_sub_orders_without_a_mail(db):
    place(db, 1)
    events = apply(db, use_cases.on_grouped_order_failed, {
        **GROUPED, "reason": "minimum non atteint", "min_copies": 10, "paid_copies": 3,
        "audience": "initiator", "to_email": GROUPED["initiator_email"],
        "paid_sub_orders": 1}, env())
    assert states(db, 1) == [CANCELLED]
    assert events.of("order_progressed") == []
    place(db, 2)
    events = apply(db, use_cases.on_grouped_order_cancelled, {**GROUPED, "reason": "x"})
    assert states(db, 2) == [CANCELLED]
    assert all(p["order"]["kind"] == "grouped_order" for p in events.of("order_progressed"))
    assert history(db, "sub_order", 2)[-1][3] == "Commande groupée n° 62 annulée : x"


def test_the_desk_offers_no_cancellation_its_owner_would_refuse(db):
    """« Annulée » was offered on a sub-order of a validated grouped order (« La commande
    groupée n'accepte plus de modification… ») and on a grouped order made available
    (« Impossible de passer de « Clôturée » à « Annulée » »), then refused."""
    def offered(kind, number):
        with db.transaction() as s:
            return [m["code"] for m in use_cases.progress_history(s, kind, number)["moves"]]
    place(db, 7)
    assert CANCELLED in offered("sub_order", 7)       # its grouped order still open
    apply(db, use_cases.on_grouped_order_validated, VALIDATED)
    assert CANCELLED not in offered("sub_order", 7)   # validated: the owner refuses
    assert CANCELLED in offered("grouped_order", GROUPED["number"])
    apply(db, use_cases.on_grouped_order_made_available, AVAILABLE)
    assert CANCELLED not in offered("grouped_order", GROUPED["number"])
    assert offered("grouped_order", GROUPED["number"])  # its other moves stay
