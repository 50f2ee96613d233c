"""Progress states with their history on a real (SQLite) database: the owners' events move the
progress through a guarded transition with a history row and `order_progressed` (mail=False when
the owner mailed already), the bookshop's desk moves are recorded or asked of the owner, a
stale or repeated move is a 409 with nothing written, the history reads back."""
from datetime import datetime, timedelta, timezone

import pytest

from services.common.contracts.events import make_envelope
from services.common.errors import DomainError
from services.common.progress import (CANCELLED, CONFIRMING, DELIVERING, DONE, ERROR,
                                      PROCESSING, READY, REGISTERED)
from services.order_desk import use_cases
from services.order_desk.adapters import owners
from services.order_desk.models import Base, ProgressHistory, ProgressRequest, RegisterEntry
from tests.support.fakes import Events, database_fixture
from tests.unit.order_desk.test_use_cases import GROUPED, apply, document

db = database_fixture("order_desk", Base)
NOW = datetime(2021, 1, 27, 9, 0, tzinfo=timezone.utc)
ADMIN = "admin@librairie.test"


def tx(db, fn, *args):
    with db.transaction() as s:
        return fn(s, *args)


def history(db, kind, number):
    with db.transaction() as s:
        return [(h.from_status, h.to_status, h.by, h.comment) for h in s.query(ProgressHistory)
                .filter_by(kind=kind, number=number).order_by(ProgressHistory.id)]


def progress(db, kind, number):
    with db.transaction() as s:
        return s.query(RegisterEntry).filter_by(kind=kind, number=number).one().progress


@pytest.fixture
def collectivity(db):
    apply(db, use_cases.on_collectivity_order_placed, document(7))
    return 7


def move(db, kind, number, to, comment="", expected=None, now=NOW):
    events = Events()
    view = tx(db, use_cases.record_move, kind, number, to, comment, ADMIN, expected, now, events)
    return view, events


def test_a_desk_move_is_one_transition_one_history_row_one_event(db, collectivity):
    view, events = move(db, "collectivity_order", 7, CONFIRMING, " On vérifie le stock ",
                        REGISTERED)
    assert progress(db, "collectivity_order", 7) == CONFIRMING
    assert history(db, "collectivity_order", 7) == [
        (REGISTERED, CONFIRMING, ADMIN, "On vérifie le stock")]
    (payload,) = events.of("order_progressed")
    assert payload["order"] == {"kind": "collectivity_order", "number": 7}
    assert (payload["from_status"], payload["to_status"], payload["label"]) == (
        REGISTERED, CONFIRMING, "Confirmation en cours")
    assert payload["mail"] is True and payload["customer_email"] == "anne@vp.org"
    # who placed it and who made its basket are told too (not only the client's contact)
    assert payload["cc_emails"] == ["gestion@vp.org", "cdi@vp.org"]
    assert payload["total_ttc"] == "120.40" and payload["by"] == ADMIN
    make_envelope("order_progressed", payload, "order_desk")  # the contract holds
    assert view["status"] == CONFIRMING and view["label"] == "Confirmation en cours"
    assert [(h["from_label"], h["to_label"]) for h in view["history"]] == [
        ("", "Commande enregistrée"), ("Commande enregistrée", "Confirmation en cours")]
    assert [m["code"] for m in view["moves"]] == [PROCESSING, DONE, CANCELLED, ERROR]


def test_the_same_move_twice_is_a_409_and_writes_nothing(db, collectivity):
    move(db, "collectivity_order", 7, CONFIRMING, expected=REGISTERED)
    for expected in (REGISTERED, None):
        with pytest.raises(DomainError) as e:
            move(db, "collectivity_order", 7, CONFIRMING, expected=expected)
        assert e.value.code == "conflict"
    assert len(history(db, "collectivity_order", 7)) == 1


def test_the_guarded_transition_refuses_a_twin_that_read_the_same_state(db, collectivity):
    """Two moves that both read « enregistrée »: the second one's UPDATE finds it changed."""
    with db.transaction() as s:
        entry = s.query(RegisterEntry).filter_by(kind="collectivity_order", number=7).one()
        s.expunge(entry)
    move(db, "collectivity_order", 7, CONFIRMING)
    from services.order_desk.use_cases import progress as uc
    with pytest.raises(DomainError) as e, db.transaction() as s:
        uc._move(s, entry, CONFIRMING, ADMIN, "", NOW, NOW, Events(), mail=True)
    assert e.value.code == "conflict"
    assert len(history(db, "collectivity_order", 7)) == 1


def test_bad_input_is_a_400_a_stale_move_a_409(db, collectivity):
    for to, comment, code in [("fini", "", "invalid"), (CANCELLED, "", "invalid"),
                              (READY, "", "conflict")]:
        with pytest.raises(DomainError) as e:
            move(db, "collectivity_order", 7, to, comment)
        assert e.value.code == code
    with pytest.raises(DomainError) as e:
        move(db, "collectivity_order", 7, PROCESSING, expected=CONFIRMING)
    assert e.value.code == "conflict" and "entre-temps" in e.value.message
    with pytest.raises(DomainError) as e:
        tx(db, use_cases.progress_history, "collectivity_order", 99)
    assert e.value.code == "not_found"
    assert history(db, "collectivity_order", 7) == []


def test_cancelled_and_error_are_recorded_without_mail_and_error_is_left_backwards(db):
    apply(db, use_cases.on_quote_requested, document(8, "50.00"))
    move(db, "quote", 8, PROCESSING)
    _, events = move(db, "quote", 8, ERROR, "Paiement en double")
    assert events.of("order_progressed")[0]["mail"] is False
    view = tx(db, use_cases.progress_history, "quote", 8)
    assert [m["code"] for m in view["moves"]] == [PROCESSING, CANCELLED]
    move(db, "quote", 8, PROCESSING, "Réglé")
    _, events = move(db, "quote", 8, CANCELLED, "Le client renonce")
    assert events.of("order_progressed")[0]["mail"] is False
    assert [h[1] for h in history(db, "quote", 8)] == [PROCESSING, ERROR, PROCESSING, CANCELLED]
    assert tx(db, use_cases.progress_history, "quote", 8)["moves"] == []


def test_an_owners_move_is_planned_not_recorded(db, collectivity):
    planned = tx(db, use_cases.plan_move, "collectivity_order", 7, DONE, "", REGISTERED)
    assert (planned.owner.service, planned.owner.action) == ("baskets", "closed")
    with pytest.raises(RuntimeError):
        move(db, "collectivity_order", 7, DONE)
    assert history(db, "collectivity_order", 7) == []


def status_changed(action, at="2021-01-25T08:00:00+00:00"):
    return {"number": 7, "client_name": "COLLÈGE VICTOR PROUVÉ", "to_emails": ["anne@vp.org"],
            "action": action, "status_label": "x", "total_ttc": "120.40", "at": at}


def test_the_owners_event_writes_who_asked_and_why_and_does_not_mail_twice(db, collectivity):
    planned = tx(db, use_cases.plan_move, "collectivity_order", 7, CANCELLED, "Épuisé", None)
    tx(db, use_cases.ask_owner, planned, 7, ADMIN, NOW)
    assert tx(db, use_cases.progress_history, "collectivity_order", 7)["pending"][0][
        "to_label"] == "Annulée"
    events = apply(db, use_cases.on_collectivity_order_status_changed,
                   status_changed("cancelled"))
    (payload,) = events.of("order_progressed")
    assert (payload["to_status"], payload["by"], payload["comment"], payload["mail"]) == (
        CANCELLED, ADMIN, "Épuisé", False)
    assert history(db, "collectivity_order", 7) == [(REGISTERED, CANCELLED, ADMIN, "Épuisé")]
    with db.transaction() as s:
        assert s.query(ProgressRequest).count() == 0
    # the same request again (a form sent twice with its key: the owner answers as before,
    # without a new event): not shown waiting for ever
    tx(db, use_cases.ask_owner, planned, 7, ADMIN, NOW)
    assert tx(db, use_cases.progress_history, "collectivity_order", 7)["pending"] == []


def test_owners_events_move_forward_once_and_mail_only_what_the_owner_did_not(db, collectivity):
    pickup = {"order_number": 1, "source_kind": "collectivity_order", "source_number": 7,
              "picked_up": True, "status": "Attente fournisseur(s)"}
    events = apply(db, use_cases.on_classic_order_status_changed, pickup)
    (picked,) = events.of("order_progressed")
    assert (picked["to_status"], picked["by"], picked["mail"]) == (PROCESSING, "système", True)
    events = apply(db, use_cases.on_collectivity_order_status_changed, status_changed("shipped"))
    assert [(p["to_status"], p["mail"]) for p in events.of("order_progressed")] == [
        (DELIVERING, False)]
    # made available after shipped: late, nothing moves
    late = apply(db, use_cases.on_collectivity_order_status_changed,
                 status_changed("made_available"))
    assert late.of("order_progressed") == []
    assert [h[1] for h in history(db, "collectivity_order", 7)] == [PROCESSING, DELIVERING]


def test_a_grouped_order_made_available_is_ready_without_a_second_mail(db):
    apply(db, use_cases.on_grouped_order_created, GROUPED)
    events = apply(db, use_cases.on_grouped_order_made_available,
                   {**GROUPED, "made_available_at": "2021-01-22T08:00:00+00:00", "quantity": 4})
    (payload,) = events.of("order_progressed")
    assert (payload["from_status"], payload["to_status"], payload["mail"]) == (
        REGISTERED, READY, False)
    assert payload["at"].startswith("2021-01-22T08:00")
    _, events = move(db, "grouped_order", 62, DELIVERING, "Livré au collège")
    assert events.of("order_progressed")[0]["mail"] is True


class Proxy:
    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        return lambda *args, **kwargs: self.calls.append((name, args, kwargs))


@pytest.mark.parametrize("kind,to,comment,service,call", [
    ("sub_order", CANCELLED, "Doublon", "grouped_orders",
     ("admin_cancel_sub_order", (1, 12, "Doublon"))),
    ("grouped_order", PROCESSING, "", "grouped_orders", ("validate_grouped_order", (1, 12))),
    ("grouped_order", READY, "", "grouped_orders", ("make_available", (1, 12))),
    ("grouped_order", CANCELLED, "Classe fermée", "grouped_orders",
     ("cancel_grouped_order", (1, 12, "Classe fermée"))),
    ("collectivity_order", DONE, "", "baskets", ("admin_order_action", (1, 12, "closed", ""))),
    ("collectivity_order", CANCELLED, "Épuisé", "baskets",
     ("admin_order_action", (1, 12, "cancelled", "Épuisé"))),
])
def test_each_owners_move_is_its_owners_rpc(kind, to, comment, service, call):
    from services.order_desk.domain import progress as rules
    current = PROCESSING if to in (READY, CANCELLED) else REGISTERED
    planned = rules.check_move(kind, current, to, comment)
    proxies = {"grouped_orders": Proxy(), "baskets": Proxy()}
    owners.ask(proxies, planned, 12, 1, "key-1")
    assert proxies[service].calls == [(call[0], call[1], {"idempotency_key": "key-1"})]


def test_the_history_is_oldest_first_with_who_and_when(db, collectivity):
    move(db, "collectivity_order", 7, CONFIRMING, "a", now=NOW)
    move(db, "collectivity_order", 7, PROCESSING, "b", now=NOW + timedelta(hours=1))
    view = tx(db, use_cases.progress_history, "collectivity_order", 7)
    assert [(h["to_status"], h["by"], h["comment"]) for h in view["history"]] == [
        (REGISTERED, "système", ""), (CONFIRMING, ADMIN, "a"), (PROCESSING, ADMIN, "b")]
    assert view["history"][2]["at"].startswith("2021-01-27T10:00")


def test_an_invoiced_order_is_not_offered_annulee_until_its_invoice_is_credited(db,
                                                                                collectivity):
    """Its owner refuses the cancellation of an invoiced order (409): the desk's form no
    longer offers it, and says which invoice to credit first; credited entirely, it is back."""
    from tests.unit.order_desk.test_use_cases import invoice_event

    def codes():
        view = tx(db, use_cases.progress_history, "collectivity_order", collectivity)
        return [m["code"] for m in view["moves"]], view.get("invoice_lock")
    assert CANCELLED in codes()[0] and codes()[1] is None
    apply(db, use_cases.on_invoice_issued, invoice_event("2021-01-000000001"))
    moves, lock = codes()
    assert CANCELLED not in moves and lock == "2021-01-000000001"
    assert PROCESSING in moves  # the other moves stay
    apply(db, use_cases.on_invoice_issued, invoice_event(
        "2021-01-000000002", "credit_note", invoice_number="2021-01-000000001",
        cancels_invoice=True))
    assert CANCELLED in codes()[0] and codes()[1] is None


def test_the_owners_reset_moves_the_desk_back_without_a_mail(db, collectivity):
    """« Réinitialiser le statut » on a collectivity order (baskets): the desk said « Terminé
    (état définitif) » of an order back « En cours de traitement »; it follows the reset now,
    to « Enregistrée » or, Librisoft having picked it up, « En cours de traitement »; no mail."""
    apply(db, use_cases.on_collectivity_order_status_changed, status_changed("made_available"))
    events = apply(db, use_cases.on_collectivity_order_status_changed,
                   dict(status_changed("reset"), picked_up=False))
    assert [(p["to_status"], p["mail"]) for p in events.of("order_progressed")] == [
        (REGISTERED, False)]
    apply(db, use_cases.on_collectivity_order_status_changed, status_changed("closed"))
    assert progress(db, "collectivity_order", 7) == DONE
    apply(db, use_cases.on_collectivity_order_status_changed,
          dict(status_changed("reset"), picked_up=True))
    assert progress(db, "collectivity_order", 7) == PROCESSING
    assert history(db, "collectivity_order", 7)[-1][1:] == (
        PROCESSING, "système", "Statut réinitialisé par la librairie")
